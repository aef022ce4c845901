/** Labelled CSV files (text,label[,lang,source]) for the starter sets and `bauhaus eval-triage`. */

export interface LabelledRow {
  text: string
  label: string
  lang: string
  source: string
}

export class CsvError extends Error {}

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(content: string): string[][] {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  let i = content.charCodeAt(0) === 0xfeff ? 1 : 0
  for (; i < content.length; i++) {
    const ch = content[i]!
    if (quoted) {
      if (ch === '"') {
        if (content[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += ch
      continue
    }
    if (ch === '"' && field === '') quoted = true
    else if (ch === ',') {
      record.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && content[i + 1] === '\n') i++
      record.push(field)
      field = ''
      if (record.length > 1 || record[0] !== '') records.push(record)
      record = []
    } else field += ch
  }
  if (quoted) throw new CsvError('the file ends inside a quoted field')
  if (field !== '' || record.length) {
    record.push(field)
    records.push(record)
  }
  return records
}

/** Rows of a labelled CSV; the header must name the columns text and label (lang and source optional). */
export function parseLabelledCsv(content: string, name = 'the file'): LabelledRow[] {
  const [header, ...records] = parseCsv(content)
  if (!header) throw new CsvError(`${name} is empty; expected a header line "text,label"`)
  const columns = header.map(h => h.trim().toLowerCase())
  const textAt = columns.indexOf('text')
  const labelAt = columns.indexOf('label')
  if (textAt < 0 || labelAt < 0)
    throw new CsvError(`${name}: the header must name the columns "text" and "label", found "${header.join(',')}"`)
  const langAt = columns.indexOf('lang')
  const sourceAt = columns.indexOf('source')
  return records.map((r, n) => {
    const text = (r[textAt] ?? '').trim()
    const label = (r[labelAt] ?? '').trim()
    if (!text || !label) throw new CsvError(`${name}, record ${n + 2}: text and label must not be empty`)
    return {
      text,
      label,
      lang: langAt >= 0 ? (r[langAt] ?? '').trim() : '',
      source: sourceAt >= 0 ? (r[sourceAt] ?? '').trim() : '',
    }
  })
}

/** The group a starter row belongs to ("…#pothole-03"): a text and its variations share it. */
export function groupOf(row: { text: string; source: string }): string {
  const at = row.source.lastIndexOf('#')
  return at >= 0 ? row.source.slice(at + 1) : row.text
}
