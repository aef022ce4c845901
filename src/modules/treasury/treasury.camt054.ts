import { centsToDecimal } from './treasury.format.js'
import { isoInCity } from '../../platform/calendar/index.js'
import { dayInCity } from '../../platform/calendar/index.js'

/*
 * Bookings as an ISO 20022 camt.054.001.08 message, BankToCustomerDebitCreditNotificationV08
 * (namespace urn:iso:std:iso:20022:tech:xsd:camt.054.001.08; ISO 20022 message definition, catalogue
 * "Cash Management" at iso20022.org). German banks deliver this version to their customers, and municipal
 * finance systems (SAP, newsystem, H&H proDoppik, MPS …) import it to match receipts by their cash
 * reference (Kassenzeichen). Element order and types follow the XSD of that version:
 *
 *   Document/BkToCstmrDbtCdtNtfctn
 *     GrpHdr (GroupHeader81): MsgId, CreDtTm
 *     Ntfctn (AccountNotification17): Id, CreDtTm, FrToDt?, Acct, TxsSummry?, Ntry*
 *       Acct (CashAccount39): Id/Othr/Id, Ccy, Nm
 *       TxsSummry (TotalTransactions6): TtlNtries (NbOfNtries, Sum, TtlNetNtry), TtlCdtNtries, TtlDbtNtries
 *       Ntry (ReportEntry10): NtryRef, Amt@Ccy, CdtDbtInd, Sts/Cd, BookgDt/Dt, ValDt/Dt, AcctSvcrRef,
 *             BkTxCd/Domn (Cd, Fmly/Cd, Fmly/SubFmlyCd), NtryDtls/TxDtls (EntryTransaction10: Refs, Amt,
 *             CdtDbtInd, RmtInf/Ustrd), AddtlNtryInf
 *
 * Choices made here:
 * - one Ntfctn for the e-payment clearing account, identified as Othr/Id "BAUHAUS-EPAYMENT" (the platform
 *   holds no IBAN; the finance system maps this id to its clearing account);
 * - one Ntry per payment received (CRDT, booked on the day it was paid) and one per refund paid out (DBIT,
 *   booked on the refund's day); status BOOK; bank transaction codes PMNT/RCDT/OTHR and PMNT/ICDT/OTHR;
 * - NtryRef and EndToEndId carry our payment reference, TxId and AcctSvcrRef the row id (32 hex digits),
 *   RmtInf/Ustrd the Kassenzeichen (the fee notice's number, else the payment reference) and the case
 *   reference — what the finance system matches on;
 * - amounts with a decimal point and two places (ActiveOrHistoricCurrencyAndAmount, DecimalNumber);
 *   text is cut to the XSD's MaxNText lengths and stripped of characters XML 1.0 cannot carry.
 */

export const CAMT054_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.08'
export const CLEARING_ACCOUNT_ID = 'BAUHAUS-EPAYMENT'

export interface CamtSummary {
  messageId: string
  createdAt: Date
  /** The booking period, when the export was asked for one. */
  period?: { from: Date; to: Date }
  credits: { count: number; sumCents: bigint }
  debits: { count: number; sumCents: bigint }
}

export interface CamtEntry {
  direction: 'CRDT' | 'DBIT'
  /** Our payment reference. */
  reference: string
  /** Payment id (receipt) or refund id (refund). */
  rowId: string
  amountCents: number
  bookedAt: Date
  kassenzeichen: string
  caseReference: string | null
  provider: string
  providerPaymentId: string | null
  serviceId: string
}

// XML 1.0 allows no control characters but tab, LF and CR, and no lone surrogates or U+FFFE/U+FFFF.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Text content or attribute value: markup characters escaped, characters XML cannot carry dropped. */
export function xmlText(value: string): string {
  return value
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

/** ISO 20022 MaxNText counts characters; cut by code points, so no surrogate pair is split. */
function maxText(value: string, max: number): string {
  const clean = value.replace(NOT_XML, '').trim()
  const chars = [...clean]
  return chars.length <= max ? clean : chars.slice(0, max).join('')
}

const el = (name: string, content: string) => `<${name}>${content}</${name}>`
const text = (name: string, value: string, max: number) => el(name, xmlText(maxText(value, max)))
const amount = (name: string, cents: bigint | number) => `<${name} Ccy="EUR">${centsToDecimal(cents)}</${name}>`
const compactId = (uuid: string) => uuid.replace(/-/g, '')

export function camtHead(s: CamtSummary): string {
  const net = s.credits.sumCents - s.debits.sumCents
  const created = isoInCity(s.createdAt)
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Document xmlns="${CAMT054_NAMESPACE}"><BkToCstmrDbtCdtNtfctn>` +
    el('GrpHdr', text('MsgId', s.messageId, 35) + el('CreDtTm', created)) +
    '<Ntfctn>' +
    text('Id', s.messageId, 35) +
    el('CreDtTm', created) +
    (s.period ? el('FrToDt', el('FrDtTm', isoInCity(s.period.from)) + el('ToDtTm', isoInCity(s.period.to))) : '') +
    el(
      'Acct',
      el('Id', el('Othr', text('Id', CLEARING_ACCOUNT_ID, 34))) +
        el('Ccy', 'EUR') +
        text('Nm', 'E-Payment Verrechnungskonto', 70),
    ) +
    el(
      'TxsSummry',
      el(
        'TtlNtries',
        el('NbOfNtries', String(s.credits.count + s.debits.count)) +
          el('Sum', centsToDecimal(s.credits.sumCents + s.debits.sumCents)) +
          el(
            'TtlNetNtry',
            el('Amt', centsToDecimal(net < 0n ? -net : net)) + el('CdtDbtInd', net < 0n ? 'DBIT' : 'CRDT'),
          ),
      ) +
        el('TtlCdtNtries', el('NbOfNtries', String(s.credits.count)) + el('Sum', centsToDecimal(s.credits.sumCents))) +
        el('TtlDbtNtries', el('NbOfNtries', String(s.debits.count)) + el('Sum', centsToDecimal(s.debits.sumCents))),
    ) +
    '\n'
  )
}

export function camtEntry(e: CamtEntry): string {
  const day = dayInCity(e.bookedAt)
  const family = e.direction === 'CRDT' ? 'RCDT' : 'ICDT'
  const remittance = [e.kassenzeichen, e.caseReference, e.serviceId].filter(Boolean).join(' ')
  const providerInfo = [e.provider, e.providerPaymentId].filter(Boolean).join(' ')
  return (
    '<Ntry>' +
    text('NtryRef', e.reference, 35) +
    amount('Amt', e.amountCents) +
    el('CdtDbtInd', e.direction) +
    el('Sts', el('Cd', 'BOOK')) +
    el('BookgDt', el('Dt', day)) +
    el('ValDt', el('Dt', day)) +
    text('AcctSvcrRef', compactId(e.rowId), 35) +
    el('BkTxCd', el('Domn', el('Cd', 'PMNT') + el('Fmly', el('Cd', family) + el('SubFmlyCd', 'OTHR')))) +
    el(
      'NtryDtls',
      el(
        'TxDtls',
        el('Refs', text('EndToEndId', e.reference, 35) + text('TxId', compactId(e.rowId), 35)) +
          amount('Amt', e.amountCents) +
          el('CdtDbtInd', e.direction) +
          el('RmtInf', text('Ustrd', remittance, 140)),
      ),
    ) +
    text('AddtlNtryInf', providerInfo, 500) +
    '</Ntry>\n'
  )
}

export function camtTail(): string {
  return '</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n'
}
