import type { Config } from '../../platform/config.js'
import type { Db } from '../../platform/db/database.js'
import { todayInGermany } from '../../platform/i18n/i18n.js'
import { logDeletions, type RetentionSweep } from '../../platform/privacy/index.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { deleteCases, findExpiredCases, type CaseRecordHolder } from '../cases/index.js'
import {
  deleteReleasedCases,
  groupCaseIds,
  offerToArchive,
  transferToArchive,
  withDetails,
} from './retention.archive.js'

export const RETENTION_JOB = 'retention.run'

interface RetentionDeps {
  db: Db
  services: ServiceRegistry
  config: Config
  /** What each module deletes on its own when it has expired (drafts, mails, audit rows, …), from src/retention.ts. */
  sweeps: RetentionSweep[]
  /** What other modules hold of a case and forget before it goes, from src/retention.ts. */
  holders: CaseRecordHolder[]
}

export interface RetentionReport {
  casesDeleted: number
  offeredToArchive: number
  releasedByArchive: number
  handedToArchive: number
  swept: Record<string, number>
}

// A day's run deletes in batches of this many cases, each batch in its own transaction.
const BATCH = 100

/**
 * The daily retention run at `now` (the job's clock): closed cases whose retention has ended are deleted with
 * everything of them, or, for a service with `retention.archive`, offered to the archive and handled by its decision;
 * then every module's sweep. Every deletion is written to the deletion log, in the transaction that deletes, as kinds
 * and counts with the service and office, never a name, reference or id.
 */
export async function runRetention(deps: RetentionDeps, now: Date): Promise<RetentionReport> {
  const { db, services, holders } = deps
  const today = todayInGermany(now)
  const expired = await findExpiredCases(db, services, today)
  const forArchive = expired.filter(c => c.archive)
  const toDelete = expired.filter(c => !c.archive)
  const report: RetentionReport = {
    casesDeleted: 0,
    offeredToArchive: await offerToArchive(db, forArchive, now),
    releasedByArchive: 0,
    handedToArchive: 0,
    swept: {},
  }
  const groups = groupCaseIds(
    toDelete.map(c => ({ ...c, caseId: c.id })),
    c => `${c.serviceId} ${c.officeId}`,
  )
  for (const [group, ids] of groups) {
    const [service = '', office = ''] = group.split(' ')
    for (let start = 0; start < ids.length; start += BATCH) {
      const batch = ids.slice(start, start + BATCH)
      await db.transaction().execute(async trx => {
        const counts = await deleteCases(trx, batch, today, holders)
        await logDeletions(trx, 'retention', withDetails(counts, { service, office }))
      })
      report.casesDeleted += batch.length
    }
  }
  report.releasedByArchive = await deleteReleasedCases(deps, now)
  report.handedToArchive = (await transferToArchive(deps, now))?.cases ?? 0
  for (const sweep of deps.sweeps) {
    const counts = await sweep.sweep(db, now)
    await logDeletions(db, 'retention', counts)
    report.swept[sweep.id] = counts.reduce((n, c) => n + c.count, 0)
  }
  return report
}
