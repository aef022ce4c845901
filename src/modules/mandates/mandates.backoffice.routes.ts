import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import { contentDisposition } from '../../platform/files/files.js'
import { uuidParams } from '../../platform/http/ids.js'
import { Forbidden } from '../../platform/http/errors.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import type { FieldError } from '../../platform/views/components.js'
import { accountProfileFor } from '../accounts/index.js'
import { requireStaff, staffOf } from '../staff/index.js'
import { MandateNotFound } from './mandates.errors.js'
import {
  findMandate,
  findProofFile,
  listActiveMandatesOfOffice,
  listPendingMandates,
  type MandateRow,
} from './mandates.queries.js'
import { decideMandate, personName, principalNameOf, readProof, REASON_MAX, revokeMandate } from './mandates.service.js'
import { OfficeMandatePage, OfficeMandatesPage, type OfficeMandateView, type OfficeNotice } from './views/backoffice.js'

const MandateParams = uuidParams('mandateId')
const NoticeQuery = {
  type: 'object',
  properties: { notice: { type: 'string', enum: ['approved', 'rejected', 'revoked'] } },
} as const

/** Only the checking office's caseworkers and team leads see mandates and their proofs. */
export function checksMandates(staff: StaffMember, officeId: string): boolean {
  return staff.roles.some(r => r.officeId === officeId && (r.role === 'caseworker' || r.role === 'team_lead'))
}

/** The checking office's side: pending mandates, the proof, approve or reject once, and revoke. */
export const mandateBackofficeRoutes: FastifyPluginAsync<{ officeId: string }> = async (app, { officeId }) => {
  app.addHook('preHandler', requireStaff)
  app.addHook('preHandler', async req => {
    const staff = req.session?.staff
    if (staff && !checksMandates(staff, officeId)) throw new Forbidden('mandates.errors.notTheOffice')
  })

  async function viewOf(m: MandateRow, withProof: boolean): Promise<OfficeMandateView> {
    const agent = m.agentAccountId ? personName(await accountProfileFor(app.db, m.agentAccountId)) : '–'
    const proof = withProof && m.proofFileId ? await findProofFile(app.db, m.proofFileId) : undefined
    return {
      id: m.id,
      kind: m.kind,
      status: m.status,
      principalName: principalNameOf(m),
      principalBirthDate: m.principalBirthDate,
      agentName: agent,
      rejectionReason: m.rejectionReason,
      createdAt: m.createdAt,
      proofFilename: proof?.filename ?? null,
    }
  }

  async function officeMandate(mandateId: string): Promise<MandateRow> {
    const mandate = await findMandate(app.db, mandateId)
    if (!mandate || mandate.officeId !== officeId) throw new MandateNotFound()
    return mandate
  }

  app.get<{ Querystring: { notice?: OfficeNotice } }>(
    '/backoffice/mandates',
    { schema: { querystring: NoticeQuery } },
    async (req, reply) => {
      const [pending, active] = await Promise.all([
        listPendingMandates(app.db, officeId),
        listActiveMandatesOfOffice(app.db, officeId),
      ])
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        OfficeMandatesPage({
          ctx,
          pending: await Promise.all(pending.map(m => viewOf(m, false))),
          active: await Promise.all(active.map(m => viewOf(m, false))),
          notice: req.query.notice,
        }),
      )
    },
  )

  async function renderMandate(
    req: FastifyRequest<{ Params: { mandateId: string } }>,
    reply: FastifyReply,
    form: { reason: string; errors: FieldError[] },
    status = 200,
  ) {
    const mandate = await officeMandate(req.params.mandateId)
    const ctx = await app.pageContext(req)
    return sendHtml(reply, OfficeMandatePage({ ctx, mandate: await viewOf(mandate, true), ...form }), status)
  }

  app.get<{ Params: { mandateId: string } }>(
    '/backoffice/mandates/:mandateId',
    { schema: { params: MandateParams } },
    async (req, reply) => renderMandate(req, reply, { reason: '', errors: [] }),
  )

  app.get<{ Params: { mandateId: string } }>(
    '/backoffice/mandates/:mandateId/proof',
    { schema: { params: MandateParams } },
    async (req, reply) => {
      const file = await readProof(app.db, staffOf(req), req.params.mandateId, officeId)
      return reply
        .code(200)
        .type(file.mediaType)
        .header('content-disposition', contentDisposition(file.filename))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(Buffer.from(file.content))
    },
  )

  app.post<{ Params: { mandateId: string } }>(
    '/backoffice/mandates/:mandateId/approve',
    { schema: { params: MandateParams } },
    async (req, reply) => {
      await decideMandate(app.db, staffOf(req), req.params.mandateId, officeId, { approve: true }, app.clock.now())
      return reply.redirect('/backoffice/mandates?notice=approved', 303)
    },
  )

  app.post<{ Params: { mandateId: string } }>(
    '/backoffice/mandates/:mandateId/reject',
    { schema: { params: MandateParams } },
    async (req, reply) => {
      const input = await readFormInput(req)
      const reason = formText(input.values, 'reason')
      const errors: FieldError[] = []
      if (!reason) errors.push({ fieldId: 'reason', message: req.t.text('mandates.errors.reasonMissing') })
      else if (reason.length > REASON_MAX)
        errors.push({ fieldId: 'reason', message: req.t.text('mandates.errors.tooLong', { max: REASON_MAX }) })
      if (errors.length) return renderMandate(req, reply, { reason: reason.slice(0, REASON_MAX * 2), errors }, 400)
      await decideMandate(
        app.db,
        staffOf(req),
        req.params.mandateId,
        officeId,
        { approve: false, reason },
        app.clock.now(),
      )
      return reply.redirect('/backoffice/mandates?notice=rejected', 303)
    },
  )

  app.post<{ Params: { mandateId: string } }>(
    '/backoffice/mandates/:mandateId/revoke',
    { schema: { params: MandateParams } },
    async (req, reply) => {
      const staff = staffOf(req)
      await revokeMandate(
        app.db,
        { staffId: staff.id },
        req.params.mandateId,
        m => (m.officeId === officeId ? 'office' : undefined),
        app.clock.now(),
      )
      return reply.redirect('/backoffice/mandates?notice=revoked', 303)
    },
  )
}
