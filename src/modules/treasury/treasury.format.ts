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
