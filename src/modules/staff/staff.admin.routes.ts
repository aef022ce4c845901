import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { readFormInput } from '../../platform/http/form-input.js'
import { NotFound } from '../../platform/http/errors.js'
import { AUDIT_ACTIONS } from '../../platform/audit/audit.js'
import type { StaffRole } from '../../platform/db/schema.js'
import { requireStaff, staffOf } from './staff.guard.js'
import {
  administeredOfficeIds,
  createStaff,
  decideRoleRequest,
  grantableRoles,
  grantRole,
  isAdministrator,
  isStaffRole,
  listOfficeStaff,
  listRoleRequests,
  readAuditLog,
  type StaffAdminLookups,
  resetSecondFactor,
  revokeRole,
  STAFF_ROLES,
  validateNewStaff,
  type AuditQuery,
  type NewStaff,
} from './staff.admin.service.js'
import { StaffEmailTaken } from './staff.errors.js'
import { StaffAdminPage, type NewStaffForm, type StaffNotice } from './views/admin-staff.js'
import { AuditLogPage } from './views/admin-audit.js'
import { AdminOverviewPage } from './views/admin-overview.js'
import { loadAdminOverview } from './staff.admin.overview.js'
import { uuidParams } from '../../platform/http/ids.js'

const StaffParams = uuidParams('staffId')
const RoleRequestParams = uuidParams('requestId')

const StaffListQuery = {
  type: 'object',
  properties: {
    office: { type: 'string', maxLength: 80 },
    notice: {
      type: 'string',
      enum: ['created', 'granted', 'revoked', 'factorReset', 'requested', 'approved', 'rejected'],
    },
  },
} as const

const RoleBody = {
  type: 'object',
  properties: {
    officeId: { type: 'string', minLength: 1, maxLength: 80 },
    role: { type: 'string', enum: STAFF_ROLES },
  },
  required: ['officeId', 'role'],
} as const

const OfficeBody = {
  type: 'object',
  properties: { officeId: { type: 'string', minLength: 1, maxLength: 80 } },
  required: ['officeId'],
} as const

const day = {
  anyOf: [
    { type: 'string', format: 'date' },
    { type: 'string', maxLength: 0 },
  ],
} as const
const AuditQuerySchema = {
  type: 'object',
  properties: {
    action: { type: 'string', enum: ['', ...AUDIT_ACTIONS] },
    subject: { type: 'string', maxLength: 100 },
    actor: { type: 'string', maxLength: 200 },
    from: day,
    to: day,
    after: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
  },
} as const

const text = (value: string | string[] | undefined) => (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim()

/**
 * The administration is there only for office and platform admins; anyone else on staff gets the
 * 404 of a missing page. Runs on request, before the body is parsed or validated, so no input tells
 * a caseworker the area exists.
 */
async function requireAdministrator(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const staff = req.session?.staff
  if (!staff) return requireStaff(req, reply)
  if (
    !isAdministrator(staff) ||
    administeredOfficeIds(
      staff,
      req.server.services.offices.map(o => o.id),
    ).length === 0
  )
    throw new NotFound()
}

/** Staff and roles of the offices a person administers, and the audit log for data-protection checks. */
export const staffAdminRoutes: FastifyPluginAsync<{ lookups: StaffAdminLookups }> = async (app, { lookups }) => {
  app.addHook('onRequest', requireAdministrator)
  const allOfficeIds = () => app.services.offices.map(o => o.id)

  async function renderStaffPage(
    req: FastifyRequest,
    reply: FastifyReply,
    opts: { office?: string; form?: NewStaffForm; notice?: StaffNotice },
    status = 200,
  ) {
    const staff = staffOf(req)
    const officeIds = administeredOfficeIds(staff, allOfficeIds())
    // An office the person does not administer falls back to their first, as the inbox does.
    const officeId = opts.office && officeIds.includes(opts.office) ? opts.office : officeIds[0]!
    const members = await listOfficeStaff(app.db, officeId)
    // Every office's, whichever office is shown: a request should not wait unseen.
    const requests = await listRoleRequests(app.db, staff, allOfficeIds())
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      StaffAdminPage({
        ctx,
        officeId,
        members,
        requests,
        notice: opts.notice,
        form: opts.form,
        offices: app.services.offices.filter(o => officeIds.includes(o.id)),
        roles: grantableRoles(staff),
      }),
      status,
    )
  }

  app.get('/backoffice/admin', async (req, reply) => {
    const overview = await loadAdminOverview(app.db, lookups, staffOf(req), allOfficeIds())
    const ctx = await app.pageContext(req)
    return sendHtml(reply, AdminOverviewPage({ ctx, overview }))
  })

  app.get<{ Querystring: { office?: string; notice?: StaffNotice } }>(
    '/backoffice/admin/staff',
    { schema: { querystring: StaffListQuery } },
    async (req, reply) => renderStaffPage(req, reply, { office: req.query.office, notice: req.query.notice }),
  )

  app.post('/backoffice/admin/staff', async (req, reply) => {
    const { values } = await readFormInput(req)
    const password = Array.isArray(values.password) ? (values.password[0] ?? '') : (values.password ?? '')
    const input: NewStaff = {
      name: text(values.name),
      email: text(values.email),
      password,
      officeId: text(values.officeId),
      role: text(values.role),
    }
    const staff = staffOf(req)
    const errors = validateNewStaff(input, administeredOfficeIds(staff, allOfficeIds()), req.t.text, req.locale)
    let status = 400
    if (errors.length === 0 && isStaffRole(input.role)) {
      try {
        await createStaff(app.db, staff, allOfficeIds(), { ...input, role: input.role })
        return reply.redirect(
          `/backoffice/admin/staff?office=${encodeURIComponent(input.officeId)}&notice=created`,
          303,
        )
      } catch (error) {
        // Recover: a taken address is something to fix in the form, not an error page.
        if (!(error instanceof StaffEmailTaken)) throw error
        errors.push({ fieldId: 'email', message: req.t.text(error.messageKey) })
        status = 409
      }
    }
    // Everything typed comes back except the password.
    const form: NewStaffForm = {
      name: input.name,
      email: input.email,
      officeId: input.officeId,
      role: input.role,
      errors,
    }
    return renderStaffPage(req, reply, { office: input.officeId, form }, status)
  })

  app.post<{ Params: { staffId: string }; Body: { officeId: string; role: StaffRole } }>(
    '/backoffice/admin/staff/:staffId/roles',
    { schema: { params: StaffParams, body: RoleBody } },
    async (req, reply) => {
      const outcome = await grantRole(
        app.db,
        staffOf(req),
        allOfficeIds(),
        req.params.staffId,
        req.body.officeId,
        req.body.role,
      )
      const notice = outcome === 'requested' ? 'requested' : 'granted'
      return reply.redirect(
        `/backoffice/admin/staff?office=${encodeURIComponent(req.body.officeId)}&notice=${notice}`,
        303,
      )
    },
  )

  // Four eyes: a second admin decides a role an admin asked for themself.
  for (const [verb, outcome] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    app.post<{ Params: { requestId: string } }>(
      `/backoffice/admin/role-requests/:requestId/${verb}`,
      { schema: { params: RoleRequestParams } },
      async (req, reply) => {
        const { officeId } = await decideRoleRequest(
          app.db,
          staffOf(req),
          allOfficeIds(),
          req.params.requestId,
          outcome,
        )
        return reply.redirect(`/backoffice/admin/staff?office=${encodeURIComponent(officeId)}&notice=${outcome}`, 303)
      },
    )
  }

  app.post<{ Params: { staffId: string }; Body: { officeId: string; role: StaffRole } }>(
    '/backoffice/admin/staff/:staffId/roles/remove',
    { schema: { params: StaffParams, body: RoleBody } },
    async (req, reply) => {
      await revokeRole(app.db, staffOf(req), allOfficeIds(), req.params.staffId, req.body.officeId, req.body.role)
      return reply.redirect(
        `/backoffice/admin/staff?office=${encodeURIComponent(req.body.officeId)}&notice=revoked`,
        303,
      )
    },
  )

  app.post<{ Params: { staffId: string }; Body: { officeId: string } }>(
    '/backoffice/admin/staff/:staffId/second-factor/reset',
    { schema: { params: StaffParams, body: OfficeBody } },
    async (req, reply) => {
      await resetSecondFactor(app.db, staffOf(req), allOfficeIds(), req.params.staffId)
      return reply.redirect(
        `/backoffice/admin/staff?office=${encodeURIComponent(req.body.officeId)}&notice=factorReset`,
        303,
      )
    },
  )

  app.get<{ Querystring: AuditQuery }>(
    '/backoffice/admin/audit',
    { schema: { querystring: AuditQuerySchema } },
    async (req, reply) => {
      const page = await readAuditLog(app.db, lookups, staffOf(req), allOfficeIds(), req.query)
      const ctx = await app.pageContext(req)
      return sendHtml(reply, AuditLogPage({ ctx, page, query: req.query, offices: app.services.offices }))
    },
  )
}
