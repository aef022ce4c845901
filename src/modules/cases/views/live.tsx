import type { Children } from '@kitajs/html'
import type { Translate } from '../../../platform/i18n/i18n.js'

/**
 * The part of a page that keeps itself current (public/case-live.js): where its event stream is, which page to
 * fetch again, the version it shows, and the sentences to announce, in the reader's language. Without
 * JavaScript these are plain attributes and the page works as always.
 */
export function LiveRoot({
  t,
  src,
  page,
  version,
  children,
}: {
  t: Translate
  src: string
  page: string
  version?: number
  children?: Children
}) {
  // Children are markup built by the caller from escaped parts.
  const safeChildren = children
  return (
    <div
      class="stack"
      data-live-src={src}
      data-live-page={page}
      data-live-version={version === undefined ? undefined : String(version)}
      data-live-text-changed={t.text('cases.live.changedBy')}
      data-live-text-changed-anonymous={t.text('cases.live.changed')}
      data-live-text-kept={t.text('cases.live.kept')}
      data-live-text-reload={t.text('cases.live.reload')}
      data-live-text-gone={t.text('cases.live.gone')}
    >
      {safeChildren}
    </div>
  )
}

/** Announces live changes to screen readers and shows them; empty until something changes. */
export function LiveStatus() {
  return <div id="live-status" class="live-status" role="status" aria-live="polite"></div>
}
