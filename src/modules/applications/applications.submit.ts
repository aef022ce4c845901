import type { Db } from '../../platform/db/database.js'
import { NotFound } from '../../platform/http/errors.js'
import type { ServiceDefinition, ServiceRegistry } from '../catalogue/index.js'
import { applicantEmailOf, applicantNameOf, isFileAnswer, pruneHiddenAnswers, type Answers } from '../forms/index.js'
import { createCase, insertCaseEvent } from '../cases/index.js'
import { recordContactRouting, routeSubmission } from '../contact/index.js'
import { fileSubmittedAttachments } from '../efile/index.js'
import { attachDraftPaymentsToCase, calculateFees, findDraftPayment, isPaymentDueOnSubmission, PaymentAmountChanged, PaymentRequired } from '../payments/index.js'
import { findDraftForServer, type Draft } from './applications.drafts.js'
import { validateAllPages } from '../forms/index.js'
import { todayInGermany } from '../../platform/i18n/i18n.js'

export type SubmitResult = { caseId: string; reference: string }

/**
 * Turns a checked draft into a case in one transaction: case, first timeline entry, audit row, files moved.
 * A second submit of the same draft (double click, retry) returns the case made by the first.
 */
export async function submitDraft(db: Db, draft: Draft, definition: ServiceDefinition, locale: string): Promise<SubmitResult> {
  // A free-text enquiry (a definition with `routing`) opens in the office the pre-sorting model names (src/modules/contact).
  const routing = await routeSubmission(db, definition, pruneHiddenAnswers(definition, draft.answers))
  return db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('drafts').select(['id', 'case_id']).where('id', '=', draft.id).forUpdate().executeTakeFirst()
    if (!locked) throw new NotFound('applications.errors.draftNotFound')
    if (locked.case_id) {
      const existing = await trx.selectFrom('cases').select(['id', 'reference']).where('id', '=', locked.case_id).executeTakeFirstOrThrow()
      return { caseId: existing.id, reference: existing.reference }
    }
    const answers: Answers = pruneHiddenAnswers(definition, draft.answers)
    // A service paid at submission never becomes a case without a payment the provider confirmed.
    const fees = calculateFees(definition, answers)
    if (isPaymentDueOnSubmission(fees)) {
      const payment = await findDraftPayment(trx, draft.id)
      if (payment?.status !== 'paid') throw new PaymentRequired()
      if (payment.amountCents < fees.totalCents) throw new PaymentAmountChanged()
    }
    let applicantEmail = applicantEmailOf(definition, answers)
    if (!applicantEmail && draft.accountId) {
      applicantEmail = (await trx.selectFrom('accounts').select('email').where('id', '=', draft.accountId).executeTakeFirst())?.email ?? null
    }
    const created = await createCase(trx, {
      draftId: draft.id, definition, answers,
      applicantName: applicantNameOf(definition, answers), applicantEmail,
      accountId: draft.accountId, filedByStaffId: draft.filedByStaffId, locale, officeId: routing?.officeId,
    })
    if (routing) await recordContactRouting(trx, created.id, routing)
    const fileIds = Object.values(answers).filter(isFileAnswer).map((f) => f.fileId)
    if (fileIds.length) {
      await trx.updateTable('files').set({ case_id: created.id }).where('id', 'in', fileIds).where('draft_id', '=', draft.id).execute()
    }
    // Each upload is a document of the case's electronic file, titled with its field.
    await fileSubmittedAttachments(trx, { caseId: created.id, definition, answers, locale, actor: { accountId: draft.accountId, staffId: draft.filedByStaffId } })
    // Uploads replaced or removed while filling in are not part of the application.
    await trx.deleteFrom('files').where('draft_id', '=', draft.id).where('case_id', 'is', null).execute()
    await trx.updateTable('drafts').set({ case_id: created.id, answers: '{}', updated_at: new Date() }).where('id', '=', draft.id).execute()
    // The fee paid for this application belongs to its case from the first moment.
    for (const paid of await attachDraftPaymentsToCase(trx, draft.id, created.id)) {
      await insertCaseEvent(trx, { caseId: created.id, kind: 'payment_paid', internal: false, data: { paymentId: paid.paymentId, reference: paid.reference, amountCents: paid.amountCents } })
    }
    return { caseId: created.id, reference: created.reference }
  })
}

export async function findSubmittedReference(db: Db, caseId: string) {
  return db.selectFrom('cases').select(['reference', 'service_id as serviceId', 'applicant_email as applicantEmail', 'submitted_at as submittedAt'])
    .where('id', '=', caseId).executeTakeFirst()
}

/**
 * Submits a draft as soon as the provider confirms its payment, so money taken always becomes a
 * case even when the payer never comes back from the provider's page. Incomplete drafts wait for
 * the applicant (the return page submits them).
 */
export async function submitPaidDraft(db: Db, services: ServiceRegistry, draftId: string): Promise<SubmitResult | undefined> {
  const draft = await findDraftForServer(db, draftId)
  if (!draft || draft.caseId) return undefined
  const definition = await services.version(draft.serviceId, draft.serviceVersion)
  if (validateAllPages(definition, draft.answers, todayInGermany()).length > 0) return undefined
  const account = draft.accountId ? await db.selectFrom('accounts').select('locale').where('id', '=', draft.accountId).executeTakeFirst() : undefined
  return submitDraft(db, draft, definition, account?.locale ?? 'de')
}
