import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.js'
import type { Config } from '../../platform/config.js'
import type { VirusScanner } from '../../platform/files/virus-scan.js'
import { storeFile } from '../../platform/files/files.js'
import { translator } from '../../platform/i18n/i18n.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { findAccountContact } from '../accounts/index.js'
import { createCase, insertCaseEvent } from '../cases/index.js'
import { fileDocument } from '../efile/index.js'
import { deliverToApplicant } from '../postbox/index.js'
import { cityBoundsOf, findReportCategory, listReportCategories } from './reports.categories.js'
import { ReportInvalid, type ReportFieldError } from './reports.errors.js'
import { gridCellOf } from './reports.grid.js'
import { MAX_PHOTOS, preparePhoto, type PreparedPhoto } from './reports.photos.js'
import { findReportByIdempotencyKey, insertReport, insertReportPhoto } from './reports.queries.js'
import {
  countReportSubmission,
  REPORTS_PER_WINDOW,
  REPORTS_PER_WINDOW_PER_API_ADDRESS,
  REPORTS_PER_WINDOW_PER_API_KEY,
  type RateLimitKey,
} from './reports.ratelimit.js'
import { validateReportFields, type NewReport } from './reports.validate.js'

export type { NewReport }

export interface SubmittedReport {
  reportId: string
  caseId: string
  reference: string
}

/** What filing a report needs; the scanner sees every photo before it is stored. */
export interface ReportDeps {
  db: Db
  services: ServiceRegistry
  config: Config
  scanner: VirusScanner
}

/** A filed report, or every problem the reporter must correct, each with its field. */
export type ReportOutcome = ({ ok: true } & SubmittedReport) | { ok: false; errors: ReportFieldError[] }

/**
 * For callers to whom an invalid report is a refused request (the Open311 API, demo data): fileReport, with its
 * field errors thrown as ReportInvalid.
 */
export async function submitReport(deps: ReportDeps, input: NewReport): Promise<SubmittedReport> {
  const outcome = await fileReport(deps, input)
  if (!outcome.ok) throw new ReportInvalid(outcome.errors)
  const { ok: _, ...submitted } = outcome
  return submitted
}

/**
 * Files a defect report: checks every field and photo (field errors come back as values, all at once), counts it
 * against the client's rate limit (ReportRateLimited), then, in one transaction, opens a case of the report service
 * in the inbox of the category's office, stores the report and its re-encoded photos (documents of the e-file), and
 * confirms receipt to the reporter's postbox or e-mail, when there is one.
 */
export async function fileReport(deps: ReportDeps, input: NewReport): Promise<ReportOutcome> {
  const { db, services, config } = deps
  const errors: ReportFieldError[] = validateReportFields(input, listReportCategories(services), cityBoundsOf(services))
  const photos: PreparedPhoto[] = []
  if (input.photos.length > MAX_PHOTOS)
    errors.push({
      field: 'photos',
      messageKey: 'reports.errors.photosTooMany',
      params: { max: MAX_PHOTOS, count: input.photos.length },
    })
  else {
    for (const [i, photo] of input.photos.entries()) {
      const prepared = await preparePhoto(deps.scanner, photo, i, !!input.keepPhotoMetadata)
      if ('messageKey' in prepared) errors.push(prepared)
      else photos.push(prepared)
    }
  }
  if (errors.length) return { ok: false, errors }
  const found = findReportCategory(services, input.categoryCode)!
  const { category, definition } = found
  const idempotencyKey = input.idempotencyKey?.trim().slice(0, 200) || null
  const apiKeyId = input.apiKeyId ?? null
  if (idempotencyKey) {
    const existing = await findReportByIdempotencyKey(db, input.source, apiKeyId, idempotencyKey)
    if (existing) return { ok: true, reportId: existing.id, caseId: existing.caseId, reference: existing.reference }
  }

  const description = input.description.trim()
  const address = input.address?.trim() || null
  const hasPlace = input.lat !== null && input.lat !== undefined && input.lon !== null && input.lon !== undefined
  const lat = hasPlace ? Number(input.lat!.toFixed(6)) : null
  const lon = hasPlace ? Number(input.lon!.toFixed(6)) : null
  const contact = {
    name: input.contact?.name?.trim() || null,
    email: input.contact?.email?.trim() || null,
    phone: input.contact?.phone?.trim() || null,
  }
  const locale = input.locale
  const t = translator(locale)

  const file = () =>
    db.transaction().execute(async trx => {
      await countReportSubmission(trx, rateLimitKeys(input))
      const account = input.accountId ? await findAccountContact(trx, input.accountId) : undefined
      const accountName = account
        ? account.companyName || [account.givenName, account.familyName].filter(Boolean).join(' ')
        : ''
      const answers: Record<string, unknown> = {
        category: `${category.name[locale]} (${category.code})`,
        description,
        ...(address ? { address } : {}),
        ...(hasPlace ? { location: `${lat}, ${lon}` } : {}),
        ...(contact.name ? { contactName: contact.name } : {}),
        ...(contact.email ? { contactEmail: contact.email } : {}),
        ...(contact.phone ? { contactPhone: contact.phone } : {}),
      }
      const created = await createCase(trx, {
        draftId: crypto.randomUUID(),
        definition,
        answers,
        applicantName: contact.name || accountName || t.text('reports.case.anonymous'),
        applicantEmail: contact.email || account?.email || null,
        accountId: account ? input.accountId! : null,
        filedByStaffId: null,
        locale,
        officeId: category.office,
      })
      const reportId = crypto.randomUUID()
      await insertReport(trx, {
        id: reportId,
        caseId: created.id,
        categoryCode: category.code,
        description,
        lat,
        lon,
        gridCell: hasPlace ? gridCellOf(lat!, lon!) : null,
        address,
        state: definition.workflow.initial,
        sensitive: category.sensitive,
        photoMetadataKept: !!input.keepPhotoMetadata && photos.length > 0,
        contactName: contact.name,
        contactEmail: contact.email,
        contactPhone: contact.phone,
        accountId: account ? input.accountId! : null,
        locale,
        source: input.source,
        apiKeyId,
        idempotencyKey,
      })
      for (const [i, photo] of photos.entries()) {
        const stored = await storeFile(trx, {
          content: photo.content,
          filename: photo.filename,
          mediaType: 'image/jpeg',
          caseId: created.id,
          accountId: account ? input.accountId : null,
        })
        await insertReportPhoto(trx, reportId, i + 1, stored.fileId)
        await fileDocument(trx, {
          caseId: created.id,
          kind: 'attachment',
          title: t.text('reports.case.photoTitle', { n: i + 1 }),
          fileId: stored.fileId,
          actor: { accountId: account ? input.accountId! : null },
        })
      }
      if (account || contact.email) {
        await insertCaseEvent(trx, { caseId: created.id, kind: 'message_sent', internal: false, data: {} })
        await deliverToApplicant(
          trx,
          {
            caseId: created.id,
            reference: created.reference,
            accountId: account ? input.accountId! : null,
            applicantEmail: contact.email || account?.email || null,
            locale,
            senderStaffId: null,
            subject: t.text('reports.mail.receivedSubject', { reference: created.reference }),
            body: t.text('reports.mail.receivedBody', {
              reference: created.reference,
              category: category.name[locale],
              link: `${config.baseUrl}/maengel/${created.reference}`,
            }),
          },
          config.baseUrl,
        )
      }
      return { reportId, caseId: created.id, reference: created.reference }
    })
  try {
    return { ok: true, ...(await file()) }
  } catch (error) {
    // Two submissions with the same key at the same moment: the second finds the first one's report.
    if (!idempotencyKey || (error as { code?: string }).code !== '23505') throw error
    const existing = await findReportByIdempotencyKey(db, input.source, apiKeyId, idempotencyKey)
    if (!existing) throw error
    return { ok: true, reportId: existing.id, caseId: existing.caseId, reference: existing.reference }
  }
}

function rateLimitKeys(input: NewReport): RateLimitKey[] {
  const keys: RateLimitKey[] = []
  if (input.source === 'open311' && input.apiKeyId) {
    keys.push({ key: `api:${input.apiKeyId}`, max: REPORTS_PER_WINDOW_PER_API_KEY })
    keys.push({ key: `api:${input.apiKeyId}:ip:${input.clientIp}`, max: REPORTS_PER_WINDOW_PER_API_ADDRESS })
  } else {
    keys.push({ key: `ip:${input.clientIp}`, max: REPORTS_PER_WINDOW })
  }
  if (input.accountId) keys.push({ key: `account:${input.accountId}`, max: REPORTS_PER_WINDOW })
  return keys
}
