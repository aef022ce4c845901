/**
 * The pre-sorting model: multinomial logistic regression (softmax) over hashed text features, trained by
 * averaged stochastic gradient descent with a seeded shuffle, so the same examples always give the same model.
 * Probabilities are the softmax of the class scores. A prediction names the words that pushed the top class
 * ahead of the others (feature weight × value, minus the mean over the classes, summed per word).
 */
import { HASH_DIM, explainedFeaturesOf, featuresOf, type Features } from './triage.text.js'

export interface TrainingExample {
  text: string
  label: string
}

export interface TrainOptions {
  epochs?: number
  learningRate?: number
  seed?: number
}

export interface HeldOutFigures {
  examples: number
  accuracy: number
  top3: number
  macroF1: number
}

export interface ModelMeta {
  kind: string
  labels: string[]
  /** Which office a label goes to. */
  offices: Record<string, string>
  trainedAt: string
  examples: number
  trainMs: number
  heldOut?: HeldOutFigures
}

/** A trained model: weights only for the features seen in training, class-major per feature. */
export interface TriageModel {
  meta: ModelMeta
  /** Sorted feature indices with weights. */
  features: Int32Array
  /** features.length × labels.length weights. */
  weights: Float32Array
  bias: Float64Array
}

export interface Prediction {
  ranked: { label: string; probability: number }[]
  explanation: { term: string; weight: number }[]
}

const DEFAULTS = { epochs: 6, learningRate: 0.6, seed: 20260403 }

/** mulberry32: a small seeded generator, enough for a deterministic shuffle (and the starter set's and benches' variations). */
export function seededRandom(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Features of many texts, computed once (training runs several epochs over them). */
export function featurize(examples: TrainingExample[]): Features[] {
  return examples.map(e => featuresOf(e.text))
}

export function trainModel(
  examples: TrainingExample[],
  meta: Omit<ModelMeta, 'labels' | 'trainedAt' | 'examples' | 'trainMs'> & { labels?: string[] },
  opts: TrainOptions = {},
  precomputed?: Features[],
): TriageModel {
  const started = process.hrtime.bigint()
  const { epochs, learningRate, seed } = { ...DEFAULTS, ...opts }
  const labels = meta.labels ?? [...new Set(examples.map(e => e.label))].sort()
  if (labels.length < 2) throw new Error(`training needs at least two labels, got ${labels.length}`)
  const labelIndex = new Map(labels.map((l, i) => [l, i]))
  const K = labels.length
  const xs = precomputed ?? featurize(examples)
  const ys = examples.map(e => {
    const y = labelIndex.get(e.label)
    if (y === undefined) throw new Error(`label "${e.label}" is not one of the model's labels`)
    return y
  })
  // w: current weights; u: running sum for the average (Polyak averaging, lazily: avg = w - u / c).
  const w = new Float32Array(HASH_DIM * K)
  const u = new Float32Array(HASH_DIM * K)
  const b = new Float64Array(K)
  const ub = new Float64Array(K)
  const scores = new Float64Array(K)
  const order = examples.map((_, i) => i)
  const random = seededRandom(seed)
  let c = 1
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[order[i], order[j]] = [order[j]!, order[i]!]
    }
    const lr = learningRate / (1 + epoch * 0.5)
    for (const n of order) {
      const { index, value } = xs[n]!
      for (let k = 0; k < K; k++) scores[k] = b[k]!
      for (let f = 0; f < index.length; f++) {
        const base = index[f]! * K
        const v = value[f]!
        for (let k = 0; k < K; k++) scores[k] += w[base + k]! * v
      }
      softmaxInPlace(scores)
      const y = ys[n]!
      for (let k = 0; k < K; k++) {
        const g = (scores[k]! - (k === y ? 1 : 0)) * lr
        // Classes the example hardly touches any more are skipped: most of the work after the first epoch.
        if (Math.abs(g) < 1e-2 * lr) continue
        b[k] -= g
        ub[k] -= c * g
        for (let f = 0; f < index.length; f++) {
          const at = index[f]! * K + k
          const d = g * value[f]!
          w[at] -= d
          u[at] -= c * d
        }
      }
      c++
    }
  }
  // Keep the features training saw, with their averaged weights.
  const seen = new Uint8Array(HASH_DIM)
  for (const x of xs) for (let f = 0; f < x.index.length; f++) seen[x.index[f]!] = 1
  let count = 0
  for (let i = 0; i < HASH_DIM; i++) count += seen[i]!
  const features = new Int32Array(count)
  const weights = new Float32Array(count * K)
  let at = 0
  for (let i = 0; i < HASH_DIM; i++) {
    if (!seen[i]) continue
    features[at] = i
    for (let k = 0; k < K; k++) weights[at * K + k] = w[i * K + k]! - u[i * K + k]! / c
    at++
  }
  const bias = new Float64Array(K)
  for (let k = 0; k < K; k++) bias[k] = b[k]! - ub[k]! / c
  return {
    meta: {
      kind: meta.kind,
      offices: meta.offices,
      heldOut: meta.heldOut,
      labels,
      trainedAt: new Date().toISOString(),
      examples: examples.length,
      trainMs: Number(process.hrtime.bigint() - started) / 1e6,
    },
    features,
    weights,
    bias,
  }
}

function softmaxInPlace(scores: Float64Array) {
  let max = -Infinity
  for (const s of scores) if (s > max) max = s
  let sum = 0
  for (let k = 0; k < scores.length; k++) {
    scores[k] = Math.exp(scores[k]! - max)
    sum += scores[k]!
  }
  for (let k = 0; k < scores.length; k++) scores[k] = scores[k]! / sum
}

/** Row of a feature in the model, or -1 (binary search over the sorted indices). */
function rowOf(model: TriageModel, feature: number): number {
  let lo = 0
  let hi = model.features.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const v = model.features[mid]!
    if (v === feature) return mid
    if (v < feature) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

function classProbabilities(model: TriageModel, x: Features): Float64Array {
  const K = model.meta.labels.length
  const scores = Float64Array.from(model.bias)
  for (let f = 0; f < x.index.length; f++) {
    const row = rowOf(model, x.index[f]!)
    if (row < 0) continue
    const v = x.value[f]!
    for (let k = 0; k < K; k++) scores[k] += model.weights[row * K + k]! * v
  }
  softmaxInPlace(scores)
  return scores
}

function rank(model: TriageModel, probabilities: Float64Array) {
  return model.meta.labels
    .map((label, k) => ({ label, probability: probabilities[k]! }))
    .sort((a, b) => b.probability - a.probability || a.label.localeCompare(b.label))
}

/** Labels by probability, without an explanation (fast path for evaluation and the bench). */
export function rankLabels(model: TriageModel, text: string | Features): { label: string; probability: number }[] {
  return rank(model, classProbabilities(model, typeof text === 'string' ? featuresOf(text) : text))
}

/** Labels by probability and the words that drove the top one, strongest first. */
export function predict(model: TriageModel, text: string, maxTerms = 6): Prediction {
  const x = explainedFeaturesOf(text)
  const probabilities = classProbabilities(model, x)
  const ranked = rank(model, probabilities)
  const K = model.meta.labels.length
  const top = model.meta.labels.indexOf(ranked[0]!.label)
  const perToken = new Map<number, number>()
  for (let f = 0; f < x.index.length; f++) {
    const row = rowOf(model, x.index[f]!)
    if (row < 0) continue
    let mean = 0
    for (let k = 0; k < K; k++) mean += model.weights[row * K + k]!
    mean /= K
    const contribution = (model.weights[row * K + top]! - mean) * x.value[f]!
    for (const { token, share } of x.origins[f]!) perToken.set(token, (perToken.get(token) ?? 0) + contribution * share)
  }
  // One entry per word as written; a word written twice adds up.
  const perTerm = new Map<string, number>()
  for (const [token, weight] of perToken) {
    const term = x.tokens[token]!.surface
    perTerm.set(term, (perTerm.get(term) ?? 0) + weight)
  }
  const explanation = [...perTerm.entries()]
    .filter(([, weight]) => weight > 0.01)
    .sort((a, b) => b[1] - a[1])
    .slice(0, maxTerms)
    .map(([term, weight]) => ({ term, weight: Math.round(weight * 1000) / 1000 }))
  return { ranked, explanation }
}

/** The model as stored: metadata as JSON, the numbers as one binary blob (indices, weights, bias). */
export function serializeModel(model: TriageModel): { meta: ModelMeta; weights: Buffer } {
  const n = model.features.length
  const K = model.meta.labels.length
  const buffer = Buffer.alloc(4 + n * 4 + n * K * 4 + K * 8)
  buffer.writeUInt32LE(n, 0)
  Buffer.from(model.features.buffer, model.features.byteOffset, n * 4).copy(buffer, 4)
  Buffer.from(model.weights.buffer, model.weights.byteOffset, n * K * 4).copy(buffer, 4 + n * 4)
  Buffer.from(model.bias.buffer, model.bias.byteOffset, K * 8).copy(buffer, 4 + n * 4 + n * K * 4)
  return { meta: model.meta, weights: buffer }
}

export function deserializeModel(meta: ModelMeta, blob: Uint8Array): TriageModel {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength)
  const K = meta.labels.length
  const n = bytes.readUInt32LE(0)
  if (bytes.length !== 4 + n * 4 + n * K * 4 + K * 8)
    throw new Error(
      `stored triage model of kind ${meta.kind} has ${bytes.length} bytes, expected ${4 + n * 4 + n * K * 4 + K * 8}`,
    )
  // Copies: the blob's offset need not be aligned for typed arrays.
  const copy = new Uint8Array(bytes.length)
  copy.set(bytes)
  return {
    meta,
    features: new Int32Array(copy.buffer, 4, n),
    weights: new Float32Array(copy.buffer, 4 + n * 4, n * K),
    bias: new Float64Array(copy.buffer.slice(4 + n * 4 + n * K * 4)),
  }
}
