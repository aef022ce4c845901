/** Figures of a model on labelled texts: accuracy, top-3 accuracy, macro-F1, per-class precision/recall, confusions. */
import { rankLabels, type TriageModel } from './triage.model.js'
import { featuresOf } from './triage.text.js'

export interface ClassFigures {
  label: string
  support: number
  precision: number
  recall: number
  f1: number
}
export interface Evaluation {
  examples: number
  accuracy: number
  top3: number
  macroF1: number
  perClass: ClassFigures[]
  /** Most frequent mistakes: true label → predicted label, how often. */
  confusions: { actual: string; predicted: string; count: number }[]
  /** Labels in the file the model does not know (always wrong). */
  unknownLabels: string[]
}

export function evaluateModel(model: TriageModel, examples: { text: string; label: string }[]): Evaluation {
  const known = new Set(model.meta.labels)
  const labels = [...new Set([...model.meta.labels, ...examples.map(e => e.label)])].sort()
  const tp = new Map<string, number>()
  const fp = new Map<string, number>()
  const support = new Map<string, number>()
  const confusion = new Map<string, number>()
  let correct = 0
  let top3 = 0
  for (const e of examples) {
    const ranked = rankLabels(model, featuresOf(e.text))
    const predicted = ranked[0]!.label
    support.set(e.label, (support.get(e.label) ?? 0) + 1)
    if (predicted === e.label) {
      correct++
      tp.set(e.label, (tp.get(e.label) ?? 0) + 1)
    } else {
      fp.set(predicted, (fp.get(predicted) ?? 0) + 1)
      const key = `${e.label}\u0000${predicted}`
      confusion.set(key, (confusion.get(key) ?? 0) + 1)
    }
    if (ranked.slice(0, 3).some(r => r.label === e.label)) top3++
  }
  const perClass = labels
    .filter(l => (support.get(l) ?? 0) > 0 || (fp.get(l) ?? 0) > 0)
    .map(label => {
      const t = tp.get(label) ?? 0
      const s = support.get(label) ?? 0
      const predictedCount = t + (fp.get(label) ?? 0)
      const precision = predictedCount ? t / predictedCount : 0
      const recall = s ? t / s : 0
      const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0
      return { label, support: s, precision, recall, f1 }
    })
  // Macro-F1 over the labels that occur in the data.
  const present = perClass.filter(c => c.support > 0)
  const n = examples.length || 1
  return {
    examples: examples.length,
    accuracy: correct / n,
    top3: top3 / n,
    macroF1: present.length ? present.reduce((sum, c) => sum + c.f1, 0) / present.length : 0,
    perClass,
    confusions: [...confusion.entries()]
      .map(([key, count]) => {
        const [actual, predicted] = key.split('\u0000') as [string, string]
        return { actual, predicted, count }
      })
      .sort((a, b) => b.count - a.count || a.actual.localeCompare(b.actual))
      .slice(0, 10),
    unknownLabels: [...new Set(examples.map(e => e.label).filter(l => !known.has(l)))].sort(),
  }
}

/** FNV-1a of a string, for the stable held-out split. */
function stableHash(s: string): number {
  let h = 2166136261
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 16777619)
  }
  return h >>> 0
}

/**
 * Whether an example belongs to the held-out fifth. Decided by its group (a text and its typo or dialect
 * variations share one), never by chance: a variation of a held-out text is never trained on, and the split
 * stays the same from one retraining to the next.
 */
export function isHeldOut(groupKey: string): boolean {
  return stableHash(groupKey) % 5 === 0
}

export const round3 = (v: number) => Math.round(v * 1000) / 1000

/** The figures as plain text, for the CLI. */
export function formatEvaluation(e: Evaluation): string {
  const pct = (v: number) => `${(v * 100).toFixed(1)} %`
  const lines = [
    `examples:       ${e.examples}`,
    `accuracy:       ${pct(e.accuracy)}`,
    `top-3 accuracy: ${pct(e.top3)}`,
    `macro-F1:       ${e.macroF1.toFixed(3)}`,
    '',
    'per class (precision / recall / F1, support):',
    ...e.perClass.map(
      c =>
        `  ${c.label.padEnd(24)} ${c.precision.toFixed(2)} / ${c.recall.toFixed(2)} / ${c.f1.toFixed(2)}  (${c.support})`,
    ),
    '',
    e.confusions.length ? 'most frequent confusions (actual → predicted):' : 'no confusions',
    ...e.confusions.map(c => `  ${c.actual} → ${c.predicted}: ${c.count}`),
  ]
  if (e.unknownLabels.length) lines.push('', `labels the model does not know: ${e.unknownLabels.join(', ')}`)
  return lines.join('\n')
}
