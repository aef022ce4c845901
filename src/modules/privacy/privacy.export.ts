import crypto from 'node:crypto'
import { zipSync, type Zippable } from 'fflate'
import type { Config } from '../../platform/config.js'
import type { Db } from '../../platform/db/database.js'
import { audit } from '../../platform/audit/audit.js'
import { enqueueJob } from '../../platform/jobs/index.js'
import { queueMail } from '../../platform/mail/mail.js'
import { isLocale, translator, type Locale } from '../../platform/i18n/i18n.js'
import type { PersonalDataHolder, PersonalDataPart } from '../../platform/privacy/index.js'
import { accountProfileFor } from '../accounts/index.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { ExportNotFound, ExportNotReady } from './privacy.errors.js'
import {
  findExport,
  markExportFailed,
  findQueuedExport,
  insertExport,
  lockQueuedExport,
  readExportContent,
  storeExport,
} from './privacy.queries.js'
import { renderSummaryPdf } from './privacy.summary.js'

export const PRIVACY_EXPORT_JOB = 'privacy.export'
export const EXPIRE_EXPORTS_JOB = 'privacy.expireExports'
/** How long a prepared export can be downloaded before it is deleted. */
export const EXPORT_DAYS = 7
/** Runs of the job before the export is marked failed, so the page says so instead of waiting for ever. */
export const EXPORT_ATTEMPTS = 3

export interface PrivacyDeps {
  db: Db
  config: Config
  services: ServiceRegistry
  holders: readonly PersonalDataHolder[]
}

/** Who may see an export: the person who asked for it, or the member of staff who prepared it from a paper request. */
export type Requester = { accountId: string } | { staffId: string }

/**
 * Queues an export of everything held about the account and audits the request. While one is being prepared for
 * the same requester, that one is answered instead of queuing another.
 */
export async function requestExport(
  db: Db,
  requester: { accountId: string; staffId?: string },
  locale: Locale,
  now: Date,
): Promise<string> {
  return db.transaction().execute(async trx => {
    const staffId = requester.staffId ?? null
    const queued = await findQueuedExport(trx, requester.accountId, staffId)
    if (queued) return queued.id
    const id = crypto.randomUUID()
    await insertExport(trx, { id, accountId: requester.accountId, staffId, locale, requestedAt: now })
    await enqueueJob(trx, {
      name: PRIVACY_EXPORT_JOB,
      payload: { exportId: id },
      key: `privacy.export:${id}`,
      maxAttempts: EXPORT_ATTEMPTS,
    })
    await audit(trx, {
      actor: staffId ? { staffId } : { accountId: requester.accountId },
      action: 'privacy.export.request',
      subjectType: 'account',
      subjectId: requester.accountId,
      details: { exportId: id },
    })
    return id
  })
}

/**
 * The job: asks every holder what it has, writes the ZIP (one JSON per holder, the files, a PDF summary), keeps it
 * for EXPORT_DAYS and tells the person by e-mail (the postbox belongs to cases, and a person may have none).
 */
export async function prepareExport(
  deps: PrivacyDeps,
  exportId: string,
  run: { now: Date; attempt: number },
): Promise<void> {
  try {
    await writeExport(deps, exportId, run.now)
  } catch (error) {
    if (run.attempt >= EXPORT_ATTEMPTS) await markExportFailed(deps.db, exportId)
    throw error
  }
}

async function writeExport(deps: PrivacyDeps, exportId: string, now: Date): Promise<void> {
  const { db, config } = deps
  await db.transaction().execute(async trx => {
    const row = await lockQueuedExport(trx, exportId)
    if (!row) return
    const locale: Locale = isLocale(row.locale) ? row.locale : 'de'
    const parts: { id: string; part: PersonalDataPart }[] = []
    for (const holder of deps.holders) parts.push({ id: holder.id, part: await holder.exportFor(trx, row.accountId) })
    const profile = await accountProfileFor(trx, row.accountId)
    const entries: Zippable = {}
    const encoder = new TextEncoder()
    for (const { id, part } of parts) {
      entries[`${id}.json`] = encoder.encode(`${JSON.stringify(part.data, null, 2)}\n`)
      for (const file of part.files ?? []) entries[uniquePath(entries, file.path)] = await file.read()
    }
    entries['summary.pdf'] = await renderSummaryPdf(
      { config: deps.config, services: deps.services },
      { locale, profile, parts, date: now },
    )
    const zip = zipSync(entries, { level: 6, mtime: now })
    const expiresAt = new Date(now.getTime() + EXPORT_DAYS * 86_400_000)
    await storeExport(trx, exportId, zip, now, expiresAt)
    if (!row.requestedByStaffId) {
      const t = translator(isLocale(profile.locale) ? profile.locale : locale)
      await queueMail(trx, {
        to: profile.email,
        subject: t.text('privacy.mail.readySubject', { city: config.cityName }),
        text: t.text('privacy.mail.readyBody', {
          link: `${config.baseUrl}/account/privacy/exports/${exportId}`,
          days: EXPORT_DAYS,
          city: config.cityName,
        }),
      })
    }
  })
}

/** Two files of the same name (two uploads called scan.pdf) both go in: the second gets a number. */
function uniquePath(entries: Zippable, path: string): string {
  if (!(path in entries)) return path
  const dot = path.lastIndexOf('.')
  for (let n = 2; ; n++) {
    const candidate = dot > path.lastIndexOf('/') ? `${path.slice(0, dot)}-${n}${path.slice(dot)}` : `${path}-${n}`
    if (!(candidate in entries)) return candidate
  }
}

/**
 * The export as its requester sees it: the person sees only those they requested themselves, a member of staff only
 * those they prepared. Anyone else's answers as unknown.
 */
export async function findOwnExport(db: Db, exportId: string, requester: Requester) {
  const row = await findExport(db, exportId)
  const own =
    row &&
    ('staffId' in requester
      ? row.requestedByStaffId === requester.staffId
      : row.accountId === requester.accountId && row.requestedByStaffId === null)
  if (!own) throw new ExportNotFound()
  return row
}

/** The ZIP for its requester, while it is kept; the download is audited. */
export async function downloadExport(
  db: Db,
  exportId: string,
  requester: Requester,
  now: Date,
): Promise<{ filename: string; zip: Buffer }> {
  const row = await findOwnExport(db, exportId, requester)
  if (row.status !== 'ready' || !row.expiresAt || row.expiresAt <= now) throw new ExportNotReady()
  const zip = await readExportContent(db, exportId)
  if (!zip) throw new ExportNotReady()
  await audit(db, {
    actor: requester,
    action: 'privacy.export.download',
    subjectType: 'account',
    subjectId: row.accountId,
    details: { exportId },
  })
  const day = row.readyAt ? row.readyAt.toISOString().slice(0, 10) : now.toISOString().slice(0, 10)
  return { filename: `meine-daten-${day}.zip`, zip }
}
