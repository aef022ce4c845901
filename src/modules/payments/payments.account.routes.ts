import type { FastifyPluginAsync } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { audit } from '../../platform/audit/audit.js'
import { accountOf, requireAccount } from '../accounts/index.js'
import { findCaseOfAccount } from '../cases/index.js'
import { FeeNoticeNotFound } from './payments.errors.js'
import { findFeeNoticeOfAccount, payFeeNotice } from './payments.notices.js'
import { listPaymentsOfFeeNotice } from './payments.queries.js'
import { FeeNoticePage } from './views/fee-notice-pages.js'
import { uuidParams } from '../../platform/http/ids.js'

const NoticeParams = uuidParams('noticeId')

/** The applicant's side of fee notices: read one, download it, pay it online. */
export const paymentAccountRoutes: FastifyPluginAsync = async app => {
  app.addHook('preHandler', requireAccount)

  // Also the provider's return page: the state shown is what the verified notification booked, never the query string.
  app.get<{ Params: { noticeId: string } }>(
    '/account/fee-notices/:noticeId',
    { schema: { params: NoticeParams } },
    async (req, reply) => {
      const account = accountOf(req)
      const notice = await findFeeNoticeOfAccount(app.db, account.id, req.params.noticeId)
      const record = await findCaseOfAccount(app.db, account.id, notice.caseId)
      if (!record) throw new FeeNoticeNotFound()
      await audit(app.db, {
        actor: { accountId: account.id },
        action: 'fee_notice.read',
        subjectType: 'fee_notice',
        subjectId: notice.id,
        officeId: notice.officeId,
      })
      const definition = await app.services.version(record.serviceId, record.serviceVersion)
      const [latestPayment] = await listPaymentsOfFeeNotice(app.db, notice.id)
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        FeeNoticePage({
          ctx,
          notice,
          serviceTitle: definition.title[req.locale],
          caseReference: record.reference,
          caseId: record.id,
          latestPayment: latestPayment ?? null,
        }),
      )
    },
  )

  app.post<{ Params: { noticeId: string } }>(
    '/account/fee-notices/:noticeId/pay',
    { schema: { params: NoticeParams } },
    async (req, reply) => {
      const account = accountOf(req)
      const noticeId = req.params.noticeId
      const step = await payFeeNotice(app.db, app.paymentProvider, app.config, account.id, noticeId, number =>
        req.t.text('payments.notice.description', { number }),
      ).catch((error: unknown) => {
        if (error instanceof FeeNoticeNotFound)
          req.log.warn({ noticeId, accountId: account.id }, 'fee notice payment refused: not the addressee')
        throw error
      })
      return reply.redirect(step.kind === 'redirect' ? step.url : `/account/fee-notices/${noticeId}`, 303)
    },
  )
}
