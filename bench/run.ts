/**
 * `npm run bench`: figures of the platform measured against a baseline taken in the same run on the same
 * database (embedded PGlite by default, a PostgreSQL server with DATABASE_URL). Prints one table per section;
 * BENCH_ONLY=ingest,catalogue,inbox,search,payments,deadlines,live,triage,nearby,booking picks sections.
 */
import { benchPayments } from './payments.js'
import { benchDeadlines } from './deadlines.js'
import { benchLiveFanOut } from './live.js'
import { benchTriage } from './triage.js'
import { benchNearby } from './nearby.js'
import { benchIngest } from './ingest.js'
import { benchCatalogue } from './catalogue.js'
import { benchInbox } from './inbox.js'
import { benchSearch } from './search.js'
import { benchBooking } from './booking.js'

const SECTIONS: Record<string, () => Promise<string>> = {
  ingest: benchIngest,
  catalogue: benchCatalogue,
  inbox: benchInbox,
  search: benchSearch,
  payments: benchPayments,
  deadlines: benchDeadlines,
  live: benchLiveFanOut,
  triage: benchTriage,
  nearby: benchNearby,
  booking: benchBooking,
}

async function main() {
  const only = (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean)
  const unknown = only.filter(name => !(name in SECTIONS))
  if (unknown.length)
    throw new Error(
      `BENCH_ONLY names unknown sections: ${unknown.join(', ')} (known: ${Object.keys(SECTIONS).join(', ')})`,
    )
  process.stdout.write(`node ${process.version}\n\n`)
  for (const [name, run] of Object.entries(SECTIONS)) {
    if (only.length && !only.includes(name)) continue
    process.stdout.write(`${await run()}\n`)
  }
}

main().catch(error => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
