import type { Trx } from '../../platform/db/database.js'
import type { ApplicantReply } from '../postbox/index.js'
import { restartDeadlineClock } from './cases.deadlines.clock.js'
import { insertCaseEvent } from './cases.queries.js'

/** The office's timeline shows an applicant's reply; documents asked for restart the stopped deadline clock. */
export async function recordApplicantReply(trx: Trx, reply: ApplicantReply): Promise<void> {
  await insertCaseEvent(trx, {
    caseId: reply.caseId,
    kind: reply.providesDocuments ? 'documents_provided' : 'message_received',
    internal: false,
    actorAccountId: reply.accountId,
    data: { messageId: reply.replyId, inReplyTo: reply.inReplyTo, fileCount: reply.fileCount },
  })
  if (reply.providesDocuments) await restartDeadlineClock(trx, reply.caseId)
}
