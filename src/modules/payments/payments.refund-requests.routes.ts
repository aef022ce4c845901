import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { sendHtml } from '../../platform/views/page-context.js'
import { readFormInput, formText } from '../../platform/http/form-input.js'
import { uuidParams } from '../../platform/http/ids.js'
import { staffOf } from '../staff/index.js'
import {
  approveRefundRequest,
  closeRefundRequest,
  listRefundRequestsToDecide,
  type MayDecide,
} from './payments.refund-requests.js'
import { REFUND_REASON_MAX } from './payments.refunds.js'
import { RefundRequestsPage, type RefundDecisionForm } from './views/refund-requests.js'

const RequestParams = uuidParams('requestId')
type RequestReq = FastifyRequest<{ Params: { requestId: string } }>

export interface RefundDecisionRoutesOptions {
  /** Where the list lives and its decisions go. */
  base: string
  /** Offices whose requests the person sees; null: every office. */
  officeIdsOf: (staff: StaffMember) => string[] | null
  mayDecide: (staff: StaffMember) => MayDecide
  /** The office whose admins find the person's look at the list in their audit log. */
  auditOfficeOf: (staff: StaffMember) => string | null
  linkPayments: boolean
}

/**
 * The second person's side of the four-eyes principle: the waiting refund requests and their approval, rejection or
 * withdrawal. Registered twice, inside the guard of each context that may decide: the office (casework roles) and
 * the treasury (every office).
 */
export const refundDecisionRoutes: FastifyPluginAsync<RefundDecisionRoutesOptions> = async (app, opts) => {
  async function renderList(req: FastifyRequest, reply: FastifyReply, form?: RefundDecisionForm, status = 200) {
    const staff = staffOf(req)
    const rows = await listRefundRequestsToDecide(app.db, staff, opts.officeIdsOf(staff), opts.auditOfficeOf(staff))
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      RefundRequestsPage({
        ctx,
        rows,
        actionBase: opts.base,
        staffId: staff.id,
        linkPayments: opts.linkPayments,
        form,
        officeName: officeId => app.services.office(officeId)?.name[req.locale] ?? officeId,
      }),
      status,
    )
  }

  app.get(opts.base, async (req, reply) => renderList(req, reply))

  app.post<{ Params: { requestId: string } }>(
    `${opts.base}/:requestId/approve`,
    { schema: { params: RequestParams } },
    async (req: RequestReq, reply) => {
      const staff = staffOf(req)
      const outcome = await approveRefundRequest(
        { db: app.db, provider: app.paymentProvider, baseUrl: app.config.baseUrl },
        staff,
        req.params.requestId,
        opts.mayDecide(staff),
      )
      if (outcome.status === 'failed') {
        const errors = [{ fieldId: 'main', message: req.t.text('payments.errors.refund.providerRefused') }]
        return renderList(req, reply, { requestId: req.params.requestId, errors, reason: '' }, 409)
      }
      return reply.redirect(opts.base, 303)
    },
  )

  app.post<{ Params: { requestId: string } }>(
    `${opts.base}/:requestId/reject`,
    { schema: { params: RequestParams } },
    async (req: RequestReq, reply) => {
      const staff = staffOf(req)
      const { values } = await readFormInput(req)
      const reason = formText(values, 'reason')
      const fieldId = `reason-${req.params.requestId}`
      const message = !reason
        ? req.t.text('payments.errors.rejectReasonMissing')
        : reason.length > REFUND_REASON_MAX
          ? req.t.text('payments.errors.tooLong', { max: REFUND_REASON_MAX })
          : null
      if (message)
        return renderList(req, reply, { requestId: req.params.requestId, errors: [{ fieldId, message }], reason }, 400)
      await closeRefundRequest(app.db, staff, req.params.requestId, opts.mayDecide(staff), 'reject', reason)
      return reply.redirect(opts.base, 303)
    },
  )

  app.post<{ Params: { requestId: string } }>(
    `${opts.base}/:requestId/withdraw`,
    { schema: { params: RequestParams } },
    async (req: RequestReq, reply) => {
      const staff = staffOf(req)
      const { paymentId } = await closeRefundRequest(
        app.db,
        staff,
        req.params.requestId,
        opts.mayDecide(staff),
        'withdraw',
        null,
      )
      return reply.redirect(opts.linkPayments ? `/backoffice/payments/${paymentId}/refund` : opts.base, 303)
    },
  )
}
