import type { FastifyPluginAsync } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { readFormInput } from '../../platform/http/form-input.js'
import { NotFound } from '../../platform/http/errors.js'
import { processNotification } from './payments.service.js'
import {
  completeSandboxPayment,
  findSandboxPayment,
  SANDBOX_METHODS,
  SANDBOX_SIGNATURE_HEADER,
  type SandboxMethod,
} from './providers/sandbox.js'
import { SandboxPaymentPage } from './views/payment-pages.js'
import { uuidParams } from '../../platform/http/ids.js'

const SandboxParams = uuidParams('providerPaymentId')
const outcomes = { pay: 'paid', fail: 'failed', cancel: 'cancelled' } as const

const pathOf = (url: string) => {
  const u = new URL(url, 'http://localhost')
  return `${u.pathname}${u.search}`
}

export interface PaymentNotifyOptions {
  /** Called once a notification books a payment of a draft as paid: the draft becomes a case right away. */
  onDraftPaid: (draftId: string) => Promise<unknown>
}

/**
 * Provider notifications, server to server: registered in the machine context (no session, no CSRF token); the
 * signature over the exact bytes received is the proof.
 */
export const paymentNotifyRoutes: FastifyPluginAsync<PaymentNotifyOptions> = async (app, { onDraftPaid }) => {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body))
  // One URL per provider (registered there as <BASE_URL>/payments/notify/<id>); only the configured one answers.
  app.post<{ Params: { provider: string } }>('/payments/notify/:provider', async (req, reply) => {
    if (req.params.provider !== app.paymentProvider.id) throw new NotFound()
    const rawBody = typeof req.body === 'string' ? req.body : ''
    const result = await processNotification(app.db, app.paymentProvider, req.headers, rawBody)
    req.log.info(
      { paymentId: result.paymentId, outcome: result.outcome, status: result.status },
      'payment notification',
    )
    if (result.draftToSubmit) {
      // The payment is booked either way; if the case cannot be made now, the payer's return makes it.
      await onDraftPaid(result.draftToSubmit).catch((error: unknown) =>
        req.log.error({ err: error, paymentId: result.paymentId }, 'submitting the paid draft failed'),
      )
    }
    return reply.code(200).send({ status: result.status, outcome: result.outcome })
  })
}

/** The sandbox provider's hosted page (a page of the web context); registered only with PAYMENT_PROVIDER=sandbox. */
export const paymentRoutes: FastifyPluginAsync = async app => {
  app.get<{ Params: { providerPaymentId: string } }>(
    '/payments/sandbox/:providerPaymentId',
    { schema: { params: SandboxParams } },
    async (req, reply) => {
      const payment = await findSandboxPayment(app.db, req.params.providerPaymentId)
      if (!payment) throw new NotFound()
      const ctx = await app.pageContext(req)
      return sendHtml(reply, SandboxPaymentPage({ ctx, payment }))
    },
  )

  app.post<{ Params: { providerPaymentId: string } }>(
    '/payments/sandbox/:providerPaymentId',
    { schema: { params: SandboxParams } },
    async (req, reply) => {
      const payment = await findSandboxPayment(app.db, req.params.providerPaymentId)
      if (!payment) throw new NotFound()
      const { values } = await readFormInput(req)
      const action =
        typeof values.action === 'string' && values.action in outcomes
          ? (values.action as keyof typeof outcomes)
          : 'cancel'
      const method: SandboxMethod = SANDBOX_METHODS.find(m => m === values.method) ?? 'card'
      const completed = await completeSandboxPayment(
        app.db,
        app.config.paymentSandboxSecret,
        payment.id,
        outcomes[action],
        method,
      )
      if (completed) {
        // The sandbox is its own provider: it delivers its signed notification through our real notify route.
        const res = await app.inject({
          method: 'POST',
          url: pathOf(completed.notifyUrl),
          payload: completed.body,
          headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: completed.signature },
        })
        if (res.statusCode !== 200)
          req.log.warn({ status: res.statusCode, body: res.body.slice(0, 200) }, 'sandbox notification refused')
      }
      return reply.redirect(pathOf(payment.returnUrl), 303)
    },
  )
}
