import path from 'node:path'
import { readStarterExamples } from '../src/modules/triage/triage.service.js'
import { featurize, rankLabels, trainModel } from '../src/modules/triage/triage.model.js'
import { featuresOf, tokenize } from '../src/modules/triage/triage.text.js'
import { elapsedMs, intFromEnv, table } from './measure.js'

/** Deterministic variations of the starter texts: a text from the set, a Dortmund street and a number appended. */
function sampleTexts(n: number): { text: string; label: string }[] {
  const base = readStarterExamples('report', path.resolve('services'))
  const streets = [
    'Hohe Straße',
    'Kaiserstraße',
    'Westenhellweg',
    'Brackeler Hellweg',
    'Märkische Straße',
    'Rheinische Straße',
    'Hörder Bahnhofstraße',
  ]
  return Array.from({ length: n }, (_, i) => {
    const b = base[(i * 7919) % base.length]!
    return { text: `${b.text} ${streets[i % streets.length]} ${(i % 180) + 1}`, label: b.label }
  })
}

/**
 * Pre-sorting model: training time on BENCH_TRIAGE_TEXTS texts (default 100,000) and predictions per second over
 * BENCH_TRIAGE_PREDICTIONS texts (default 10,000), single-threaded; each against a baseline of only tokenising
 * the same texts in the same run.
 */
export async function benchTriage(): Promise<string> {
  const trainCount = intFromEnv('BENCH_TRIAGE_TEXTS', 100_000, 100)
  const predictCount = intFromEnv('BENCH_TRIAGE_PREDICTIONS', 10_000, 100)
  const texts = sampleTexts(trainCount)

  let t0 = process.hrtime.bigint()
  for (const t of texts) tokenize(t.text)
  const tokenizeMs = elapsedMs(t0)

  t0 = process.hrtime.bigint()
  const features = featurize(texts)
  const featurizeMs = elapsedMs(t0)
  t0 = process.hrtime.bigint()
  const model = trainModel(texts, { kind: 'report', offices: {} }, {}, features)
  const sgdMs = elapsedMs(t0)

  const probe = sampleTexts(predictCount).map((t, i) => ({ ...t, text: `${t.text} ${i}` }))
  t0 = process.hrtime.bigint()
  for (const t of probe) tokenize(t.text)
  const probeTokenizeMs = elapsedMs(t0)
  t0 = process.hrtime.bigint()
  let sink = 0
  for (const t of probe) sink += rankLabels(model, featuresOf(t.text))[0]!.probability
  const predictMs = elapsedMs(t0)
  if (!(sink > 0)) throw new Error('no predictions')

  const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en')
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  return [
    `Pre-sorting model (report kind, ${model.meta.labels.length} categories, ${model.features.length.toLocaleString('en')} features kept), single-threaded`,
    '',
    table(
      ['figure', 'time', 'per second', 'vs. baseline'],
      [
        [
          `training on ${trainCount.toLocaleString('en')} texts (features + 6 epochs of averaged SGD)`,
          s(featurizeMs + sgdMs),
          perSecond(trainCount, featurizeMs + sgdMs),
          `${((featurizeMs + sgdMs) / tokenizeMs).toFixed(1)} ×`,
        ],
        [
          '  of which: hashed features (words, pairs, character 3–5-grams)',
          s(featurizeMs),
          perSecond(trainCount, featurizeMs),
          '',
        ],
        ['  of which: SGD epochs', s(sgdMs), '', ''],
        [
          `baseline: tokenising the same ${trainCount.toLocaleString('en')} texts`,
          s(tokenizeMs),
          perSecond(trainCount, tokenizeMs),
          '1.0 ×',
        ],
        [
          `predictions on ${predictCount.toLocaleString('en')} texts (features + scores + softmax)`,
          s(predictMs),
          perSecond(predictCount, predictMs),
          `${(predictMs / probeTokenizeMs).toFixed(1)} ×`,
        ],
        [
          `baseline: tokenising the same ${predictCount.toLocaleString('en')} texts`,
          s(probeTokenizeMs),
          perSecond(predictCount, probeTokenizeMs),
          '1.0 ×',
        ],
      ],
    ),
    '',
  ].join('\n')
}
