import type { Db } from '../../platform/db/database.js'
import type { Config } from '../../platform/config.js'
import { dayInCity } from '../../platform/calendar/index.js'
import { formatDate, translator } from '../../platform/i18n/i18n.js'
import { queueMail } from '../../platform/mail/mail.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { listOverdueInvolvements, markInvolvementReminded } from './cases.involvements.queries.js'
import { listOfficeTeamLeads } from './cases.queries.js'

const BATCH = 500

/**
 * Statements not given by their due day: the involved office's team leads are told once, by mail. Marking the
 * request as reminded and queueing the mails happen in one transaction, so concurrent sweeps never send twice.
 */
export async function remindOverdueInvolvements(
  deps: { db: Db; services: ServiceRegistry; config: Config },
  now: Date,
): Promise<number> {
  const { db, services, config } = deps
  const t = translator('de')
  let reminded = 0
  for (const overdue of await listOverdueInvolvements(db, dayInCity(now), BATCH)) {
    const params = {
      reference: overdue.reference,
      service: services.find(overdue.serviceId)?.title.de ?? overdue.serviceId,
      office: services.office(overdue.leadOfficeId)?.name.de ?? overdue.leadOfficeId,
      due: formatDate(overdue.dueOn, 'de'),
      task: overdue.task,
      link: `${config.baseUrl}/backoffice/cases/${overdue.caseId}#involvement-${overdue.id}`,
    }
    const sent = await db.transaction().execute(async trx => {
      if (!(await markInvolvementReminded(trx, overdue.id))) return false
      for (const lead of await listOfficeTeamLeads(trx, overdue.officeId)) {
        await queueMail(trx, {
          to: lead.email,
          subject: t.text('cases.involvement.reminder.subject', params),
          text: t.text('cases.involvement.reminder.body', params),
        })
      }
      return true
    })
    if (sent) reminded++
  }
  return reminded
}
