import crypto from 'node:crypto'
import { zipSync, type Zippable } from 'fflate'
import { sql } from 'kysely'
import type { Config } from '../../platform/config.js'
import type { Db } from '../../platform/db/database.js'
import type { ArchiveDecision } from '../../platform/db/schema.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import { logDeletions, type DeletionCount, type RetentionSweep } from '../../platform/privacy/index.js'
import { todayInGermany } from '../../platform/i18n/i18n.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { deleteCases, findCase, findCaseReferences, type CaseRecordHolder } from '../cases/index.js'
import { archiveCaseFile, archiveName } from '../efile/index.js'
import { aussonderungFilename, aussonderungMessage, type TransferredCase } from './retention.xdomea.js'

export interface ArchiveDeps {
  db: Db
  services: ServiceRegistry
  config: Config
  holders: CaseRecordHolder[]
}

/** Offers expired cases of archive services to the archive; an offered case stays until the archive decides. */
export async function offerToArchive(
  db: Db,
  cases: { id: string; serviceId: string; officeId: string }[],
  now: Date,
): Promise<number> {
  if (cases.length === 0) return 0
  const added = await db
    .insertInto('archive_offers')
    .values(
      cases.map(c => ({
        case_id: c.id,
        service_id: c.serviceId,
        office_id: c.officeId,
        offered_at: now,
      })),
    )
    .onConflict(oc => oc.column('case_id').doNothing())
    .executeTakeFirst()
  return Number(added.numInsertedOrUpdatedRows ?? 0)
}

/** A case on the offer list, as the archivist sees it: what it is, not who it concerns. */
export interface OfferedCase {
  caseId: string
  reference: string
  serviceId: string
  officeId: string
  offeredAt: Date
  decision: ArchiveDecision | null
  decidedAt: Date | null
}

/** The offer list, oldest first, with each case's reference from the kernel. */
export async function listOffers(db: Db): Promise<OfferedCase[]> {
  const offers = await db
    .selectFrom('archive_offers')
    .select([
      'case_id as caseId',
      'service_id as serviceId',
      'office_id as officeId',
      'offered_at as offeredAt',
      'decision',
      'decided_at as decidedAt',
    ])
    .orderBy('offered_at')
    .orderBy('case_id')
    .limit(500)
    .execute()
  const references = await findCaseReferences(
    db,
    offers.map(o => o.caseId),
  )
  return offers.map(o => ({ ...o, reference: references.get(o.caseId) ?? '' }))
}

/** The archivist's decision on an offered case; a case not on the list answers false (the route says 404). */
export async function decideOffer(
  db: Db,
  staff: StaffMember,
  caseId: string,
  decision: ArchiveDecision,
  now: Date,
): Promise<boolean> {
  return db.transaction().execute(async trx => {
    const updated = await trx
      .updateTable('archive_offers')
      .set({ decision, decided_by_staff_id: staff.id, decided_at: now })
      .where('case_id', '=', caseId)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0) return false
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'archive.decide',
      subjectType: 'case',
      subjectId: caseId,
      details: { decision },
    })
    return true
  })
}

/** Cases the archive released for deletion (kassieren): they go like any expired case. */
export async function deleteReleasedCases(deps: ArchiveDeps, now: Date): Promise<number> {
  const { db, holders } = deps
  const released = await db
    .selectFrom('archive_offers')
    .select(['case_id as caseId', 'service_id as serviceId'])
    .where('decision', '=', 'destroy')
    .execute()
  let deleted = 0
  for (const [serviceId, ids] of groupCaseIds(released, r => r.serviceId)) {
    await db.transaction().execute(async trx => {
      const counts = await deleteCases(trx, ids, todayInGermany(now), holders)
      await logDeletions(trx, 'retention', withDetails(counts, { service: serviceId, decision: 'destroy' }))
    })
    deleted += ids.length
  }
  return deleted
}

/**
 * Hands the cases the archive took over (archivwürdig) to the archive in one package: per case its file as the
 * e-file export writes it, in a folder named by its reference, and the xdomea message describing them all. The
 * package is stored for the archivist to download, and the cases are deleted (reason 'archive-transfer') in the
 * same transaction, so a case is either handed over and gone, or still here.
 */
export async function transferToArchive(
  deps: ArchiveDeps,
  now: Date,
): Promise<{ transferId: string; cases: number } | undefined> {
  const { db, services, config, holders } = deps
  return db.transaction().execute(async trx => {
    const taken = await trx
      .selectFrom('archive_offers')
      .select('case_id as caseId')
      .where('decision', '=', 'archive')
      .orderBy('decided_at')
      .forUpdate()
      .execute()
    if (taken.length === 0) return undefined
    const processId = crypto.randomUUID()
    const entries: Zippable = {}
    const transferred: TransferredCase[] = []
    const serviceIds: string[] = []
    for (const { caseId } of taken) {
      const record = await findCase(trx, caseId)
      if (!record) continue
      const folder = archiveName(record.reference)
      const archived = await archiveCaseFile({ services, config }, trx, record, {
        staffId: 'aussonderung',
        name: config.cityName,
      })
      for (const [path, entry] of Object.entries(archived.entries)) entries[`${folder}/${path}`] = entry
      transferred.push({ folder, metadata: archived.metadata })
      serviceIds.push(record.serviceId)
    }
    entries[aussonderungFilename(processId)] = new TextEncoder().encode(
      aussonderungMessage({ processId, createdAt: now, sender: config.cityName, cases: transferred }),
    )
    const filename = `${processId}_Aussonderung.Aussonderung.0503.zip`
    await trx
      .insertInto('archive_transfers')
      .values({
        id: processId,
        created_at: now,
        case_count: transferred.length,
        filename,
        zip: Buffer.from(zipSync(entries, { level: 6 })),
      })
      .execute()
    const ids = taken.map(t => t.caseId)
    const counts = await deleteCases(trx, ids, todayInGermany(now), holders)
    await logDeletions(trx, 'archive-transfer', withDetails(counts, { services: [...new Set(serviceIds)].join(',') }))
    return { transferId: processId, cases: transferred.length }
  })
}

export function listTransfers(db: Db) {
  return db
    .selectFrom('archive_transfers')
    .select([
      'id',
      'created_at as createdAt',
      'case_count as caseCount',
      'filename',
      sql<number>`octet_length(zip)`.as('sizeBytes'),
    ])
    .orderBy('created_at', 'desc')
    .execute()
}

export function findTransfer(db: Db, id: string) {
  return db.selectFrom('archive_transfers').select(['id', 'filename', 'zip']).where('id', '=', id).executeTakeFirst()
}

/** A hand-over package holds personal data on its way to the archive: it is kept only ARCHIVE_TRANSFER_RETENTION_DAYS. */
export function archiveTransferRetention(days: number): RetentionSweep {
  return {
    id: 'archive-transfers',
    async sweep(db: Db, now: Date): Promise<DeletionCount[]> {
      const before = new Date(now.getTime() - days * 86_400_000)
      const deleted = await db.deleteFrom('archive_transfers').where('created_at', '<', before).executeTakeFirst()
      return [
        {
          subjectType: 'archive-transfer',
          outcome: 'deleted',
          count: Number(deleted.numDeletedRows),
          details: { days },
        },
      ]
    },
  }
}

export function withDetails(counts: DeletionCount[], details: Record<string, string | number>): DeletionCount[] {
  return counts.map(c => ({ ...c, details: { ...details, ...c.details } }))
}

/** Case ids grouped by a non-personal key (service and office), for one deletion-log entry per group. */
export function groupCaseIds<T extends { caseId: string }>(
  items: T[],
  key: (item: T) => string,
): Map<string, string[]> {
  const groups = new Map<string, string[]>()
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item.caseId])
  return groups
}
