import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  addDays,
  addMonths,
  addWorkingDays,
  dayInCity,
  deadlineEndDay,
  endOfCityDay,
  isIsoDay,
  isPublicHoliday,
  isWorkingDay,
  nextWorkingDayFrom,
  startOfCityDay,
} from '../src/platform/calendar/index.js'
import { computeDueDate } from '../src/modules/cases/cases.deadlines.js'
import { sweepDeadlines } from '../src/modules/cases/index.js'
import { samplePng, startTestPlatform, type TestPlatform } from './support/test-platform.js'
import { caseVersion, citizenBrowser, staffBrowser, submitCase } from './support/casework.js'

describe('the city calendar', () => {
  it('knows the public holidays of NRW, including the movable ones', () => {
    for (const day of [
      '2027-01-01',
      '2027-03-26',
      '2027-03-29',
      '2027-05-01',
      '2027-05-06',
      '2027-05-17',
      '2027-05-27',
      '2027-10-03',
      '2027-11-01',
      '2027-12-25',
      '2027-12-26',
    ]) {
      assert.ok(isPublicHoliday(day), day)
    }
    assert.ok(!isPublicHoliday('2027-10-31'), 'Reformation Day is no holiday in NRW')
    assert.ok(!isPublicHoliday('2027-01-06'), 'Epiphany is no holiday in NRW')
    assert.ok(!isWorkingDay('2026-11-28') && !isWorkingDay('2026-11-29'), 'weekend')
    assert.ok(isWorkingDay('2026-11-30'))
  })

  it('adds working days over weekends and holidays', () => {
    assert.equal(addWorkingDays('2026-11-27', 1), '2026-11-30') // Friday → Monday
    assert.equal(addWorkingDays('2027-03-25', 1), '2027-03-30') // Thursday before Easter → Tuesday after
    assert.equal(addWorkingDays('2026-12-23', 3), '2026-12-29') // over Christmas
    assert.equal(addWorkingDays('2027-05-26', 1), '2027-05-28') // over Corpus Christi
  })

  it('adds months to the month end, across leap years', () => {
    assert.equal(addMonths('2026-01-31', 1), '2026-02-28')
    assert.equal(addMonths('2028-01-31', 1), '2028-02-29')
    assert.equal(addMonths('2028-02-29', 12), '2029-02-28')
    assert.equal(addMonths('2026-08-31', 1), '2026-09-30')
    assert.equal(addMonths('2026-11-15', 3), '2027-02-15')
    assert.equal(addMonths('2026-12-31', 2), '2027-02-28')
  })

  it('ends a deadline on the next working day when it falls on a weekend or holiday', () => {
    assert.equal(deadlineEndDay('2026-01-31', { value: 1, unit: 'months' }), '2026-03-02') // 28 February 2026 is a Saturday
    assert.equal(deadlineEndDay('2028-01-31', { value: 1, unit: 'months' }), '2028-02-29')
    assert.equal(deadlineEndDay('2026-11-27', { value: 14, unit: 'days' }), '2026-12-11')
    assert.equal(deadlineEndDay('2026-12-11', { value: 14, unit: 'days' }), '2026-12-28') // 25 December, then the weekend … 28 December
    assert.equal(deadlineEndDay('2027-03-12', { value: 14, unit: 'days' }), '2027-03-30') // Good Friday → Easter Monday → Tuesday
    assert.equal(nextWorkingDayFrom('2026-11-30'), '2026-11-30')
  })

  it('ends a day at 23:59:59 in Dortmund, in winter and in summer time, and on the days the clocks change', () => {
    assert.equal(endOfCityDay('2026-12-11').toISOString(), '2026-12-11T22:59:59.999Z')
    assert.equal(endOfCityDay('2026-07-01').toISOString(), '2026-07-01T21:59:59.999Z')
    assert.equal(endOfCityDay('2026-03-29').toISOString(), '2026-03-29T21:59:59.999Z') // clocks go forward at 2 a.m.
    assert.equal(endOfCityDay('2026-10-25').toISOString(), '2026-10-25T22:59:59.999Z') // clocks go back at 3 a.m.
    assert.equal(endOfCityDay('2026-03-28').toISOString(), '2026-03-28T22:59:59.999Z')
  })

  it('tells real calendar days from look-alikes, and finds the start of a day across clock changes', () => {
    for (const day of ['2026-02-28', '2028-02-29', '2026-12-31']) assert.ok(isIsoDay(day), day)
    for (const text of ['2026-02-30', '2027-02-29', '2026-13-01', '26-01-01', '2026-1-1', '31.12.2026', ''])
      assert.ok(!isIsoDay(text), text)
    assert.equal(startOfCityDay('2026-03-29').toISOString(), '2026-03-28T23:00:00.000Z')
    assert.equal(startOfCityDay('2026-10-26').toISOString(), '2026-10-25T23:00:00.000Z')
    assert.equal(startOfCityDay('2026-07-01').toISOString(), '2026-06-30T22:00:00.000Z')
  })

  it('takes the day of an event in Dortmund, not in UTC', () => {
    assert.equal(dayInCity(new Date('2026-11-26T23:30:00Z')), '2026-11-27') // 00:30 in Dortmund
    assert.equal(dayInCity(new Date('2026-06-30T22:30:00Z')), '2026-07-01') // 00:30 summer time
    assert.equal(dayInCity(new Date('2026-11-26T22:59:59Z')), '2026-11-26')
  })

  it('always ends on a working day, never before the event, for any start and length', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2032, 11, 31) }),
        fc.integer({ min: 1, max: 90 }),
        fc.constantFrom('days' as const, 'workingDays' as const, 'months' as const),
        (ms, value, unit) => {
          const start = new Date(ms).toISOString().slice(0, 10)
          const end = deadlineEndDay(start, { value: unit === 'months' ? Math.ceil(value / 10) : value, unit })
          return isWorkingDay(end) && end > start
        },
      ),
      { seed: 20261126, numRuns: 500 },
    )
  })
})

describe('processing deadlines of cases', () => {
  it('runs to the end of the last day in Dortmund', () => {
    // Submitted on Friday evening; 14 calendar days end with Friday 11 December 2026, 23:59:59 CET.
    assert.equal(
      computeDueDate(new Date('2026-11-27T18:00:00Z'), { value: 14, unit: 'days' }).toISOString(),
      '2026-12-11T22:59:59.999Z',
    )
    // Submitted at 00:30 on Saturday in Dortmund (still Friday in UTC): counted from Saturday.
    assert.equal(
      computeDueDate(new Date('2026-11-27T23:30:00Z'), { value: 1, unit: 'workingDays' }).toISOString(),
      '2026-11-30T22:59:59.999Z',
    )
    assert.equal(
      computeDueDate(new Date('2026-01-31T10:00:00Z'), { value: 1, unit: 'months' }).toISOString(),
      '2026-03-02T22:59:59.999Z',
    )
  })
})

describe('deadline monitoring', () => {
  let platform: TestPlatform
  before(async () => {
    platform = await startTestPlatform()
  })
  after(async () => {
    await platform.close()
  })
  const db = () => platform.database.db
  const deps = () => ({ db: db(), services: platform.app.services, config: platform.config })
  const mailsTo = (to: string, subject: string) =>
    db()
      .selectFrom('mail_outbox')
      .select('body_text')
      .where('recipient', '=', to)
      .where('subject', 'like', `${subject}%`)
      .execute()

  it('reminds the assignee once before the end, escalates once to the team lead after it, and leaves closed cases alone', async () => {
    const citizen = await citizenBrowser(platform)
    const { caseId, reference } = await submitCase(platform, citizen, 'baumfaellung')
    const staff = await staffBrowser(platform, 'umweltamt')
    await staff.get(`/backoffice/cases/${caseId}`)
    assert.equal(
      (await staff.post(`/backoffice/cases/${caseId}/claim`, { version: await caseVersion(staff, caseId) })).statusCode,
      303,
    )
    // The tree-felling permit counts as granted when not decided in time: both sides see the date.
    assert.match(
      (await staff.get(`/backoffice/cases/${caseId}`)).body,
      /Genehmigungsfiktion: Ist bis zum \d{1,2}\. \S+ \d{4} nicht entschieden/,
    )
    assert.match((await citizen.get(`/account/applications/${caseId}`)).body, /gilt Ihr Antrag als genehmigt/)
    const inAnHour = new Date(Date.now() + 3_600_000)
    await db().updateTable('cases').set({ due_at: inAnHour }).where('id', '=', caseId).execute()

    const [first, second] = await Promise.all([sweepDeadlines(deps()), sweepDeadlines(deps())])
    assert.equal(first!.reminders + second!.reminders, 1, 'two sweeps at once remind once')
    const reminders = await mailsTo('sb.umweltamt@stadt.example', `Frist läuft bald ab: ${reference}`)
    assert.equal(reminders.length, 1)
    assert.match(reminders[0]!.body_text, new RegExp(`/backoffice/cases/${caseId}`))
    assert.deepEqual(await sweepDeadlines(deps()), {
      reminders: 0,
      escalations: 0,
      documentReminders: 0,
      involvementReminders: 0,
    })

    await db()
      .updateTable('cases')
      .set({ due_at: new Date(Date.now() - 60_000) })
      .where('id', '=', caseId)
      .execute()
    assert.deepEqual(await sweepDeadlines(deps()), {
      reminders: 0,
      escalations: 1,
      documentReminders: 0,
      involvementReminders: 0,
    })
    assert.deepEqual(await sweepDeadlines(deps()), {
      reminders: 0,
      escalations: 0,
      documentReminders: 0,
      involvementReminders: 0,
    })
    assert.equal((await mailsTo('tl.umweltamt@stadt.example', `Frist abgelaufen: ${reference}`)).length, 1)
    const events = await db()
      .selectFrom('case_events')
      .select(['kind', 'internal'])
      .where('case_id', '=', caseId)
      .where('kind', '=', 'deadline_escalated')
      .execute()
    assert.deepEqual(events, [{ kind: 'deadline_escalated', internal: true }])
    const view = await staff.get(`/backoffice/cases/${caseId}`)
    assert.match(view.body, /an die Teamleitung gemeldet/)
    const applicantView = await citizen.get(`/account/applications/${caseId}`)
    assert.doesNotMatch(applicantView.body, /Teamleitung/, 'the escalation is internal')

    // A closed case is not escalated, even with its deadline long past.
    const { caseId: closed } = await submitCase(platform, citizen, 'baumfaellung')
    await db()
      .updateTable('cases')
      .set({ status: 'approved', due_at: new Date(Date.now() - 86_400_000) })
      .where('id', '=', closed)
      .execute()
    assert.deepEqual(await sweepDeadlines(deps()), {
      reminders: 0,
      escalations: 0,
      documentReminders: 0,
      involvementReminders: 0,
    })
  })

  it('stops the clock while documents are awaited and moves the end by the days it stood still', async () => {
    const citizen = await citizenBrowser(platform)
    const { caseId } = await submitCase(platform, citizen, 'baumfaellung')
    const staff = await staffBrowser(platform, 'umweltamt')
    await staff.get(`/backoffice/cases/${caseId}`)
    await staff.post(`/backoffice/cases/${caseId}/messages`, {
      subject: 'Fotos fehlen',
      body: 'Bitte Fotos senden.',
      requestsDocuments: 'yes',
      version: await caseVersion(staff, caseId),
    })
    const stopped = await db()
      .selectFrom('cases')
      .select(['due_at', 'clock_stopped_at'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow()
    assert.ok(stopped.clock_stopped_at, 'the clock stands still')
    assert.match((await staff.get(`/backoffice/cases/${caseId}`)).body, /Frist angehalten seit/)
    // Stopped ten days ago, and the deadline has passed meanwhile: no escalation while waiting.
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000)
    const dueBefore = new Date(Date.now() - 3_600_000)
    await db()
      .updateTable('cases')
      .set({ clock_stopped_at: tenDaysAgo, due_at: dueBefore })
      .where('id', '=', caseId)
      .execute()
    assert.deepEqual(await sweepDeadlines(deps()), {
      reminders: 0,
      escalations: 0,
      documentReminders: 0,
      involvementReminders: 0,
    })

    const message = await db()
      .selectFrom('messages')
      .select('id')
      .where('case_id', '=', caseId)
      .where('requests_documents', '=', true)
      .executeTakeFirstOrThrow()
    await citizen.get(`/account/postbox/${message.id}`)
    const reply = await citizen.post(
      `/account/postbox/${message.id}/reply`,
      { body: 'Anbei' },
      { files: [{ field: 'documents', filename: 'foto.png', content: samplePng, contentType: 'image/png' }] },
    )
    assert.equal(reply.statusCode, 303)
    const resumed = await db()
      .selectFrom('cases')
      .select(['due_at', 'clock_stopped_at'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow()
    assert.equal(resumed.clock_stopped_at, null)
    const expected = endOfCityDay(nextWorkingDayFrom(addDays(dayInCity(dueBefore), 10)))
    assert.equal(new Date(resumed.due_at!).toISOString(), expected.toISOString())
    const event = await db()
      .selectFrom('case_events')
      .select('data')
      .where('case_id', '=', caseId)
      .where('kind', '=', 'deadline_resumed')
      .executeTakeFirstOrThrow()
    assert.equal((typeof event.data === 'string' ? JSON.parse(event.data) : event.data).pausedDays, 10)
  })

  it('reminds the applicant once of documents due in three days, and refuses a due day in the past', async () => {
    const citizen = await citizenBrowser(platform)
    const { caseId, reference } = await submitCase(platform, citizen, 'baumfaellung')
    const staff = await staffBrowser(platform, 'umweltamt')
    await staff.get(`/backoffice/cases/${caseId}`)
    const wrong = await staff.post(`/backoffice/cases/${caseId}/messages`, {
      subject: 'Lageplan',
      body: 'Bitte Lageplan senden.',
      requestsDocuments: 'yes',
      documentsDueOn: '2020-01-01',
    })
    assert.equal(wrong.statusCode, 400)
    assert.match(wrong.body, /zwischen morgen und einem Jahr/)
    assert.match(wrong.body, /value="Lageplan"/)
    const dueOn = addDays(dayInCity(new Date()), 3)
    assert.equal(
      (
        await staff.post(`/backoffice/cases/${caseId}/messages`, {
          subject: 'Lageplan',
          body: 'Bitte Lageplan senden.',
          requestsDocuments: 'yes',
          documentsDueOn: dueOn,
          version: await caseVersion(staff, caseId),
        })
      ).statusCode,
      303,
    )
    const request = await db()
      .selectFrom('messages')
      .select(['id', 'documents_due_on'])
      .where('case_id', '=', caseId)
      .where('requests_documents', '=', true)
      .executeTakeFirstOrThrow()
    assert.equal(request.documents_due_on, dueOn)
    assert.match((await citizen.get(`/account/postbox/${request.id}`)).body, /Bitte senden Sie die Unterlagen bis zum/)
    const [a, b] = await Promise.all([sweepDeadlines(deps()), sweepDeadlines(deps())])
    assert.equal(a!.documentReminders + b!.documentReminders, 1)
    assert.equal((await sweepDeadlines(deps())).documentReminders, 0)
    const reminder = await db()
      .selectFrom('messages')
      .select('subject')
      .where('case_id', '=', caseId)
      .where('subject', 'like', 'Erinnerung: Unterlagen%')
      .execute()
    assert.equal(reminder.length, 1, 'in the postbox')
    assert.ok(reference)
  })

  it('shows per office and assignee which deadlines passed, end soon or stand still', async () => {
    const citizen = await citizenBrowser(platform)
    const overdue = await submitCase(platform, citizen, 'baumfaellung')
    const soon = await submitCase(platform, citizen, 'baumfaellung')
    await db()
      .updateTable('cases')
      .set({ due_at: new Date(Date.now() - 86_400_000) })
      .where('id', '=', overdue.caseId)
      .execute()
    await db()
      .updateTable('cases')
      .set({ due_at: new Date(Date.now() + 3_600_000) })
      .where('id', '=', soon.caseId)
      .execute()
    const lead = await staffBrowser(platform, 'umweltamt', 'team_lead')
    const page = await lead.get('/backoffice/deadlines')
    assert.equal(page.statusCode, 200)
    const unassigned = /<tr class="kern-table__row" data-assignee="none">([\s\S]*?)<\/tr>/.exec(page.body)?.[1] ?? ''
    const counts = [...unassigned.matchAll(/kern-table__cell--numeric">(\d+)</g)].map(m => Number(m[1]))
    assert.ok(counts[0]! >= 1 && counts[1]! >= 1, `unassigned overdue and due-soon counts: ${counts.join(', ')}`)
    assert.match(page.body, /href="\/backoffice\?office=umweltamt&(amp;)?overdue=1"/)
    assert.doesNotMatch(page.body, new RegExp(overdue.reference), 'counts, not case data')
    const admin = await staffBrowser(platform, 'buergerdienste', 'caseworker', 'admin@stadt.example')
    assert.equal((await admin.get('/backoffice/deadlines')).statusCode, 403)
  })

  it('reminds the team leads when nobody is assigned', async () => {
    const { caseId, reference } = await submitCase(platform, await citizenBrowser(platform), 'baumfaellung')
    await db()
      .updateTable('cases')
      .set({ due_at: new Date(Date.now() + 3_600_000) })
      .where('id', '=', caseId)
      .execute()
    assert.ok((await sweepDeadlines(deps())).reminders >= 1)
    assert.equal((await mailsTo('tl.umweltamt@stadt.example', `Frist läuft bald ab: ${reference}`)).length, 1)
    assert.equal(
      (await mailsTo('sb.umweltamt@stadt.example', `Frist läuft bald ab: ${reference}`)).length,
      0,
      'no assignee to remind',
    )
  })
})
