import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { readFormInput, formText } from '../../platform/http/form-input.js'
import {
  admitAnonymousSubmission,
  POW_FIELD,
  ProofOfWorkRefused,
  UnverifiedLimitReached,
} from '../../platform/http/proof-of-work.js'
import { translator } from '../../platform/i18n/i18n.js'
import { queueMail } from '../../platform/mail/mail.js'
import { sendHtml } from '../../platform/views/page-context.js'
import type { FieldError } from '../../platform/views/components.js'
import { cityConfigOf } from './legal.city.js'
import { AccessibilityPage, type FeedbackFormState, ImprintPage, PrivacyPage } from './views/legal-pages.js'

const MESSAGE_MAX = 5000
const LINE_MAX = 300
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/

/** The legal pages every public body's site must have, filled from the city file (CITY_CONFIG_FILE). */
export const legalRoutes: FastifyPluginAsync = async app => {
  const city = () => cityConfigOf(app.config.cityConfigFile)

  const renderAccessibility = async (req: FastifyRequest, reply: FastifyReply, form: FeedbackFormState, status = 200) =>
    sendHtml(reply, AccessibilityPage({ ctx: await app.pageContext(req), city: city(), form }), status)

  app.get('/impressum', async (req, reply) =>
    sendHtml(reply, ImprintPage({ ctx: await app.pageContext(req), city: city() })),
  )
  app.get('/datenschutz', async (req, reply) =>
    sendHtml(reply, PrivacyPage({ ctx: await app.pageContext(req), city: city() })),
  )
  app.get('/barrierefreiheit', async (req, reply) => renderAccessibility(req, reply, { values: {}, errors: [] }))
  app.get('/barrierefreiheit/gesendet', async (req, reply) =>
    renderAccessibility(req, reply, { values: {}, errors: [], sent: true }),
  )

  // § 12b Abs. 2 Nr. 3 BGG: a feedback route; the message goes to the office the statement names, by mail.
  app.post('/barrierefreiheit', async (req, reply) => {
    const { values } = await readFormInput(req)
    const typed = {
      message: formText(values, 'message'),
      page: formText(values, 'page'),
      email: formText(values, 'email'),
    }
    const errors: FieldError[] = []
    if (!typed.message) errors.push({ fieldId: 'message', message: req.t.text('legal.feedback.errors.messageMissing') })
    else if (typed.message.length > MESSAGE_MAX)
      errors.push({ fieldId: 'message', message: req.t.text('legal.feedback.errors.tooLong', { max: MESSAGE_MAX }) })
    if (typed.page.length > LINE_MAX)
      errors.push({ fieldId: 'page', message: req.t.text('legal.feedback.errors.tooLong', { max: LINE_MAX }) })
    if (typed.email && (typed.email.length > LINE_MAX || !EMAIL.test(typed.email)))
      errors.push({ fieldId: 'email', message: req.t.text('legal.feedback.errors.email') })
    if (errors.length) return renderAccessibility(req, reply, { values: typed, errors }, 400)
    // Anyone can send this form to the city's mailbox: anonymous senders solve a proof of work, as on /kontakt.
    if (!req.session?.account && !req.session?.staff) {
      try {
        await admitAnonymousSubmission(app.db, app.config, { solution: values[POW_FIELD], clientIp: req.ip }, app.clock)
      } catch (error) {
        if (!(error instanceof ProofOfWorkRefused || error instanceof UnverifiedLimitReached)) throw error
        const refusal = { fieldId: 'message', message: req.t.text(error.messageKey, error.params) }
        return renderAccessibility(req, reply, { values: typed, errors: [refusal] }, error.statusCode)
      }
    }
    // The office reads German, whatever language the visitor wrote in.
    const office = translator('de')
    const none = office.text('legal.feedback.mail.none')
    await queueMail(app.db, {
      to: city().accessibility.feedback.email,
      subject: office.text('legal.feedback.mail.subject'),
      text: office.text('legal.feedback.mail.body', {
        page: typed.page || none,
        email: typed.email || none,
        message: typed.message,
      }),
    })
    req.log.info('accessibility feedback queued for the responsible office')
    return reply.redirect('/barrierefreiheit/gesendet', 303)
  })
}
