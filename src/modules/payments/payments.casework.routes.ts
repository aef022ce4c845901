import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { readFormInput, formText } from '../../platform/http/form-input.js'
import type { FieldError } from '../../platform/views/components.js'
import { formatMoney, todayInGermany } from '../../platform/i18n/i18n.js'
import { requireStaff, staffOf, staffOfficeIds } from '../staff/index.js'
import { canWorkOn, findCaseForStaff } from '../cases/index.js'
import { parseEuroAmount } from './payments.fees.js'
import { addDays, isIsoDay } from '../../platform/calendar/index.js'
import { cancelFeeNotice, DEFAULT_PAYABLE_WITHIN_DAYS, issueFeeNotice, proposeFeeNotice } from './payments.notices.js'
import { findPayment, listRefundRequestsOfPayment, listRefundsOfPayments } from './payments.queries.js'
import { refundableCents, startRefund, REFUND_REASON_MAX } from './payments.refunds.js'
import { refundDecisionRoutes } from './payments.refund-requests.routes.js'
import { PaymentNotFound, RefundNotPossible } from './payments.errors.js'
import {
  FeeNoticeFormPage,
  RefundFormPage,
  type FeeNoticeFormState,
  type RefundFormState,
} from './views/fee-notice-pages.js'
import { uuidParams } from '../../platform/http/ids.js'

const CaseParams = uuidParams('caseId')
const PaymentParams = uuidParams('paymentId')
const NoticeParams = uuidParams('noticeId')
const LABEL_MAX = 200

/** The office's side of payments: issuing a fee notice on a case, and refunds. Staff of the case's office only. */
export const paymentCaseworkRoutes: FastifyPluginAsync = async app => {
  app.addHook('preHandler', requireStaff)

  async function renderNoticeForm(
    req: FastifyRequest<{ Params: { caseId: string } }>,
    reply: FastifyReply,
    form: FeeNoticeFormState,
    status = 200,
  ) {
    const c = await findCaseForStaff(app.db, staffOf(req), req.params.caseId)
    const definition = await app.services.version(c.serviceId, c.serviceVersion)
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      FeeNoticeFormPage({
        ctx,
        caseId: c.id,
        caseReference: c.reference,
        serviceTitle: definition.title[req.locale],
        lines: proposeFeeNotice(definition, c.answers),
        form,
      }),
      status,
    )
  }

  app.get<{ Params: { caseId: string } }>(
    '/backoffice/cases/:caseId/fee-notice',
    { schema: { params: CaseParams } },
    async (req, reply) =>
      renderNoticeForm(req, reply, {
        errors: [],
        extraLabel: '',
        extraAmount: '',
        dueOn: addDays(todayInGermany(), DEFAULT_PAYABLE_WITHIN_DAYS),
      }),
  )

  app.post<{ Params: { caseId: string } }>(
    '/backoffice/cases/:caseId/fee-notice',
    { schema: { params: CaseParams } },
    async (req, reply) => {
      const staff = staffOf(req)
      const c = await findCaseForStaff(app.db, staff, req.params.caseId)
      const definition = await app.services.version(c.serviceId, c.serviceVersion)
      const { values } = await readFormInput(req)
      const form: FeeNoticeFormState = {
        errors: [],
        extraLabel: formText(values, 'extraLabel'),
        extraAmount: formText(values, 'extraAmount'),
        dueOn: formText(values, 'dueOn'),
      }
      const errors: FieldError[] = form.errors
      const extraCents = form.extraAmount ? parseEuroAmount(form.extraAmount) : 0
      if (extraCents === null)
        errors.push({ fieldId: 'extraAmount', message: req.t.text('payments.errors.amountFormat') })
      if (form.extraAmount && !form.extraLabel)
        errors.push({ fieldId: 'extraLabel', message: req.t.text('payments.errors.extraLabelMissing') })
      if (form.extraLabel.length > LABEL_MAX)
        errors.push({ fieldId: 'extraLabel', message: req.t.text('payments.errors.tooLong', { max: LABEL_MAX }) })
      if (form.extraLabel && !form.extraAmount)
        errors.push({ fieldId: 'extraAmount', message: req.t.text('payments.errors.amountMissing') })
      const today = todayInGermany()
      if (!isIsoDay(form.dueOn)) errors.push({ fieldId: 'dueOn', message: req.t.text('payments.errors.dueOnFormat') })
      else if (form.dueOn < today || form.dueOn > addDays(today, 365))
        errors.push({ fieldId: 'dueOn', message: req.t.text('payments.errors.dueOnRange') })
      const lines = proposeFeeNotice(definition, c.answers)
      if (extraCents && form.extraLabel)
        lines.push({
          id: 'extra',
          label: { de: form.extraLabel, en: form.extraLabel },
          quantity: 1,
          unitCents: extraCents,
          totalCents: extraCents,
        })
      if (errors.length === 0 && lines.reduce((s, l) => s + l.totalCents, 0) <= 0)
        errors.push({ fieldId: 'extraAmount', message: req.t.text('payments.errors.nothingToCharge') })
      if (errors.length) return renderNoticeForm(req, reply, form, 400)
      await issueFeeNotice(
        { db: app.db, services: app.services, config: app.config },
        { caseRecord: c, staff, lines, dueOn: form.dueOn },
      )
      return reply.redirect(`/backoffice/cases/${c.id}`, 303)
    },
  )

  app.post<{ Params: { noticeId: string } }>(
    '/backoffice/fee-notices/:noticeId/cancel',
    { schema: { params: NoticeParams } },
    async (req, reply) => {
      const staff = staffOf(req)
      const notice = await cancelFeeNotice(
        { db: app.db, services: app.services, config: app.config },
        staff,
        req.params.noticeId,
        caseId => findCaseForStaff(app.db, staff, caseId),
      )
      return reply.redirect(`/backoffice/cases/${notice.caseId}`, 303)
    },
  )

  /** A payment of a case the staff member works on; anything else answers like a missing payment. */
  async function paymentOfOwnCase(req: FastifyRequest<{ Params: { paymentId: string } }>) {
    const payment = await findPayment(app.db, req.params.paymentId)
    if (!payment?.caseId) throw new PaymentNotFound()
    const c = await findCaseForStaff(app.db, staffOf(req), payment.caseId).catch(() => {
      throw new PaymentNotFound()
    })
    return { payment, c }
  }

  async function renderRefundForm(
    req: FastifyRequest<{ Params: { paymentId: string } }>,
    reply: FastifyReply,
    form: RefundFormState,
    status = 200,
  ) {
    const { payment, c } = await paymentOfOwnCase(req)
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      RefundFormPage({
        ctx,
        caseId: c.id,
        caseReference: c.reference,
        payment,
        availableCents: await refundableCents(app.db, payment),
        refunds: await listRefundsOfPayments(app.db, [payment.id]),
        requests: await listRefundRequestsOfPayment(app.db, payment.id),
        approvalAboveCents: app.config.refundApprovalAboveCents,
        form,
      }),
      status,
    )
  }

  app.get<{ Params: { paymentId: string } }>(
    '/backoffice/payments/:paymentId/refund',
    { schema: { params: PaymentParams } },
    async (req, reply) => {
      const { payment } = await paymentOfOwnCase(req)
      const available = await refundableCents(app.db, payment)
      return renderRefundForm(req, reply, {
        errors: [],
        amount: available ? formatMoney(available, 'de').replace(/\s*€/, '') : '',
        reason: '',
      })
    },
  )

  app.post<{ Params: { paymentId: string } }>(
    '/backoffice/payments/:paymentId/refund',
    { schema: { params: PaymentParams } },
    async (req, reply) => {
      const { payment, c } = await paymentOfOwnCase(req)
      const { values } = await readFormInput(req)
      const form: RefundFormState = {
        errors: [],
        amount: formText(values, 'amount'),
        reason: formText(values, 'reason'),
      }
      const cents = parseEuroAmount(form.amount)
      if (cents === null || cents === 0)
        form.errors.push({ fieldId: 'amount', message: req.t.text('payments.errors.amountFormat') })
      if (!form.reason) form.errors.push({ fieldId: 'reason', message: req.t.text('payments.errors.reasonMissing') })
      else if (form.reason.length > REFUND_REASON_MAX)
        form.errors.push({
          fieldId: 'reason',
          message: req.t.text('payments.errors.tooLong', { max: REFUND_REASON_MAX }),
        })
      if (form.errors.length) return renderRefundForm(req, reply, form, 400)
      try {
        const started = await startRefund(
          {
            db: app.db,
            provider: app.paymentProvider,
            baseUrl: app.config.baseUrl,
            approvalAboveCents: app.config.refundApprovalAboveCents,
          },
          staffOf(req),
          payment.id,
          cents!,
          form.reason,
        )
        // Above the threshold a second person decides: back to the payment, where the request shows as waiting.
        if (started.kind === 'awaitingApproval') return reply.redirect(`/backoffice/payments/${payment.id}/refund`, 303)
        if (started.outcome.status === 'failed') {
          form.errors.push({ fieldId: 'amount', message: req.t.text('payments.errors.refund.providerRefused') })
          return renderRefundForm(req, reply, form, 409)
        }
      } catch (error) {
        if (!(error instanceof RefundNotPossible)) throw error
        req.log.warn({ paymentId: payment.id, reason: error.reason }, 'refund refused')
        form.errors.push({
          fieldId: 'amount',
          message: req.t.text(error.messageKey, { available: formatMoney(Number(error.params.available), req.locale) }),
        })
        return renderRefundForm(req, reply, form, 409)
      }
      return reply.redirect(`/backoffice/cases/${c.id}`, 303)
    },
  )

  // Four-eyes principle: another caseworker or team lead of the payment's office decides on a large refund.
  await app.register(refundDecisionRoutes, {
    base: '/backoffice/refund-requests',
    officeIdsOf: staff => staffOfficeIds(staff).filter(officeId => canWorkOn(staff, officeId)),
    mayDecide: staff => officeId => canWorkOn(staff, officeId),
    auditOfficeOf: staff => staffOfficeIds(staff).find(officeId => canWorkOn(staff, officeId)) ?? null,
    linkPayments: true,
  })
}
