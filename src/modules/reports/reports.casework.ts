import type { Db, Trx } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import { BadRequest, Conflict } from '../../platform/http/errors.js'
import type { ServiceDefinition, ServiceRegistry } from '../catalogue/index.js'
import {
  assertCaseVersion,
  CaseNotFound,
  canWorkOn,
  insertCaseEvent,
  isFinalStatus,
  lockCase,
  moveCaseToOffice,
  type CaseRecord,
} from '../cases/index.js'
import { categoriesOf, type ReportCategory } from './reports.categories.js'
import { notifyFollowers } from './reports.follow.js'
import {
  countFollowers,
  findReportOfCase,
  listReportPhotos,
  setReportState,
  type ReportRecord,
} from './reports.queries.js'
import { recordReportCategoryDecision } from './reports.triage.js'
import type { TriageSettings } from '../triage/index.js'

/**
 * Called by the case workflow on every step of any case: a report mirrors its state (open or closed, for the public
 * list) and, when the step tells the applicant, its followers get the same message by mail.
 */
export async function reportCaseTransitioned(
  trx: Trx,
  input: {
    caseId: string
    reference: string
    definition: ServiceDefinition
    to: string
    notify?: { de: string; en: string }
    baseUrl: string
  },
): Promise<void> {
  if (!input.definition.report) return
  const report = await findReportOfCase(trx, input.caseId)
  if (!report) return
  await setReportState(trx, input.caseId, input.to, isFinalStatus(input.definition, input.to))
  if (input.notify) {
    const state = input.definition.workflow.states.find(s => s.id === input.to)
    await notifyFollowers(trx, {
      reportId: report.id,
      reference: input.reference,
      subject: state?.label ?? { de: input.to, en: input.to },
      body: input.notify,
      baseUrl: input.baseUrl,
    })
  }
}

export interface ReportSectionData {
  report: ReportRecord
  category: ReportCategory | undefined
  categories: ReportCategory[]
  photos: { position: number; fileId: string }[]
  followers: number
  /** The case's office may change the category, confirm it and publish the photos; involved offices only read. */
  canAct: boolean
}

/** The report part of a case view; undefined for a case that is no report. */
export async function reportSectionData(
  db: Db,
  services: ServiceRegistry,
  record: CaseRecord,
  staff: StaffMember,
): Promise<ReportSectionData | undefined> {
  const definition = await services.version(record.serviceId, record.serviceVersion)
  if (!definition.report) return undefined
  const report = await findReportOfCase(db, record.id)
  if (!report) return undefined
  const categories = categoriesOf(definition)
  return {
    report,
    categories,
    category: categories.find(c => c.code === report.category_code),
    photos: await listReportPhotos(db, report.id),
    followers: await countFollowers(db, report.id),
    canAct: canWorkOn(staff, record.officeId) && !isFinalStatus(definition, record.status),
  }
}

interface CategoryAction {
  categoryCode: string
  expectedVersion: number | undefined /** Confirm the current category (the code must be it). */
  confirm?: boolean
}

/**
 * The office changes (or confirms) a report's category. A category of another office hands the case over to that
 * office's inbox, unassigned. Either way the decision teaches the suggestion (triage).
 */
export async function changeReportCategory(
  db: Db,
  services: ServiceRegistry,
  staff: StaffMember,
  caseId: string,
  input: CategoryAction,
  triage: Pick<TriageSettings, 'triageRetrainAfter'>,
): Promise<{ officeChanged: boolean; officeId: string; reference: string }> {
  return db.transaction().execute(async trx => {
    const { locked, report, definition } = await lockReportCase(trx, services, staff, caseId, input.expectedVersion)
    const category = categoriesOf(definition).find(
      c => c.code === (input.confirm ? report.category_code : input.categoryCode),
    )
    if (!category) throw new BadRequest('reports.errors.categoryUnknown')
    const confirmed = category.code === report.category_code
    await trx
      .updateTable('reports')
      .set({
        category_code: category.code,
        sensitive: category.sensitive,
        category_confirmed_at: new Date(),
        updated_at: new Date(),
      })
      .where('id', '=', report.id)
      .execute()
    const officeChanged = category.office !== locked.officeId
    if (officeChanged) await moveCaseToOffice(trx, caseId, category.office)
    await insertCaseEvent(trx, {
      caseId,
      kind: confirmed ? 'report_category_confirmed' : 'report_category_changed',
      internal: true,
      actorStaffId: staff.id,
      data: {
        from: report.category_code,
        to: category.code,
        category: category.name,
        fromOffice: locked.officeId,
        toOffice: category.office,
        office: services.office(category.office)?.name ?? null,
      },
    })
    await recordReportCategoryDecision(
      trx,
      {
        text: report.description,
        label: category.code,
        office: category.office,
        kind: 'report',
        decidedBy: staff,
        caseOfficeId: locked.officeId,
        corrected: !confirmed,
      },
      triage,
    )
    await audit(trx, {
      actor: { staffId: staff.id },
      action: confirmed ? 'report.category.confirm' : 'report.category.change',
      subjectType: 'case',
      subjectId: caseId,
      officeId: locked.officeId,
      details: { from: report.category_code, to: category.code, toOffice: category.office },
    })
    return { officeChanged, officeId: category.office, reference: locked.reference }
  })
}

/** A caseworker looked at the photos (no faces, no number plates): they may be shown publicly; or no longer. */
export async function setReportPhotosReviewed(
  db: Db,
  services: ServiceRegistry,
  staff: StaffMember,
  caseId: string,
  input: { publish: boolean; expectedVersion: number | undefined },
): Promise<void> {
  await db.transaction().execute(async trx => {
    const { locked, report } = await lockReportCase(trx, services, staff, caseId, input.expectedVersion)
    await trx
      .updateTable('reports')
      .set({
        photos_reviewed_at: input.publish ? new Date() : null,
        photos_reviewed_by: input.publish ? staff.id : null,
        updated_at: new Date(),
      })
      .where('id', '=', report.id)
      .execute()
    await insertCaseEvent(trx, {
      caseId,
      kind: input.publish ? 'report_photos_published' : 'report_photos_withdrawn',
      internal: true,
      actorStaffId: staff.id,
      data: {},
    })
    await audit(trx, {
      actor: { staffId: staff.id },
      action: input.publish ? 'report.photos.publish' : 'report.photos.withdraw',
      subjectType: 'case',
      subjectId: caseId,
      officeId: locked.officeId,
    })
  })
}

/** The report case, locked, for its own office only (anyone else: the 404 of a missing case), at the version seen. */
async function lockReportCase(
  trx: Trx,
  services: ServiceRegistry,
  staff: StaffMember,
  caseId: string,
  expectedVersion: number | undefined,
) {
  const locked = await lockCase(trx, caseId)
  if (!locked || !canWorkOn(staff, locked.officeId)) throw new CaseNotFound()
  const definition = await services.version(locked.serviceId, locked.serviceVersion)
  const report = definition.report ? await findReportOfCase(trx, caseId) : undefined
  if (!report) throw new CaseNotFound()
  assertCaseVersion(locked, expectedVersion)
  if (isFinalStatus(definition, locked.status)) throw new Conflict('reports.errors.caseClosed')
  return { locked, report, definition }
}
