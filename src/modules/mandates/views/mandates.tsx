import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  Alert,
  BackLink,
  CsrfField,
  ErrorSummary,
  SubmitButton,
  TextInput,
  type FieldError,
  RadioGroup,
} from '../../../platform/views/components.js'
import { formatDate } from '../../../platform/i18n/i18n.js'
import type { MandateKind, MandateStatus, MemberRole } from '../../../platform/db/schema.js'

export interface MandateView {
  id: string
  kind: MandateKind
  status: MandateStatus
  principalName: string
  principalBirthDate: string
  /** The agent's name, shown to the principal; the principal's side never needs more. */
  agentName: string | null
  rejectionReason: string | null
  createdAt: Date
}

export interface MembershipView {
  id: string
  businessId: string
  businessName: string
  role: MemberRole
}

export type MandatesNotice = 'requested' | 'revoked' | 'confirmed' | 'left' | 'joined'

const STATUS_BADGE: Record<MandateStatus, string> = {
  pending: 'info',
  active: 'success',
  rejected: 'danger',
  revoked: 'warning',
}

function StatusTag({ ctx, status }: { ctx: PageContext; status: MandateStatus }) {
  return (
    <span class={`kern-badge kern-badge--${STATUS_BADGE[status]}`}>
      <span class="kern-label">{ctx.t(`mandates.status.${status}`)}</span>
    </span>
  )
}

function RevokeForm({ ctx, mandate }: { ctx: PageContext; mandate: MandateView }) {
  if (mandate.status !== 'pending' && mandate.status !== 'active') return ''
  return (
    <form method="post" action={`/account/mandates/${mandate.id}/revoke`} class="inline-form">
      <CsrfField ctx={ctx} />
      <button
        type="submit"
        class="kern-btn kern-btn--secondary kern-btn--small"
        aria-label={`${ctx.t.text('mandates.list.revoke')}: ${mandate.principalName}`}
      >
        <span class="kern-label">{ctx.t('mandates.list.revoke')}</span>
      </button>
    </form>
  )
}

/** "Vollmachten": whom the person acts for, who acts for them, and the companies they are a member of. */
export function MandatesPage({
  ctx,
  asAgent,
  forMe,
  memberships,
  ownBusiness,
  notice,
}: {
  ctx: PageContext
  asAgent: MandateView[]
  forMe: MandateView[]
  memberships: MembershipView[]
  /** For a company's own account: its id, for the link to its members. */
  ownBusiness: string | null
  notice?: MandatesNotice
}) {
  const { t } = ctx
  const l = ctx.locale
  return (
    <Layout ctx={ctx} title={t.text('mandates.list.title')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('mandates.list.title')}</h1>
        {notice ? <Alert kind="success" title={t.text(`mandates.notice.${notice}`)} /> : ''}
        {ownBusiness ? (
          <section class="stack" aria-labelledby="company-title">
            <h2 class="kern-heading-medium" id="company-title">
              {t('mandates.company.title')}
            </h2>
            <p class="kern-body">{t('mandates.company.intro')}</p>
            <p class="kern-body">
              <a class="kern-link" href={`/account/business/${ownBusiness}/members`}>
                {t('mandates.company.manage')}
              </a>
            </p>
          </section>
        ) : (
          <section class="stack" aria-labelledby="agent-title">
            <h2 class="kern-heading-medium" id="agent-title">
              {t('mandates.list.asAgent')}
            </h2>
            <p class="kern-body">{t('mandates.list.intro')}</p>
            {asAgent.length ? (
              <div class="kern-table-responsive">
                <table class="kern-table">
                  <caption class="kern-sr-only">{t('mandates.list.asAgent')}</caption>
                  <thead class="kern-table__head">
                    <tr class="kern-table__row">
                      <th class="kern-table__header" scope="col">
                        {t('mandates.list.principal')}
                      </th>
                      <th class="kern-table__header" scope="col">
                        {t('mandates.list.kind')}
                      </th>
                      <th class="kern-table__header" scope="col">
                        {t('mandates.list.status')}
                      </th>
                      <th class="kern-table__header" scope="col">
                        {t('mandates.list.actions')}
                      </th>
                    </tr>
                  </thead>
                  <tbody class="kern-table__body">
                    {asAgent.map(m => (
                      <tr class="kern-table__row">
                        <td class="kern-table__cell">
                          <span safe>{m.principalName}</span>
                          <br />
                          <span class="kern-hint" safe>
                            {t.text('mandates.list.born', { date: formatDate(m.principalBirthDate, l) })}
                          </span>
                        </td>
                        <td class="kern-table__cell">{t(`mandates.kind.${m.kind}`)}</td>
                        <td class="kern-table__cell">
                          <StatusTag ctx={ctx} status={m.status} />
                          {m.rejectionReason ? (
                            <p class="kern-body kern-body--small" safe>
                              {t.text('mandates.list.reason', { reason: m.rejectionReason })}
                            </p>
                          ) : (
                            ''
                          )}
                        </td>
                        <td class="kern-table__cell">
                          <RevokeForm ctx={ctx} mandate={m} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p class="kern-body">{t('mandates.list.noneAsAgent')}</p>
            )}
            <p class="kern-body">
              <a class="kern-btn kern-btn--primary" href="/account/mandates/new">
                <span class="kern-label">{t('mandates.list.add')}</span>
              </a>
            </p>
          </section>
        )}
        {forMe.length ? (
          <section class="stack" aria-labelledby="principal-title">
            <h2 class="kern-heading-medium" id="principal-title">
              {t('mandates.list.forMe')}
            </h2>
            <ul class="kern-list">
              {forMe.map(m => (
                <li class="stack">
                  <p class="kern-body" safe>
                    {t.text('mandates.list.actsForYou', {
                      agent: m.agentName ?? '–',
                      kind: t.text(`mandates.kind.${m.kind}`),
                    })}
                  </p>
                  <StatusTag ctx={ctx} status={m.status} />
                  <RevokeForm ctx={ctx} mandate={m} />
                </li>
              ))}
            </ul>
          </section>
        ) : (
          ''
        )}
        {memberships.length ? (
          <section class="stack" aria-labelledby="memberships-title">
            <h2 class="kern-heading-medium" id="memberships-title">
              {t('mandates.memberships.title')}
            </h2>
            <ul class="kern-list">
              {memberships.map(m => (
                <li class="stack">
                  <p class="kern-body" safe>
                    {t.text('mandates.memberships.entry', {
                      company: m.businessName,
                      role: t.text(`mandates.role.${m.role}`),
                    })}
                  </p>
                  {m.role === 'owner' ? (
                    <a class="kern-link" href={`/account/business/${m.businessId}/members`}>
                      {t('mandates.company.manage')}
                      <span class="kern-sr-only" safe>{`: ${m.businessName}`}</span>
                    </a>
                  ) : (
                    ''
                  )}
                  <form
                    method="post"
                    action={`/account/business/${m.businessId}/members/${m.id}/remove`}
                    class="inline-form"
                  >
                    <CsrfField ctx={ctx} />
                    <button
                      type="submit"
                      class="kern-btn kern-btn--secondary kern-btn--small"
                      aria-label={`${t.text('mandates.memberships.leave')}: ${m.businessName}`}
                    >
                      <span class="kern-label">{t('mandates.memberships.leave')}</span>
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          </section>
        ) : (
          ''
        )}
      </div>
    </Layout>
  )
}

export interface NewMandateValues {
  kind: string
  givenName: string
  familyName: string
  birthDate: string
  principalEmail: string
}

/** Asking to act for someone: who they are, how the person stands to them, and the proof for the office. */
export function NewMandatePage({
  ctx,
  values,
  errors,
}: {
  ctx: PageContext
  values: NewMandateValues
  errors: FieldError[]
}) {
  const { t } = ctx
  const err = (id: string) => errors.find(e => e.fieldId === id)?.message
  const kindError = err('kind')
  const proofError = err('proof')
  const title = t.text('mandates.new.title')
  return (
    <Layout ctx={ctx} title={errors.length ? `${t.text('accounts.errorPrefix')} ${title}` : title}>
      <div class="stack">
        <BackLink href="/account/mandates" label={t.text('mandates.list.title')} />
        <ErrorSummary ctx={ctx} errors={errors} />
        <h1 class="kern-heading-large" safe>
          {title}
        </h1>
        <p class="kern-body">{t('mandates.new.intro')}</p>
        <form method="post" action="/account/mandates" enctype="multipart/form-data" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <RadioGroup
            id="kind"
            legend={t.text('mandates.new.kind')}
            options={(['parent', 'guardian', 'authorised'] as const).map(v => ({
              value: v,
              label: t.text(`mandates.kindLong.${v}`),
            }))}
            checked={values.kind}
            error={kindError}
          />
          <TextInput
            id="givenName"
            label={t.text('mandates.new.givenName')}
            value={values.givenName}
            error={err('givenName')}
            autocomplete="off"
            required
          />
          <TextInput
            id="familyName"
            label={t.text('mandates.new.familyName')}
            value={values.familyName}
            error={err('familyName')}
            autocomplete="off"
            required
          />
          <TextInput
            id="birthDate"
            type="date"
            label={t.text('mandates.new.birthDate')}
            hint={t.text('accounts.field.birthDateHint')}
            value={values.birthDate}
            error={err('birthDate')}
            autocomplete="off"
            required
          />
          <TextInput
            id="principalEmail"
            type="email"
            label={t.text('mandates.new.principalEmail')}
            hint={t.text('mandates.new.principalEmailHint')}
            value={values.principalEmail}
            error={err('principalEmail')}
            autocomplete="off"
          />
          <div class={`kern-form-input${proofError ? ' kern-form-input--error' : ''}`}>
            <label class="kern-label" for="proof">
              {t('mandates.new.proof')}
            </label>
            <div class="kern-hint" id="proof-hint">
              {t('mandates.new.proofHint')}
            </div>
            {proofError ? (
              <p class="kern-error" id="proof-error" role="alert">
                <span class="kern-body" safe>
                  {proofError}
                </span>
              </p>
            ) : (
              ''
            )}
            <input
              class="kern-form-input__input"
              type="file"
              id="proof"
              name="proof"
              accept="application/pdf,image/jpeg,image/png"
              aria-describedby={proofError ? 'proof-hint proof-error' : 'proof-hint'}
              aria-invalid={proofError ? 'true' : undefined}
            />
          </div>
          <div class="form-actions">
            <SubmitButton label={t.text('mandates.new.submit')} />
          </div>
        </form>
      </div>
    </Layout>
  )
}

/** The principal, signed in with their own account, confirms that the agent acts for them. */
export function ConfirmMandatePage({
  ctx,
  token,
  agentName,
  kind,
  principalName,
}: {
  ctx: PageContext
  token: string
  agentName: string
  kind: MandateKind
  principalName: string
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('mandates.confirm.title')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('mandates.confirm.title')}</h1>
        <p class="kern-body" safe>
          {t.text('mandates.confirm.intro', {
            agent: agentName,
            principal: principalName,
            kind: t.text(`mandates.kind.${kind}`),
          })}
        </p>
        <p class="kern-body">{t('mandates.confirm.effect')}</p>
        <form method="post" action={`/account/mandates/confirm/${token}`} class="stack">
          <CsrfField ctx={ctx} />
          <div class="form-actions">
            <SubmitButton label={t.text('mandates.confirm.submit')} />
          </div>
        </form>
      </div>
    </Layout>
  )
}

/** A link that is unknown, used or whose mandate ended: said plainly, nothing revealed. */
export function LinkInvalidPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('mandates.linkInvalid.title')}>
      <div class="stack">
        <Alert kind="warning" title={t.text('mandates.linkInvalid.title')} pageHeading>
          <p class="kern-body">{t('mandates.linkInvalid.body')}</p>
        </Alert>
        <p class="kern-body">
          <a class="kern-link" href="/account/mandates">
            {t('mandates.list.title')}
          </a>
        </p>
      </div>
    </Layout>
  )
}
