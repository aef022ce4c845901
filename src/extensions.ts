// What the lower layers get from the higher ones, wired here so that no lower module imports a higher one
// (docs/architecture.md): the e-file's view of cases, the staff admin's case lookups, the postbox's message parts
// and the catalogue's service-page parts.
import type { ServicePagePart } from './modules/catalogue/index.js'
import type { EfileCaseAccess } from './modules/efile/index.js'
import type { MessagePart, RecordReplyInCase } from './modules/postbox/index.js'
import type { StaffAdminLookups } from './modules/staff/index.js'
import {
  canWorkOn,
  findCaseForStaff,
  findCaseIdByReference,
  findCaseReferences,
  recordApplicantReply,
  setNoteEventText,
} from './modules/cases/index.js'
import { listApiKeys } from './modules/open311/index.js'
import { feeNoticeMessagePart, serviceFeesPart } from './modules/payments/index.js'

/** The e-file reads its case through the kernel: access as on the case page, and the timeline's note text. */
export const efileCaseAccess: EfileCaseAccess = {
  findForStaff: findCaseForStaff,
  canWorkOn,
  setNoteText: setNoteEventText,
}

/** The administration's audit log names cases by reference; its overview counts Open311's API keys. */
export const staffAdminLookups: StaffAdminLookups = {
  findCaseIdByReference,
  findCaseReferences,
  countActiveApiKeys: async db => (await listApiKeys(db)).filter(key => !key.revokedAt).length,
}

/** What a service page shows besides the catalogue's own text, after the documents. */
export const servicePageParts: readonly ServicePagePart[] = [serviceFeesPart]

/** What a message in the postbox shows besides its text and files, after the files. */
export const messageParts: readonly MessagePart<unknown>[] = [feeNoticeMessagePart]

/** A reply in the postbox goes on the case's timeline (and may restart its deadline). */
export const recordReplyInCase: RecordReplyInCase = recordApplicantReply
