import type { PageContext } from './page-context.js'

/** Minutes before the idle timeout at which the warning shows (at most half the timeout). */
const WARNING_MINUTES = 5

/**
 * The warning before a signed-in session ends for idleness. Hidden until public/session-expiry.js opens it; its
 * form ("stay signed in") refreshes the session and, answered with 204, leaves the page and what was typed as it is.
 * Without JavaScript it never shows: a form sent after the end is kept across signing in (session-resume.tsx).
 */
export function SessionExpiryDialog({ ctx }: { ctx: PageContext }) {
  const timeout = ctx.sessionTimeout
  if (!timeout) return ''
  const { t } = ctx
  const warnSeconds = Math.min(WARNING_MINUTES * 60, Math.floor(timeout.idleSeconds / 2))
  return (
    <>
      <dialog
        class="kern-dialog"
        id="session-expiry"
        aria-labelledby="session-expiry-title"
        data-ends-in-seconds={String(timeout.endsInSeconds)}
        data-idle-seconds={String(timeout.idleSeconds)}
        data-warn-seconds={String(warnSeconds)}
        data-expired-text={t.text('session.warning.expired')}
      >
        <header class="kern-dialog__header">
          <h2 class="kern-title" id="session-expiry-title">
            {t('session.warning.title')}
          </h2>
          <form method="dialog">
            <button type="submit" class="kern-btn kern-btn--tertiary">
              <span class="kern-label">{t('session.warning.close')}</span>
            </button>
          </form>
        </header>
        <section class="kern-dialog__body">
          <p class="kern-body" id="session-expiry-text" aria-live="polite">
            {t('session.warning.body', { minutes: Math.round(warnSeconds / 60) })}
          </p>
        </section>
        <form method="post" action="/session/refresh" class="kern-dialog__footer">
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <button type="submit" class="kern-btn kern-btn--primary" id="session-expiry-stay">
            <span class="kern-label">{t('session.warning.stay')}</span>
          </button>
        </form>
      </dialog>
      <script src="/assets/session-expiry.js" defer></script>
    </>
  )
}
