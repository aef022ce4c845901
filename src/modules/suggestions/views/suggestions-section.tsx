import type { PageContext } from '../../../platform/views/page-context.js'
import { CsrfField, SubmitButton } from '../../../platform/views/components.js'
import type { SuggestionsState } from '../suggestions.service.js'

/** "Das könnte als Nächstes wichtig sein" on the account's start page: the offer to switch it on, or the suggestions. */
export function SuggestionsSection({ data, ctx }: { data: SuggestionsState; ctx: PageContext }) {
  const { t } = ctx
  const l = ctx.locale
  const startLabel = (online: boolean) => t.text(online ? 'suggestions.item.start' : 'suggestions.item.howTo')
  return (
    <section class="stack" id="suggestions" aria-labelledby="suggestions-title">
      <h2 class="kern-heading-medium" id="suggestions-title">
        {t('suggestions.section.title')}
      </h2>
      {!data.consented ? (
        <>
          <p class="kern-body">{t('suggestions.offer.intro')}</p>
          <p class="kern-body">{t('suggestions.offer.whatIsUsed')}</p>
          <form method="post" action="/account/suggestions/consent" class="stack">
            <CsrfField ctx={ctx} />
            <SubmitButton label={t.text('suggestions.offer.switchOn')} variant="secondary" />
          </form>
        </>
      ) : (
        <>
          {data.suggestions.length === 0 ? (
            <p class="kern-body">{t('suggestions.section.empty')}</p>
          ) : (
            <ul class="kern-list stack">
              {data.suggestions.map((s, i) => (
                <li>
                  <article class="kern-card" aria-labelledby={`suggestion-${i}`}>
                    <div class="kern-card__container">
                      <div class="kern-card__header">
                        <h3 class="kern-title" id={`suggestion-${i}`} safe>
                          {s.service.title[l]}
                        </h3>
                      </div>
                      <div class="kern-card__body stack">
                        <p class="kern-body" safe>
                          {s.reason}
                        </p>
                        <div class="form-actions">
                          {/* The label names the service: several cards have the same buttons. KERN turns a button
                              holding hidden text into an icon button, so the name is an aria-label starting with the
                              visible text (WCAG 2.5.3). */}
                          <a
                            class="kern-btn kern-btn--primary"
                            href={`/services/${s.service.id}`}
                            aria-label={`${startLabel(s.service.online)}: ${s.service.title[l]}`}
                          >
                            <span class="kern-label" safe>
                              {startLabel(s.service.online)}
                            </span>
                          </a>
                          <form method="post" action="/account/suggestions/dismiss">
                            <CsrfField ctx={ctx} />
                            <input type="hidden" name="rule" value={s.ruleId} />
                            <input type="hidden" name="case" value={s.eventCaseId} />
                            <button
                              type="submit"
                              class="kern-btn kern-btn--tertiary"
                              aria-label={`${t.text('suggestions.item.dismiss')}: ${s.service.title[l]}`}
                            >
                              <span class="kern-label">{t('suggestions.item.dismiss')}</span>
                            </button>
                          </form>
                        </div>
                      </div>
                    </div>
                  </article>
                </li>
              ))}
            </ul>
          )}
          <p class="kern-hint">{t('suggestions.section.whatIsUsed')}</p>
          <form method="post" action="/account/suggestions/consent/withdraw">
            <CsrfField ctx={ctx} />
            <SubmitButton label={t.text('suggestions.section.switchOff')} variant="tertiary" />
          </form>
        </>
      )}
    </section>
  )
}
