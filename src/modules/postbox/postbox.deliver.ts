import type { Trx } from '../../platform/db/database.js'
import { queueMail } from '../../platform/mail/mail.js'
import { isLocale, translator } from '../../platform/i18n/i18n.js'
import { insertMessage, linkMessageFiles } from './postbox.queries.js'
import { fileDocument } from '../efile/index.js'
import { wantsEmailNotices } from '../../platform/privacy/consents.js'

export interface ApplicantMessage {
  caseId: string
  reference: string
  /** null for anonymous applications and those filed at the counter: then the mail is the only channel. */
  accountId: string | null
  applicantEmail: string | null
  /** The case's language, in which the applicant applied. */
  locale: string
  senderStaffId: string | null
  subject: string
  body: string
  requestsDocuments?: boolean
  documentsDueOn?: string | null
  /** Files of the case sent with the message (a notice as PDF). */
  fileIds?: string[]
}

/**
 * Puts a message into the applicant's postbox and queues a mail, in the caller's transaction.
 * An account holder gets a notice with a link (content stays behind the login); without an account the mail carries the text.
 */
export async function deliverToApplicant(trx: Trx, message: ApplicantMessage, baseUrl: string): Promise<string> {
  const messageId = await insertMessage(trx, {
    caseId: message.caseId,
    accountId: message.accountId,
    direction: 'to_applicant',
    senderStaffId: message.senderStaffId,
    subject: message.subject,
    body: message.body,
    requestsDocuments: message.requestsDocuments ?? false,
    documentsDueOn: message.requestsDocuments ? (message.documentsDueOn ?? null) : null,
  })
  if (message.fileIds?.length) await linkMessageFiles(trx, messageId, message.fileIds)
  // Every letter to the applicant is on file; files sent with it (a notice, a receipt) are filed by their sender.
  await fileDocument(trx, {
    caseId: message.caseId,
    kind: 'message',
    title: message.subject,
    text: message.body,
    actor: { staffId: message.senderStaffId },
  })
  // An account holder who withdrew the consent to e-mail notices finds the message in the postbox only.
  const mailWanted = message.accountId ? await wantsEmailNotices(trx, message.accountId) : true
  if (message.applicantEmail && mailWanted) {
    const t = translator(isLocale(message.locale) ? message.locale : 'de')
    const params = {
      reference: message.reference,
      subject: message.subject,
      body: message.body,
      link: `${baseUrl}/account/postbox/${messageId}`,
    }
    await queueMail(trx, {
      to: message.applicantEmail,
      subject: t.text('postbox.mail.subject', params),
      text: message.accountId
        ? t.text('postbox.mail.notice', params)
        : t.text(message.requestsDocuments ? 'postbox.mail.fullTextDocuments' : 'postbox.mail.fullText', params),
      // Without an account there is no postbox: the files travel with the mail. With one, they stay behind the login.
      fileIds: message.accountId ? [] : message.fileIds,
    })
  }
  return messageId
}
