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
import type { MemberRole } from '../../../platform/db/schema.js'

export interface MemberView {
  id: string
  name: string | null
  invitedEmail: string
  role: MemberRole
  status: 'invited' | 'active' | 'removed'
}

export type MembersNotice = 'invited' | 'removed'

/** The company's members and open invitations, for the company's account and its owners. */
export function MembersPage({
  ctx,
  businessId,
  businessName,
  members,
  values,
  errors,
  notice,
}: {
  ctx: PageContext
  businessId: string
  businessName: string
  members: MemberView[]
  values: { email: string; role: string }
  errors: FieldError[]
  notice?: MembersNotice
}) {
  const { t } = ctx
  const err = (id: string) => errors.find(e => e.fieldId === id)?.message
  const roleError = err('role')
  const title = t.text('mandates.members.title', { company: businessName })
  return (
    <Layout ctx={ctx} title={errors.length ? `${t.text('accounts.errorPrefix')} ${title}` : title}>
      <div class="stack">
        <BackLink href="/account/mandates" label={t.text('mandates.list.title')} />
        <ErrorSummary ctx={ctx} errors={errors} />
        <h1 class="kern-heading-large" safe>
          {title}
        </h1>
        {notice ? <Alert kind="success" title={t.text(`mandates.members.notice.${notice}`)} /> : ''}
        <p class="kern-body">{t('mandates.members.intro')}</p>
        {members.length ? (
          <div class="kern-table-responsive">
            <table class="kern-table">
              <caption class="kern-sr-only" safe>
                {title}
              </caption>
              <thead class="kern-table__head">
                <tr class="kern-table__row">
                  <th class="kern-table__header" scope="col">
                    {t('mandates.members.person')}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {t('mandates.members.role')}
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
                {members.map(m => (
                  <tr class="kern-table__row">
                    <td class="kern-table__cell">
                      <span safe>{m.name ?? m.invitedEmail}</span>
                      {m.name ? (
                        <>
                          <br />
                          <span class="kern-hint" safe>
                            {m.invitedEmail}
                          </span>
                        </>
                      ) : (
                        ''
                      )}
                    </td>
                    <td class="kern-table__cell">{t(`mandates.role.${m.role}`)}</td>
                    <td class="kern-table__cell">{t(`mandates.members.status.${m.status}`)}</td>
                    <td class="kern-table__cell">
                      <form
                        method="post"
                        action={`/account/business/${businessId}/members/${m.id}/remove`}
                        class="inline-form"
                      >
                        <CsrfField ctx={ctx} />
                        <button
                          type="submit"
                          class="kern-btn kern-btn--secondary kern-btn--small"
                          aria-label={`${t.text(m.status === 'invited' ? 'mandates.members.withdraw' : 'mandates.members.remove')}: ${m.name ?? m.invitedEmail}`}
                        >
                          <span class="kern-label">
                            {t(m.status === 'invited' ? 'mandates.members.withdraw' : 'mandates.members.remove')}
                          </span>
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="kern-body">{t('mandates.members.none')}</p>
        )}
        <section class="stack" aria-labelledby="invite-title">
          <h2 class="kern-heading-medium" id="invite-title">
            {t('mandates.members.invite')}
          </h2>
          <form method="post" action={`/account/business/${businessId}/members`} class="stack" novalidate>
            <CsrfField ctx={ctx} />
            <TextInput
              id="email"
              type="email"
              label={t.text('mandates.members.email')}
              hint={t.text('mandates.members.emailHint')}
              value={values.email}
              error={err('email')}
              autocomplete="off"
              required
            />
            <RadioGroup
              id="role"
              legend={t.text('mandates.members.role')}
              options={(['clerk', 'owner'] as const).map(v => ({ value: v, label: t.text(`mandates.roleLong.${v}`) }))}
              checked={values.role}
              error={roleError}
            />
            <div class="form-actions">
              <SubmitButton label={t.text('mandates.members.send')} />
            </div>
          </form>
        </section>
      </div>
    </Layout>
  )
}

/** The invitee, signed in with their own account, accepts to act for the company. */
export function InvitationPage({
  ctx,
  token,
  businessName,
  role,
}: {
  ctx: PageContext
  token: string
  businessName: string
  role: MemberRole
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('mandates.invitation.title')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('mandates.invitation.title')}</h1>
        <p class="kern-body" safe>
          {t.text('mandates.invitation.intro', {
            company: businessName,
            role: t.text(`mandates.role.${role}`),
          })}
        </p>
        <p class="kern-body">{t(`mandates.roleLong.${role}`)}</p>
        <form method="post" action={`/account/business/invitations/${token}`} class="stack">
          <CsrfField ctx={ctx} />
          <div class="form-actions">
            <SubmitButton label={t.text('mandates.invitation.accept')} />
          </div>
        </form>
      </div>
    </Layout>
  )
}
