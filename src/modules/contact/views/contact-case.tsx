import type { PageContext } from '../../../platform/views/page-context.js'
import { CsrfField, SubmitButton, type FieldError } from '../../../platform/views/components.js'
import { formatDateTime } from '../../../platform/i18n/i18n.js'
import type { ContactSectionData } from '../contact.casework.js'
import { formatPercent } from './contact-events.js'

/**
 * The routing of an enquiry on its case view: what the pre-sorting model suggested when it arrived, with its
 * confidence and the words behind it; the lead office forwards it to another office or confirms it is right here.
 */
export function ContactCaseSection({
  ctx,
  caseId,
  version,
  data,
  errors,
}: {
  ctx: PageContext
  caseId: string
  version: number
  data: ContactSectionData
  errors: FieldError[]
}) {
  const { t } = ctx
  const l = ctx.locale
  const base = `/backoffice/cases/${caseId}`
  const officeName = (id: string) => data.offices.find(o => o.id === id)?.name[l] ?? id
  const r = data.routing
  const error = errors.find(e => e.fieldId === 'contactOffice')?.message
  const confirmedHere = data.decision?.kind === 'confirmed' && data.decision.officeId === data.currentOfficeId
  return (
    <section class="stack" aria-labelledby="contact-title" id="contact">
      <h2 class="kern-heading-medium" id="contact-title">
        {t('contact.case.title')}
      </h2>
      {!r ? (
        <p class="kern-body">{t('contact.case.noRouting')}</p>
      ) : r.suggestions.length === 0 ? (
        <p class="kern-body">{t('contact.case.noModel')}</p>
      ) : (
        <>
          <p class="kern-body">
            {r.confident
              ? t('contact.case.confident', {
                  office: officeName(r.officeId),
                  percent: formatPercent(r.suggestions[0]!.probability, l),
                })
              : t('contact.case.unsure', { office: officeName(r.officeId) })}
          </p>
          <table class="kern-table">
            <caption class="kern-title">{t('contact.case.suggestions')}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th class="kern-table__header" scope="col">
                  {t('contact.case.office')}
                </th>
                <th class="kern-table__header" scope="col">
                  {t('contact.case.probability')}
                </th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {r.suggestions.map(s => (
                <tr class="kern-table__row">
                  <td class="kern-table__cell" safe>
                    {s.office?.[l] ?? officeName(s.officeId)}
                  </td>
                  <td class="kern-table__cell" safe>
                    {formatPercent(s.probability, l)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="kern-body">
            {r.terms.length ? t('contact.case.terms', { terms: r.terms.join(', ') }) : t('contact.case.noTerms')}
          </p>
        </>
      )}
      {data.decision ? (
        <p class="kern-body">
          {t(data.decision.kind === 'forwarded' ? 'contact.case.forwardedBy' : 'contact.case.confirmedBy', {
            name: data.decision.by ?? '',
            office: officeName(data.decision.officeId),
            at: formatDateTime(data.decision.at, l),
          })}
        </p>
      ) : (
        ''
      )}
      {data.canAct ? (
        <div class="stack">
          <form method="post" action={`${base}/contact/routing`} class="stack" novalidate>
            <CsrfField ctx={ctx} />
            <input type="hidden" name="version" value={String(version)} />
            <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
              <label class="kern-label" for="contactOffice">
                {t('contact.case.forwardTo')}
              </label>
              <div class="kern-hint" id="contactOffice-hint">
                {t('contact.case.forwardHint')}
              </div>
              {error ? (
                <p class="kern-error" id="contactOffice-error">
                  <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
                  <span class="kern-body" safe>
                    {error}
                  </span>
                </p>
              ) : (
                ''
              )}
              <div class="kern-form-input__select-wrapper">
                <select
                  class="kern-form-input__select"
                  id="contactOffice"
                  name="officeId"
                  aria-describedby={`contactOffice-hint${error ? ' contactOffice-error' : ''}`}
                  aria-invalid={error ? 'true' : undefined}
                >
                  <option value="">{t('contact.case.chooseOffice')}</option>
                  {data.offices
                    .filter(o => o.id !== data.currentOfficeId)
                    .map(o => (
                      <option value={o.id} selected={o.id === data.preselect} safe>
                        {o.name[l]}
                      </option>
                    ))}
                </select>
              </div>
            </div>
            <SubmitButton label={t.text('contact.case.forward')} name="action" value="forward" variant="secondary" />
          </form>
          {confirmedHere ? (
            ''
          ) : (
            <form method="post" action={`${base}/contact/routing`}>
              <CsrfField ctx={ctx} />
              <input type="hidden" name="version" value={String(version)} />
              <p class="kern-body">{t('contact.case.confirmHint', { office: officeName(data.currentOfficeId) })}</p>
              <SubmitButton label={t.text('contact.case.confirm')} name="action" value="confirm" variant="secondary" />
            </form>
          )}
        </div>
      ) : (
        ''
      )}
    </section>
  )
}
