import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser, staffBrowser, submitCase } from './support/casework.js'
import { DEMO_CITIZEN, DEMO_COUNTER } from '../src/seed.js'
import { cityInstant, reserve, TimeJustTaken } from '../src/modules/booking/index.js'
import { addDays, dayInCity, isWorkingDay } from '../src/platform/calendar/index.js'

/** The staff side of the booking engine (docs/booking.md): calendar, counter list, blocks, moves, feeds. */
let platform: TestPlatform
const db = () => platform.database.db
const RESOURCE = 'buergerbuero-mitte'

before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform?.close()
})

/** The next Monday, Tuesday or Thursday at least `ahead` days from now that is a working day (Mitte opens 08:00–12:30). */
function openDay(ahead = 2): string {
  let day = addDays(dayInCity(platform.clock.now()), ahead)
  while (!isWorkingDay(day) || ![1, 2, 4].includes(new Date(`${day}T12:00:00Z`).getUTCDay())) day = addDays(day, 1)
  return day
}

async function book(day: string, minute: number, name = 'Hanna Termin', email = 'hanna.termin@example.org') {
  const { booking } = await reserve(
    db(),
    platform.app.resources,
    {
      resourceId: RESOURCE,
      purpose: 'appointment',
      start: cityInstant(day, minute)!,
      minutes: 20,
      concern: 'personalausweis',
      person: { name, email },
    },
    platform.clock.now(),
  )
  return booking
}

const mailsTo = (email: string) =>
  db().selectFrom('mail_outbox').select(['subject', 'body_text']).where('recipient', '=', email).execute()

describe('the day and week calendar', () => {
  it('shows the office its bookings with name, concern, status and reference, and the free times', async () => {
    const day = openDay()
    const booking = await book(day, 9 * 60, 'Kalender Kira')
    const office = await staffBrowser(platform, 'buergerdienste')
    const page = await office.get(`/backoffice/termine?resource=${RESOURCE}&view=day&day=${day}`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Kalender Kira/)
    assert.match(page.body, new RegExp(booking.reference))
    assert.match(page.body, /Personalausweis beantragen/)
    assert.match(page.body, /gebucht/)
    assert.match(page.body, /08:00–12:30[\s\S]*?mind\. 3 von 4 Plätzen/, 'the free stretch around the booking')
    assert.match(page.body, /Nächster Tag/)
    const week = await office.get(`/backoffice/termine?resource=${RESOURCE}&view=week&day=${day}`)
    assert.equal(week.statusCode, 200)
    assert.equal((week.body.match(/<h2 class="kern-heading-medium" id="day-/g) ?? []).length, 7)
    assert.match(week.body, /Kalender Kira/)
    const audited = await db()
      .selectFrom('audit_log')
      .select('subject_id')
      .where('action', '=', 'booking.read')
      .where('subject_id', '=', RESOURCE)
      .execute()
    assert.ok(audited.length >= 2)
  })

  it('shows another office its own resources only, and another office’s booking as missing', async () => {
    const booking = await book(openDay(), 9 * 60 + 30, 'Fremd Frieda')
    const sport = await staffBrowser(platform, 'sport-und-freizeit')
    const page = await sport.get(`/backoffice/termine?resource=${RESOURCE}`)
    assert.equal(page.statusCode, 200)
    assert.doesNotMatch(page.body, /Fremd Frieda|Bürgerbüro Mitte/)
    assert.match(page.body, /Sporthalle Brackel/)
    assert.equal((await sport.get(`/backoffice/termine/buchungen/${booking.id}`)).statusCode, 404)
    assert.equal(
      (await sport.post(`/backoffice/termine/buchungen/${booking.id}/absagen`, { reason: 'x' })).statusCode,
      404,
    )
    const elsewhere = await staffBrowser(platform, 'ordnungsamt')
    const refused = await elsewhere.get('/backoffice/termine')
    assert.equal(refused.statusCode, 403)
    assert.match(refused.body, /keinen buchbaren Schalter/)
    assert.doesNotMatch((await elsewhere.get('/backoffice')).body, /href="\/backoffice\/termine"/)
    const own = await staffBrowser(platform, 'buergerdienste')
    assert.match(
      (await own.get('/backoffice/termine')).body,
      /<a class="kern-link" href="\/backoffice\/termine">Termine/,
    )
    const anonymous = new TestBrowser(platform)
    const login = await anonymous.get('/backoffice/termine')
    assert.equal(login.statusCode, 303)
    assert.match(String(login.headers.location), /\/backoffice\/login/)
  })
})

describe('blocking times', () => {
  it('refuses a block over a booking, naming it, and blocks every desk of a free time until lifted', async () => {
    const day = openDay(3)
    const booking = await book(day, 10 * 60)
    const office = await staffBrowser(platform, 'buergerdienste')
    await office.get(`/backoffice/termine/sperren?resource=${RESOURCE}&day=${day}`)
    const refused = await office.post('/backoffice/termine/sperren', {
      resource: RESOURCE,
      day,
      from: '09:50',
      to: '11:00',
      reason: 'Dienstbesprechung',
    })
    assert.equal(refused.statusCode, 409)
    assert.match(refused.body, new RegExp(booking.reference))
    assert.match(refused.body, /value="Dienstbesprechung"|>Dienstbesprechung</)
    const wrong = await office.post('/backoffice/termine/sperren', {
      resource: RESOURCE,
      day: 'morgen',
      from: '11:00',
      to: '10:00',
      reason: '',
    })
    assert.equal(wrong.statusCode, 400)
    assert.match(wrong.body, /Bitte geben Sie einen Tag an/)
    assert.match(wrong.body, /Bitte geben Sie einen Grund an/)
    assert.match(wrong.body, /value="morgen"/)

    const blocked = await office.post('/backoffice/termine/sperren', {
      resource: RESOURCE,
      day,
      from: '11:00',
      to: '12:00',
      reason: 'Dienstbesprechung',
    })
    assert.equal(blocked.statusCode, 303)
    const block = await db()
      .selectFrom('bookings')
      .selectAll()
      .where('purpose', '=', 'block')
      .where('resource_id', '=', RESOURCE)
      .executeTakeFirstOrThrow()
    assert.deepEqual(block.units, ['1', '2', '3', '4'])
    await assert.rejects(book(day, 11 * 60 + 20), TimeJustTaken)
    const calendar = await office.get(String(blocked.headers.location))
    assert.match(calendar.body, /Gesperrt: Dienstbesprechung/)
    assert.match(calendar.body, /Die Zeit ist gesperrt/)

    const lifted = await office.post(`/backoffice/termine/buchungen/${block.id}/freigeben`)
    assert.equal(lifted.statusCode, 303)
    assert.ok(await book(day, 11 * 60 + 20, 'Nach Sperre'))
  })
})

describe('moving and cancelling by staff', () => {
  it('moves an appointment past the rules and tells the person by e-mail; a taken time offers the next ones', async () => {
    const day = openDay(4)
    const email = 'verlegt.vera@example.org'
    const booking = await book(day, 9 * 60, 'Vera Verlegt', email)
    const other = await book(day, 10 * 60, 'Otto Other', 'otto.other@example.org')
    const office = await staffBrowser(platform, 'buergerdienste')
    const url = `/backoffice/termine/buchungen/${booking.id}`
    const page = await office.get(url)
    assert.match(page.body, /Vera Verlegt/)
    assert.match(page.body, /verlegt\.vera@example\.org/)

    const bad = await office.post(`${url}/verlegen`, { resource: RESOURCE, day, time: '9 Uhr', note: 'Krank' })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /Bitte geben Sie eine Uhrzeit an/)
    assert.match(bad.body, /value="9 Uhr"/)
    const closed = await office.post(`${url}/verlegen`, { resource: RESOURCE, day, time: '19:00', note: '' })
    assert.equal(closed.statusCode, 422)
    assert.match(closed.body, /außerhalb der Öffnungszeiten/)
    // Every desk at 10:00 taken: the next free times are offered.
    for (const name of ['A', 'B', 'C']) await book(day, 10 * 60, name, `${name}@example.org`)
    const taken = await office.post(`${url}/verlegen`, { resource: RESOURCE, day, time: '10:00', note: '' })
    assert.equal(taken.statusCode, 409)
    assert.match(taken.body, /Nächste freie Zeiten/)
    assert.equal(other.status, 'booked')

    const moved = await office.post(`${url}/verlegen`, {
      resource: RESOURCE,
      day,
      time: '11:30',
      note: 'Die Kollegin ist erkrankt.',
    })
    assert.equal(moved.statusCode, 303)
    const row = await db().selectFrom('bookings').selectAll().where('id', '=', booking.id).executeTakeFirstOrThrow()
    assert.equal(row.starts_at.getTime(), cityInstant(day, 11 * 60 + 30)!.getTime())
    const mails = await mailsTo(email)
    assert.equal(mails.length, 1)
    assert.match(mails[0]!.subject, /verlegt/)
    assert.match(mails[0]!.body_text, /11:30/)
    assert.match(mails[0]!.body_text, /Die Kollegin ist erkrankt\./)
  })

  it('cancels with a reason the person reads; without a reason nothing happens', async () => {
    const email = 'abgesagt.anna@example.org'
    const booking = await book(openDay(5), 8 * 60 + 40, 'Anna Abgesagt', email)
    const office = await staffBrowser(platform, 'buergerdienste')
    const url = `/backoffice/termine/buchungen/${booking.id}`
    await office.get(url)
    const missing = await office.post(`${url}/absagen`, { reason: '' })
    assert.equal(missing.statusCode, 400)
    assert.match(missing.body, /Bitte geben Sie einen Grund an/)
    assert.equal((await mailsTo(email)).length, 0)
    const done = await office.post(`${url}/absagen`, { reason: 'Stromausfall im Bürgerbüro' })
    assert.equal(done.statusCode, 303)
    const row = await db().selectFrom('bookings').selectAll().where('id', '=', booking.id).executeTakeFirstOrThrow()
    assert.equal(row.status, 'cancelled')
    assert.equal(row.cancel_reason, 'Stromausfall im Bürgerbüro')
    const mails = await mailsTo(email)
    assert.equal(mails.length, 1)
    assert.match(mails[0]!.body_text, /Stromausfall im Bürgerbüro/)
    assert.equal((await office.post(`${url}/absagen`, { reason: 'noch einmal' })).statusCode, 409)
  })
})

describe('a message on the case', () => {
  it('puts the cancellation of an application’s appointment into the applicant’s postbox', async () => {
    const citizen = await citizenBrowser(platform)
    const { caseId } = await submitCase(platform, citizen, 'hundesteuer-anmeldung', { dangerousDog: 'section3' })
    const account = await db()
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', DEMO_CITIZEN)
      .executeTakeFirstOrThrow()
    const { booking } = await reserve(
      db(),
      platform.app.resources,
      {
        resourceId: RESOURCE,
        purpose: 'appointment',
        start: cityInstant(openDay(5), 9 * 60 + 40)!,
        minutes: 20,
        concern: 'anmeldung',
        caseId,
        accountId: account.id,
      },
      platform.clock.now(),
    )
    const office = await staffBrowser(platform, 'buergerdienste')
    await office.get(`/backoffice/termine/buchungen/${booking.id}`)
    const res = await office.post(`/backoffice/termine/buchungen/${booking.id}/absagen`, { reason: 'Umbau der Räume' })
    assert.equal(res.statusCode, 303)
    const message = await db()
      .selectFrom('messages')
      .select(['subject', 'body', 'account_id'])
      .where('case_id', '=', caseId)
      .where('subject', 'like', '%abgesagt%')
      .executeTakeFirstOrThrow()
    assert.equal(message.account_id, account.id)
    assert.match(message.body, /Umbau der Räume/)
    const postbox = await citizen.get('/account/postbox')
    assert.match(postbox.body, new RegExp(booking.reference))
  })
})

describe('calendar feeds', () => {
  it('gives a secret iCal URL without names; a wrong or revoked secret answers 404', async () => {
    const booking = await book(openDay(6), 9 * 60, 'Feed Fiona', 'feed.fiona@example.org')
    const office = await staffBrowser(platform, 'buergerdienste')
    await office.get('/backoffice/termine/kalender-abos')
    const missing = await office.post('/backoffice/termine/kalender-abos', { resource: RESOURCE, label: '' })
    assert.equal(missing.statusCode, 400)
    assert.match(missing.body, /Bitte geben Sie eine Bezeichnung an/)
    const created = await office.post('/backoffice/termine/kalender-abos', {
      resource: RESOURCE,
      label: 'Outlook Mitte',
    })
    assert.equal(created.statusCode, 200)
    const url = /(\/kalender\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{43}\.ics)/.exec(created.body)?.[1]
    assert.ok(url, 'the URL is shown once')
    const stored = await db().selectFrom('booking_feeds').selectAll().executeTakeFirstOrThrow()
    assert.ok(!url.includes(stored.secret_hash), 'only the hash is stored')

    const feed = await platform.app.inject({ method: 'GET', url })
    assert.equal(feed.statusCode, 200)
    assert.match(String(feed.headers['content-type']), /text\/calendar/)
    assert.match(feed.body, /BEGIN:VCALENDAR/)
    assert.match(feed.body, new RegExp(booking.reference))
    assert.doesNotMatch(feed.body, /Fiona|feed\.fiona/)
    const wrong = url.replace(/\/[A-Za-z0-9_-]{43}\.ics$/, `/${'x'.repeat(43)}.ics`)
    assert.equal((await platform.app.inject({ method: 'GET', url: wrong })).statusCode, 404)
    assert.equal((await platform.app.inject({ method: 'GET', url: url.replace('.ics', '') })).statusCode, 404)

    // Another office cannot revoke it; the office can, and the URL is dead at once.
    const sport = await staffBrowser(platform, 'sport-und-freizeit')
    await sport.get('/backoffice/termine/kalender-abos')
    assert.doesNotMatch(sport.lastHtml, /Outlook Mitte/)
    assert.equal((await sport.post(`/backoffice/termine/kalender-abos/${stored.id}/widerrufen`)).statusCode, 404)
    assert.equal((await platform.app.inject({ method: 'GET', url })).statusCode, 200)
    const page = await office.get('/backoffice/termine/kalender-abos')
    assert.match(page.body, /Outlook Mitte/)
    assert.equal((await office.post(`/backoffice/termine/kalender-abos/${stored.id}/widerrufen`)).statusCode, 303)
    assert.equal((await platform.app.inject({ method: 'GET', url })).statusCode, 404)
    // The counter role sees the calendar, and manages no feeds.
    const counter = await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_COUNTER)
    assert.equal((await counter.get('/backoffice/termine')).statusCode, 200)
    assert.equal((await counter.get('/backoffice/termine/kalender-abos')).statusCode, 403)
  })
})

describe('today at the counter', () => {
  it('checks people in, marks no-shows only after the start, and done', async () => {
    // Tomorrow's list is today's once the clock has moved: the test goes to the day of the appointments.
    const day = openDay(7)
    const early = await book(day, 8 * 60, 'Early Emil', 'emil@example.org')
    const late = await book(day, 12 * 60, 'Late Lotte', 'lotte@example.org')
    const until = cityInstant(day, 9 * 60)!.getTime() - platform.clock.now().getTime()
    platform.clock.advance(until)
    const counter = await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_COUNTER)
    const list = await counter.get(`/backoffice/termine/heute?resource=${RESOURCE}`)
    assert.equal(list.statusCode, 200)
    assert.match(list.body, /Early Emil/)
    assert.match(list.body, /Late Lotte/)
    assert.match(list.body, new RegExp(`${early.reference} als nicht erschienen vermerken`))
    assert.doesNotMatch(list.body, new RegExp(`${late.reference} als nicht erschienen vermerken`))

    const notYet = await counter.post(`/backoffice/termine/buchungen/${late.id}/anwesenheit`, { status: 'no_show' })
    assert.equal(notYet.statusCode, 409)
    assert.match(notYet.body, /erst ab der Startzeit/)
    const noShow = await counter.post(`/backoffice/termine/buchungen/${early.id}/anwesenheit`, { status: 'no_show' })
    assert.equal(noShow.statusCode, 303)
    const checkedIn = await counter.post(`/backoffice/termine/buchungen/${late.id}/anwesenheit`, {
      status: 'checked_in',
    })
    assert.equal(checkedIn.statusCode, 303)
    const row = await db().selectFrom('bookings').selectAll().where('id', '=', late.id).executeTakeFirstOrThrow()
    assert.equal(row.status, 'checked_in')
    const checkedInAt = row.checked_in_at?.getTime() ?? 0
    assert.ok(checkedInAt <= platform.clock.now().getTime() && checkedInAt > cityInstant(day, 9 * 60)!.getTime())
    assert.equal(
      (await counter.post(`/backoffice/termine/buchungen/${late.id}/anwesenheit`, { status: 'done' })).statusCode,
      303,
    )
    const statuses = await db()
      .selectFrom('bookings')
      .select(['id', 'status'])
      .where('id', 'in', [early.id, late.id])
      .execute()
    assert.deepEqual(Object.fromEntries(statuses.map(s => [s.id, s.status])), {
      [early.id]: 'no_show',
      [late.id]: 'done',
    })
    // The counter role neither moves nor cancels.
    assert.equal(
      (await counter.post(`/backoffice/termine/buchungen/${early.id}/absagen`, { reason: 'x' })).statusCode,
      404,
    )
    const marks = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'booking.attendance')
      .execute()
    assert.equal(marks.length, 3)
  })
})
