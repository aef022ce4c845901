import crypto from 'node:crypto'
import type { Db, Trx } from '../../platform/db/database.js'
import { queueMail, queueMailWithinQuota } from '../../platform/mail/mail.js'
import { attachDraftFilesToCase, deleteUnattachedDraftFiles, storeFile } from '../../platform/files/files.js'
import { DomainError, NotFound } from '../../platform/http/errors.js'
import type { ServiceDefinition, ServiceRegistry } from '../catalogue/index.js'
import { applicantEmailOf, applicantNameOf, isFileAnswer, pruneHiddenAnswers, type Answers } from '../forms/index.js'
import { findAccountContact } from '../accounts/index.js'
import { representationFor } from '../mandates/index.js'
import { createCase, findCase, insertCaseEvent } from '../cases/index.js'
import { recordContactRouting, routeSubmission, type ContactRoutingSettings } from '../contact/index.js'
import { fileSubmittedAttachments } from '../efile/index.js'
import {
  attachDraftPaymentsToCase,
  calculateFees,
  findDraftPayment,
  isPaymentDueOnSubmission,
  PaymentAmountChanged,
  PaymentRequired,
} from '../payments/index.js'
import { findDraftForServer, type Draft } from './applications.drafts.js'
import {
  claimSubmissionKey,
  deleteSubmissionKeysBefore,
  findSubmissionByKey,
  insertDraft,
  lockDraft,
  markDraftSubmitted,
} from './applications.queries.js'
import { validateAllPages } from '../forms/index.js'
import { isLocale, todayInGermany, translator, type Locale } from '../../platform/i18n/i18n.js'
import { requiredAssurance } from '../catalogue/index.js'
import { AssuranceTooLow, isIdentifiedFor, type Identification } from './applications.assurance.js'

/** receiptWithheld: the receipt mail was not sent, its address having had the hourly quota; the page says so. */
export type SubmitResult = { caseId: string; reference: string; receiptWithheld: boolean }

/**
 * Turns a checked draft into a case in one transaction (see openCase for everything it writes).
 * A second submit of the same draft (double click, retry) returns the case made by the first.
 * `identification` is the session's sign-in; without it (a payment confirmed by the provider, no session at hand) the
 * one noted on the draft when its owner sent it.
 */
export async function submitDraft(
  db: Db,
  draft: Draft,
  definition: ServiceDefinition,
  locale: string,
  contactRouting: ContactRoutingSettings,
  identification?: Identification,
): Promise<SubmitResult> {
  // A free-text enquiry (a definition with `routing`) opens in the office the pre-sorting model names (src/modules/contact).
  const routing = await routeSubmission(db, contactRouting, definition, pruneHiddenAnswers(definition, draft.answers))
  return db.transaction().execute(async trx => {
    const locked = await lockDraft(trx, draft.id)
    if (!locked) throw new NotFound('applications.errors.draftNotFound')
    if (locked.case_id) {
      const existing = await findCase(trx, locked.case_id)
      if (!existing) throw new NotFound()
      // The first submit decided about the receipt; a repeat sends nothing new.
      return { caseId: existing.id, reference: existing.reference, receiptWithheld: false }
    }
    const answers: Answers = pruneHiddenAnswers(definition, draft.answers)
    // A service paid at submission never becomes a case without a payment the provider confirmed.
    const fees = calculateFees(definition, answers)
    if (isPaymentDueOnSubmission(fees)) {
      const payment = await findDraftPayment(trx, draft.id)
      if (payment?.status !== 'paid') throw new PaymentRequired()
      if (payment.amountCents < fees.totalCents) throw new PaymentAmountChanged()
    }
    return openCase(trx, {
      draftId: draft.id,
      definition,
      answers,
      accountId: draft.accountId,
      filedByStaffId: draft.filedByStaffId,
      onBehalf: { mandateId: draft.mandateId, businessAccountId: draft.businessAccountId },
      locale: isLocale(locale) ? locale : 'de',
      routing,
      filledInPages: true,
      identification: identification ?? {
        assurance: locked.assurance ?? 'low',
        identityProvider: locked.identity_provider,
      },
    })
  })
}

/** A file sent with a one-request submission, already checked; its answer names fileId. */
export interface Upload {
  fieldId: string
  fileId: string
  filename: string
  content: Buffer
  mediaType: string
}

export interface AnswersSubmission {
  definition: ServiceDefinition
  answers: Answers
  locale: Locale
  uploads: Upload[]
  /** With a key, a second submission carrying it returns the first one's case (replayed) instead of opening another. */
  idempotencyKey?: string
  requestSha256?: string
}

/** Opens a case for answers submitted in one request (the JSON API); same transaction and writes as a submitted draft. */
export async function submitAnswers(
  db: Db,
  { definition, answers, locale, uploads, idempotencyKey, requestSha256 }: AnswersSubmission,
  contactRouting: ContactRoutingSettings,
): Promise<SubmitResult & { replayed: boolean }> {
  const routing = await routeSubmission(db, contactRouting, definition, answers)
  return db.transaction().execute(async trx => {
    const draftId = crypto.randomUUID()
    if (idempotencyKey) {
      const claimed = await claimSubmissionKey(trx, {
        idempotencyKey,
        serviceId: definition.id,
        requestSha256: requestSha256 ?? '',
        draftId,
      })
      if (!claimed) {
        const earlier = await findSubmissionByKey(trx, idempotencyKey)
        if (
          earlier.serviceId !== definition.id ||
          earlier.sha256 !== requestSha256 ||
          !earlier.caseId ||
          !earlier.reference
        )
          throw new IdempotencyKeyReused()
        return { caseId: earlier.caseId, reference: earlier.reference, receiptWithheld: false, replayed: true }
      }
    }
    await insertDraft(trx, { id: draftId, serviceId: definition.id, serviceVersion: definition.version, answers: {} })
    for (const upload of uploads)
      await storeFile(trx, {
        id: upload.fileId,
        content: upload.content,
        filename: upload.filename,
        mediaType: upload.mediaType,
        draftId,
      })
    const opened = await openCase(trx, {
      draftId,
      definition,
      answers,
      locale,
      accountId: null,
      filedByStaffId: null,
      routing,
      filledInPages: false,
      // A machine client signs in with nobody: no level above low (applications.api.ts refuses such services).
      identification: { assurance: 'low', identityProvider: null },
    })
    return { ...opened, replayed: false }
  })
}

/** How long a retry with the same Idempotency-Key finds the first case; longer than any client's retry window. */
export const IDEMPOTENCY_KEY_DAYS = 30
export const FORGET_IDEMPOTENCY_KEYS_JOB = 'applications.forgetIdempotencyKeys'

/** Deletes the keys older than IDEMPOTENCY_KEY_DAYS (the job, daily); a later request with such a key is a new application. */
export async function forgetIdempotencyKeys(db: Db, now = new Date()): Promise<number> {
  return deleteSubmissionKeysBefore(db, new Date(now.getTime() - IDEMPOTENCY_KEY_DAYS * 86_400_000))
}

export class IdempotencyKeyReused extends DomainError {
  constructor() {
    super(422, 'applications.api.errors.idempotencyKeyReused')
  }
}

export interface CaseOpening {
  draftId: string
  definition: ServiceDefinition
  answers: Answers
  locale: Locale
  accountId: string | null
  filedByStaffId: string | null
  /** For whom the account acted, as the draft holds it; checked again here (a revoked mandate submits nothing). */
  onBehalf?: { mandateId: string | null; businessAccountId: string | null }
  routing: Awaited<ReturnType<typeof routeSubmission>>
  /** A draft filled in page by page may hold replaced uploads and a fee paid beforehand; one made for a single request holds neither. */
  filledInPages: boolean
  /** How the submitter was signed in; checked against the service's level, recorded on the case. */
  identification: Identification
}

/**
 * Everything a submission writes, in the caller's transaction: the case with its first timeline entry and audit
 * row, the uploads moved to it and filed, the draft marked, a fee paid beforehand attached, and the receipt mail.
 */
export async function openCase(
  trx: Trx,
  {
    draftId,
    definition,
    answers,
    locale,
    accountId,
    filedByStaffId,
    onBehalf,
    routing,
    filledInPages,
    identification,
  }: CaseOpening,
): Promise<SubmitResult> {
  // At the counter the member of staff identified the person in person: the case records no electronic level.
  const who: Identification = filedByStaffId
    ? { assurance: null, identityProvider: null }
    : { assurance: identification.assurance ?? 'low', identityProvider: identification.identityProvider }
  // The last word on the level, whatever the way in (a forged request, a stale page, a payment confirmed later).
  if (!isIdentifiedFor(who, requiredAssurance(definition))) throw new AssuranceTooLow(requiredAssurance(definition))
  const account = accountId ? await findAccountContact(trx, accountId) : undefined
  const applicantEmail = applicantEmailOf(definition, answers) ?? account?.email ?? null
  const representation = accountId && onBehalf ? await representationFor(trx, { id: accountId }, onBehalf) : null
  const created = await createCase(trx, {
    draftId,
    definition,
    answers,
    // Acting for someone, the applicant is the person represented (the child, the ward, the company).
    applicantName: representation?.representedName ?? applicantNameOf(definition, answers),
    applicantEmail,
    accountId,
    filedByStaffId,
    representation: representation
      ? {
          mandateId: representation.mandateId,
          businessAccountId: representation.businessAccountId,
          actedByName: representation.actedByName,
          representedName: representation.representedName,
          relation: representation.relation,
        }
      : undefined,
    locale,
    officeId: routing?.officeId,
    identification: who,
  })
  if (routing) await recordContactRouting(trx, created.id, routing)
  const fileIds = Object.values(answers)
    .filter(isFileAnswer)
    .map(f => f.fileId)
  await attachDraftFilesToCase(trx, draftId, created.id, fileIds)
  // Each upload is a document of the case's electronic file, titled with its field.
  await fileSubmittedAttachments(trx, {
    caseId: created.id,
    definition,
    answers,
    locale,
    actor: { accountId, staffId: filedByStaffId },
  })
  await markDraftSubmitted(trx, draftId, created.id)
  if (filledInPages) {
    // Uploads replaced or removed while filling in are not part of the application.
    await deleteUnattachedDraftFiles(trx, draftId)
    // The fee paid for this application belongs to its case from the first moment.
    for (const paid of await attachDraftPaymentsToCase(trx, draftId, created.id)) {
      await insertCaseEvent(trx, {
        caseId: created.id,
        kind: 'payment_paid',
        internal: false,
        data: { paymentId: paid.paymentId, reference: paid.reference, amountCents: paid.amountCents },
      })
    }
  }
  // The receipt (Eingangsbestätigung) leaves with the case or not at all. It always goes to the signed-in account's own
  // confirmed address and to one a caseworker typed; an address anyone typed into the form gets at most the hourly quota.
  let receiptWithheld = false
  if (applicantEmail) {
    const t = translator(locale)
    const params = { service: definition.title[locale], reference: created.reference }
    const receipt = {
      to: applicantEmail,
      subject: t.text('applications.receipt.subject', params),
      text: t.text('applications.receipt.body', params),
    }
    const isKnownAddress =
      !!filedByStaffId || (!!account?.verifiedAt && account.email === applicantEmail.trim().toLowerCase())
    if (isKnownAddress) await queueMail(trx, receipt)
    else receiptWithheld = !(await queueMailWithinQuota(trx, receipt))
  }
  return { caseId: created.id, reference: created.reference, receiptWithheld }
}

/**
 * Submits a draft as soon as the provider confirms its payment, so money taken always becomes a
 * case even when the payer never comes back from the provider's page. Incomplete drafts wait for
 * the applicant (the return page submits them).
 */
export async function submitPaidDraft(
  db: Db,
  services: ServiceRegistry,
  draftId: string,
  contactRouting: ContactRoutingSettings,
): Promise<SubmitResult | undefined> {
  const draft = await findDraftForServer(db, draftId)
  if (!draft || draft.caseId) return undefined
  const definition = await services.version(draft.serviceId, draft.serviceVersion)
  if (validateAllPages(definition, draft.answers, todayInGermany()).length > 0) return undefined
  const account = draft.accountId ? await findAccountContact(db, draft.accountId) : undefined
  return submitDraft(db, draft, definition, account?.locale ?? 'de', contactRouting)
}
