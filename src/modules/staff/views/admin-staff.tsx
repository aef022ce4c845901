import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  Alert,
  CsrfField,
  ErrorSummary,
  SubmitButton,
  TextInput,
  type FieldError,
  SelectField,
} from '../../../platform/views/components.js'
import type { Translate } from '../../../platform/i18n/i18n.js'
import { MIN_PASSWORD_LENGTH } from '../../../platform/auth/password.js'
import type { StaffRole } from '../../../platform/db/schema.js'
import type { Office } from '../../catalogue/index.js'
import type { OfficeStaffMember } from '../staff.admin.service.js'
import type { RoleRequestRow } from '../staff.admin.queries.js'
import { formatDateTime } from '../../../platform/i18n/i18n.js'

export type StaffNotice = 'created' | 'granted' | 'revoked' | 'factorReset' | 'requested' | 'approved' | 'rejected'
/** What the admin typed into "add a person", never the password, and what to fix. */
export interface NewStaffForm {
  name: string
  email: string
  officeId: string
  role: string
  errors: FieldError[]
}

export interface StaffAdminProps {
  ctx: PageContext
  offices: Office[]
  officeId: string
  members: OfficeStaffMember[]
  /** Roles admins asked for themselves, waiting for a second admin. */
  requests: RoleRequestRow[]
  /** Roles this admin may hand out. */
  roles: StaffRole[]
  form?: NewStaffForm
  notice?: StaffNotice
}

export function StaffAdminPage({ ctx, offices, officeId, members, requests, roles, form, notice }: StaffAdminProps) {
  const { t } = ctx
  const errors = form?.errors ?? []
  const officeName = offices.find(o => o.id === officeId)?.name[ctx.locale] ?? officeId
  const title = `${errors.length ? `${t.text('staff.login.errorPrefix')} ` : ''}${t.text('staff.admin.staff.title')}`
  return (
    <Layout ctx={ctx} title={title} area="backoffice">
      <div class="stack">
        <ErrorSummary ctx={ctx} errors={errors} />
        {notice ? (
          <Alert kind={notice === 'requested' ? 'warning' : 'success'} title={t.text(`staff.admin.notice.${notice}`)} />
        ) : (
          ''
        )}
        <hgroup class="kern-hgroup">
          <p class="kern-preline" safe>
            {officeName}
          </p>
          <h1 class="kern-heading-large">{t('staff.admin.staff.title')}</h1>
        </hgroup>
        <AdminTabs ctx={ctx} current="staff" />
        {offices.length > 1 ? (
          <form method="get" action="/backoffice/admin/staff" class="filters">
            <SelectField
              id="office"
              label={t.text('staff.admin.staff.office')}
              value={officeId}
              options={offices.map(o => ({ value: o.id, label: o.name[ctx.locale] }))}
            />
            <SubmitButton label={t.text('staff.admin.staff.showOffice')} variant="secondary" />
          </form>
        ) : (
          ''
        )}
        {members.length === 0 ? (
          <p class="kern-body">{t('staff.admin.staff.empty')}</p>
        ) : (
          <StaffTable ctx={ctx} officeId={officeId} members={members} roles={roles} />
        )}
        {members.some(m => m.directory) ? <p class="kern-body">{t('staff.admin.staff.directory.note')}</p> : ''}
        {requests.length ? <RoleRequests ctx={ctx} requests={requests} offices={offices} /> : ''}
        <NewStaffSection ctx={ctx} offices={offices} officeId={officeId} roles={roles} form={form} />
      </div>
    </Layout>
  )
}

/** The pages of the administration; the last ones only for platform admins. */
const ADMIN_TABS = [
  { id: 'overview', href: '/backoffice/admin', title: 'staff.admin.overview.title', platformOnly: false },
  { id: 'staff', href: '/backoffice/admin/staff', title: 'staff.admin.staff.title', platformOnly: false },
  { id: 'audit', href: '/backoffice/admin/audit', title: 'staff.admin.audit.title', platformOnly: false },
  { id: 'jobs', href: '/backoffice/admin/jobs', title: 'staff.admin.jobs.title', platformOnly: true },
  { id: 'apiKeys', href: '/backoffice/admin/api-keys', title: 'staff.admin.apiKeys.title', platformOnly: true },
  { id: 'privacy', href: '/backoffice/admin/privacy', title: 'privacy.backoffice.title', platformOnly: true },
  {
    id: 'dataProtection',
    href: '/backoffice/admin/data-protection',
    title: 'retention.register.title',
    platformOnly: true,
  },
  { id: 'archive', href: '/backoffice/admin/archive', title: 'retention.archive.title', platformOnly: true },
] as const

/** Links between the pages of the administration. */
export function AdminTabs({ ctx, current }: { ctx: PageContext; current: (typeof ADMIN_TABS)[number]['id'] }) {
  const { t } = ctx
  const platformAdmin = ctx.staff?.roles.some(r => r.role === 'platform_admin') ?? false
  return (
    <nav aria-label={t.text('staff.admin.nav')}>
      <ul class="kern-list kern-list--horizontal site-nav">
        {ADMIN_TABS.filter(tab => platformAdmin || !tab.platformOnly).map(tab => (
          <li>
            <a class="kern-link" href={tab.href} aria-current={current === tab.id ? 'page' : undefined}>
              {t(tab.title)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}

export const roleLabel = (t: Translate, role: string) => t.text(`staff.admin.role.${role}`)

/** Four eyes: roles admins asked for themselves, approved or rejected by another admin (never the requester). */
function RoleRequests({ ctx, requests, offices }: { ctx: PageContext; requests: RoleRequestRow[]; offices: Office[] }) {
  const officeName = (id: string) => offices.find(o => o.id === id)?.name[ctx.locale] ?? id
  const { t } = ctx
  return (
    <section class="stack" aria-labelledby="role-requests-title" id="role-requests">
      <h2 class="kern-heading-medium" id="role-requests-title">
        {t('staff.admin.requests.title')}
      </h2>
      <p class="kern-body">{t('staff.admin.requests.intro')}</p>
      <div class="kern-table-responsive">
        <table class="kern-table">
          <caption class="kern-sr-only">{t('staff.admin.requests.title')}</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <th class="kern-table__header" scope="col">
                {t('staff.admin.staff.col.name')}
              </th>
              <th class="kern-table__header" scope="col">
                {t('staff.admin.requests.col.role')}
              </th>
              <th class="kern-table__header" scope="col">
                {t('staff.admin.requests.col.requested')}
              </th>
              <th class="kern-table__header" scope="col">
                {t('staff.admin.requests.col.decision')}
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {requests.map(r => (
              <tr class="kern-table__row">
                <td class="kern-table__cell" safe>
                  {r.staffName}
                </td>
                <td class="kern-table__cell" safe>
                  {`${roleLabel(t, r.role)} · ${officeName(r.officeId)}`}
                </td>
                <td class="kern-table__cell" safe>
                  {t.text('staff.admin.requests.by', {
                    name: r.requestedByName,
                    date: formatDateTime(r.requestedAt, ctx.locale),
                  })}
                </td>
                <td class="kern-table__cell">
                  {r.requestedBy === ctx.staff?.id || r.staffId === ctx.staff?.id ? (
                    <span class="kern-hint">{t('staff.admin.requests.waiting')}</span>
                  ) : (
                    <div>
                      <form
                        method="post"
                        action={`/backoffice/admin/role-requests/${r.id}/approve`}
                        class="inline-form"
                      >
                        <CsrfField ctx={ctx} />
                        <button
                          type="submit"
                          class="kern-btn kern-btn--secondary kern-btn--small"
                          aria-label={t.text('staff.admin.requests.approveOf', {
                            role: roleLabel(t, r.role),
                            name: r.staffName,
                          })}
                        >
                          <span class="kern-label">{t('staff.admin.requests.approve')}</span>
                        </button>
                      </form>{' '}
                      <form method="post" action={`/backoffice/admin/role-requests/${r.id}/reject`} class="inline-form">
                        <CsrfField ctx={ctx} />
                        <button
                          type="submit"
                          class="kern-btn kern-btn--tertiary kern-btn--small"
                          aria-label={t.text('staff.admin.requests.rejectOf', {
                            role: roleLabel(t, r.role),
                            name: r.staffName,
                          })}
                        >
                          <span class="kern-label">{t('staff.admin.requests.reject')}</span>
                        </button>
                      </form>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

function StaffTable({
  ctx,
  officeId,
  members,
  roles,
}: {
  ctx: PageContext
  officeId: string
  members: OfficeStaffMember[]
  roles: StaffRole[]
}) {
  const { t } = ctx
  return (
    <div class="kern-table-responsive">
      <table class="kern-table">
        <caption class="kern-sr-only">{t('staff.admin.staff.title')}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th class="kern-table__header" scope="col">
              {t('staff.admin.staff.col.name')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('staff.admin.staff.col.email')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('staff.admin.staff.col.roles')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('staff.admin.staff.col.grant')}
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {members.map(m => {
            const missing = roles.filter(r => !m.roles.includes(r))
            return (
              <tr class="kern-table__row">
                <td class="kern-table__cell" safe>
                  {m.name}
                </td>
                <td class="kern-table__cell">
                  <span safe>{m.email}</span>
                  {m.directory ? (
                    <p class="kern-hint">
                      <span class="kern-badge kern-badge--info">{t('staff.admin.staff.directory.badge')}</span>{' '}
                      {t('staff.admin.staff.directory.lastSync', {
                        at: formatDateTime(m.directory.lastSyncedAt, ctx.locale),
                      })}
                    </p>
                  ) : (
                    ''
                  )}
                </td>
                <td class="kern-table__cell">
                  <ul class="kern-list">
                    {m.roles.map(role => (
                      <li>
                        <span class="kern-badge kern-badge--info" safe>
                          {roleLabel(t, role)}
                        </span>{' '}
                        {roles.includes(role) && !m.directory ? (
                          <form
                            method="post"
                            action={`/backoffice/admin/staff/${m.id}/roles/remove`}
                            class="inline-form"
                          >
                            <CsrfField ctx={ctx} />
                            <input type="hidden" name="officeId" value={officeId} />
                            <input type="hidden" name="role" value={role} />
                            <button
                              type="submit"
                              class="kern-btn kern-btn--tertiary kern-btn--x-small"
                              aria-label={t.text('staff.admin.staff.removeRoleOf', {
                                role: roleLabel(t, role),
                                name: m.name,
                              })}
                            >
                              <span class="kern-label">{t('staff.admin.staff.removeRole')}</span>
                            </button>
                          </form>
                        ) : (
                          ''
                        )}
                      </li>
                    ))}
                  </ul>
                </td>
                <td class="kern-table__cell">
                  {m.directory ? (
                    <span class="kern-hint">{t('staff.admin.staff.directory.rolesThere')}</span>
                  ) : missing.length ? (
                    <form method="post" action={`/backoffice/admin/staff/${m.id}/roles`} class="filters">
                      <CsrfField ctx={ctx} />
                      <input type="hidden" name="officeId" value={officeId} />
                      <SelectField
                        id={`grant-${m.id}`}
                        name="role"
                        label={t.text('staff.admin.staff.grantRoleTo', { name: m.name })}
                        labelHidden
                        options={missing.map(r => ({ value: r, label: roleLabel(t, r) }))}
                      />
                      <SubmitButton label={t.text('staff.admin.staff.grantRole')} variant="secondary" />
                    </form>
                  ) : (
                    <span class="kern-hint">{t('staff.admin.staff.allRoles')}</span>
                  )}
                  {m.id !== ctx.staff?.id ? (
                    <form
                      method="post"
                      action={`/backoffice/admin/staff/${m.id}/second-factor/reset`}
                      class="inline-form"
                    >
                      <CsrfField ctx={ctx} />
                      <input type="hidden" name="officeId" value={officeId} />
                      <button
                        type="submit"
                        class="kern-btn kern-btn--tertiary kern-btn--x-small"
                        aria-label={t.text('staff.admin.staff.resetFactorOf', { name: m.name })}
                      >
                        <span class="kern-label">{t('staff.admin.staff.resetFactor')}</span>
                      </button>
                    </form>
                  ) : (
                    ''
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

function NewStaffSection({
  ctx,
  offices,
  officeId,
  roles,
  form,
}: {
  ctx: PageContext
  offices: Office[]
  officeId: string
  roles: StaffRole[]
  form?: NewStaffForm
}) {
  const { t } = ctx
  const errorFor = (id: string) => form?.errors.find(e => e.fieldId === id)?.message
  return (
    <section class="stack" aria-labelledby="new-staff-title">
      <h2 class="kern-heading-medium" id="new-staff-title">
        {t('staff.admin.create.title')}
      </h2>
      <form method="post" action="/backoffice/admin/staff" novalidate class="stack">
        <CsrfField ctx={ctx} />
        <TextInput
          id="name"
          label={t.text('staff.admin.create.name')}
          value={form?.name}
          error={errorFor('name')}
          autocomplete="off"
          required
        />
        <TextInput
          id="email"
          type="email"
          label={t.text('staff.admin.create.email')}
          value={form?.email}
          error={errorFor('email')}
          autocomplete="off"
          required
        />
        <TextInput
          id="password"
          type="password"
          label={t.text('staff.admin.create.password')}
          hint={t.text('staff.admin.create.passwordHint', { min: MIN_PASSWORD_LENGTH })}
          error={errorFor('password')}
          autocomplete="new-password"
          required
        />
        <SelectField
          id="officeId"
          label={t.text('staff.admin.create.office')}
          value={form?.officeId || officeId}
          error={errorFor('officeId')}
          options={offices.map(o => ({ value: o.id, label: o.name[ctx.locale] }))}
        />
        <SelectField
          id="role"
          label={t.text('staff.admin.create.role')}
          value={form?.role || 'caseworker'}
          error={errorFor('role')}
          options={roles.map(r => ({ value: r, label: roleLabel(t, r) }))}
        />
        <div class="form-actions">
          <SubmitButton label={t.text('staff.admin.create.submit')} />
        </div>
      </form>
    </section>
  )
}
