/**
 * Pre-sorting of defect reports and contact requests: the starter set, retraining from caseworkers' decisions,
 * the active model cached per process, and suggestions with a confidence and the words behind them.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'
import type { Config } from '../../platform/config.js'
import type { Db, Trx } from '../../platform/db/database.js'
import { enqueueJob } from '../../platform/jobs/index.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { DomainError } from '../../platform/http/errors.js'
import { canWorkOn } from '../cases/index.js'
import { groupOf, parseLabelledCsv } from './triage.csv.js'
import { evaluateModel, isHeldOut, round3 } from './triage.eval.js'
import {
  deserializeModel,
  featurize,
  predict,
  serializeModel,
  trainModel,
  type ModelMeta,
  type TriageModel,
} from './triage.model.js'
import { foldText } from './triage.text.js'
import {
  countDecisionsSince,
  countStarterExamples,
  findActiveModelVersion,
  findModel,
  insertExamples,
  insertModel,
  listExamples,
  type NewExample,
  type TriageKind,
} from './triage.queries.js'

export const TRIAGE_KINDS: readonly TriageKind[] = ['report', 'contact']
export const TRIAGE_RETRAIN_JOB = 'triage.retrain'
/** A retrained model replaces the active one unless its held-out accuracy is lower by more than this. */
export const ACTIVATION_MARGIN = 0.02
/** How often a process asks the database whether a newer model is active. */
export const MODEL_CHECK_MS = 60_000

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const STARTER_DIR = path.join(root, 'data/triage')

/** Where a defect category goes when services/maengelmelder.yaml does not say (the categories of the starter set). */
const DEFAULT_REPORT_OFFICES: Record<string, string> = {
  'street-light': 'tiefbauamt',
  pothole: 'tiefbauamt',
  pavement: 'tiefbauamt',
  'traffic-sign': 'tiefbauamt',
  'blocked-drain': 'tiefbauamt',
  'illegal-dumping': 'edg',
  'litter-bin': 'edg',
  'dog-waste': 'edg',
  graffiti: 'ordnungsamt',
  playground: 'gruenflaechenamt',
  tree: 'gruenflaechenamt',
  'park-bench': 'gruenflaechenamt',
  vegetation: 'gruenflaechenamt',
  'abandoned-bicycle': 'ordnungsamt',
  'abandoned-vehicle': 'ordnungsamt',
  noise: 'ordnungsamt',
}

export function isTriageKind(value: unknown): value is TriageKind {
  return value === 'report' || value === 'contact'
}

/** The configuration pre-sorting reads; callers pass theirs (the app's or the worker's `config`). */
export type TriageSettings = Pick<Config, 'triageMinConfidence' | 'triageRetrainAfter' | 'servicesDir'>

/** Category code → office of the Mängelmelder (services/maengelmelder.yaml `report.categories`), else the defaults. */
export function reportCategoryOffices(servicesDir: string): Record<string, string> {
  const file = path.join(servicesDir, 'maengelmelder.yaml')
  if (!fs.existsSync(file)) return { ...DEFAULT_REPORT_OFFICES }
  const doc = YAML.parse(fs.readFileSync(file, 'utf8')) as {
    office?: string
    report?: { categories?: { code?: string; office?: string }[] }
  }
  const categories = doc?.report?.categories ?? []
  if (!categories.length) return { ...DEFAULT_REPORT_OFFICES }
  const map: Record<string, string> = {}
  for (const c of categories)
    if (c.code) map[c.code] = c.office ?? doc.office ?? DEFAULT_REPORT_OFFICES[c.code] ?? 'tiefbauamt'
  return map
}

/** The starter rows of a kind, each with its office; rows of a category the city does not have are left out. */
export function readStarterExamples(kind: TriageKind, servicesDir: string, dir = STARTER_DIR): NewExample[] {
  const file = path.join(dir, `${kind}-starter.csv`)
  const rows = parseLabelledCsv(fs.readFileSync(file, 'utf8'), file)
  const offices = kind === 'report' ? reportCategoryOffices(servicesDir) : null
  return rows.flatMap(r => {
    const office = offices ? offices[r.label] : r.label
    if (!office) return []
    return [
      {
        kind,
        text: r.text,
        label: r.label,
        office,
        source: 'starter' as const,
        groupKey: groupOf(r),
        lang: r.lang || null,
      },
    ]
  })
}

/** On a new database: loads the starter sets and trains the first models. Safe to run again (and at every start). */
export async function ensureTriageModels(db: Db, settings: Pick<TriageSettings, 'servicesDir'>): Promise<void> {
  for (const kind of TRIAGE_KINDS) {
    const starter = readStarterExamples(kind, settings.servicesDir)
    if ((await countStarterExamples(db, kind)) === 0) await insertExamples(db, starter)
    if (await findActiveModelVersion(db, kind)) continue
    // The first model of a new database is the starter set's, the same every time: trained once per checkout.
    const cacheFile = starterModelCacheFile(kind, starter)
    const cached = readCachedModel(cacheFile)
    const onlyStarter = (await listExamples(db, kind)).length === starter.length
    if (cached && onlyStarter) {
      await db
        .transaction()
        .execute(trx =>
          insertModel(trx, { kind, meta: cached.meta, weights: Buffer.from(cached.weights, 'base64'), activate: true }),
        )
      continue
    }
    const { version } = await retrainTriage(db, kind, { force: true })
    const row = version !== null && onlyStarter ? await findModel(db, kind, version) : undefined
    if (row) writeCachedModel(cacheFile, { meta: row.meta, weights: Buffer.from(row.weights).toString('base64') })
  }
}

// Code that shapes a trained model: a change to any of it makes the cached starter model stale.
const MODEL_SOURCES = ['triage.model.ts', 'triage.text.ts', 'triage.service.ts', 'triage.eval.ts', 'triage.csv.ts'].map(
  f => path.join(path.dirname(fileURLToPath(import.meta.url)), f),
)
const MODEL_CACHE_DIR = path.join(root, 'node_modules/.cache/bauhaus-triage')

function starterModelCacheFile(kind: TriageKind, starter: NewExample[]): string {
  const hash = crypto.createHash('sha256').update(JSON.stringify(starter))
  for (const file of MODEL_SOURCES) if (fs.existsSync(file)) hash.update(fs.readFileSync(file))
  return path.join(MODEL_CACHE_DIR, `${kind}-${hash.digest('hex').slice(0, 24)}.json`)
}

interface CachedModel {
  meta: unknown
  weights: string
}

function readCachedModel(file: string): CachedModel | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as CachedModel
  } catch {
    return null
  }
}

/** Best effort: a read-only checkout trains at each first boot instead. */
function writeCachedModel(file: string, model: CachedModel): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    const temporary = `${file}.${process.pid}.tmp`
    fs.writeFileSync(temporary, JSON.stringify(model))
    fs.renameSync(temporary, file)
  } catch {
    // not cached; nothing else depends on it
  }
}

export interface RetrainReport {
  kind: TriageKind
  version: number | null
  activated: boolean
  examples: number
  heldOut: ModelMeta['heldOut']
  previousHeldOut: ModelMeta['heldOut']
  trainMs: number
}

/**
 * Trains a candidate on four fifths of the examples and measures it on the held-out fifth (split by group), then
 * trains on all of them. The new model becomes active unless its held-out accuracy is more than
 * ACTIVATION_MARGIN below the active model's; otherwise it is stored inactive, for the record.
 */
export async function retrainTriage(db: Db, kind: TriageKind, opts: { force?: boolean } = {}): Promise<RetrainReport> {
  const started = process.hrtime.bigint()
  const examples = await listExamples(db, kind)
  const labels = [...new Set(examples.map(e => e.label))].sort()
  const active = await loadActive(db, kind)
  if (labels.length < 2) {
    return {
      kind,
      version: null,
      activated: false,
      examples: examples.length,
      heldOut: undefined,
      previousHeldOut: active?.model.meta.heldOut,
      trainMs: 0,
    }
  }
  // The office of a label: the latest decision's, else the starter set's.
  const offices: Record<string, string> = {}
  for (const e of examples) offices[e.label] = e.office
  const features = featurize(examples)
  const trainIdx: number[] = []
  const testIdx: number[] = []
  for (const [i, e] of examples.entries()) (isHeldOut(e.groupKey) ? testIdx : trainIdx).push(i)
  let heldOut: ModelMeta['heldOut']
  if (testIdx.length && new Set(trainIdx.map(i => examples[i]!.label)).size >= 2) {
    const candidate = trainModel(
      trainIdx.map(i => examples[i]!),
      { kind, offices, labels },
      {},
      trainIdx.map(i => features[i]!),
    )
    const e = evaluateModel(
      candidate,
      testIdx.map(i => examples[i]!),
    )
    heldOut = { examples: e.examples, accuracy: round3(e.accuracy), top3: round3(e.top3), macroF1: round3(e.macroF1) }
  }
  const model = trainModel(examples, { kind, offices, labels, heldOut }, {}, features)
  const previousHeldOut = active?.model.meta.heldOut
  const activate =
    !!opts.force ||
    !active ||
    !previousHeldOut ||
    !heldOut ||
    heldOut.accuracy >= previousHeldOut.accuracy - ACTIVATION_MARGIN
  model.meta.trainMs = Number(process.hrtime.bigint() - started) / 1e6
  const { meta, weights } = serializeModel(model)
  const version = await db.transaction().execute(trx => insertModel(trx, { kind, meta, weights, activate }))
  if (activate) cacheOf(db).set(kind, { model, version, checkedAt: Date.now() })
  return {
    kind,
    version,
    activated: activate,
    examples: examples.length,
    heldOut,
    previousHeldOut,
    trainMs: model.meta.trainMs,
  }
}

interface Cached {
  model: TriageModel | null
  version: number | null
  checkedAt: number
}
const caches = new WeakMap<Db, Map<TriageKind, Cached>>()
function cacheOf(db: Db): Map<TriageKind, Cached> {
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = new Map()))
  return cache
}

async function loadActive(db: Db, kind: TriageKind) {
  const head = await findActiveModelVersion(db, kind)
  if (!head) return null
  const row = await findModel(db, kind, head.version)
  if (!row) return null
  const meta = (typeof row.meta === 'string' ? JSON.parse(row.meta) : row.meta) as ModelMeta
  return { model: deserializeModel(meta, row.weights), version: row.version }
}

/**
 * The active model of a kind, from this process's cache; at most once a minute (MODEL_CHECK_MS) it asks the
 * database for the active version, a cheap indexed read, and loads the model only when that changed.
 */
export async function activeTriageModel(
  db: Db,
  kind: TriageKind,
  now = Date.now(),
): Promise<{ model: TriageModel; version: number } | null> {
  const cache = cacheOf(db)
  const cached = cache.get(kind)
  if (cached && now - cached.checkedAt < MODEL_CHECK_MS)
    return cached.model && cached.version !== null ? { model: cached.model, version: cached.version } : null
  const head = await findActiveModelVersion(db, kind)
  if (cached && head?.version === cached.version && cached.model) {
    cached.checkedAt = now
    return { model: cached.model, version: cached.version }
  }
  const loaded = head ? await loadActive(db, kind) : null
  cache.set(kind, { model: loaded?.model ?? null, version: loaded?.version ?? null, checkedAt: now })
  return loaded
}

export interface RoutingSuggestion {
  suggestions: { label: string; office: string; probability: number }[]
  /** The top suggestion is at least TRIAGE_MIN_CONFIDENCE probable: route it; otherwise a person decides. */
  confident: boolean
  /** The words that drove the top suggestion, strongest first. */
  explanation: { term: string; weight: number }[]
  modelVersion: number | null
}

export async function suggestRoutingWith(
  db: Db,
  text: string,
  kind: TriageKind,
  minConfidence: number,
): Promise<RoutingSuggestion> {
  const active = await activeTriageModel(db, kind)
  if (!active || !text.trim())
    return { suggestions: [], confident: false, explanation: [], modelVersion: active?.version ?? null }
  const { ranked, explanation } = predict(active.model, text.slice(0, 20_000))
  const suggestions = ranked.slice(0, 3).map(r => ({
    label: r.label,
    office: active.model.meta.offices[r.label] ?? r.label,
    probability: round3(r.probability),
  }))
  return { suggestions, confident: ranked[0]!.probability >= minConfidence, explanation, modelVersion: active.version }
}

export interface RoutingDecision {
  text: string
  label: string
  office: string
  kind: TriageKind
  /** Who decided; their decision trains the model only if they may (mayTeachTriage). */
  decidedBy: StaffMember
  /** The office the decision is made for: the case's office, or on the pre-sorting page the office chosen. */
  caseOfficeId: string
  /** The caseworker chose another label or office than suggested. */
  corrected?: boolean
}

/** A routing decision from someone who neither works in the case's office nor holds the triage role. */
export class TriageDecisionNotAllowed extends DomainError {
  constructor() {
    super(403, 'triage.errors.decisionNotAllowed')
  }
}

/**
 * Whose routing decisions train the model: staff of the case's office, or anyone holding the triage role (which
 * sorts for every office). Anyone else could steer the city's routing by deciding cases that are not theirs.
 */
export function mayTeachTriage(staff: StaffMember, caseOfficeId: string): boolean {
  return canWorkOn(staff, caseOfficeId) || staff.roles.some(r => r.role === 'triage')
}

/**
 * Records what a caseworker decided as a training example, in the caller's transaction. After every
 * TRIAGE_RETRAIN_AFTER decisions not yet learned, the retraining job is queued (once).
 */
export async function recordDecision(db: Db | Trx, input: RoutingDecision, retrainAfter: number): Promise<void> {
  if (!isTriageKind(input.kind)) throw new Error(`unknown triage kind "${String(input.kind)}"`)
  if (!mayTeachTriage(input.decidedBy, input.caseOfficeId)) throw new TriageDecisionNotAllowed()
  const text = input.text.trim().slice(0, 5000)
  if (!text || !input.label.trim() || !input.office.trim())
    throw new Error('a routing decision needs text, label and office')
  const groupKey = `decision:${crypto.createHash('sha256').update(foldText(text).replace(/\s+/g, ' ')).digest('hex').slice(0, 16)}`
  await insertExamples(db, [
    {
      kind: input.kind,
      text,
      label: input.label.trim(),
      office: input.office.trim(),
      source: input.corrected ? 'corrected' : 'confirmed',
      groupKey,
      staffId: input.decidedBy.id,
    },
  ])
  const active = await findActiveModelVersion(db, input.kind)
  const pending = await countDecisionsSince(db, input.kind, active ? new Date(active.createdAt) : null)
  if (pending >= retrainAfter) {
    await enqueueJob(db, {
      name: TRIAGE_RETRAIN_JOB,
      key: `${TRIAGE_RETRAIN_JOB}:${input.kind}`,
      payload: { kind: input.kind },
    })
  }
}
