import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { BadRequest, Forbidden, NotFound } from '../../platform/http/errors.js'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import type { SessionAccount } from '../../platform/auth/sessions.js'
import { onBehalfOptionsOf, representationFor, type OnBehalfOption, type Representation } from '../mandates/index.js'
import { choiceValue, ForWhomPage } from './views/for-whom.js'
import { admitAnonymousSubmission, POW_FIELD } from '../../platform/http/proof-of-work.js'
import {
  isServiceFor,
  ServicePage,
  type Page,
  type ServiceDefinition,
  type ServicePagePart,
} from '../catalogue/index.js'
import { pruneHiddenAnswers, validateAllPages, validatePage, visiblePages } from '../forms/index.js'
import { calculateFees, findDraftPayment, isPaymentDueOnSubmission, PaymentWaitingPage } from '../payments/index.js'
import { payForDraft } from './applications.pay.js'
import { todayInGermany } from '../../platform/i18n/i18n.js'
import { assertMayFileOnBehalf, findOwnDraft, startDraft, type Draft } from './applications.drafts.js'
import { submitDraft, type SubmitResult } from './applications.submit.js'
import { findCase } from '../cases/index.js'
import { pageOf, saveFormPage, type FormPageOutcome } from './applications.pages.js'
import { CheckAnswersPage, ConfirmationPage, FormPageView, SavedPage } from './views/application-pages.js'
import { uuidParams } from '../../platform/http/ids.js'
import type { AssuranceLevel } from '../../platform/auth/assurance.js'
import type { IdentityProviderConfig } from '../identity/index.js'
import {
  assuranceNeededFor,
  identificationFor,
  identificationOptions,
  isIdentifiedFor,
} from './applications.assurance.js'
import { recordDraftIdentification } from './applications.queries.js'
import { IdentificationPage } from './views/identification-page.js'

const DraftParams = uuidParams('draftId')
const PageParams = {
  type: 'object',
  properties: { draftId: { type: 'string', format: 'uuid' }, pageId: { type: 'string', maxLength: 80 } },
  required: ['draftId', 'pageId'],
} as const
const ReturnQuery = { type: 'object', properties: { return: { type: 'string', enum: ['check'] } } } as const

export interface ApplicationRoutesOptions {
  servicePageParts: readonly ServicePagePart[]
  /** The identity providers people may sign in with (src/identity.ts): offered where a service needs a higher level. */
  identityProviders: readonly IdentityProviderConfig[]
}

export const applicationRoutes: FastifyPluginAsync<ApplicationRoutesOptions> = async (
  app,
  { servicePageParts, identityProviders },
) => {
  async function loadDraft(req: FastifyRequest<{ Params: { draftId: string } }>) {
    const draft = await findOwnDraft(app.db, req.params.draftId, req.session)
    const definition = await app.services.version(draft.serviceId, draft.serviceVersion)
    // Asked again on every step: a role taken away meanwhile stops the filing.
    if (draft.filedByStaffId) assertMayFileOnBehalf(req.session?.staff, definition)
    // Likewise a mandate revoked or a membership ended meanwhile: the draft answers 404 (a submitted one stays).
    if (!draft.caseId && draft.accountId) await representationFor(app.db, { id: draft.accountId }, draft)
    return { draft, definition }
  }

  /**
   * A service for citizens only refuses a business account, and one for businesses a citizen's: the service page
   * then says why and offers to switch accounts. Staff at the counter apply on someone's behalf and are not refused.
   */
  /** A form page: as first shown, or again with what was typed and why (saveFormPage's outcome). */
  async function renderFormPage(
    req: FastifyRequest<{ Querystring: { return?: 'check' } }>,
    reply: FastifyReply,
    draft: Draft,
    definition: ServiceDefinition,
    shown: Omit<Extract<FormPageOutcome, { ok: false }>, 'ok' | 'status'>,
    status = 200,
  ) {
    const { page, index, pages } = shown.at
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
        answers: shown.answers,
        errors: shown.errors,
        backHref: backHrefOf(draft, definition, pages, index, req.query.return),
        returnTo: req.query.return,
        revealed: shown.revealed,
        prefill: shown.prefill,
      }),
      status,
    )
  }

  /** The level the service needs when this session's sign-in falls short of it (levels of assurance); else undefined. */
  function missingAssurance(
    req: FastifyRequest,
    draft: Draft | null,
    definition: ServiceDefinition,
  ): AssuranceLevel | undefined {
    const need = assuranceNeededFor(app.services, definition)
    return isIdentifiedFor(identificationFor(draft, req.session), need) ? undefined : need
  }

  /**
   * Why the person has to prove who they are, with the providers that give the level, coming back to `returnTo`
   * (what was typed is in the draft, which moves along with the sign-in), and the office as the other way.
   */
  async function askForIdentification(
    req: FastifyRequest,
    reply: FastifyReply,
    definition: ServiceDefinition,
    need: AssuranceLevel,
    at: { returnTo: string; backHref: string; status: number },
  ) {
    const have = req.session?.account?.assurance ?? null
    if (at.status !== 200)
      req.log.info({ serviceId: definition.id, need, have }, 'application refused: level of assurance too low')
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      IdentificationPage({
        ctx,
        definition,
        need,
        have,
        options: identificationOptions([...identityProviders], definition, req.session, req.locale, need, at.returnTo),
        office: app.services.office(definition.office),
        backHref: at.backHref,
      }),
      at.status,
    )
  }

  /** Every entry to a draft: a sign-in below the service's level gets the page that says how to reach it (403). */
  function refuseUnidentified(
    req: FastifyRequest,
    reply: FastifyReply,
    draft: Draft,
    definition: ServiceDefinition,
    returnTo: string,
  ) {
    const need = missingAssurance(req, draft, definition)
    if (!need) return undefined
    return askForIdentification(req, reply, definition, need, {
      returnTo,
      backHref: `/services/${definition.id}`,
      status: 403,
    })
  }

  /** A draft made for a company is the company's application, whoever of its members fills it in. */
  function isWrongAudience(req: FastifyRequest, definition: ServiceDefinition, draft?: Draft): boolean {
    const account = req.session?.staff ? null : req.session?.account
    if (!account) return false
    return !isServiceFor(definition, draft?.businessAccountId ? 'business' : account.kind)
  }

  async function refuseWrongAudience(req: FastifyRequest, reply: FastifyReply, definition: ServiceDefinition) {
    req.log.info(
      { serviceId: definition.id, accountKind: req.session?.account?.kind },
      'application refused: service not for this kind of account',
    )
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      ServicePage({
        ctx,
        service: definition,
        office: app.services.office(definition.office),
        parts: servicePageParts,
      }),
      403,
    )
  }

  app.get<{ Params: { serviceId: string } }>(
    '/services/:serviceId/identification',
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
      const need = missingAssurance(req, null, definition)
      const servicePage = `/services/${definition.id}`
      // Signed in at the level now (back from the provider): the service page has the start button.
      if (!need) return reply.redirect(servicePage, 303)
      return askForIdentification(req, reply, definition, need, {
        returnTo: servicePage,
        backHref: servicePage,
        status: 200,
      })
    },
  )

  /** Whom the person may apply for with this service: principals for a citizens' service, companies for a business one. */
  async function forWhomChoicesOf(account: SessionAccount, definition: ServiceDefinition): Promise<OnBehalfOption[]> {
    const options = await onBehalfOptionsOf(app.db, account)
    return options.filter(o => isServiceFor(definition, o.type === 'business' ? 'business' : 'citizen'))
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
      if (definition.bookedAt) return reply.redirect(definition.bookedAt, 303)
      const session = req.session!
      const onBehalf = !!session.staff
      // "Für wen stellen Sie diesen Antrag?": asked before the form when the person may act for someone else.
      const account = onBehalf ? null : session.account
      const choices = account ? await forWhomChoicesOf(account, definition) : []
      const fitsSelf = !account || isServiceFor(definition, account.kind)
      // A signed-in account of the wrong kind (with no company to act for) is told so first: a higher level would not help.
      if (choices.length === 0 && isWrongAudience(req, definition)) return refuseWrongAudience(req, reply, definition)
      // Below the level (anonymous too): the providers that give it sign the person in, so no password login first.
      if (missingAssurance(req, null, definition))
        return reply.redirect(`/services/${definition.id}/identification`, 303)
      if (definition.loginRequired && !session.account && !onBehalf) {
        return reply.redirect(`/login?return=${encodeURIComponent(`/services/${definition.id}`)}`, 303)
      }
      let representation: Representation | null = null
      if (account && choices.length) {
        const input = await readFormInput(req)
        const chosen = formText(input.values, 'for')
        const valid = (fitsSelf && chosen === 'self') || choices.some(c => choiceValue(c) === chosen)
        if (!valid) {
          // First asked from the service page; sent back from the question without a valid choice, it says so.
          const answered = chosen !== '' || formText(input.values, 'asked') === '1'
          const ctx = await app.pageContext(req)
          return sendHtml(
            reply,
            ForWhomPage({ ctx, definition, choices, includeSelf: fitsSelf, error: answered }),
            answered ? 400 : 200,
          )
        }
        if (chosen !== 'self') {
          const [type, id] = chosen.split(':') as ['mandate' | 'business', string]
          representation = await representationFor(app.db, account, {
            mandateId: type === 'mandate' ? id : null,
            businessAccountId: type === 'business' ? id : null,
          })
        }
      }
      const draftId = await startDraft(app.db, definition, session, onBehalf, representation)
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
      const refused = refuseUnidentified(req, reply, draft, definition, req.url)
      if (refused) return refused
      return renderFormPage(req, reply, draft, definition, {
        at: pageOf(definition, draft.answers, req.params.pageId),
        answers: draft.answers,
        errors: [],
      })
    },
  )

  app.post<{ Params: { draftId: string; pageId: string }; Querystring: { return?: 'check' } }>(
    '/applications/:draftId/pages/:pageId',
    {
      schema: { params: PageParams, querystring: ReturnQuery },
    },
    async (req, reply) => {
      const { draft, definition } = await loadDraft(req)
      const refused = refuseUnidentified(req, reply, draft, definition, req.url)
      if (refused) return refused
      const outcome = await saveFormPage(app.db, {
        draft,
        definition,
        pageId: req.params.pageId,
        form: await readFormInput(req, { tooLarge: 'report' }),
        returnTo: req.query.return,
        accountId: req.session?.account?.id,
        t: req.t,
        scanner: app.virusScanner,
      })
      if (outcome.ok) return reply.redirect(outcome.redirect, 303)
      return renderFormPage(req, reply, draft, definition, outcome, outcome.status)
    },
  )

  app.get<{ Params: { draftId: string } }>(
    '/applications/:draftId/check',
    { schema: { params: DraftParams } },
    async (req, reply) => {
      const { draft, definition } = await loadDraft(req)
      if (draft.caseId) return reply.redirect(`/applications/${draft.id}/confirmation`, 303)
      const refused = refuseUnidentified(req, reply, draft, definition, req.url)
      if (refused) return refused
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
        if (isWrongAudience(req, definition, draft)) return refuseWrongAudience(req, reply, definition)
        const refused = refuseUnidentified(req, reply, draft, definition, `/applications/${draft.id}/check`)
        if (refused) return refused
        const incomplete = validateAllPages(definition, draft.answers, todayInGermany())[0]
        if (incomplete) return reply.redirect(`/applications/${draft.id}/pages/${incomplete.pageId}`, 303)
        const identification = identificationFor(draft, req.session)
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
          // The case may open when the provider confirms the payment, with no session at hand: the draft keeps the level.
          await recordDraftIdentification(app.db, draft.id, identification)
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
        const submitted = await submitDraft(app.db, draft, definition, req.locale, app.contactRouting, identification)
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
      const refused = refuseUnidentified(req, reply, draft, definition, `/applications/${draft.id}/check`)
      if (refused) return refused
      const payment = await findDraftPayment(app.db, draft.id)
      if (payment?.status === 'paid') {
        const incomplete = validateAllPages(definition, draft.answers, todayInGermany())[0]
        if (incomplete) return reply.redirect(`/applications/${draft.id}/pages/${incomplete.pageId}`, 303)
        const submitted = await submitDraft(
          app.db,
          draft,
          definition,
          req.locale,
          app.contactRouting,
          identificationFor(draft, req.session),
        )
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
      const submitted = await findCase(app.db, draft.caseId)
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
