import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import { addDays, addWorkingDays, isIsoDay } from '../../platform/calendar/index.js'
import { storeFile } from '../../platform/files/files.js'
import { publishLive } from '../../platform/live/index.js'
import { isLocale, translator, type Locale, type Translate } from '../../platform/i18n/i18n.js'
import type { FieldError } from '../../platform/views/components.js'
import type { Office, ServiceDefinition, ServiceRegistry } from '../catalogue/index.js'
import { fileDocument } from '../efile/index.js'
import { canWorkOn, caseworkOfficeIds } from './cases.access.js'
import {
  CaseClosed,
  CaseNotFound,
  CaseVersionMissing,
  InvolvementAlreadyOpen,
  InvolvementNotOpen,
  NoCaseworkOffice,
  StatementChanged,
} from './cases.errors.js'
import {
  attachInvolvementFilesToCase,
  findInvolvement,
  findInvolvementFile,
  findOpenInvolvement,
  insertInvolvement,
  linkInvolvementFiles,
  listInvolvementsOfOffices,
  lockInvolvement,
  setInvolvementWithdrawn,
  updateStatement,
  type Involvement,
} from './cases.involvements.queries.js'
import { announceCaseChange, involvementsTopic } from './cases.live.js'
import { findStaffName, insertCaseEvent, lockCase } from './cases.queries.js'
import { findCaseAccess } from './cases.read.js'
import { isFinalStatus } from './cases.workflow.js'

export const TASK_MAX = 2000
export const STATEMENT_MAX = 20000
/** Documents one statement may bring. */
export const STATEMENT_FILES_MAX = 5
/** The customary time an office gets for its statement, unless the lead office sets another day. */
export const INVOLVEMENT_DUE_WORKING_DAYS = 10

export interface InvolvementRequest {
  officeId: string
  task: string
  dueOn: string
}

export function defaultInvolvementDueOn(today: string): string {
  return addWorkingDays(today, INVOLVEMENT_DUE_WORKING_DAYS)
}

/** What the lead office must fix in a request: each problem names its field, everything typed is kept. */
export function validateInvolvementRequest(
  input: InvolvementRequest,
  leadOfficeId: string,
  offices: Office[],
  today: string,
  t: Translate,
): FieldError[] {
  const errors: FieldError[] = []
  if (!input.officeId || !offices.some(o => o.id === input.officeId))
    errors.push({ fieldId: 'involveOffice', message: t.text('cases.involvement.errors.office') })
  else if (input.officeId === leadOfficeId)
    errors.push({ fieldId: 'involveOffice', message: t.text('cases.involvement.errors.ownOffice') })
  if (!input.task) errors.push({ fieldId: 'involveTask', message: t.text('cases.involvement.errors.taskEmpty') })
  else if (input.task.length > TASK_MAX)
    errors.push({ fieldId: 'involveTask', message: t.text('cases.errors.tooLong', { max: TASK_MAX }) })
  if (!isIsoDay(input.dueOn) || input.dueOn <= today || input.dueOn > addDays(today, 365))
    errors.push({ fieldId: 'involveDueOn', message: t.text('cases.involvement.errors.dueOn') })
  return errors
}

/** The offices a definition names as typically involved, each with its suggested task, leaving out the lead office. */
export function suggestedInvolvements(
  definition: ServiceDefinition,
  locale: Locale,
): { officeId: string; task: string }[] {
  return (definition.involvements ?? [])
    .filter(s => s.office !== definition.office)
    .map(s => ({ officeId: s.office, task: s.task[locale] }))
}

const officeName = (offices: Office[], id: string) => {
  const office = offices.find(o => o.id === id)
  return office ? { de: office.name.de, en: office.name.en } : { de: id, en: id }
}

/**
 * A caseworker or team lead of the case's office asks another office for a statement by a day. Appending a
 * request overwrites nothing, so it is not versioned; a second open request to the same office is refused,
 * naming who asked, and so is a request on a closed case.
 */
export async function requestInvolvement(
  db: Db,
  services: ServiceRegistry,
  staff: StaffMember,
  caseId: string,
  input: InvolvementRequest,
): Promise<string> {
  return db.transaction().execute(async trx => {
    const found = await lockCase(trx, caseId)
    if (!found || !canWorkOn(staff, found.officeId)) throw new CaseNotFound()
    const definition = await services.version(found.serviceId, found.serviceVersion)
    if (isFinalStatus(definition, found.status)) throw new CaseClosed()
    const office = officeName(services.offices, input.officeId)
    const id = await insertInvolvement(trx, {
      id: crypto.randomUUID(),
      caseId,
      officeId: input.officeId,
      task: input.task,
      dueOn: input.dueOn,
      staffId: staff.id,
    })
    if (!id) {
      const open = await findOpenInvolvement(trx, caseId, input.officeId)
      throw new InvolvementAlreadyOpen(office.de, open?.requestedByName ?? '–')
    }
    await insertCaseEvent(trx, {
      caseId,
      kind: 'involvement_requested',
      internal: true,
      actorStaffId: staff.id,
      data: { involvementId: id, officeId: input.officeId, office, dueOn: input.dueOn },
    })
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'case.involvement.request',
      subjectType: 'case',
      subjectId: caseId,
      officeId: found.officeId,
      details: { involvementId: id, involvedOfficeId: input.officeId, dueOn: input.dueOn },
    })
    await publishLive(trx, {
      topic: involvementsTopic(input.officeId),
      kind: 'changed',
      data: { what: 'involvement_requested', by: staff.name },
    })
    return id
  })
}

/**
 * The lead office withdraws an open request; the other office's access to the case ends with it. Decided on the
 * request's state, not on a version: an answer given meanwhile is named (409), a draft of it does not matter.
 */
export async function withdrawInvolvement(
  db: Db,
  services: ServiceRegistry,
  staff: StaffMember,
  caseId: string,
  involvementId: string,
): Promise<void> {
  await db.transaction().execute(async trx => {
    const found = await lockCase(trx, caseId)
    if (!found || !canWorkOn(staff, found.officeId)) throw new CaseNotFound()
    const involvement = await lockInvolvement(trx, caseId, involvementId)
    if (!involvement) throw new CaseNotFound()
    if (involvement.status !== 'requested') {
      const by = involvement.status === 'answered' ? involvement.answeredByStaffId : involvement.withdrawnByStaffId
      throw new InvolvementNotOpen(involvement.status, by ? ((await findStaffName(trx, by))?.name ?? '–') : '–')
    }
    await setInvolvementWithdrawn(trx, involvementId, staff.id)
    await insertCaseEvent(trx, {
      caseId,
      kind: 'involvement_withdrawn',
      internal: true,
      actorStaffId: staff.id,
      data: {
        involvementId,
        officeId: involvement.officeId,
        office: officeName(services.offices, involvement.officeId),
      },
    })
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'case.involvement.withdraw',
      subjectType: 'case',
      subjectId: caseId,
      officeId: found.officeId,
      details: { involvementId, involvedOfficeId: involvement.officeId },
    })
    await publishLive(trx, {
      topic: involvementsTopic(involvement.officeId),
      kind: 'changed',
      data: { what: 'involvement_withdrawn', by: staff.name },
    })
  })
}

/**
 * The involvement a person may answer: one of their office's, on this case, still open. Anyone else gets the 404
 * of a missing case (the lead office reads statements, it does not write them).
 */
export async function findInvolvementToAnswer(
  db: Db,
  staff: StaffMember,
  caseId: string,
  involvementId: string,
): Promise<Involvement> {
  const involvement = await findInvolvement(db, caseId, involvementId)
  if (!involvement || !canWorkOn(staff, involvement.officeId) || involvement.status === 'withdrawn')
    throw new CaseNotFound()
  return involvement
}

export interface StatementUpload {
  filename: string
  content: Buffer
  mediaType: string
}

/**
 * Someone of the involved office saves the statement as a draft, or gives it as the answer (then it is final,
 * the lead office sees it, and it is filed in the case file with its documents). Versioned on the statement: a
 * save meanwhile by a colleague is not overwritten; StatementChanged carries the saved text to show beside theirs.
 */
export async function saveStatement(
  db: Db,
  services: ServiceRegistry,
  staff: StaffMember,
  caseId: string,
  involvementId: string,
  input: { text: string; answer: boolean; uploads: StatementUpload[]; expectedVersion: number | undefined },
): Promise<void> {
  await db.transaction().execute(async trx => {
    const found = await lockCase(trx, caseId)
    if (!found) throw new CaseNotFound()
    const involvement = await lockInvolvement(trx, caseId, involvementId)
    if (!involvement || !canWorkOn(staff, involvement.officeId) || involvement.status === 'withdrawn')
      throw new CaseNotFound()
    if (involvement.status === 'answered')
      throw new InvolvementNotOpen(
        'answered',
        involvement.answeredByStaffId ? ((await findStaffName(trx, involvement.answeredByStaffId))?.name ?? '–') : '–',
      )
    if (input.expectedVersion === undefined) throw new CaseVersionMissing()
    if (input.expectedVersion !== involvement.version) {
      const by = involvement.statementSavedByStaffId
        ? ((await findStaffName(trx, involvement.statementSavedByStaffId))?.name ?? null)
        : null
      throw new StatementChanged({
        text: involvement.statement,
        by,
        at: involvement.statementSavedAt,
        version: involvement.version,
      })
    }
    const version = await updateStatement(trx, involvementId, {
      text: input.text,
      staffId: staff.id,
      answer: input.answer,
    })
    const fileIds: string[] = []
    for (const upload of input.uploads) {
      // Documents of a draft are not part of the case yet: only the involved office sees them until the answer.
      fileIds.push(
        (
          await storeFile(trx, {
            content: upload.content,
            filename: upload.filename,
            mediaType: upload.mediaType,
            staffId: staff.id,
          })
        ).fileId,
      )
    }
    await linkInvolvementFiles(trx, involvementId, fileIds)
    const office = officeName(services.offices, involvement.officeId)
    if (input.answer) {
      const all = await findInvolvement(trx, caseId, involvementId)
      // Filed in the case's language, as the rest of its file.
      const caseLocale = isLocale(found.locale) ? found.locale : 'de'
      const title = translator(caseLocale).text('cases.involvement.documentTitle', { office: office[caseLocale] })
      const filed = await fileDocument(trx, {
        caseId,
        kind: 'statement',
        title,
        text: input.text,
        actor: { staffId: staff.id },
      })
      for (const file of all?.files ?? []) {
        await fileDocument(trx, {
          caseId,
          kind: 'statement',
          title: `${title}: ${file.filename}`,
          fileId: file.id,
          actor: { staffId: staff.id },
        })
      }
      await attachInvolvementFilesToCase(trx, involvementId, caseId)
      await insertCaseEvent(trx, {
        caseId,
        kind: 'involvement_answered',
        internal: true,
        actorStaffId: staff.id,
        data: {
          involvementId,
          officeId: involvement.officeId,
          office,
          fileCount: all?.files.length ?? 0,
          documentId: filed.documentId,
        },
      })
      await audit(trx, {
        actor: { staffId: staff.id },
        action: 'case.involvement.answer',
        subjectType: 'case',
        subjectId: caseId,
        officeId: found.officeId,
        details: { involvementId, involvedOfficeId: involvement.officeId, fileIds, documentId: filed.documentId },
      })
      await publishLive(trx, {
        topic: involvementsTopic(involvement.officeId),
        kind: 'changed',
        data: { what: 'involvement_answered', by: staff.name },
      })
    } else {
      await audit(trx, {
        actor: { staffId: staff.id },
        action: 'case.involvement.save',
        subjectType: 'case',
        subjectId: caseId,
        officeId: found.officeId,
        details: { involvementId, involvedOfficeId: involvement.officeId, version, fileIds },
      })
      // A draft changes no version of the case, but colleagues of the office who have it open see the new text.
      await announceCaseChange(trx, caseId, {
        version: found.version,
        by: staff.name,
        what: 'statement_saved',
        minor: true,
      })
    }
  })
}

/**
 * A document of a statement: the involved office sees its own at any time, everyone who may read the case sees
 * them once the statement is given. Audited like every file read.
 */
export async function readInvolvementFile(
  db: Db,
  staff: StaffMember,
  caseId: string,
  involvementId: string,
  fileId: string,
) {
  return db.transaction().execute(async trx => {
    const access = await findCaseAccess(trx, staff, caseId)
    const involvement = await findInvolvement(trx, caseId, involvementId)
    const visible = involvement && (canWorkOn(staff, involvement.officeId) || involvement.status === 'answered')
    const file = visible ? await findInvolvementFile(trx, involvementId, fileId) : undefined
    if (!file) throw new CaseNotFound()
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'case.file.read',
      subjectType: 'file',
      subjectId: fileId,
      officeId: access.record.officeId,
      details: {
        caseId,
        involvementId,
        ...(access.as === 'involved' ? { as: 'involved', involvedOfficeIds: access.involvedOfficeIds } : {}),
      },
    })
    return file
  })
}

export interface InvolvementListEntry {
  id: string
  caseId: string
  reference: string
  serviceTitle: string
  leadOffice: string
  office: string
  task: string
  dueOn: string
  status: 'requested' | 'answered'
  isOverdue: boolean
}

/** "Beteiligungen": the statements asked of the person's offices, open ones first. Lists no personal data but the reference. */
export async function listInvolvementsForStaff(
  db: Db,
  services: ServiceRegistry,
  staff: StaffMember,
  locale: Locale,
  today: string,
): Promise<InvolvementListEntry[]> {
  const officeIds = caseworkOfficeIds(staff)
  if (officeIds.length === 0) throw new NoCaseworkOffice()
  const rows = await listInvolvementsOfOffices(db, officeIds, 200)
  const entries: InvolvementListEntry[] = []
  for (const row of rows) {
    const definition = await services.version(row.serviceId, row.serviceVersion)
    entries.push({
      id: row.id,
      caseId: row.caseId,
      reference: row.reference,
      serviceTitle: definition.title[locale],
      leadOffice: services.office(row.leadOfficeId)?.name[locale] ?? row.leadOfficeId,
      office: services.office(row.officeId)?.name[locale] ?? row.officeId,
      task: row.task,
      dueOn: row.dueOn,
      status: row.status === 'answered' ? 'answered' : 'requested',
      isOverdue: row.status === 'requested' && row.dueOn < today,
    })
  }
  return entries
}
