import fs from 'node:fs'
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import * as ibantools from 'ibantools'
import { parseDocument } from 'yaml'

const Line = Type.String({ minLength: 1 })

/** The city's letterhead: who sends the letter, how to reach them, where to pay. */
export const LetterheadSchema = Type.Object(
  {
    cityName: Line,
    /** Return address printed small above the address window (DIN 5008). */
    senderLine: Line,
    address: Type.Array(Line, { minItems: 1, maxItems: 4 }),
    phone: Line,
    email: Type.Optional(Line),
    website: Line,
    bank: Type.Object(
      {
        accountHolder: Line,
        bankName: Line,
        iban: Line,
        bic: Line,
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
)
export type Letterhead = Static<typeof LetterheadSchema>

/** A letterhead file that cannot be used; names the file, the path in it and what is wrong. */
export class LetterheadError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid letterhead:\n${problems.map(p => `  - ${file}: ${p}`).join('\n')}`)
  }
}

/** Reads and checks the letterhead YAML; IBAN and BIC come back in electronic format (no spaces). */
export function loadLetterhead(file: string): Letterhead {
  const doc = parseDocument(fs.readFileSync(file, 'utf8'))
  if (doc.errors.length)
    throw new LetterheadError(
      file,
      doc.errors.map(e => `YAML syntax error: ${e.message.split('\n')[0]}`),
    )
  const value: unknown = doc.toJSON()
  // The first error per path: a missing property is also "not a string", which says nothing new.
  const schemaProblems = new Map<string, string>()
  for (const e of Value.Errors(LetterheadSchema, value))
    if (!schemaProblems.has(e.path)) schemaProblems.set(e.path, e.message)
  if (schemaProblems.size)
    throw new LetterheadError(
      file,
      [...schemaProblems].map(([at, message]) => `${at || '/'}: ${message}`),
    )

  const letterhead = value as Letterhead
  const iban = ibantools.electronicFormatIBAN(letterhead.bank.iban) ?? ''
  const bic = letterhead.bank.bic.replace(/\s+/g, '').toUpperCase()
  const problems: string[] = []
  // A wrong account on a fee notice sends citizens' money astray: check digits, not just the shape.
  if (!ibantools.isValidIBAN(iban)) problems.push(`/bank/iban: "${letterhead.bank.iban}" is not a valid IBAN`)
  if (!ibantools.isValidBIC(bic)) problems.push(`/bank/bic: "${letterhead.bank.bic}" is not a valid BIC`)
  if (problems.length) throw new LetterheadError(file, problems)
  return { ...letterhead, bank: { ...letterhead.bank, iban, bic } }
}

const loaded = new Map<string, Letterhead>()

/** The letterhead of a file, read once per process; boot has checked it, so letters never stop on it. */
export function letterheadOf(file: string): Letterhead {
  let letterhead = loaded.get(file)
  if (!letterhead) loaded.set(file, (letterhead = loadLetterhead(file)))
  return letterhead
}
