/** What the public sees of a report's text and place: no way to reach a person, no house of a sensitive report. */

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu
// Runs of digits with the separators people type in phone numbers; judged below by their number of digits.
const PHONE_LIKE = /\+?\(?\d[\d\s/().-]{4,}\d/g
const DATE = /^\d{1,2}\.\d{1,2}\.(\d{2}|\d{4})$/
export const MASK = '[…]'

/** E-mail addresses and phone numbers (7 digits or more, dates excepted) replaced by a mark. */
export function maskContactDetails(text: string): string {
  return text.replace(EMAIL, MASK).replace(PHONE_LIKE, match => {
    const digits = match.replace(/\D/g, '').length
    return digits >= 7 && !DATE.test(match.trim()) ? MASK : match
  })
}

/** "Hansastraße 3a, 44137 Dortmund" → "Hansastraße": the street, not the house. */
export function streetOnly(address: string): string {
  const first = address.split(',')[0] ?? ''
  return first
    .replace(/\b\d+\s*[a-zA-Z]?(\s*[-–/]\s*\d+\s*[a-zA-Z]?)?\b/g, '')
    .replace(/\s{2,}/g, ' ')
    .trim()
}
