import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import { listMessagesOfCase, type CaseMessage } from '../postbox/index.js'
import { listFeeNoticesOfCase, listPaymentsOfCase, type FeeNoticeRow, type PaymentSummary } from '../payments/index.js'
import { canWorkOn } from './cases.access.js'
import { CaseFileNotFound, CaseNotFound } from './cases.errors.js'
import { findCase, findCaseFile, findFileOfAccountCase, listCaseEvents, listCaseFiles, type CaseEvent, type CaseRecord } from './cases.queries.js'

export interface CaseFile { id: string; filename: string; mediaType: string; sizeBytes: number; createdAt: Date; uploadedByAccountId: string | null; uploadedByStaffId: string | null }
export interface CaseDossier { record: CaseRecord; events: CaseEvent[]; files: CaseFile[]; messages: CaseMessage[]; payments: PaymentSummary[]; feeNotices: FeeNoticeRow[] }

/** A case of an office where the person works on cases; any other id answers like a missing one. */
export async function findCaseForStaff(db: Db, staff: StaffMember, caseId: string): Promise<CaseRecord> {
  const found = await findCase(db, caseId)
  if (!found || !canWorkOn(staff, found.officeId)) throw new CaseNotFound()
  return found
}

/** Everything on a case for the case view; every look at personal data leaves an audit row. */
export async function readCaseForStaff(db: Db, staff: StaffMember, caseId: string): Promise<CaseDossier> {
  return db.transaction().execute(async (trx) => {
    const record = await findCaseForStaff(trx, staff, caseId)
    const events = await listCaseEvents(trx, caseId, { publicOnly: false })
    const files = await listCaseFiles(trx, caseId)
    const messages = await listMessagesOfCase(trx, caseId)
    const payments = await listPaymentsOfCase(trx, caseId)
    const feeNotices = await listFeeNoticesOfCase(trx, caseId)
    await audit(trx, { actor: { staffId: staff.id }, action: 'case.read', subjectType: 'case', subjectId: caseId, officeId: record.officeId })
    return { record, events, files, messages, payments, feeNotices }
  })
}

export async function readCaseFileForStaff(db: Db, staff: StaffMember, caseId: string, fileId: string) {
  return db.transaction().execute(async (trx) => {
    const record = await findCaseForStaff(trx, staff, caseId)
    const file = await findCaseFile(trx, caseId, fileId)
    if (!file) throw new CaseFileNotFound()
    await audit(trx, { actor: { staffId: staff.id }, action: 'case.file.read', subjectType: 'file', subjectId: fileId, officeId: record.officeId, details: { caseId } })
    return file
  })
}

/** A file of one of the account's own cases; anyone else's answers like a missing one. */
export async function readCaseFileForAccount(db: Db, accountId: string, fileId: string) {
  return db.transaction().execute(async (trx) => {
    const file = await findFileOfAccountCase(trx, accountId, fileId)
    if (!file) throw new CaseFileNotFound()
    await audit(trx, { actor: { accountId }, action: 'case.file.read', subjectType: 'file', subjectId: fileId, officeId: file.officeId, details: { caseId: file.caseId } })
    return file
  })
}
