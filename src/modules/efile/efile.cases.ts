import type { AssuranceLevel } from '../../platform/auth/assurance.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import type { Db } from '../../platform/db/database.js'

/** The facts of a case that its file shows and hands over to the archive. */
export interface CaseOfFile {
  id: string
  reference: string
  serviceId: string
  serviceVersion: number
  officeId: string
  applicantName: string
  status: string
  submittedAt: Date
  locale: string
  /** The submitter's eIDAS level of assurance (null: identified in person at the counter) and identity provider. */
  assurance: AssuranceLevel | null
  identityProvider: string | null
}

/**
 * What the e-file asks of the case kernel. The kernel files documents, so efile sits below it and cannot import
 * it: the composition root passes these in (src/extensions.ts).
 */
export interface EfileCaseAccess {
  /**
   * The case if this staff member may see it: in their office, or with allowInvolved in an office asked for a
   * statement; otherwise the kernel's not-found error, so ids reveal nothing.
   */
  findForStaff(db: Db, staff: StaffMember, caseId: string, opts?: { allowInvolved?: boolean }): Promise<CaseOfFile>
  /** Whether the staff member works on the office's cases (edits notes, exports); an involved office only reads. */
  canWorkOn(staff: StaffMember, officeId: string): boolean
  /** An edited note: the case's timeline shows its current text. */
  setNoteText(db: Db, caseId: string, documentId: string, text: string): Promise<void>
}
