import type { Locale } from '../../platform/i18n/i18n.js'
import type { ServiceDefinition, ServiceRegistry } from '../catalogue/index.js'

/** One processing activity of the city's records (Art. 30 (1) DSGVO): one service, in the reader's language. */
export interface ProcessingEntry {
  serviceId: string
  title: string
  office: string
  purpose: string
  legalBasis: string
  dataCategories: string[]
  recipients: string[]
  retentionYears: number
  retentionLegalBasis: string
  archive: boolean
}

/** The register, one entry per service offered online, by title. Missing parts stay empty (check-services warns). */
export function processingRegister(services: ServiceRegistry, locale: Locale): ProcessingEntry[] {
  return services
    .all()
    .map(def => ({
      serviceId: def.id,
      title: def.title[locale],
      office: services.office(def.office)?.name[locale] ?? def.office,
      purpose: def.processing?.purpose[locale] ?? '',
      legalBasis: def.processing?.legalBasis[locale] ?? '',
      dataCategories: def.processing?.dataCategories[locale] ?? [],
      recipients: def.processing?.recipients[locale] ?? [],
      retentionYears: def.retention.years,
      retentionLegalBasis: def.retention.legalBasis ?? '',
      archive: def.retention.archive === true,
    }))
    .sort((a, b) => a.title.localeCompare(b.title, locale))
}

/** What a definition lacks for the register: `check-services` prints these as warnings; the start goes on. */
export function processingGaps(definitions: ServiceDefinition[]): string[] {
  return definitions.flatMap(def => {
    const missing = !def.processing
      ? ['purpose', 'legalBasis', 'dataCategories', 'recipients']
      : [
          ...(['purpose', 'legalBasis'] as const).filter(k => !def.processing?.[k].de.trim()),
          ...(['dataCategories', 'recipients'] as const).filter(k => def.processing?.[k].de.length === 0),
        ]
    return missing.length
      ? [`${def.id}: no ${missing.join(', ')} for the records of processing (processing: in its definition)`]
      : []
  })
}

export const REGISTER_CSV_COLUMNS = [
  'service_id',
  'service',
  'office',
  'purpose',
  'legal_basis',
  'data_categories',
  'recipients',
  'retention_years',
  'retention_legal_basis',
  'archive',
] as const

// CSV injection: a spreadsheet runs a cell that starts like a formula; such a cell gets a leading apostrophe.
const cell = (value: string | number | boolean) => {
  let text = String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/**
 * The register as CSV for Excel in Germany (as the treasury's: UTF-8 with BOM, ";" between fields, CRLF, fixed
 * English column names); lists within a cell are separated by " | ".
 */
export function registerCsv(entries: ProcessingEntry[]): string {
  const lines = [REGISTER_CSV_COLUMNS.join(';')]
  for (const e of entries) {
    lines.push(
      [
        e.serviceId,
        e.title,
        e.office,
        e.purpose,
        e.legalBasis,
        e.dataCategories.join(' | '),
        e.recipients.join(' | '),
        e.retentionYears,
        e.retentionLegalBasis,
        e.archive ? 'yes' : 'no',
      ]
        .map(cell)
        .join(';'),
    )
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`
}
