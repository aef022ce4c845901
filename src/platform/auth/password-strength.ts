import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import * as common from '@zxcvbn-ts/language-common'
import * as german from '@zxcvbn-ts/language-de'
import * as english from '@zxcvbn-ts/language-en'
import type { Locale } from '../i18n/i18n.js'

/** zxcvbn's scale runs 0–4; 3 is "safely unguessable: moderate protection from offline slow-hash attacks". */
const MIN_SCORE = 3

type FeedbackTexts = typeof german.translations

/**
 * zxcvbn answers in one language per factory; ours answers with the keys of its feedback ("warnings.common"), which
 * passwordAdvice then words in the user's language from zxcvbn-ts's own German and English texts.
 */
function keyNames(texts: FeedbackTexts): FeedbackTexts {
  const named = (group: keyof FeedbackTexts) =>
    Object.fromEntries(Object.keys(texts[group]).map(key => [key, `${group}.${key}`]))
  return {
    ...texts,
    warnings: named('warnings') as FeedbackTexts['warnings'],
    suggestions: named('suggestions') as FeedbackTexts['suggestions'],
  }
}

let factory: ZxcvbnFactory | undefined
/** The dictionaries take a moment to rank, so they are built on first use, once. */
function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    translations: keyNames(english.translations),
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...german.dictionary, ...english.dictionary },
  })
  return factory
}

const TEXTS: Record<Locale, FeedbackTexts> = { de: german.translations, en: english.translations }

export interface WeakPassword {
  score: number
  /** zxcvbn feedback keys, "warnings.common", "suggestions.useWords" … */
  warning: string
  suggestions: string[]
}

/**
 * Whether a password of acceptable length is too easy to guess: common and breached passwords, German and English
 * words and names, keyboard rows, dates, repeats, and what the person typed elsewhere in the form (`userInputs`).
 */
export function findWeakness(password: string, userInputs: string[] = []): WeakPassword | undefined {
  const inputs = userInputs
    .flatMap(input => [input, input.split('@')[0] ?? '', ...input.split(/[\s@.+_-]+/)])
    .filter(part => part.length > 2)
  const result = estimator().check(password, inputs)
  if (result.score >= MIN_SCORE) return undefined
  return { score: result.score, warning: result.feedback.warning ?? '', suggestions: result.feedback.suggestions }
}

/** zxcvbn's explanation of a weakness, in the user's language: what is wrong, then what helps. */
export function passwordAdvice(weakness: WeakPassword, locale: Locale): string {
  const texts = TEXTS[locale]
  const word = (key: string) => {
    const [group, name] = key.split('.') as [keyof FeedbackTexts, string]
    return (texts[group] as Record<string, string> | undefined)?.[name] ?? ''
  }
  return [weakness.warning, ...weakness.suggestions].map(word).filter(Boolean).join(' ')
}
