import type { PageContext } from '../../../platform/views/page-context.js'
import { CsrfField, SubmitButton } from '../../../platform/views/components.js'
import { formatDateTime, type Locale, type Translate } from '../../../platform/i18n/i18n.js'
import type { NoticeTemplate } from '../../catalogue/index.js'
import type { NoticeDraftRow } from '../notices.queries.js'

export interface NoticeSectionData {
  drafts: NoticeDraftRow[]
  /** Comments per draft id. */
  commentCounts: Record<string, number>
  /** Templates a notice may be drafted from in the case's state. */
  templates: NoticeTemplate[]
  caseLocale: Locale
  /** The state's label, when the service has templates but none is allowed in it (e.g. the case is closed). */
  notInState?: Record<Locale, string>
}

export function NoticeStatusBadge({ status, t }: { status: string; t: Translate }) {
  const kind = status === 'signed' ? 'success' : status === 'discarded' ? 'warning' : 'info'
  return (
    <span class={`kern-badge kern-badge--${kind}`}>
      {t(`notices.status.${status === 'signed' || status === 'discarded' ? status : 'draft'}`)}
    </span>
  )
}

/**
 * "Bescheide" on the case view: the notices of the case and, for the lead office (`canAct`), a form to draft one
 * from a template of the service. A consulted office reads and comments on the drafts.
 */
export function NoticeSection({
  ctx,
  caseId,
  data,
  canAct,
}: {
  ctx: PageContext
  caseId: string
  data: NoticeSectionData
  canAct: boolean
}) {
  const { t } = ctx
  const l = ctx.locale
  const base = `/backoffice/cases/${caseId}/notices`
  return (
    <section class="stack" aria-labelledby="notices-title" data-live-region="notices" id="notices">
      <h2 class="kern-heading-medium" id="notices-title">
        {t('notices.section.title')}
      </h2>
      {data.drafts.length === 0 ? (
        <p class="kern-body">{t('notices.section.none')}</p>
      ) : (
        <ul class="kern-list">
          {data.drafts.map(d => (
            <li>
              <a class="kern-link" href={`${base}/${d.id}`} safe>
                {d.title}
              </a>{' '}
              <NoticeStatusBadge status={d.status} t={t} />{' '}
              <span
                class="kern-hint"
                safe
              >{`${d.locale.toUpperCase()} · ${formatDateTime(d.signedAt ?? d.updatedAt, l)}${(d.signedByName ?? d.updatedByName) ? ` · ${d.signedByName ?? d.updatedByName}` : ''}${data.commentCounts[d.id] ? ` · ${t.text('notices.section.comments', { count: data.commentCounts[d.id] })}` : ''}`}</span>
            </li>
          ))}
        </ul>
      )}
      {!canAct ? (
        <p class="kern-body">{t('notices.section.readOnly')}</p>
      ) : data.notInState ? (
        <p class="kern-body">{t('notices.section.notInState', { status: data.notInState[l] })}</p>
      ) : data.templates.length === 0 ? (
        <p class="kern-body">{t('notices.section.noTemplates')}</p>
      ) : (
        <form method="post" action={base} class="stack">
          <CsrfField ctx={ctx} />
          <div class="kern-form-input">
            <label class="kern-label" for="notice-template">
              {t('notices.section.template')}
            </label>
            <div class="kern-form-input__select-wrapper">
              <select class="kern-form-input__select" id="notice-template" name="templateId">
                {data.templates.map(tpl => (
                  <option value={tpl.id} safe>
                    {tpl.title[l]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="kern-form-input">
            <label class="kern-label" for="notice-locale">
              {t('notices.section.language')}
            </label>
            <div class="kern-hint" id="notice-locale-hint">
              {t('notices.section.languageHint')}
            </div>
            <div class="kern-form-input__select-wrapper">
              <select
                class="kern-form-input__select"
                id="notice-locale"
                name="locale"
                aria-describedby="notice-locale-hint"
              >
                <option value="de" selected={data.caseLocale === 'de'}>
                  Deutsch
                </option>
                <option value="en" selected={data.caseLocale === 'en'}>
                  English
                </option>
              </select>
            </div>
          </div>
          <SubmitButton label={t.text('notices.section.create')} variant="secondary" />
        </form>
      )}
    </section>
  )
}
