import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { BadRequest, Forbidden, NotFound } from '../../platform/http/errors.js'
import { readFormInput } from '../../platform/http/form-input.js'
import { admitAnonymousSubmission, POW_FIELD } from '../../platform/http/proof-of-work.js'
import { checkUpload, storeFile } from '../../platform/files/files.js'
import { isServiceFor, ServicePage, type Page, type ServiceDefinition } from '../catalogue/index.js'
import { prefilledFieldIds, pruneHiddenAnswers, visibleFields, visiblePages, type Answers } from '../forms/index.js'
import { calculateFees, findDraftPayment, isPaymentDueOnSubmission, PaymentWaitingPage } from '../payments/index.js'
import { payForDraft } from './applications.pay.js'
import { readPageInput, validateAllPages, validatePage, type AnswerError } from '../forms/index.js'
import { todayInGermany } from '../../platform/i18n/i18n.js'
import { findOwnDraft, saveDraftAnswers, startDraft, type Draft } from './applications.drafts.js'
import { findSubmittedReference, submitDraft, type SubmitResult } from './applications.submit.js'
import { runPrefill } from './applications.prefill.js'
import { describeAnswerErrors } from './applications.messages.js'
import { CheckAnswersPage, ConfirmationPage, FormPageView, SavedPage } from './views/application-pages.js'
import { uuidParams } from '../../platform/http/ids.js'

const DraftParams = uuidParams('draftId')
const PageParams = {
  type: 'object',
  properties: { draftId: { type: 'string', format: 'uuid' }, pageId: { type: 'string', maxLength: 80 } },
  required: ['draftId', 'pageId'],
} as const
const ReturnQuery = { type: 'object', properties: { return: { type: 'string', enum: ['check'] } } } as const

export const applicationRoutes: FastifyPluginAsync = async app => {
  async function loadDraft(req: FastifyRequest<{ Params: { draftId: string } }>) {
    const draft = await findOwnDraft(app.db, req.params.draftId, req.session)
    const definition = await app.services.version(draft.serviceId, draft.serviceVersion)
    return { draft, definition }
  }

  function pageOf(
    definition: ServiceDefinition,
    answers: Answers,
    pageId: string,
  ): { page: Page; index: number; pages: Page[] } {
    const pages = visiblePages(definition, answers)
    const index = pages.findIndex(p => p.id === pageId)
    if (index < 0) throw new NotFound('applications.errors.pageNotFound')
    return { page: pages[index]!, index, pages }
  }

  /**
   * A service for citizens only refuses a business account, and one for businesses a citizen's: the service page
   * then says why and offers to switch accounts. Staff at the counter apply on someone's behalf and are not refused.
   */
  function isWrongAudience(req: FastifyRequest, definition: ServiceDefinition): boolean {
    const account = req.session?.staff ? null : req.session?.account
    return !!account && !isServiceFor(definition, account.kind)
  }

  async function refuseWrongAudience(req: FastifyRequest, reply: FastifyReply, definition: ServiceDefinition) {
    req.log.info(
      { serviceId: definition.id, accountKind: req.session?.account?.kind },
      'application refused: service not for this kind of account',
    )
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      ServicePage({ ctx, service: definition, office: app.services.office(definition.office) }),
      403,
    )
  }

  app.post<{ Params: { serviceId: string } }>(
    '/services/:serviceId/applications',
    {
      schema: {
        params: {
          type: 'object',
          properties: { serviceId: { type: 'string', maxLength: 80 } },
          required: ['serviceId'],
        },
      },
    },
    async (req, reply) => {
      const definition = app.services.get(req.params.serviceId)
      // Defect reports have their own form with a map (src/modules/reports).
      if (definition.report) return reply.redirect('/maengel/melden', 303)
      const session = req.session!
      const onBehalf = !!session.staff
      if (definition.loginRequired && !session.account && !onBehalf) {
        return reply.redirect(`/login?return=${encodeURIComponent(`/services/${definition.id}`)}`, 303)
      }
      if (isWrongAudience(req, definition)) return refuseWrongAudience(req, reply, definition)
      const draftId = await startDraft(app.db, definition, session, onBehalf)
      const first = visiblePages(definition, {})[0]!
      return reply.redirect(`/applications/${draftId}/pages/${first.id}`, 303)
    },
  )

  app.get<{ Params: { draftId: string; pageId: string }; Querystring: { return?: 'check' } }>(
    '/applications/:draftId/pages/:pageId',
    {
      schema: { params: PageParams, querystring: ReturnQuery },
    },
    async (req, reply) => {
      const { draft, definition } = await loadDraft(req)
      if (draft.caseId) return reply.redirect(`/applications/${draft.id}/confirmation`, 303)
      const { page, index, pages } = pageOf(definition, draft.answers, req.params.pageId)
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        FormPageView({
          ctx,
          definition,
          draft,
          page,
          pageNumber: index + 1,
          pageCount: pages.length,
          answers: draft.answers,
          errors: [],
          backHref: backHrefOf(draft, definition, pages, index, req.query.return),
          returnTo: req.query.return,
        }),
      )
    },
  )

  app.post<{ Params: { draftId: string; pageId: string }; Querystring: { return?: 'check' } }>(
    '/applications/:draftId/pages/:pageId',
    {
      schema: { params: PageParams, querystring: ReturnQuery },
    },
    async (req, reply) => {
      const { draft, definition } = await loadDraft(req)
      if (draft.caseId) return reply.redirect(`/applications/${draft.id}/confirmation`, 303)
      const { page } = pageOf(definition, draft.answers, req.params.pageId)
      const input = await readFormInput(req, { tooLarge: 'report' })
      const pageAnswers = readPageInput(page, input.values, draft.answers)
      const answers: Draft['answers'] = { ...draft.answers, ...pageAnswers }
      const action = input.values.action
      if (action === 'detect' || action === 'apply') {
        // Pre-structuring: proposals from a text, or the ticked ones filled in; the page is not saved.
        const result = await runPrefill(page, answers, input, action, req.t)
        const pages = visiblePages(definition, result.answers)
        const index = Math.max(
          0,
          pages.findIndex(p => p.id === page.id),
        )
        const ctx = await app.pageContext(req)
        const errors = result.state.error
          ? [
              {
                fieldId: result.state.error.anchor,
                anchor: result.state.error.anchor,
                message: result.state.error.message,
              },
            ]
          : []
        return sendHtml(
          reply,
          FormPageView({
            ctx,
            definition,
            draft,
            page,
            pageNumber: index + 1,
            pageCount: pages.length,
            answers: result.answers,
            errors,
            backHref: backHrefOf(draft, definition, pages, index, req.query.return),
            returnTo: req.query.return,
            prefill: result.state,
          }),
          result.status,
        )
      }
      const uploadErrors: AnswerError[] = []
      // A file over the upload limit (MAX_UPLOAD_BYTES) arrives cut off: said at its field, everything typed is kept.
      let tooLarge = false
      for (const cut of input.tooLarge) {
        const field = page.fields.find(f => f.id === cut.fieldName && f.type === 'file')
        if (!field) continue
        uploadErrors.push({
          fieldId: field.id,
          anchor: field.id,
          key: 'forms.error.fileTooLarge',
          params: { size: field.maxSizeMb ?? 10 },
        })
        tooLarge = true
      }
      for (const upload of input.files) {
        const field = page.fields.find(f => f.id === upload.fieldName && f.type === 'file')
        if (!field) continue
        const check = await checkUpload(upload.content, field.accept, field.maxSizeMb)
        if (!check.ok) {
          uploadErrors.push({ fieldId: field.id, anchor: field.id, key: check.key, params: check.params })
          continue
        }
        answers[field.id] = await storeFile(app.db, {
          content: upload.content,
          filename: upload.filename,
          mediaType: check.mediaType,
          draftId: draft.id,
          accountId: req.session?.account?.id,
          staffId: draft.filedByStaffId,
        })
      }
      for (const field of page.fields)
        if (field.type === 'file' && answers[field.id] === undefined) delete answers[field.id]
      await saveDraftAnswers(app.db, draft.id, answers)

      if (action === 'save' && !tooLarge) return reply.redirect(`/applications/${draft.id}/saved`, 303)

      const today = todayInGermany()
      // Without JavaScript a follow-up question appears only after the answer it depends on is sent:
      // show it without calling it an error, since the person has not seen it yet.
      const shownBefore = typeof input.values._shown === 'string' ? new Set(input.values._shown.split(',')) : null
      const revealed = shownBefore
        ? visibleFields(page, answers).filter(f => !shownBefore.has(f.id) && !prefilledFieldIds(answers).includes(f.id))
        : []
      const fieldErrors = validatePage(page, answers, today)
        .filter(e => !uploadErrors.some(u => u.fieldId === e.fieldId))
        .filter(e => !revealed.some(f => f.id === e.fieldId))
      const errors = [...uploadErrors, ...fieldErrors].sort(
        (a, b) => page.fields.findIndex(f => f.id === a.fieldId) - page.fields.findIndex(f => f.id === b.fieldId),
      )
      const pages = visiblePages(definition, answers)
      const index = pages.findIndex(p => p.id === page.id)
      if (errors.length || revealed.length) {
        const ctx = await app.pageContext(req)
        return sendHtml(
          reply,
          FormPageView({
            ctx,
            definition,
            draft,
            page,
            pageNumber: index + 1,
            pageCount: pages.length,
            answers,
            errors: describeAnswerErrors(req.t, req.locale, page, errors),
            backHref: backHrefOf(draft, definition, pages, index, req.query.return),
            returnTo: req.query.return,
            revealed: revealed.length > 0,
          }),
          tooLarge ? 413 : errors.length ? 400 : 200,
        )
      }
      // From the check page, go back there unless a newly shown page still needs answers.
      const nextIncomplete = pages.find(
        (p, i) => i > index && validatePage(p, answers, today).length > 0 && req.query.return === 'check',
      )
      const next = req.query.return === 'check' ? nextIncomplete : pages[index + 1]
      return reply.redirect(
        next
          ? `/applications/${draft.id}/pages/${next.id}${req.query.return === 'check' ? '?return=check' : ''}`
          : `/applications/${draft.id}/check`,
        303,
      )
    },
  )

  app.get<{ Params: { draftId: string } }>(
    '/applications/:draftId/check',
    { schema: { params: DraftParams } },
    async (req, reply) => {
      const { draft, definition } = await loadDraft(req)
      if (draft.caseId) return reply.redirect(`/applications/${draft.id}/confirmation`, 303)
      const incomplete = validateAllPages(definition, draft.answers, todayInGermany())[0]
      if (incomplete) return reply.redirect(`/applications/${draft.id}/pages/${incomplete.pageId}`, 303)
      const fees = calculateFees(definition, pruneHiddenAnswers(definition, draft.answers))
      const payment = fees.due ? await findDraftPayment(app.db, draft.id) : null
      const ctx = await app.pageContext(req)
      return sendHtml(reply, CheckAnswersPage({ ctx, definition, draft, fees, paymentStatus: payment?.status ?? null }))
    },
  )

  app.post<{ Params: { draftId: string } }>(
    '/applications/:draftId/submit',
    { schema: { params: DraftParams } },
    async (req, reply) => {
      const { draft, definition } = await loadDraft(req)
      if (!draft.caseId) {
        if (definition.loginRequired && !draft.accountId && !draft.filedByStaffId)
          throw new Forbidden('applications.errors.loginRequired')
        if (isWrongAudience(req, definition)) return refuseWrongAudience(req, reply, definition)
        const incomplete = validateAllPages(definition, draft.answers, todayInGermany())[0]
        if (incomplete) return reply.redirect(`/applications/${draft.id}/pages/${incomplete.pageId}`, 303)
        if (!draft.accountId && !draft.filedByStaffId) {
          await admitAnonymousSubmission(
            app.db,
            app.config,
            {
              solution: (req.body as Record<string, unknown> | undefined)?.[POW_FIELD],
              clientIp: req.ip,
            },
            app.clock,
          )
        }
        const fees = calculateFees(definition, pruneHiddenAnswers(definition, draft.answers))
        if (isPaymentDueOnSubmission(fees)) {
          const next = await payForDraft(app.db, app.paymentProvider, app.config, {
            draft,
            definition,
            fees,
            description: req.t.text('payments.description', { service: definition.title[req.locale] }),
          })
          if (next.kind === 'redirect') return reply.redirect(next.url, 303)
          if (next.kind === 'wait') return reply.redirect(`/applications/${draft.id}/payment-return`, 303)
          if (next.kind === 'submitted') return reply.redirect(`/applications/${draft.id}/confirmation`, 303)
        }
        const submitted = await submitDraft(app.db, draft, definition, req.locale, app.contactRouting)
        return reply.redirect(confirmationHref(draft.id, submitted), 303)
      }
      return reply.redirect(`/applications/${draft.id}/confirmation`, 303)
    },
  )

  // Back from the payment provider. Its query string is never read: the state is what the verified
  // notification wrote to the payment row.
  app.get<{ Params: { draftId: string } }>(
    '/applications/:draftId/payment-return',
    { schema: { params: DraftParams } },
    async (req, reply) => {
      const { draft, definition } = await loadDraft(req)
      if (draft.caseId) return reply.redirect(`/applications/${draft.id}/confirmation`, 303)
      const payment = await findDraftPayment(app.db, draft.id)
      if (payment?.status === 'paid') {
        const incomplete = validateAllPages(definition, draft.answers, todayInGermany())[0]
        if (incomplete) return reply.redirect(`/applications/${draft.id}/pages/${incomplete.pageId}`, 303)
        const submitted = await submitDraft(app.db, draft, definition, req.locale, app.contactRouting)
        return reply.redirect(confirmationHref(draft.id, submitted), 303)
      }
      if (!payment || (payment.status !== 'open' && payment.status !== 'pending'))
        return reply.redirect(`/applications/${draft.id}/check`, 303)
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        PaymentWaitingPage({
          ctx,
          refreshHref: `/applications/${draft.id}/payment-return`,
          checkHref: `/applications/${draft.id}/check`,
        }),
      )
    },
  )

  app.get<{ Params: { draftId: string }; Querystring: { receipt?: string } }>(
    '/applications/:draftId/confirmation',
    { schema: { params: DraftParams } },
    async (req, reply) => {
      const { draft, definition } = await loadDraft(req)
      if (!draft.caseId) throw new BadRequest('applications.errors.notSubmitted')
      const submitted = await findSubmittedReference(app.db, draft.caseId)
      if (!submitted) throw new NotFound()
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        ConfirmationPage({
          ctx,
          definition,
          reference: submitted.reference,
          caseId: draft.caseId,
          onBehalf: !!draft.filedByStaffId,
          signedIn: !!draft.accountId,
          receiptWithheld: req.query.receipt === 'withheld',
        }),
      )
    },
  )

  app.get<{ Params: { draftId: string } }>(
    '/applications/:draftId/saved',
    { schema: { params: DraftParams } },
    async (req, reply) => {
      const { draft, definition } = await loadDraft(req)
      const ctx = await app.pageContext(req)
      const resumeAt = visiblePages(definition, draft.answers).find(
        p => validatePage(p, draft.answers, todayInGermany()).length > 0,
      )
      return sendHtml(
        reply,
        SavedPage({
          ctx,
          definition,
          draft,
          resumeHref: resumeAt ? `/applications/${draft.id}/pages/${resumeAt.id}` : `/applications/${draft.id}/check`,
        }),
      )
    },
  )
}

function backHrefOf(
  draft: Draft,
  definition: ServiceDefinition,
  pages: Page[],
  index: number,
  returnTo?: string,
): string {
  if (returnTo === 'check') return `/applications/${draft.id}/check`
  return index > 0 ? `/applications/${draft.id}/pages/${pages[index - 1]!.id}` : `/services/${definition.id}`
}

/** The receipt's fate travels in the address: the page is shown once more on reload and says the same. */
function confirmationHref(draftId: string, submitted: SubmitResult): string {
  return `/applications/${draftId}/confirmation${submitted.receiptWithheld ? '?receipt=withheld' : ''}`
}
