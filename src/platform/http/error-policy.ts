import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../views/page-context.js'
import { ErrorPage } from '../views/error-page.js'
import type { Translate } from '../i18n/i18n.js'
import { DomainError } from './errors.js'

/*
 * The two error policies. Each context sets its own (src/app.ts): the web context answers with a page in the
 * person's language, the machine context with `{ code, message }` JSON. Status and message are the same in both.
 */

/**
 * Input the parsers or the database refuse as malformed: a broken multipart body (busboy throws
 * without a status), or text PostgreSQL cannot store (SQLSTATE class 22, e.g. a NUL byte).
 */
function isMalformedInput(error: FastifyError & { code?: string }): boolean {
  if (!error.statusCode && /multipart|boundary/i.test(error.message)) return true
  return typeof error.code === 'string' && /^22[0-9A-Z]{3}$/.test(error.code)
}

/** The database went away mid-request (restart, failover, network): nothing was committed, a retry may succeed. */
function isDatabaseUnavailable(error: FastifyError & { code?: string }): boolean {
  if (typeof error.code === 'string' && /^(08\d{3}|57P0[123]|ECONNREFUSED|ECONNRESET|EPIPE)$/.test(error.code))
    return true
  return /^Connection terminated|^Client has encountered a connection error/.test(error.message)
}

interface Refusal {
  status: number
  code: string
  message: string
}

/** Status, code and translated message of an error; logs it (5xx as errors, refusals as info). */
function refusalOf(error: FastifyError, req: FastifyRequest, reply: FastifyReply): Refusal {
  const unavailable = isDatabaseUnavailable(error)
  if (unavailable) reply.header('retry-after', '5')
  const status =
    error instanceof DomainError
      ? error.statusCode
      : error.validation || isMalformedInput(error)
        ? 400
        : unavailable
          ? 503
          : error.statusCode && error.statusCode >= 400 && error.statusCode < 500
            ? error.statusCode
            : 500
  if (status >= 500) req.log.error({ err: error }, 'request failed')
  else req.log.info({ code: error.code, message: error.message }, 'request refused')
  const code = error instanceof DomainError ? error.messageKey : (error.code ?? 'error')
  return { status, code, message: messageOf(error, status, req.t) }
}

function messageOf(error: FastifyError, status: number, t: Translate): string {
  if (error instanceof DomainError) return t.text(error.messageKey, error.params)
  if (error.validation)
    return t.text('errors.invalidRequest', {
      detail:
        `${error.validationContext ?? ''}${error.validation[0]?.instancePath ?? ''} ${error.validation[0]?.message ?? ''}`.trim(),
    })
  if (status === 413) return t.text('errors.tooLarge')
  if (status === 415) return t.text('errors.unsupportedMediaType')
  if (status === 503) return t.text('errors.unavailable')
  return status < 500 ? t.text('errors.badRequest') : t.text('errors.internal')
}

/** The web context's error handler: an error page in the person's language (plain text if even that fails). */
export async function answerWithPage(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const { status, message } = refusalOf(error, req, reply)
  const ctx = await req.server.pageContext(req).catch(() => null)
  if (!ctx) return reply.code(status).type('text/plain').send(message)
  return sendHtml(reply, ErrorPage({ ctx, status, message }), status)
}

/** The machine context's error handler: `{ code, message }`, the message in the language of the cookie (or German). */
export async function answerWithJson(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const { status, code, message } = refusalOf(error, req, reply)
  return reply.code(status).send({ code, message })
}

/** The web context's answer to an unknown URL. */
export async function notFoundPage(req: FastifyRequest, reply: FastifyReply) {
  const ctx = await req.server.pageContext(req)
  return sendHtml(reply, ErrorPage({ ctx, status: 404, message: req.t.text('errors.notFound') }), 404)
}

/** The API's answer to an unknown URL under /api/. */
export async function notFoundJson(req: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send({ code: 'errors.notFound', message: req.t.text('errors.notFound') })
}
