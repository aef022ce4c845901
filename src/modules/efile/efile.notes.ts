import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import type { CaseOfFile, EfileCaseAccess } from './efile.cases.js'
import { FileDocumentNotFound, NoteEditConflict, NoteNotEditable, type CurrentNote } from './efile.errors.js'
import { fileDocument } from './efile.file.js'
import { findCurrentVersion, lockDocument } from './efile.queries.js'

/** As long as a new note may be (cases: NOTE_MAX). */
export const NOTE_TEXT_MAX = 5000

/** A note of the case, current version, for the editor; only staff who work on the case in its office may edit. */
export async function openNoteForEdit(
  db: Db,
  cases: EfileCaseAccess,
  staff: StaffMember,
  caseId: string,
  documentId: string,
): Promise<{ record: CaseOfFile; title: string; note: CurrentNote }> {
  return db.transaction().execute(async trx => {
    // An office involved for a statement reads the file, and is told that only the case's office edits.
    const record = await cases.findForStaff(trx, staff, caseId, { allowInvolved: true })
    if (!cases.canWorkOn(staff, record.officeId)) throw new NoteNotEditable()
    const current = await findCurrentVersion(trx, caseId, documentId)
    if (current?.kind !== 'note') throw new FileDocumentNotFound()
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'efile.read',
      subjectType: 'file_document',
      subjectId: documentId,
      officeId: record.officeId,
      details: { caseId, version: current.version },
    })
    return {
      record,
      title: current.title,
      note: {
        version: current.version,
        text: current.text ?? '',
        createdAt: current.createdAt,
        createdByName: current.createdByStaffName,
      },
    }
  })
}

/**
 * Saves an edited note as a new version; the earlier ones stay. The editor sends the version it started from:
 * when someone saved a newer one meanwhile, nothing is saved and NoteEditConflict carries the newer text.
 * Returns the version now current (unchanged when the text is the same).
 */
export async function editNote(
  db: Db,
  cases: EfileCaseAccess,
  staff: StaffMember,
  caseId: string,
  documentId: string,
  input: { text: string; basedOnVersion: number },
): Promise<number> {
  return db.transaction().execute(async trx => {
    // An office involved for a statement reads the file, and is told that only the case's office edits.
    const record = await cases.findForStaff(trx, staff, caseId, { allowInvolved: true })
    if (!cases.canWorkOn(staff, record.officeId)) throw new NoteNotEditable()
    // The lock orders concurrent editors: the second one sees the first one's version.
    const locked = await lockDocument(trx, documentId)
    if (!locked || locked.caseId !== caseId || locked.kind !== 'note') throw new FileDocumentNotFound()
    const current = await findCurrentVersion(trx, caseId, documentId)
    if (!current) throw new FileDocumentNotFound()
    if (current.version !== input.basedOnVersion) {
      throw new NoteEditConflict({
        version: current.version,
        text: current.text ?? '',
        createdAt: current.createdAt,
        createdByName: current.createdByStaffName,
      })
    }
    if (current.text === input.text) return current.version
    const saved = await fileDocument(trx, {
      caseId,
      kind: 'note',
      title: locked.title,
      documentId,
      text: input.text,
      actor: { staffId: staff.id },
    })
    await cases.setNoteText(trx, caseId, documentId, input.text)
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'efile.note.edit',
      subjectType: 'file_document',
      subjectId: documentId,
      officeId: record.officeId,
      details: { caseId, version: saved.version },
    })
    return saved.version
  })
}
