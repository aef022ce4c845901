import type { Config } from '../../platform/config.js'
import type { Db } from '../../platform/db/database.js'
import { audit } from '../../platform/audit/audit.js'
import { storeFile } from '../../platform/files/files.js'
import { formatMoney, isLocale, translator } from '../../platform/i18n/i18n.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { findCase } from '../cases/index.js'
import { deliverToApplicant } from '../postbox/index.js'
import { fileDocument } from '../efile/index.js'
import { renderReceiptPdf } from './payments.documents.js'
import { findFeeNotice, findPayment, lockPayment, setReceiptFile } from './payments.queries.js'

/**
 * Sends the receipt of a paid payment into the applicant's postbox (and by mail) as a PDF, kept in the case
 * file. Run as a job after the booking; sends nothing twice, even when the job runs again.
 */
export async function sendReceipt(
  deps: { db: Db; services: ServiceRegistry; config: Config },
  paymentId: string,
): Promise<boolean> {
  const { db, services, config } = deps
  const payment = await findPayment(db, paymentId)
  if (!payment?.caseId || payment.receiptFileId || (payment.status !== 'paid' && payment.status !== 'refunded'))
    return false
  const c = await findCase(db, payment.caseId)
  if (!c) return false
  const definition = await services.version(c.serviceId, c.serviceVersion)
  const locale = isLocale(c.locale) ? c.locale : 'de'
  const t = translator(locale)
  const notice = payment.feeNoticeId ? await findFeeNotice(db, payment.feeNoticeId) : undefined
  const pdf = await renderReceiptPdf(config, {
    locale,
    paymentReference: payment.reference,
    paidAt: payment.paidAt ?? new Date(),
    amountCents: payment.amountCents,
    method: null,
    serviceTitle: definition.title[locale],
    caseReference: c.reference,
    payerName: c.applicantName,
    officeName: services.office(c.officeId)?.name[locale] ?? c.officeId,
    feeNoticeNumber: notice?.number ?? null,
    description: payment.description,
  })
  return db.transaction().execute(async trx => {
    // Locked and read again: a second run of the job that got here first has set the receipt.
    const locked = await lockPayment(trx, paymentId)
    if (!locked || locked.receiptFileId) return false
    const file = await storeFile(trx, {
      content: pdf,
      filename: `${t.text('payments.receipt.filename')}-${payment.reference}.pdf`,
      mediaType: 'application/pdf',
      caseId: c.id,
    })
    await fileDocument(trx, {
      caseId: c.id,
      kind: 'receipt',
      title: t.text('payments.pdf.receipt.title', { reference: payment.reference }),
      fileId: file.fileId,
      actor: {},
    })
    await setReceiptFile(trx, paymentId, file.fileId)
    await deliverToApplicant(
      trx,
      {
        caseId: c.id,
        reference: c.reference,
        accountId: c.accountId,
        applicantEmail: c.applicantEmail,
        locale,
        senderStaffId: null,
        subject: t.text('payments.receipt.subject', { service: definition.title[locale] }),
        body: t.text('payments.receipt.body', {
          amount: formatMoney(payment.amountCents, locale),
          reference: payment.reference,
          caseReference: c.reference,
        }),
        fileIds: [file.fileId],
      },
      config.baseUrl,
    )
    await audit(trx, {
      actor: {},
      action: 'payment.receipt',
      subjectType: 'payment',
      subjectId: paymentId,
      officeId: c.officeId,
      details: { fileId: file.fileId },
    })
    return true
  })
}
