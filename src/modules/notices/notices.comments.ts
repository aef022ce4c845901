import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import { BadRequest } from '../../platform/http/errors.js'
import { announceNotices, findDraftForStaff, officeOfStaffFor } from './notices.drafts.js'
import { NoticeClosed, NoticeNotFound } from './notices.errors.js'
import { insertNoticeComment, lockNoticeDraft } from './notices.queries.js'

export const MAX_COMMENT_LENGTH = 4000

/** What is wrong with a comment's text, as a message key; undefined when it may be posted. */
export function commentProblem(
  text: string,
): 'notices.errors.commentMissing' | 'notices.errors.commentTooLong' | undefined {
  if (!text.trim()) return 'notices.errors.commentMissing'
  if (text.length > MAX_COMMENT_LENGTH) return 'notices.errors.commentTooLong'
  return undefined
}

/**
 * A comment on a notice draft by anyone who may read the case: a consulted office says what the lead office should
 * change (it does not edit the draft itself), and the lead office may answer. Audited; a closed draft takes none.
 */
export async function commentOnNotice(
  db: Db,
  staff: StaffMember,
  caseId: string,
  draftId: string,
  text: string,
): Promise<string> {
  const problem = commentProblem(text)
  if (problem) throw new BadRequest(problem, { max: MAX_COMMENT_LENGTH })
  const { caseRecord } = await findDraftForStaff(db, staff, caseId, draftId)
  const id = crypto.randomUUID()
  const officeId = officeOfStaffFor(staff, caseRecord)
  await db.transaction().execute(async trx => {
    const draft = await lockNoticeDraft(trx, caseId, draftId)
    if (!draft) throw new NoticeNotFound()
    if (draft.status !== 'draft') throw new NoticeClosed(draft.status)
    await insertNoticeComment(trx, { id, draftId, staffId: staff.id, officeId, body: text.trim() })
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'notice.comment',
      subjectType: 'notice_draft',
      subjectId: draftId,
      officeId: caseRecord.officeId,
      details: { caseId, commentId: id, office: officeId },
    })
    // The case page's notices region counts the comments.
    await announceNotices(trx, caseRecord, staff, 'notice_commented')
  })
  return id
}
