import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { stopDeadlineClock } from './cases.deadlines.clock.js'
import { audit } from '../../platform/audit/audit.js'
import { deliverToApplicant } from '../postbox/index.js'
import { fileDocument } from '../efile/index.js'
import { isLocale, translator } from '../../platform/i18n/i18n.js'
import { canWorkOn } from './cases.access.js'
import { CaseNotFound } from './cases.errors.js'
import { insertCaseEvent, lockCase } from './cases.queries.js'
import { assertCaseVersion } from './cases.versions.js'

export const NOTE_MAX = 5000
export const MESSAGE_MAX = 10000
export const SUBJECT_MAX = 200

/**
 * An internal note on the timeline; the applicant never sees it. Not versioned: a note is appended and overwrites
 * nothing, so a note from a page that is out of date is kept (it still raises the case's version).
 */
export async function addNote(db: Db, staff: StaffMember, caseId: string, text: string): Promise<void> {
  await db.transaction().execute(async trx => {
    const found = await lockCase(trx, caseId)
    if (!found || !canWorkOn(staff, found.officeId)) throw new CaseNotFound()
    // Filed in the case file, where it can be edited as a new version; the timeline entry knows its document.
    const { documentId } = await fileDocument(trx, {
      caseId,
      kind: 'note',
      title: translator(isLocale(found.locale) ? found.locale : 'de').text('efile.kind.note'),
      text,
      actor: { staffId: staff.id },
    })
    await insertCaseEvent(trx, {
      caseId,
      kind: 'note',
      internal: true,
      actorStaffId: staff.id,
      data: { text, documentId },
    })
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'case.note',
      subjectType: 'case',
      subjectId: caseId,
      officeId: found.officeId,
    })
  })
}

/** Days the applicant gets to send documents, unless the caseworker sets another day. */
export const DOCUMENTS_DUE_DAYS = 14

/**
 * A message to the applicant, optionally asking for documents that are then uploaded in the postbox. Versioned:
 * what the applicant is told must rest on the case as it is (a decision or their upload may have come meanwhile).
 */
export async function sendCaseMessage(
  db: Db,
  staff: StaffMember,
  caseId: string,
  input: {
    subject: string
    body: string
    requestsDocuments: boolean
    documentsDueOn?: string | null
    expectedVersion: number | undefined
  },
  baseUrl: string,
): Promise<void> {
  await db.transaction().execute(async trx => {
    const found = await lockCase(trx, caseId)
    if (!found || !canWorkOn(staff, found.officeId)) throw new CaseNotFound()
    assertCaseVersion(found, input.expectedVersion)
    const messageId = await deliverToApplicant(
      trx,
      {
        caseId,
        reference: found.reference,
        accountId: found.accountId,
        applicantEmail: found.applicantEmail,
        locale: found.locale,
        senderStaffId: staff.id,
        subject: input.subject,
        body: input.body,
        requestsDocuments: input.requestsDocuments,
        documentsDueOn: input.documentsDueOn,
      },
      baseUrl,
    )
    if (input.requestsDocuments) await stopDeadlineClock(trx, caseId)
    await insertCaseEvent(trx, {
      caseId,
      kind: input.requestsDocuments ? 'documents_requested' : 'message_sent',
      internal: false,
      actorStaffId: staff.id,
      data: { messageId, subject: input.subject },
    })
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'case.message.send',
      subjectType: 'case',
      subjectId: caseId,
      officeId: found.officeId,
      details: { messageId, requestsDocuments: input.requestsDocuments },
    })
  })
}
