import crypto from 'node:crypto'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { readFormInput } from '../../platform/http/form-input.js'
import { NotFound } from '../../platform/http/errors.js'
import { admitAnonymousSubmission, POW_FIELD, UnverifiedLimitReached } from '../../platform/http/proof-of-work.js'
import { uuidParams } from '../../platform/http/ids.js'
import type { FieldError } from '../../platform/views/components.js'
import { findCase } from '../cases/index.js'
import type { AnswerError } from '../forms/index.js'
import { ReportRateLimited } from '../reports/index.js'
import { contactPage, contactService, readContactAnswers, submitContactRequest } from './contact.submit.js'
import { ContactFormPage, ContactThanksPage, type ContactFormState } from './views/contact-pages.js'

const ThanksQuery = {
  type: 'object',
  properties: { kanal: { type: 'string', enum: ['postbox', 'email', 'none'] }, sig: { type: 'string', maxLength: 64 } },
} as const

/**
 * The confirmation page belongs to the browser that sent the enquiry: its link carries a MAC of the case id under the
 * session, so a case id alone (seen in a back-office URL) shows nothing.
 */
function confirmationSig(sessionIdHash: string, caseId: string): string {
  return crypto.createHmac('sha256', sessionIdHash).update(`contact:${caseId}`).digest('hex').slice(0, 32)
}

/** The public contact form (/kontakt): a question in one's own words, routed to an office by the pre-sorting model. */
export const contactRoutes: FastifyPluginAsync = async app => {
  const translateErrors = (req: FastifyRequest, errors: AnswerError[]): FieldError[] => {
    const page = contactPage(contactService(app.services))
    return errors.map(e => {
      const field = page.fields.find(f => f.id === e.fieldId)
      const label = field?.label[req.locale] ?? e.fieldId
      const message =
        e.key === 'forms.error.patternCustom' && field?.patternMessage
          ? field.patternMessage[req.locale]
          : req.t.text(e.key, { ...e.params, label, part: '' })
      return { fieldId: e.fieldId, anchor: e.anchor, message }
    })
  }

  async function renderForm(req: FastifyRequest, reply: FastifyReply, form: ContactFormState, status = 200) {
    const definition = contactService(app.services)
    const ctx = await app.pageContext(req)
    return sendHtml(reply, ContactFormPage({ ctx, definition, page: contactPage(definition), form }), status)
  }

  app.get('/kontakt', async (req, reply) => renderForm(req, reply, { values: {}, errors: [] }))

  app.post('/kontakt', async (req, reply) => {
    const definition = contactService(app.services)
    const { values } = await readFormInput(req)
    // Kept as typed, for the form shown again; the answers are read and checked by the definition's fields.
    const typed = Object.fromEntries(
      contactPage(definition).fields.map(f => {
        const raw = values[f.id]
        return [f.id, (Array.isArray(raw) ? raw[0] : raw) ?? '']
      }),
    )
    const accountId = req.session?.account?.id ?? null
    const { answers, errors } = readContactAnswers(definition, values, !!accountId)
    if (errors.length) return renderForm(req, reply, { values: typed, errors: translateErrors(req, errors) }, 400)
    try {
      if (!accountId)
        await admitAnonymousSubmission(app.db, app.config, { solution: values[POW_FIELD], clientIp: req.ip }, app.clock)
      const submitted = await submitContactRequest(
        { db: app.db, services: app.services, config: app.config, routing: app.contactRouting },
        { answers, accountId, locale: req.locale, clientIp: req.ip },
      )
      if (!submitted.ok)
        return renderForm(req, reply, { values: typed, errors: translateErrors(req, submitted.errors) }, 400)
      const sig = confirmationSig(req.session!.idHash, submitted.caseId)
      return reply.redirect(`/kontakt/gesendet/${submitted.caseId}?kanal=${submitted.channel}&sig=${sig}`, 303)
    } catch (error) {
      if (error instanceof ReportRateLimited || error instanceof UnverifiedLimitReached)
        return renderForm(req, reply, { values: typed, errors: [], rateLimitedMinutes: error.minutes }, 429)
      throw error
    }
  })

  app.get<{ Params: { caseId: string }; Querystring: { kanal?: 'postbox' | 'email' | 'none'; sig?: string } }>(
    '/kontakt/gesendet/:caseId',
    {
      schema: { params: uuidParams('caseId'), querystring: ThanksQuery },
    },
    async (req, reply) => {
      const expected = req.session ? Buffer.from(confirmationSig(req.session.idHash, req.params.caseId)) : null
      const given = Buffer.from(req.query.sig ?? '')
      if (!expected || given.length !== expected.length || !crypto.timingSafeEqual(given, expected))
        throw new NotFound()
      const found = await findCase(app.db, req.params.caseId)
      if (!found) throw new NotFound()
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        ContactThanksPage({
          ctx,
          reference: found.reference,
          officeName: app.services.office(found.officeId)?.name[req.locale] ?? found.officeId,
          channel: req.query.kanal ?? 'none',
        }),
      )
    },
  )
}
