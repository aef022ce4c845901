import type { ExtractedFact } from './triage.extract.js'

export interface FactExcerpt {
  before: string
  found: string
  after: string
}

/** Where a fact was found: up to `around` characters either side, whitespace folded, for a person to check it. */
export function factExcerpt(
  text: string,
  fact: Pick<ExtractedFact, 'start' | 'end' | 'text'>,
  around = 40,
): FactExcerpt {
  const from = Math.max(0, fact.start - around)
  const to = Math.min(text.length, fact.end + around)
  const fold = (s: string) => s.replace(/\s+/g, ' ')
  return {
    before: `${from > 0 ? '…' : ''}${fold(text.slice(from, fact.start))}`,
    found: fold(fact.text),
    after: `${fold(text.slice(fact.end, to))}${to < text.length ? '…' : ''}`,
  }
}
