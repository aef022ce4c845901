import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser, staffBrowser, submitCase } from './support/casework.js'
import { buildJobRegistry } from '../src/jobs.js'
import { appointmentRetention, appointmentsHolder, REMINDER_JOB } from '../src/modules/appointments/index.js'
import { freeSlots } from '../src/modules/booking/index.js'
import { addDays, dayInCity } from '../src/platform/calendar/index.js'
import { DEMO_CITIZEN } from '../src/seed.js'

/** Appointments at the citizens' offices (/termine, docs/appointments.md), over HTTP on the real database. */
let platform: TestPlatform
const db = () => platform.database.db
const silent = { info() {}, warn() {}, error() {} }

before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform?.close()
})

const PLACE = 'buergerbuero-hoerde'
const CONCERN = 'personalausweis'
const step = (extra: Record<string, string> = {}) => new URLSearchParams({ ort: PLACE, anliegen: CONCERN, ...extra })

/** Free starts at Hörde for 20 minutes, from the day after tomorrow on. */
async function freeStarts(place = PLACE, minutes = 20) {
  const resource = platform.app.resources.get(place)!
  const from = addDays(dayInCity(platform.clock.now()), 2)
  return (await freeSlots(db(), resource, { from, to: addDays(from, 20), minutes, now: platform.clock.now() })).map(
    s => s.start,
  )
}

const mailsTo = (to: string) =>
  db().selectFrom('mail_outbox').selectAll().where('recipient', '=', to).orderBy('created_at').execute()

/** Books through the pages, as a person clicks: place, day, time, details. Returns the confirmation page's response. */
async function bookThroughPages(
  browser: TestBrowser,
  start: Date,
  person = { name: 'Ida Beispiel', email: 'ida@example.org' },
) {
  const choose = await browser.get('/termine')
  assert.equal(choose.statusCode, 200)
  assert.ok(choose.body.includes(`/termine/tage?ort=${PLACE}&anliegen=${CONCERN}`))
  const days = await browser.get(`/termine/tage?${step()}`)
  assert.equal(days.statusCode, 200)
  const day = dayInCity(start)
  assert.ok(
    days.body.includes(`tag=${day}`) || !days.body.includes(day.slice(0, 7)),
    'the day is linked when its month is shown',
  )
  const times = await browser.get(`/termine/zeiten?${step({ tag: day })}`)
  assert.equal(times.statusCode, 200)
  assert.ok(times.body.includes(encodeURIComponent(start.toISOString())), 'the free time is offered')
  const form = await browser.get(`/termine/angaben?${step({ beginn: start.toISOString() })}`)
  assert.equal(form.statusCode, 200)
  const res = await browser.post(`/termine/angaben?${step()}`, { beginn: start.toISOString(), ...person, phone: '' })
  return res
}

const bookingOf = (id: string) => db().selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

describe('booking an appointment without an account', () => {
  it('books, confirms with reference, address, what to bring, calendar file and manage link, and mails it', async () => {
    const browser = new TestBrowser(platform)
    const [start] = await freeStarts()
    const res = await bookThroughPages(browser, start!)
    assert.equal(res.statusCode, 303, res.body.slice(0, 500))
    const confirmed = await browser.get(String(res.headers.location))
    assert.equal(confirmed.statusCode, 200)
    assert.match(confirmed.body, /T-[0-9A-Z]{4}-[0-9A-Z]{4}/)
    assert.ok(confirmed.body.includes('Hörder Bahnhofstraße 16'))
    assert.ok(confirmed.body.includes('Passfoto'))
    const id = /\/termine\/([0-9a-f-]{36})\/bestaetigt/.exec(String(res.headers.location))![1]!
    const token = new URL(String(res.headers.location), 'http://x').searchParams.get('token')!
    const ics = await browser.get(`/termine/${id}/kalender.ics?token=${encodeURIComponent(token)}`)
    assert.equal(ics.statusCode, 200)
    assert.match(ics.body, /BEGIN:VEVENT/)
    assert.match(ics.body, new RegExp(`UID:${id}@bauhaus`))
    assert.match(ics.body, /METHOD:REQUEST/)
    const [mail] = await mailsTo('ida@example.org')
    assert.ok(mail, 'a confirmation mail')
    assert.ok(mail.body_text.includes(`/termine/${id}?token=`), 'the mail carries the manage link')
    assert.ok(mail.body_text.includes('kalender.ics'), 'and the calendar file')
  })

  it('keeps what was typed and names each wrong field', async () => {
    const browser = new TestBrowser(platform)
    const [start] = await freeStarts()
    await browser.get(`/termine/angaben?${step({ beginn: start!.toISOString() })}`)
    const res = await browser.post(`/termine/angaben?${step()}`, {
      beginn: start!.toISOString(),
      name: 'Ole',
      email: 'kein-at',
      phone: 'abc',
    })
    assert.equal(res.statusCode, 400)
    assert.ok(res.body.includes('value="Ole"'))
    assert.ok(res.body.includes('value="kein-at"'))
    assert.ok(res.body.includes('name@beispiel.de'))
    assert.ok(res.body.includes('nur Ziffern'))
  })

  it('refuses a past time, a time outside the hours and an unknown concern, each with its message', async () => {
    const browser = new TestBrowser(platform)
    await browser.get(`/termine/warteliste?${step()}`)
    const person = { name: 'Ole', email: 'ole@example.org' }
    const past = await browser.post(`/termine/angaben?${step()}`, { beginn: '2020-01-06T08:00:00.000Z', ...person })
    assert.equal(past.statusCode, 422)
    assert.ok(past.body.includes('in der Vergangenheit'))
    const [start] = await freeStarts()
    const night = new Date(`${dayInCity(start!)}T23:00:00.000Z`)
    const outside = await browser.post(`/termine/angaben?${step()}`, { beginn: night.toISOString(), ...person })
    assert.equal(outside.statusCode, 422)
    assert.ok(outside.body.includes('außerhalb der Öffnungszeiten'))
    const unknown = await browser.get(`/termine/tage?${step({ anliegen: 'hundesteuer' })}`)
    assert.equal(unknown.statusCode, 422)
    assert.ok(unknown.body.includes('Dieses Anliegen kann hier nicht gebucht werden'))
    const nowhere = await browser.get(`/termine/tage?${step({ ort: 'sporthalle-brackel' })}`)
    assert.equal(nowhere.statusCode, 404)
    const garbage = await browser.post(`/termine/angaben?${step()}`, { beginn: 'morgen', ...person })
    assert.equal(garbage.statusCode, 400)
    assert.equal(
      await db().selectFrom('bookings').select('id').where('person_email', '=', 'ole@example.org').executeTakeFirst(),
      undefined,
    )
  })

  it('answers a double submit with the booking already made, not a second one', async () => {
    const browser = new TestBrowser(platform)
    const [, start] = await freeStarts()
    const person = { name: 'Dora', email: 'dora@example.org' }
    await browser.get(`/termine/angaben?${step({ beginn: start!.toISOString() })}`)
    assert.equal(
      (await browser.post(`/termine/angaben?${step()}`, { beginn: start!.toISOString(), ...person })).statusCode,
      303,
    )
    const again = await browser.post(`/termine/angaben?${step()}`, { beginn: start!.toISOString(), ...person })
    assert.equal(again.statusCode, 409)
    assert.ok(again.body.includes('bereits gebucht'))
    assert.ok(again.body.includes('value="Dora"'))
    const rows = await db().selectFrom('bookings').select('id').where('person_email', '=', 'dora@example.org').execute()
    assert.equal(rows.length, 1)
  })

  it('says "just taken" with the next free times as buttons, keeping the entries, once the last desk is gone', async () => {
    const starts = await freeStarts()
    const start = starts[5]!
    // Hörde has two desks: two people take them.
    for (const who of ['a', 'b']) {
      const b = new TestBrowser(platform)
      await b.get(`/termine/angaben?${step({ beginn: start.toISOString() })}`)
      assert.equal(
        (
          await b.post(`/termine/angaben?${step()}`, {
            beginn: start.toISOString(),
            name: who,
            email: `${who}@taken.example`,
          })
        ).statusCode,
        303,
      )
    }
    const late = new TestBrowser(platform)
    await late.get(`/termine/angaben?${step({ beginn: start.toISOString() })}`)
    const res = await late.post(`/termine/angaben?${step()}`, {
      beginn: start.toISOString(),
      name: 'Zoe Spät',
      email: 'zoe@example.org',
    })
    assert.equal(res.statusCode, 409)
    assert.ok(res.body.includes('gerade von jemand anderem gebucht'))
    assert.ok(res.body.includes('value="Zoe Spät"'))
    const offered = [...res.body.matchAll(/name="neu" value="([^"]+)"/g)].map(m => m[1]!)
    assert.ok(offered.length > 0, 'next free times as buttons')
    const taken = await late.post(`/termine/angaben?${step()}`, {
      beginn: start.toISOString(),
      neu: offered[0]!,
      name: 'Zoe Spät',
      email: 'zoe@example.org',
    })
    assert.equal(taken.statusCode, 303)
  })
})

describe('with an account and for an application', () => {
  it('pre-fills the details, links the booking to the account and lists it under "Meine Termine"', async () => {
    const browser = await citizenBrowser(platform)
    const start = (await freeStarts())[14]!
    const form = await browser.get(`/termine/angaben?${step({ beginn: start.toISOString() })}`)
    assert.ok(form.body.includes(`value="${DEMO_CITIZEN}"`), 'the e-mail is pre-filled')
    const name = /id="name"[^>]*value="([^"]*)"/.exec(form.body)?.[1] ?? 'Erika Mustermann'
    const res = await browser.post(`/termine/angaben?${step()}`, {
      beginn: start.toISOString(),
      name,
      email: DEMO_CITIZEN,
    })
    assert.equal(res.statusCode, 303)
    const id = String(res.headers.location).split('/')[2]!
    assert.ok((await bookingOf(id)).account_id)
    const list = await browser.get('/account/termine')
    assert.equal(list.statusCode, 200)
    assert.ok(list.body.includes(`/account/termine/${id}`))
    assert.equal((await browser.get(`/account/termine/${id}`)).statusCode, 200)
    assert.equal((await browser.get(`/account/termine/${id}/kalender.ics`)).statusCode, 200)
    const other = await citizenBrowser(platform, 'paul.beispiel@example.org')
    assert.equal((await other.get(`/account/termine/${id}`)).statusCode, 404)
    assert.equal((await other.post(`/account/termine/${id}/absagen`)).statusCode, 404)
  })

  it('leads from a submitted application that needs an appointment into /termine, and shows the booking on the case', async () => {
    const browser = await citizenBrowser(platform)
    const { caseId } = await submitCase(platform, browser, 'fuehrerschein-ersatz')
    assert.ok(browser.lastHtml.includes(`/termine?fall=${caseId}`), 'the confirmation page leads to the booking')
    const choose = await browser.get(`/termine?fall=${caseId}`)
    assert.equal(choose.statusCode, 200)
    assert.ok(choose.body.includes('anliegen=fuehrerschein'))
    assert.ok(!choose.body.includes('anliegen=personalausweis'))
    const resource = 'buergerbuero-mitte'
    const start = (await freeStarts(resource))[3]!
    const q = new URLSearchParams({ ort: resource, anliegen: 'fuehrerschein', fall: caseId })
    await browser.get(`/termine/angaben?${q}&beginn=${encodeURIComponent(start.toISOString())}`)
    const res = await browser.post(`/termine/angaben?${q}`, {
      beginn: start.toISOString(),
      name: 'Erika Mustermann',
      email: DEMO_CITIZEN,
    })
    assert.equal(res.statusCode, 303)
    const row = await db().selectFrom('bookings').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow()
    assert.equal(row.service_id, 'fuehrerschein-ersatz')
    const message = await db()
      .selectFrom('messages')
      .select('subject')
      .where('case_id', '=', caseId)
      .where('subject', 'like', `%${row.reference}%`)
      .executeTakeFirst()
    assert.ok(message, 'the confirmation is in the postbox')
    const own = await browser.get(`/account/applications/${caseId}`)
    assert.ok(own.body.includes(row.reference))
    const staff = await staffBrowser(platform, 'strassenverkehrsamt')
    const casePage = await staff.get(`/backoffice/cases/${caseId}`)
    assert.ok(casePage.body.includes(row.reference), 'the staff case page shows the appointment')
    // Someone else cannot book for this case.
    const other = await citizenBrowser(platform, 'paul.beispiel@example.org')
    assert.equal((await other.get(`/termine?fall=${caseId}`)).statusCode, 404)
    assert.equal((await new TestBrowser(platform).get(`/termine?fall=${caseId}`)).statusCode, 404)
  })
})

describe('the waiting list', () => {
  it('offers a cancelled time to the first person waiting; a cancelled slot booked twice gives the second the next free times', async () => {
    const waiting = new TestBrowser(platform)
    await waiting.get(`/termine/warteliste?${step()}`)
    const today = dayInCity(platform.clock.now())
    const bad = await waiting.post(`/termine/warteliste?${step()}`, {
      name: 'Wim',
      email: 'wim@example.org',
      from: addDays(today, 5),
      to: addDays(today, 2),
    })
    assert.equal(bad.statusCode, 400)
    assert.ok(bad.body.includes('value="wim@example.org"'))
    const joined = await waiting.post(`/termine/warteliste?${step()}`, {
      name: 'Wim',
      email: 'wim@example.org',
      from: today,
      to: addDays(today, 40),
    })
    assert.equal(joined.statusCode, 200)
    const [joinMail] = await mailsTo('wim@example.org')
    assert.ok(joinMail?.body_text.includes('/termine/warteliste/'))

    const holder = new TestBrowser(platform)
    const start = (await freeStarts())[16]!
    await holder.get(`/termine/angaben?${step({ beginn: start.toISOString() })}`)
    const made = await holder.post(`/termine/angaben?${step()}`, {
      beginn: start.toISOString(),
      name: 'Hold',
      email: 'hold@example.org',
    })
    const url = new URL(String(made.headers.location), 'http://x')
    const id = url.pathname.split('/')[2]!
    await holder.post(`/termine/${id}/absagen`, { token: url.searchParams.get('token')! })
    const offer = (await mailsTo('wim@example.org')).at(-1)!
    assert.ok(offer.subject.includes('frei geworden'), offer.subject)
    const link = /http\S*\/termine\/angaben\?\S+/.exec(offer.body_text)![0]!
    const path = link.slice(link.indexOf('/termine'))
    const first = new TestBrowser(platform)
    const form = await first.get(path)
    assert.equal(form.statusCode, 200)
    assert.ok(form.body.includes('value="wim@example.org"'))
    const q = path.split('?')[1]!
    const book = await first.post(`/termine/angaben?${q}`, {
      beginn: start.toISOString(),
      name: 'Wim',
      email: 'wim@example.org',
      warteliste: new URLSearchParams(q).get('warteliste')!,
    })
    assert.equal(book.statusCode, 303)
    const entry = await db()
      .selectFrom('booking_waitlist')
      .selectAll()
      .where('person_email', '=', 'wim@example.org')
      .executeTakeFirstOrThrow()
    assert.ok(entry.fulfilled_booking_id)
    // The same freed time, booked a second time by someone else who had the page open: Hörde's other desk is free,
    // so they get it; a third gets "just taken" with the next times.
    const second = new TestBrowser(platform)
    await second.get(path)
    assert.equal(
      (await second.post(`/termine/angaben?${q}`, { beginn: start.toISOString(), name: 'S', email: 's@example.org' }))
        .statusCode,
      303,
    )
    const third = new TestBrowser(platform)
    await third.get(path)
    const late = await third.post(`/termine/angaben?${q}`, {
      beginn: start.toISOString(),
      name: 'T',
      email: 't@example.org',
    })
    assert.equal(late.statusCode, 409)
    assert.ok(late.body.includes('name="neu"'))
  })

  it('withdraws by the link from the mail; a wrong token answers 404', async () => {
    const waiting = new TestBrowser(platform)
    await waiting.get(`/termine/warteliste?${step()}`)
    const today = dayInCity(platform.clock.now())
    await waiting.post(`/termine/warteliste?${step()}`, {
      name: 'Xa',
      email: 'xa@example.org',
      from: today,
      to: addDays(today, 3),
    })
    const link = /\/termine\/warteliste\/([0-9a-f-]{36})\?token=(\S+)/.exec(
      (await mailsTo('xa@example.org'))[0]!.body_text,
    )!
    assert.equal((await waiting.get(`/termine/warteliste/${link[1]}?token=wrong`)).statusCode, 404)
    assert.equal((await waiting.get(`/termine/warteliste/${link[1]}?token=${link[2]}`)).statusCode, 200)
    assert.equal((await waiting.post(`/termine/warteliste/${link[1]}`, { token: link[2]! })).statusCode, 200)
    const entry = await db()
      .selectFrom('booking_waitlist')
      .selectAll()
      .where('id', '=', link[1]!)
      .executeTakeFirstOrThrow()
    assert.ok(entry.withdrawn_at)
  })
})

describe('the reminder the day before', () => {
  it('mails every live appointment of tomorrow once, however often the job runs', async () => {
    const browser = new TestBrowser(platform)
    const start = (await freeStarts())[20]!
    await browser.get(`/termine/angaben?${step({ beginn: start.toISOString() })}`)
    const res = await browser.post(`/termine/angaben?${step()}`, {
      beginn: start.toISOString(),
      name: 'Rem',
      email: 'rem@example.org',
    })
    assert.equal(res.statusCode, 303)
    const registry = buildJobRegistry({
      db: db(),
      config: platform.config,
      services: platform.app.services,
      log: silent,
    })
    const handler = registry.handlers.get(REMINDER_JOB)!
    assert.ok(registry.schedules.some(s => s.name === REMINDER_JOB))
    const run = () => handler({}, { db: db(), log: silent, attempt: 1, jobId: 1, clock: platform.clock })
    await run()
    assert.equal((await mailsTo('rem@example.org')).length, 1, 'no reminder two days ahead')
    // The day before, at noon city time.
    const dayBefore = new Date(`${addDays(dayInCity(start), -1)}T11:00:00Z`)
    platform.clock.advance(Math.max(0, dayBefore.getTime() - platform.clock.now().getTime()))
    await run()
    await run()
    const mails = await mailsTo('rem@example.org')
    assert.equal(mails.length, 2)
    assert.ok(mails[1]!.subject.startsWith('Erinnerung'))
  })
})

describe('a video desk', () => {
  it('is booked here as a video consultation; the confirmation says the link comes with it', async () => {
    const browser = new TestBrowser(platform)
    const start = (await freeStarts('video-buergerdienste', 15))[0]!
    const q = new URLSearchParams({ ort: 'video-buergerdienste', anliegen: 'beratung-anmeldung' })
    await browser.get(`/termine/angaben?${q}&beginn=${encodeURIComponent(start.toISOString())}`)
    const res = await browser.post(`/termine/angaben?${q}`, {
      beginn: start.toISOString(),
      name: 'Vic',
      email: 'vic@example.org',
    })
    assert.equal(res.statusCode, 303)
    const page = await browser.get(String(res.headers.location))
    assert.ok(page.body.includes('Den Link zum Videogespräch erhalten Sie in der Bestätigung'))
    const row = await db()
      .selectFrom('bookings')
      .selectAll()
      .where('person_email', '=', 'vic@example.org')
      .executeTakeFirstOrThrow()
    assert.equal(row.purpose, 'video')
  })
})

describe('privacy', () => {
  it('exports the account’s appointments and waiting-list entries, and erasure removes the person from them', async () => {
    const browser = await citizenBrowser(platform, 'paul.beispiel@example.org')
    const start = (await freeStarts())[24]!
    await browser.get(`/termine/angaben?${step({ beginn: start.toISOString() })}`)
    const res = await browser.post(`/termine/angaben?${step()}`, {
      beginn: start.toISOString(),
      name: 'Paul Beispiel',
      email: 'paul.beispiel@example.org',
    })
    const id = String(res.headers.location).split('/')[2]!
    const accountId = (await bookingOf(id)).account_id!
    const today = dayInCity(platform.clock.now())
    await browser.get(`/termine/warteliste?${step()}`)
    await browser.post(`/termine/warteliste?${step()}`, {
      name: 'Paul Beispiel',
      email: 'paul.beispiel@example.org',
      from: today,
      to: addDays(today, 9),
    })
    const exported = (await appointmentsHolder.exportFor(db(), accountId)).data as {
      bookings: { reference: string }[]
      waitlist: unknown[]
    }
    const reference = (await bookingOf(id)).reference
    assert.ok(exported.bookings.some(b => b.reference === reference))
    assert.equal(exported.waitlist.length, 1)
    const counts = await db()
      .transaction()
      .execute(trx => appointmentsHolder.eraseFor(trx, accountId))
    assert.deepEqual(
      counts.map(c => c.count),
      [exported.bookings.length, 1],
    )
    const after = await bookingOf(id)
    assert.equal(after.person_email, null)
    assert.equal(after.account_id, null)
    assert.equal(after.status, 'booked', 'the time stays held for the office')
  })

  it('forgets who had an appointment 90 days after it', async () => {
    const browser = new TestBrowser(platform)
    const start = (await freeStarts())[26]!
    await browser.get(`/termine/angaben?${step({ beginn: start.toISOString() })}`)
    const res = await browser.post(`/termine/angaben?${step()}`, {
      beginn: start.toISOString(),
      name: 'Old',
      email: 'old@example.org',
    })
    const id = String(res.headers.location).split('/')[2]!
    const sweep = appointmentRetention()
    await sweep.sweep(db(), new Date(start.getTime() + 89 * 86_400_000))
    assert.equal((await bookingOf(id)).person_email, 'old@example.org')
    const counts = await sweep.sweep(db(), new Date(start.getTime() + 91 * 86_400_000))
    assert.ok(counts[0]!.count >= 1)
    const row = await bookingOf(id)
    assert.equal(row.person_email, null)
    assert.equal(row.person_name, null)
    assert.equal(row.manage_token_hash, null)
  })
})

describe('managing a booking by its link', () => {
  async function booked(email: string, index = 8) {
    const browser = new TestBrowser(platform)
    const start = (await freeStarts())[index]!
    await browser.get(`/termine/angaben?${step({ beginn: start.toISOString() })}`)
    const res = await browser.post(`/termine/angaben?${step()}`, {
      beginn: start.toISOString(),
      name: 'Per Link',
      email,
    })
    assert.equal(res.statusCode, 303)
    const url = new URL(String(res.headers.location), 'http://x')
    return { browser, id: url.pathname.split('/')[2]!, token: url.searchParams.get('token')!, start }
  }

  it('rebooks to another free time: SEQUENCE goes up and a mail says so', async () => {
    const { browser, id, token } = await booked('move@example.org')
    const page = await browser.get(`/termine/${id}?token=${encodeURIComponent(token)}`)
    assert.equal(page.statusCode, 200)
    const later = (await freeStarts())[30]!
    const days = await browser.get(`/termine/${id}/verlegen?token=${encodeURIComponent(token)}`)
    assert.equal(days.statusCode, 200)
    const times = await browser.get(
      `/termine/${id}/verlegen?token=${encodeURIComponent(token)}&tag=${dayInCity(later)}`,
    )
    assert.ok(times.body.includes(later.toISOString()))
    const moved = await browser.post(`/termine/${id}/verlegen`, { token, beginn: later.toISOString() })
    assert.equal(moved.statusCode, 200)
    assert.ok(moved.body.includes(`/termine/${id}/absagen?token=`), 'the page after the move keeps the manage link')
    assert.equal((await bookingOf(id)).starts_at.toISOString(), later.toISOString())
    const ics = await browser.get(`/termine/${id}/kalender.ics?token=${encodeURIComponent(token)}`)
    assert.match(ics.body, /SEQUENCE:1/)
    assert.equal((await mailsTo('move@example.org')).length, 2)
  })

  it('cancels after a confirmation step; the calendar file then says METHOD:CANCEL; a second click changes nothing', async () => {
    const { browser, id, token } = await booked('cancel@example.org', 9)
    const ask = await browser.get(`/termine/${id}/absagen?token=${encodeURIComponent(token)}`)
    assert.equal(ask.statusCode, 200)
    assert.equal((await bookingOf(id)).status, 'booked')
    const done = await browser.post(`/termine/${id}/absagen`, { token })
    assert.equal(done.statusCode, 200)
    assert.equal((await bookingOf(id)).status, 'cancelled')
    const ics = await browser.get(`/termine/${id}/kalender.ics?token=${encodeURIComponent(token)}`)
    assert.match(ics.body, /METHOD:CANCEL/)
    assert.equal((await browser.post(`/termine/${id}/absagen`, { token })).statusCode, 409)
  })

  it('answers 404 to a tampered token or another booking’s token', async () => {
    const one = await booked('one@example.org', 10)
    const two = await booked('two@example.org', 11)
    for (const url of [
      `/termine/${one.id}?token=${encodeURIComponent(two.token)}`,
      `/termine/${one.id}?token=x`,
      `/termine/${one.id}/kalender.ics`,
    ]) {
      const res = await one.browser.get(url)
      assert.equal(res.statusCode, 404, url)
      assert.ok(!res.body.includes('one@example.org'))
    }
    assert.equal((await one.browser.post(`/termine/${one.id}/absagen`, { token: two.token })).statusCode, 404)
    assert.equal((await bookingOf(one.id)).status, 'booked')
  })

  it('refuses to change an appointment after the rules’ deadline, with its message', async () => {
    const { browser, id, token, start } = await booked('late@example.org', 12)
    const stand = new Date(start.getTime() - 60 * 60_000)
    platform.clock.advance(stand.getTime() - platform.clock.now().getTime())
    const res = await browser.post(`/termine/${id}/absagen`, { token })
    assert.equal(res.statusCode, 409)
    assert.ok(res.body.includes('nicht mehr geändert oder abgesagt'))
    assert.equal((await bookingOf(id)).status, 'booked')
  })
})
