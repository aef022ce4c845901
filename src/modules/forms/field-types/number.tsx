import type { FieldProblem, FieldType } from './field-type.js'
import { asText, idAnchor, readText } from './field-type.js'
import { SingleInput } from './field-view.js'

/** A typed number as plain decimal text ("1.234,5" → "1234.5"), or null; for exact arithmetic on it (fees). */
export function normalizeNumberText(value: string): string | null {
  // Accept German (1.234,5) and English (1,234.5) writing of numbers.
  const compact = value.replace(/\s/g, '')
  const normalized =
    /,\d{1,2}$/.test(compact) || (compact.includes(',') && !compact.includes('.'))
      ? compact.replace(/\./g, '').replace(',', '.')
      : compact.replace(/,/g, '')
  return /^-?\d+(\.\d+)?$/.test(normalized) ? normalized : null
}

export function parseNumber(value: string): number | null {
  const normalized = normalizeNumberText(value)
  return normalized === null ? null : Number(normalized)
}

/** A number, whole unless `decimals`, within `min` and `max`; stored as typed. */
export const numberField: FieldType<string> = {
  read: (field, raw) => readText(field, raw),
  requiredKey: () => 'forms.error.required',
  validate: (field, text): FieldProblem | null => {
    const n = parseNumber(text)
    if (n === null) return { key: 'forms.error.number' }
    if (!field.decimals && !Number.isInteger(n)) return { key: 'forms.error.wholeNumber' }
    if (typeof field.min === 'number' && n < field.min)
      return { key: 'forms.error.numberMin', params: { min: field.min } }
    if (typeof field.max === 'number' && n > field.max)
      return { key: 'forms.error.numberMax', params: { max: field.max } }
    return null
  },
  anchor: idAnchor,
  format: (_field, value) => asText(value),
  Input: props => <SingleInput {...props} type="text" inputmode="decimal" />,
  example: field => {
    const min = typeof field.min === 'number' ? field.min : 1
    const max = typeof field.max === 'number' ? field.max : min + 10
    return String(Math.min(Math.max(min, 1), max))
  },
}
