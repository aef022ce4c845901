import type { Db } from '../../platform/db/database.js'
import type { Config } from '../../platform/config.js'
import { addDays, addWorkingDays, dayInCity, endOfCityDay } from '../../platform/calendar/index.js'
import { formatDate, formatDateTime, isLocale, translator } from '../../platform/i18n/i18n.js'
import { deliverToApplicant, listOwedDocumentRequests, markDocumentsReminded } from '../postbox/index.js'
import { queueMail } from '../../platform/mail/mail.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { finalStatuses, isFinalStatus } from './cases.workflow.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import type { Locale } from '../../platform/i18n/i18n.js'
import { caseworkOfficeIds } from './cases.access.js'
import { NoCaseworkOffice } from './cases.errors.js'
import { remindOverdueInvolvements } from './cases.involvements.sweep.js'
import { countOverdueInvolvements } from './cases.involvements.queries.js'
import {
  clearNextAlert,
  countDeadlinesByAssignee,
  findCase,
  type DeadlineCounts,
  insertCaseEvent,
  listCasesDueBefore,
  listOfficeTeamLeads,
  recordDeadlineAlert,
} from './cases.queries.js'

/** The job that reminds and escalates; every 15 minutes. */
export const DEADLINE_SWEEP_JOB = 'cases.deadlineSweep'
/** The assignee is reminded this many working days before the deadline ends. */
export const REMINDER_WORKING_DAYS = 2
const BATCH = 500

export interface SweepReport {
  reminders: number
  escalations: number
  documentReminders: number
  involvementReminders: number
}

/** The applicant is reminded this many days before documents they owe are due. */
export const DOCUMENTS_REMINDER_DAYS = 3

/**
 * Looks at every open case whose deadline ends within the reminder window or has passed. Before the end the
 * assignee (or, for an unassigned case, the office's team leads) gets one reminder; after it the team leads get
 * one escalation and the case's timeline says so. Each alert is recorded per case and deadline, so however often
 * the sweep runs, and on however many workers, nobody is told twice; a new deadline may be alerted anew.
 */
export async function sweepDeadlines(
  deps: { db: Db; services: ServiceRegistry; config: Config },
  now = new Date(),
): Promise<SweepReport> {
  const { db, services, config } = deps
  const t = translator('de')
  const horizon = endOfCityDay(addWorkingDays(dayInCity(now), REMINDER_WORKING_DAYS))
  const report: SweepReport = { reminders: 0, escalations: 0, documentReminders: 0, involvementReminders: 0 }
  report.documentReminders = await remindOwedDocuments(deps, now)
  report.involvementReminders = await remindOverdueInvolvements(deps, now)
  const due = await listCasesDueBefore(db, horizon, BATCH, now)
  const closed = new Set<string>()
  for (const c of due) {
    if (isFinalStatus(await services.version(c.serviceId, c.serviceVersion), c.status)) closed.add(c.id)
  }
  await clearNextAlert(db, [...closed])
  for (const c of due.filter(d => !closed.has(d.id))) {
    const dueAt = new Date(c.dueAt!)
    const kind = dueAt <= now ? 'escalation' : 'reminder'
    const title = services.find(c.serviceId)?.title.de ?? c.serviceId
    const params = {
      reference: c.reference,
      service: title,
      due: formatDateTime(dueAt, 'de'),
      link: `${config.baseUrl}/backoffice/cases/${c.id}`,
      assignee: c.assigneeName ?? t.text('cases.deadlines.nobody'),
    }
    const sent = await db.transaction().execute(async trx => {
      if (!(await recordDeadlineAlert(trx, c.id, kind, dueAt))) return false
      const recipients =
        kind === 'reminder' && c.assigneeEmail
          ? [c.assigneeEmail]
          : (await listOfficeTeamLeads(trx, c.officeId)).map(s => s.email)
      for (const to of recipients) {
        await queueMail(trx, {
          to,
          subject: t.text(`cases.deadlines.${kind}.subject`, params),
          text: t.text(`cases.deadlines.${kind}.body`, params),
        })
      }
      if (kind === 'escalation')
        await insertCaseEvent(trx, {
          caseId: c.id,
          kind: 'deadline_escalated',
          internal: true,
          data: { dueAt: dueAt.toISOString(), notified: recipients.length },
        })
      return true
    })
    if (sent) report[kind === 'reminder' ? 'reminders' : 'escalations']++
  }
  return report
}

/**
 * Documents the office asked for and has not received: the applicant is reminded once, in the postbox and by
 * mail, a few days before the day the caseworker set.
 */
async function remindOwedDocuments(deps: { db: Db; config: Config }, now: Date): Promise<number> {
  const { db, config } = deps
  let reminded = 0
  for (const request of await listOwedDocumentRequests(db, addDays(dayInCity(now), DOCUMENTS_REMINDER_DAYS), BATCH)) {
    const sent = await db.transaction().execute(async trx => {
      if (!(await markDocumentsReminded(trx, request.id))) return false
      const c = await findCase(trx, request.caseId)
      if (!c) return false
      const locale = isLocale(c.locale) ? c.locale : 'de'
      const t = translator(locale)
      const params = { reference: c.reference, date: formatDate(request.documentsDueOn, locale) }
      await deliverToApplicant(
        trx,
        {
          caseId: c.id,
          reference: c.reference,
          accountId: c.accountId,
          applicantEmail: c.applicantEmail,
          locale,
          senderStaffId: null,
          subject: t.text('cases.deadlines.documents.subject', params),
          body: t.text('cases.deadlines.documents.body', params),
        },
        config.baseUrl,
      )
      return true
    })
    if (sent) reminded++
  }
  return reminded
}

export interface OfficeDeadlines {
  officeId: string
  officeName: string
  rows: DeadlineCounts[]
  /** Statements past their due day: owed by this office to others, and awaited from others on its cases. */
  statements: { owed: number; awaited: number }
}

/** For the deadlines page: per office the person works in, the counts per assignee. */
export async function deadlineOverview(
  db: Db,
  services: ServiceRegistry,
  staff: StaffMember,
  locale: Locale,
  now = new Date(),
): Promise<OfficeDeadlines[]> {
  const officeIds = caseworkOfficeIds(staff)
  if (officeIds.length === 0) throw new NoCaseworkOffice()
  const horizon = endOfCityDay(addWorkingDays(dayInCity(now), REMINDER_WORKING_DAYS))
  const offices: OfficeDeadlines[] = []
  for (const officeId of officeIds) {
    const finals = [...new Set(services.forOffice(officeId).flatMap(finalStatuses))]
    offices.push({
      officeId,
      officeName: services.office(officeId)?.name[locale] ?? officeId,
      rows: await countDeadlinesByAssignee(db, officeId, finals, now, horizon),
      statements: await countOverdueInvolvements(db, officeId, dayInCity(now)),
    })
  }
  return offices
}
