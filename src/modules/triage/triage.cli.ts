/** `bauhaus train-triage` and `bauhaus eval-triage FILE`: arguments are checked before the database is opened. */
import fs from 'node:fs'
import type { Config } from '../../platform/config.js'
import { openDatabase } from '../../platform/db/database.js'
import { migrate } from '../../platform/db/migrate.js'
import { CsvError, parseLabelledCsv } from './triage.csv.js'
import { evaluateModel, formatEvaluation } from './triage.eval.js'
import { activeTriageModel, ensureTriageModels, isTriageKind, retrainTriage, TRIAGE_KINDS } from './triage.service.js'
import type { TriageKind } from './triage.queries.js'

interface Streams {
  out: { write(s: string): unknown }
  err: { write(s: string): unknown }
}

function parseArgs(args: string[]): { positional: string[]; kind?: string; error?: string } {
  const positional: string[] = []
  let kind: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--kind') {
      kind = args[++i]
      if (kind === undefined) return { positional, error: '--kind needs a value: report or contact' }
    } else if (arg.startsWith('--kind=')) kind = arg.slice('--kind='.length)
    else if (arg.startsWith('--')) return { positional, error: `unknown option ${arg}` }
    else positional.push(arg)
  }
  return { positional, kind }
}

export async function runTriageCommand(
  command: 'train-triage' | 'eval-triage',
  args: string[],
  config: Config,
  io: Streams,
): Promise<number> {
  const { positional, kind, error } = parseArgs(args)
  if (error) {
    io.err.write(`${command}: ${error}\n`)
    return 2
  }
  if (kind !== undefined && !isTriageKind(kind)) {
    io.err.write(`${command}: unknown kind "${kind}"; use --kind report or --kind contact\n`)
    return 2
  }
  let rows: { text: string; label: string }[] = []
  if (command === 'eval-triage') {
    const [file, ...rest] = positional
    if (!file) {
      io.err.write('eval-triage: name a labelled CSV file: bauhaus eval-triage FILE [--kind report|contact]\n')
      return 2
    }
    if (rest.length) {
      io.err.write(`eval-triage: one file only, got also ${rest.join(' ')}\n`)
      return 2
    }
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      io.err.write(`eval-triage: no such file: ${file}\n`)
      return 2
    }
    try {
      rows = parseLabelledCsv(fs.readFileSync(file, 'utf8'), file)
    } catch (e) {
      if (e instanceof CsvError) {
        io.err.write(`eval-triage: ${e.message}\n`)
        return 2
      }
      throw e
    }
    if (!rows.length) {
      io.err.write(`eval-triage: ${file} has no rows after the header\n`)
      return 2
    }
  } else if (positional.length) {
    io.err.write(`train-triage: unexpected argument ${positional[0]}\n`)
    return 2
  }

  const handle = await openDatabase(config)
  try {
    await migrate(handle)
    // A fresh database gets the starter sets and first models, so there is always something to evaluate.
    await ensureTriageModels(handle.db, config)
    if (command === 'train-triage') {
      for (const k of kind ? [kind as TriageKind] : TRIAGE_KINDS) {
        const r = await retrainTriage(handle.db, k)
        const h = r.heldOut
        io.out.write(
          `${k}: ${r.examples} examples, trained in ${Math.round(r.trainMs)} ms; version ${r.version ?? '–'} ${r.activated ? 'activated' : "kept inactive (held-out accuracy below the active model's by more than the margin)"}\n`,
        )
        if (h)
          io.out.write(
            `  held-out (${h.examples}): accuracy ${(h.accuracy * 100).toFixed(1)} %, top-3 ${(h.top3 * 100).toFixed(1)} %, macro-F1 ${h.macroF1.toFixed(3)}\n`,
          )
        if (r.previousHeldOut)
          io.out.write(`  previous active model held-out accuracy ${(r.previousHeldOut.accuracy * 100).toFixed(1)} %\n`)
      }
      return 0
    }
    const k = (kind ?? 'report') as TriageKind
    const active = await activeTriageModel(handle.db, k)
    if (!active) {
      io.err.write(`eval-triage: no active ${k} model\n`)
      return 1
    }
    io.out.write(
      `${k} model version ${active.version} (trained ${active.model.meta.trainedAt} on ${active.model.meta.examples} examples)\n`,
    )
    io.out.write(`${formatEvaluation(evaluateModel(active.model, rows))}\n`)
    return 0
  } finally {
    await handle.close()
  }
}
