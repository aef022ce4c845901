import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  Alert,
  BackLink,
  CsrfField,
  DescriptionItem,
  ErrorSummary,
  SubmitButton,
  type FieldError,
} from '../../../platform/views/components.js'
import { formatDate, formatDateTime } from '../../../platform/i18n/i18n.js'
import type { MandateView } from './mandates.js'

export type OfficeMandateView = MandateView & { agentName: string; proofFilename: string | null }
export type OfficeNotice = 'approved' | 'rejected' | 'revoked'

function MandateTable({ ctx, rows, caption }: { ctx: PageContext; rows: OfficeMandateView[]; caption: string }) {
  const { t } = ctx
  return (
    <div class="kern-table-responsive">
      <table class="kern-table">
        <caption class="kern-sr-only" safe>
          {caption}
        </caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th class="kern-table__header" scope="col">
              {t('mandates.office.agent')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('mandates.list.principal')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('mandates.list.kind')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('mandates.office.received')}
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {rows.map(m => (
            <tr class="kern-table__row">
              <td class="kern-table__cell">
                <a class="kern-link" href={`/backoffice/mandates/${m.id}`} safe>
                  {m.agentName}
                </a>
              </td>
              <td class="kern-table__cell" safe>
                {m.principalName}
              </td>
              <td class="kern-table__cell">{t(`mandates.kind.${m.kind}`)}</td>
              <td class="kern-table__cell" safe>
                {formatDateTime(m.createdAt, ctx.locale)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The checking office's list: mandates waiting for a look at their proof, and those in force. */
export function OfficeMandatesPage({
  ctx,
  pending,
  active,
  notice,
}: {
  ctx: PageContext
  pending: OfficeMandateView[]
  active: OfficeMandateView[]
  notice?: OfficeNotice
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('mandates.office.title')} area="backoffice">
      <div class="stack">
        <h1 class="kern-heading-large">{t('mandates.office.title')}</h1>
        {notice ? <Alert kind="success" title={t.text(`mandates.office.notice.${notice}`)} /> : ''}
        <section class="stack" aria-labelledby="pending-title">
          <h2 class="kern-heading-medium" id="pending-title">
            {t('mandates.office.pending')}
          </h2>
          {pending.length ? (
            <MandateTable ctx={ctx} rows={pending} caption={t.text('mandates.office.pending')} />
          ) : (
            <p class="kern-body">{t('mandates.office.nonePending')}</p>
          )}
        </section>
        <section class="stack" aria-labelledby="active-title">
          <h2 class="kern-heading-medium" id="active-title">
            {t('mandates.office.active')}
          </h2>
          {active.length ? (
            <MandateTable ctx={ctx} rows={active} caption={t.text('mandates.office.active')} />
          ) : (
            <p class="kern-body">{t('mandates.office.noneActive')}</p>
          )}
        </section>
      </div>
    </Layout>
  )
}

/** One mandate: who asks to act for whom, the proof, and the decision (approve, or reject with a reason). */
export function OfficeMandatePage({
  ctx,
  mandate,
  reason,
  errors,
}: {
  ctx: PageContext
  mandate: OfficeMandateView
  reason: string
  errors: FieldError[]
}) {
  const { t } = ctx
  const l = ctx.locale
  const reasonError = errors.find(e => e.fieldId === 'reason')?.message
  const title = t.text('mandates.office.detail', { principal: mandate.principalName })
  return (
    <Layout ctx={ctx} title={errors.length ? `${t.text('accounts.errorPrefix')} ${title}` : title} area="backoffice">
      <div class="stack">
        <BackLink href="/backoffice/mandates" label={t.text('mandates.office.title')} />
        <ErrorSummary ctx={ctx} errors={errors} />
        <h1 class="kern-heading-large" safe>
          {title}
        </h1>
        <dl class="kern-description-list">
          <DescriptionItem label={t.text('mandates.office.agent')} text={mandate.agentName} />
          <DescriptionItem label={t.text('mandates.list.principal')} text={mandate.principalName} />
          <DescriptionItem label={t.text('mandates.new.birthDate')} text={formatDate(mandate.principalBirthDate, l)} />
          <DescriptionItem label={t.text('mandates.list.kind')} text={t.text(`mandates.kindLong.${mandate.kind}`)} />
          <DescriptionItem label={t.text('mandates.list.status')} text={t.text(`mandates.status.${mandate.status}`)} />
          <DescriptionItem label={t.text('mandates.office.received')} text={formatDateTime(mandate.createdAt, l)} />
          <DescriptionItem label={t.text('mandates.office.proof')}>
            {mandate.proofFilename ? (
              <a class="kern-link" href={`/backoffice/mandates/${mandate.id}/proof`} safe>
                {mandate.proofFilename}
              </a>
            ) : (
              <span>{t('mandates.office.noProof')}</span>
            )}
          </DescriptionItem>
        </dl>
        {mandate.status === 'pending' ? (
          <>
            <form method="post" action={`/backoffice/mandates/${mandate.id}/approve`} class="stack">
              <CsrfField ctx={ctx} />
              <p class="kern-body">{t('mandates.office.approveHint')}</p>
              <div class="form-actions">
                <SubmitButton label={t.text('mandates.office.approve')} />
              </div>
            </form>
            <form method="post" action={`/backoffice/mandates/${mandate.id}/reject`} class="stack" novalidate>
              <CsrfField ctx={ctx} />
              <div class={`kern-form-input${reasonError ? ' kern-form-input--error' : ''}`}>
                <label class="kern-label" for="reason">
                  {t('mandates.office.reason')}
                </label>
                <div class="kern-hint" id="reason-hint">
                  {t('mandates.office.reasonHint')}
                </div>
                {reasonError ? (
                  <p class="kern-error" id="reason-error" role="alert">
                    <span class="kern-body" safe>
                      {reasonError}
                    </span>
                  </p>
                ) : (
                  ''
                )}
                <textarea
                  class="kern-form-input__input"
                  id="reason"
                  name="reason"
                  rows="4"
                  aria-describedby={reasonError ? 'reason-hint reason-error' : 'reason-hint'}
                  aria-invalid={reasonError ? 'true' : undefined}
                  safe
                >
                  {reason}
                </textarea>
              </div>
              <div class="form-actions">
                <SubmitButton label={t.text('mandates.office.reject')} variant="secondary" />
              </div>
            </form>
          </>
        ) : mandate.status === 'active' ? (
          <form method="post" action={`/backoffice/mandates/${mandate.id}/revoke`} class="stack">
            <CsrfField ctx={ctx} />
            <p class="kern-body">{t('mandates.office.revokeHint')}</p>
            <div class="form-actions">
              <SubmitButton label={t.text('mandates.office.revoke')} variant="secondary" />
            </div>
          </form>
        ) : (
          ''
        )}
      </div>
    </Layout>
  )
}
