import { centsToDecimal } from './treasury.format.js'
import { isoInCity } from '../../platform/calendar/index.js'
import type { LedgerEntry } from './treasury.schemas.js'

/*
 * The treasury's CSV, made for Excel in Germany and for machines alike (RFC 4180 apart from the separator):
 * - UTF-8 with a byte-order mark, so Excel does not read "Gebühr" as "GebÃ¼hr";
 * - ";" between fields, as Excel expects in a German locale, CRLF after every record;
 * - a field with ";", '"', CR or LF is quoted, '"' doubled;
 * - amounts twice: *_cents as whole cents (exact, for import) and *_eur with a decimal comma
 *   ("13,00", a number to German Excel; the comma needs no quoting with ";" as separator);
 * - instants as ISO 8601 local time in Germany with offset ("2026-03-01T14:05:00+01:00");
 * - column names fixed and English, whatever the user's language, so an import does not break;
 *   only the service and office names follow the language.
 */

export const CSV_BOM = '\uFEFF'

export const CSV_COLUMNS = [
  'reference',
  'created_at',
  'paid_at',
  'status',
  'amount_cents',
  'amount_eur',
  'refunded_cents',
  'refunded_eur',
  'service_id',
  'service',
  'office_id',
  'office',
  'provider',
  'provider_payment_id',
  'provider_status',
  'provider_checked_at',
  'fee_notice',
  'case_reference',
] as const

// CSV injection: a spreadsheet runs a cell that starts like a formula. Such a cell gets a leading apostrophe,
// which Excel and LibreOffice show as text (OWASP "CSV Injection"); full-width forms count too.
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/

/** One field: guarded against formula injection, quoted when it has to be. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  let text = String(value)
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvRecord(fields: (string | number | null | undefined)[]): string {
  return `${fields.map(csvField).join(';')}\r\n`
}

export function csvHeader(): string {
  return CSV_BOM + csvRecord([...CSV_COLUMNS])
}

export function csvLedgerRecord(e: LedgerEntry): string {
  return csvRecord([
    e.reference,
    isoInCity(e.createdAt),
    e.paidAt ? isoInCity(e.paidAt) : null,
    e.status,
    e.amountCents,
    centsToDecimal(e.amountCents, ','),
    e.refundedCents,
    centsToDecimal(e.refundedCents, ','),
    e.serviceId,
    e.serviceTitle,
    e.officeId,
    e.officeName,
    e.provider,
    e.providerPaymentId,
    e.providerStatus,
    e.providerCheckedAt ? isoInCity(e.providerCheckedAt) : null,
    e.feeNoticeNumber,
    e.caseReference,
  ])
}
