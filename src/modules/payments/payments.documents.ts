import type { Config } from '../../platform/config.js'
import type { FeeNoticeLine } from '../../platform/db/schema.js'
import { formatDate, formatMoney, formatNumber, translator, type Locale } from '../../platform/i18n/i18n.js'
import { letterheadOf, renderLetterPdf, type LetterBlock } from '../../platform/pdf/index.js'

function feeTable(lines: FeeNoticeLine[], totalCents: number, locale: Locale): LetterBlock {
  const t = translator(locale)
  return {
    kind: 'table',
    caption: t.text('payments.fees.title'),
    columns: [
      { label: t.text('payments.fees.item') },
      { label: t.text('payments.pdf.quantity'), align: 'right' },
      { label: t.text('payments.fees.amount'), align: 'right' },
    ],
    rows: lines.map(l => [
      l.label[locale],
      l.quantity === 1 ? '' : `${formatNumber(l.quantity, locale)} × ${formatMoney(l.unitCents, locale)}`,
      formatMoney(l.totalCents, locale),
    ]),
    footer: [t.text('payments.fees.total'), '', formatMoney(totalCents, locale)],
  }
}

export interface FeeNoticeDocument {
  locale: Locale
  number: string
  issuedOn: string
  dueOn: string
  period: { start: string; end: string } | null
  lines: FeeNoticeLine[]
  amountCents: number
  serviceTitle: string
  caseReference: string
  /** Name and postal address for the window. */
  recipient: string[]
  officeName: string
  legalBasis: string | null
  payableOnline: boolean
}

/** The fee notice (Gebührenbescheid) as a tagged PDF on the city's letterhead, in the applicant's language. */
export function renderFeeNoticePdf(config: Config, d: FeeNoticeDocument): Promise<Buffer> {
  const letterhead = letterheadOf(config.letterheadFile)
  const t = translator(d.locale)
  const amount = formatMoney(d.amountCents, d.locale)
  const body: LetterBlock[] = [
    {
      kind: 'paragraph',
      text: t.text('payments.pdf.notice.intro', { service: d.serviceTitle, reference: d.caseReference }),
    },
    ...(d.period
      ? [
          {
            kind: 'paragraph' as const,
            text: t.text('payments.pdf.notice.period', {
              from: formatDate(d.period.start, d.locale),
              to: formatDate(d.period.end, d.locale),
            }),
          },
        ]
      : []),
    feeTable(d.lines, d.amountCents, d.locale),
    { kind: 'heading', text: t.text('payments.pdf.notice.howToPay') },
    { kind: 'paragraph', text: t.text('payments.pdf.notice.dueBy', { amount, dueOn: formatDate(d.dueOn, d.locale) }) },
    ...(d.payableOnline ? [{ kind: 'paragraph' as const, text: t.text('payments.pdf.notice.online') }] : []),
    {
      kind: 'facts',
      items: [
        { label: t.text('payments.pdf.accountHolder'), value: letterhead.bank.accountHolder },
        { label: 'IBAN', value: letterhead.bank.iban },
        { label: 'BIC', value: letterhead.bank.bic },
        { label: t.text('payments.pdf.purpose'), value: d.number },
      ],
    },
    ...(d.legalBasis
      ? [
          { kind: 'heading' as const, text: t.text('payments.pdf.notice.legalBasisTitle') },
          { kind: 'paragraph' as const, text: d.legalBasis },
        ]
      : []),
    { kind: 'heading', text: t.text('payments.pdf.notice.remedyTitle') },
    { kind: 'paragraph', text: t.text('payments.pdf.notice.remedy') },
  ]
  return renderLetterPdf(
    {
      locale: d.locale,
      title: t.text('payments.pdf.notice.title', { number: d.number }),
      office: { name: d.officeName },
      recipient: d.recipient,
      date: new Date(`${d.issuedOn}T12:00:00Z`),
      references: [
        { label: t.text('payments.pdf.cashReference'), value: d.number },
        { label: t.text('payments.pdf.caseReference'), value: d.caseReference },
      ],
      subject: t.text('payments.pdf.notice.subject', { service: d.serviceTitle }),
      body,
    },
    letterhead,
  )
}

export interface ReceiptDocument {
  locale: Locale
  paymentReference: string
  paidAt: Date
  amountCents: number
  method: string | null
  serviceTitle: string
  caseReference: string
  payerName: string
  officeName: string
  feeNoticeNumber: string | null
  description: string
}

/** The payment receipt (Zahlungsquittung) as a tagged PDF, in the payer's language. */
export function renderReceiptPdf(config: Config, d: ReceiptDocument): Promise<Buffer> {
  const t = translator(d.locale)
  return renderLetterPdf(
    {
      locale: d.locale,
      title: t.text('payments.pdf.receipt.title', { reference: d.paymentReference }),
      office: { name: d.officeName },
      recipient: [d.payerName],
      date: d.paidAt,
      references: [
        { label: t.text('payments.pdf.paymentReference'), value: d.paymentReference },
        ...(d.feeNoticeNumber ? [{ label: t.text('payments.pdf.cashReference'), value: d.feeNoticeNumber }] : []),
        { label: t.text('payments.pdf.caseReference'), value: d.caseReference },
      ],
      subject: t.text('payments.pdf.receipt.subject', { service: d.serviceTitle }),
      body: [
        {
          kind: 'paragraph',
          text: t.text('payments.pdf.receipt.intro', { amount: formatMoney(d.amountCents, d.locale) }),
        },
        {
          kind: 'facts',
          items: [
            { label: t.text('payments.pdf.purpose'), value: d.description },
            { label: t.text('payments.fees.amount'), value: formatMoney(d.amountCents, d.locale) },
            { label: t.text('payments.pdf.receipt.paidAt'), value: formatDate(d.paidAt, d.locale) },
            ...(d.method ? [{ label: t.text('payments.pdf.receipt.method'), value: d.method }] : []),
          ],
        },
        { kind: 'paragraph', text: t.text('payments.pdf.receipt.keep') },
      ],
    },
    letterheadOf(config.letterheadFile),
  )
}
