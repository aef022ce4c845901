/*
 * Amounts and instants as the exports write them. Money stays in whole cents (integers, BigInt for sums)
 * from the database to the file: never a float on the way.
 */

/** A sum the database returned as exact decimal text (bigint/numeric cast to text). */
export function centsFromSql(text: string): bigint {
  if (!/^-?\d+$/.test(text)) throw new Error(`not a whole number of cents: ${JSON.stringify(text)}`)
  return BigInt(text)
}

/** For Intl formatting, which takes a number: exact as long as it is a safe integer (90 trillion euros). */
export function centsAsNumber(cents: bigint): number {
  if (cents > BigInt(Number.MAX_SAFE_INTEGER) || cents < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`amount of ${cents} cents is beyond exact number range`)
  }
  return Number(cents)
}

/** Whole cents as a decimal euro amount with two places: 1300 → "13.00" (or "13,00" with a comma). */
export function centsToDecimal(cents: bigint | number, separator: '.' | ',' = '.'): string {
  const value = BigInt(cents)
  const negative = value < 0n
  const abs = negative ? -value : value
  const euros = abs / 100n
  const rest = abs % 100n
  return `${negative ? '-' : ''}${euros}${separator}${rest.toString().padStart(2, '0')}`
}

const berlinParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset',
})

/** ISO 8601 local time in Germany with its offset, e.g. 2026-03-29T03:15:00+02:00: unambiguous also in the hour that repeats in October. */
export function isoInBerlin(value: Date): string {
  const parts = Object.fromEntries(berlinParts.formatToParts(value).map((p) => [p.type, p.value]))
  // longOffset is "GMT+01:00", or plain "GMT" at offset zero (never in Germany, kept correct anyway).
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).replace('GMT', '')
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`
}
