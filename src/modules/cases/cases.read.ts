import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import { listMessagesOfCase, type CaseMessage } from '../postbox/index.js'
import { canWorkOn, caseworkOfficeIds } from './cases.access.js'
import { CaseFileNotFound, CaseNotFound } from './cases.errors.js'
import {
  findCase,
  findCaseFile,
  findFileOfAccountCase,
  listCaseEvents,
  listCaseFiles,
  type CaseEvent,
  type CaseRecord,
} from './cases.queries.js'
import { listInvolvedOffices, listInvolvementsOfCase, type Involvement } from './cases.involvements.queries.js'

export interface CaseFile {
  id: string
  filename: string
  mediaType: string
  sizeBytes: number
  createdAt: Date
  uploadedByAccountId: string | null
  uploadedByStaffId: string | null
}
export interface CaseDossier {
  record: CaseRecord
  events: CaseEvent[]
  files: CaseFile[]
  messages: CaseMessage[]
  /** office: the person works in the case's office and may act; involved: their office was asked for a statement, read only. */
  access: CaseAccess['as']
  involvements: Involvement[]
}

export interface CaseAccess {
  record: CaseRecord
  as: 'office' | 'involved'
  /** For an involved reader: the offices through which they read the case. */
  involvedOfficeIds: string[]
}

/**
 * Who may read a case: caseworkers and team leads of its office, and those of an office involved in it by a
 * request that was not withdrawn (read only). Anyone else gets the 404 of a missing case, so ids reveal nothing.
 */
export async function findCaseAccess(db: Db, staff: StaffMember, caseId: string): Promise<CaseAccess> {
  const found = await findCase(db, caseId)
  if (!found) throw new CaseNotFound()
  if (canWorkOn(staff, found.officeId)) return { record: found, as: 'office', involvedOfficeIds: [] }
  const involvedOfficeIds = await listInvolvedOffices(db, caseId, caseworkOfficeIds(staff))
  if (involvedOfficeIds.length === 0) throw new CaseNotFound()
  return { record: found, as: 'involved', involvedOfficeIds }
}

/**
 * A case of an office where the person works on cases; any other id answers like a missing one. Actions call it
 * as it is: only the case's own office acts. Pages that only read pass `allowInvolved` to let involved offices in.
 */
export async function findCaseForStaff(
  db: Db,
  staff: StaffMember,
  caseId: string,
  opts: { allowInvolved?: boolean } = {},
): Promise<CaseRecord> {
  if (opts.allowInvolved) return (await findCaseAccess(db, staff, caseId)).record
  const found = await findCase(db, caseId)
  if (!found || !canWorkOn(staff, found.officeId)) throw new CaseNotFound()
  return found
}

/** The audit row of a read: an involved office's reads say so, and are listed under the case's office. */
function readAudit(access: CaseAccess) {
  return access.as === 'involved' ? { details: { as: 'involved', involvedOfficeIds: access.involvedOfficeIds } } : {}
}

/** The kernel's part of a case for the case view (features load their sections); every look at personal data leaves an audit row. */
export async function readCaseForStaff(db: Db, staff: StaffMember, caseId: string): Promise<CaseDossier> {
  return db.transaction().execute(async trx => {
    const access = await findCaseAccess(trx, staff, caseId)
    const record = access.record
    const events = await listCaseEvents(trx, caseId, { publicOnly: false })
    const files = await listCaseFiles(trx, caseId)
    const messages = await listMessagesOfCase(trx, caseId)
    const involvements = await listInvolvementsOfCase(trx, caseId)
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'case.read',
      subjectType: 'case',
      subjectId: caseId,
      officeId: record.officeId,
      ...readAudit(access),
    })
    return { record, events, files, messages, access: access.as, involvements }
  })
}

export async function readCaseFileForStaff(db: Db, staff: StaffMember, caseId: string, fileId: string) {
  return db.transaction().execute(async trx => {
    const access = await findCaseAccess(trx, staff, caseId)
    const file = await findCaseFile(trx, caseId, fileId)
    if (!file) throw new CaseFileNotFound()
    const extra = readAudit(access)
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'case.file.read',
      subjectType: 'file',
      subjectId: fileId,
      officeId: access.record.officeId,
      details: { caseId, ...extra.details },
    })
    return file
  })
}

/** A file of one of the account's own cases; anyone else's answers like a missing one. */
export async function readCaseFileForAccount(db: Db, accountId: string, fileId: string) {
  return db.transaction().execute(async trx => {
    const file = await findFileOfAccountCase(trx, accountId, fileId)
    if (!file) throw new CaseFileNotFound()
    await audit(trx, {
      actor: { accountId },
      action: 'case.file.read',
      subjectType: 'file',
      subjectId: fileId,
      officeId: file.officeId,
      details: { caseId: file.caseId },
    })
    return file
  })
}
