import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser, staffBrowser } from './support/casework.js'
import { DEMO_BUSINESS, DEMO_CITIZEN, DEMO_CLUB, DEMO_CLUB_CLERK, DEMO_CLUB_OWNER } from '../src/seed.js'
import { addDays, dayInCity, isWorkingDay } from '../src/platform/calendar/index.js'
import {
  conflictsOf,
  feeCentsOf,
  proposeAllocation,
  seasonDays,
  parseDayList,
} from '../src/modules/facilities/facilities.rules.js'
import { isIsoDay } from '../src/platform/calendar/index.js'

/** Facility booking (docs/facilities.md): halls by the part, fees and exemptions, seasons, closures, bad input. */
let platform: TestPlatform
const db = () => platform.database.db
const HALL = 'sporthalle-brackel'

before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform?.close()
})

/** A working weekday (1 = Monday) at least `ahead` days from now, on which the hall is open. */
function nextDay(weekday: number, ahead = 4): string {
  let day = addDays(dayInCity(platform.clock.now()), ahead)
  while (!isWorkingDay(day) || ((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7) + 1 !== weekday)
    day = addDays(day, 1)
  return day
}

const accountId = async (email: string) =>
  (await db().selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id

async function book(browser: TestBrowser, fields: Record<string, string | string[]>) {
  await browser.get(`/account/buchungen/neu?hall=${fields.hall ?? HALL}`)
  return browser.post('/account/buchungen', { hall: HALL, purpose: 'Training', minutes: '120', ...fields })
}

describe('the rules', () => {
  it('prices a third of a triple hall at a third, the whole hall in full, a room whole', () => {
    const hall = platform.app.resources.get(HALL)!
    assert.equal(feeCentsOf(hall, ['a'], 120), 1600)
    assert.equal(feeCentsOf(hall, ['a', 'b'], 90), 2400)
    assert.equal(feeCentsOf(hall, ['a', 'b', 'c'], 120), 4800)
    assert.equal(feeCentsOf(platform.app.resources.get('buergerhaus-saal')!, [], 60), 3500)
  })

  it('ranks school sport, then youth, then clubs by members, and sees overlapping parts as conflicts', () => {
    const base = { resourceId: HALL, weekday: 2, startMinute: 18 * 60, minutes: 90, createdAt: new Date(0) }
    const apps = [
      { ...base, id: 'big-club', parts: ['a', 'b'], groupKind: 'club' as const, memberCount: 900 },
      { ...base, id: 'small-club', parts: ['c'], groupKind: 'club' as const, memberCount: 30 },
      { ...base, id: 'youth', parts: ['b'], groupKind: 'youth' as const, memberCount: 10 },
      { ...base, id: 'school', parts: ['a'], groupKind: 'school' as const, memberCount: 0, startMinute: 17 * 60 },
    ]
    assert.deepEqual([...proposeAllocation(apps)].sort(), ['school', 'small-club', 'youth'])
    const conflicts = conflictsOf(apps)
    assert.deepEqual(conflicts.get('big-club')?.sort(), ['school', 'youth'])
    assert.equal(conflicts.get('small-club'), undefined)
  })

  it('reads holidays as days and ranges, and leaves them out of a season', () => {
    const days = parseDayList('2027-01-05\n2027-01-11 – 2027-01-13', isIsoDay)
    assert.deepEqual(days, ['2027-01-05', '2027-01-11', '2027-01-12', '2027-01-13'])
    assert.equal(parseDayList('nach Ostern', isIsoDay), null)
    assert.deepEqual(
      seasonDays({ firstDay: '2027-01-04', lastDay: '2027-01-25', excludedDays: days! }, 2),
      ['2027-01-19', '2027-01-26'].filter(d => d <= '2027-01-25'),
    )
  })
})

describe('the public availability view', () => {
  it('lists halls and rooms only, and shows a week of free parts without signing in', async () => {
    const anonymous = new TestBrowser(platform)
    const list = await anonymous.get('/buchung')
    assert.equal(list.statusCode, 200)
    assert.match(list.body, /Sporthalle Brackel/)
    assert.doesNotMatch(list.body, /Bürgerbüro Mitte/)
    const week = await anonymous.get(`/buchung/${HALL}?week=${nextDay(2)}`)
    assert.equal(week.statusCode, 200)
    assert.match(week.body, />A\u00a0<\/span>frei/)
    assert.equal((await anonymous.get('/buchung/buergerbuero-mitte')).statusCode, 404)
    assert.equal((await anonymous.get('/buchung/no-such-hall')).statusCode, 404)
    assert.equal((await anonymous.get(`/buchung/${HALL}?week=kaputt`)).statusCode, 200)
  })

  it('asks for an account before booking', async () => {
    const res = await new TestBrowser(platform).get(`/account/buchungen/neu?hall=${HALL}`)
    assert.equal(res.statusCode, 303)
    assert.match(String(res.headers.location), /login/)
  })
})

describe('single bookings of a hall by the part', () => {
  it('books a third for the club, refuses the whole hall over it with the next free times, books the other two thirds', async () => {
    const day = nextDay(2)
    const clerk = await citizenBrowser(platform, DEMO_CLUB_CLERK)
    const club = await accountId(DEMO_CLUB)
    const booked = await book(clerk, { parts: 'a', day, start: '10:00', owner: club })
    assert.equal(booked.statusCode, 303, booked.body.slice(0, 2000))
    const [third] = await db().selectFrom('bookings').selectAll().where('account_id', '=', club).execute()
    assert.deepEqual(third!.units, ['a'])
    assert.equal(third!.purpose, 'facility')
    assert.equal(third!.fee_cents, 1600)
    // The fee notice of a third for two hours is in the postbox of the member who booked, on a case of the sports office.
    const notice = await db()
      .selectFrom('fee_notices')
      .select(['amount_cents', 'status', 'case_id'])
      .where('case_id', '=', third!.case_id!)
      .executeTakeFirstOrThrow()
    assert.equal(notice.amount_cents, 1600)
    const kase = await db()
      .selectFrom('cases')
      .select(['office_id', 'service_id', 'business_account_id'])
      .where('id', '=', notice.case_id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(kase, { office_id: 'sport-und-freizeit', service_id: 'hallennutzung', business_account_id: club })

    const citizen = await citizenBrowser(platform, DEMO_CITIZEN)
    const whole = await book(citizen, {
      parts: ['a', 'b', 'c'],
      day,
      start: '11:00',
      owner: await accountId(DEMO_CITIZEN),
      purpose: 'Geburtstag',
    })
    assert.equal(whole.statusCode, 409)
    assert.match(whole.body, /gerade vergeben/)
    assert.match(whole.body, /value="Geburtstag"|>Geburtstag</, 'keeps what was typed')
    assert.match(whole.body, /12:00/, 'offers the next free time of the whole hall')
    const twoThirds = await book(citizen, {
      parts: ['b', 'c'],
      day,
      start: '11:00',
      owner: await accountId(DEMO_CITIZEN),
    })
    assert.equal(twoThirds.statusCode, 303)
    const mine = await db()
      .selectFrom('bookings')
      .select(['units', 'fee_cents'])
      .where('account_id', '=', await accountId(DEMO_CITIZEN))
      .executeTakeFirstOrThrow()
    assert.deepEqual(mine, { units: ['b', 'c'], fee_cents: 3200 })
    // The public week shows the parts taken, and names neither booker.
    const week = await new TestBrowser(platform).get(`/buchung/${HALL}?week=${day}`)
    assert.match(week.body, />A\u00a0<\/span>belegt/)
    assert.doesNotMatch(week.body, /Mustermann|TuS Eving/)
  })

  it('lets every member of the club see the club’s bookings, and nobody else cancel them', async () => {
    const owner = await citizenBrowser(platform, DEMO_CLUB_OWNER)
    const page = await owner.get('/account/buchungen')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Sporthalle Brackel/)
    const clubBooking = await db()
      .selectFrom('bookings')
      .select('id')
      .where('account_id', '=', await accountId(DEMO_CLUB))
      .executeTakeFirstOrThrow()
    const outsider = await citizenBrowser(platform, DEMO_BUSINESS)
    assert.doesNotMatch((await outsider.get('/account/buchungen')).body, /Sporthalle Brackel/)
    await outsider.get('/account/buchungen')
    assert.equal((await outsider.post(`/account/buchungen/${clubBooking.id}/cancel`)).statusCode, 404)
    const still = await db()
      .selectFrom('bookings')
      .select('status')
      .where('id', '=', clubBooking.id)
      .executeTakeFirstOrThrow()
    assert.equal(still.status, 'booked')
  })

  it('cancels in time: frees the time and withdraws the open fee notice', async () => {
    const owner = await citizenBrowser(platform, DEMO_CLUB_OWNER)
    const booking = await db()
      .selectFrom('bookings')
      .select(['id', 'case_id'])
      .where('account_id', '=', await accountId(DEMO_CLUB))
      .executeTakeFirstOrThrow()
    await owner.get('/account/buchungen')
    const res = await owner.post(`/account/buchungen/${booking.id}/cancel`)
    assert.equal(res.statusCode, 303)
    const after = await db()
      .selectFrom('bookings')
      .select('status')
      .where('id', '=', booking.id)
      .executeTakeFirstOrThrow()
    assert.equal(after.status, 'cancelled')
    const notice = await db()
      .selectFrom('fee_notices')
      .select('status')
      .where('case_id', '=', booking.case_id!)
      .executeTakeFirstOrThrow()
    assert.equal(notice.status, 'cancelled')
    const held = await db()
      .selectFrom('booking_occupancy')
      .select('unit')
      .where('booking_id', '=', booking.id)
      .execute()
    assert.deepEqual(held, [])
  })
})

describe('club details', () => {
  it('lets the club’s owner keep its type, members and register number; a clerk and outsiders get 404', async () => {
    const club = await accountId(DEMO_CLUB)
    const owner = await citizenBrowser(platform, DEMO_CLUB_OWNER)
    assert.match((await owner.get('/account/buchungen')).body, new RegExp(`/account/buchungen/verein/${club}`))
    assert.match((await owner.get(`/account/buchungen/verein/${club}`)).body, /value="412"/)
    const bad = await owner.post(`/account/buchungen/verein/${club}`, {
      type: 'club',
      memberCount: 'viele',
      registerNumber: 'VR 9',
    })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /ganze Zahl/)
    assert.match(bad.body, /value="VR 9"/)
    assert.equal(
      (
        await owner.post(`/account/buchungen/verein/${club}`, {
          type: 'club',
          memberCount: '430',
          registerNumber: 'VR 2345',
        })
      ).statusCode,
      303,
    )
    const saved = await db()
      .selectFrom('organisation_profiles')
      .selectAll()
      .where('account_id', '=', club)
      .executeTakeFirstOrThrow()
    assert.equal(saved.member_count, 430)
    const clerk = await citizenBrowser(platform, DEMO_CLUB_CLERK)
    assert.equal((await clerk.get(`/account/buchungen/verein/${club}`)).statusCode, 404)
    const outsider = await citizenBrowser(platform, DEMO_BUSINESS)
    await outsider.get('/account/buchungen')
    assert.equal(
      (await outsider.post(`/account/buchungen/verein/${club}`, { type: 'school', memberCount: '1' })).statusCode,
      404,
    )
    assert.equal(
      (
        await db()
          .selectFrom('organisation_profiles')
          .select('member_count')
          .where('account_id', '=', club)
          .executeTakeFirstOrThrow()
      ).member_count,
      430,
    )
  })
})

describe('fee exemptions', () => {
  it('charges nothing until the sports office decides; a confirmed claim stays free, a rejected one gets the full notice', async () => {
    const day = nextDay(3)
    const clerk = await citizenBrowser(platform, DEMO_CLUB_CLERK)
    const club = await accountId(DEMO_CLUB)
    for (const start of ['14:00', '17:00'])
      assert.equal(
        (
          await book(clerk, {
            parts: ['a', 'b', 'c'],
            day,
            start,
            owner: club,
            exemption: 'non-profit',
            statement: 'Gemeinnütziger Sportverein, Jugendturnier',
            registerNumber: 'VR 2345',
          })
        ).statusCode,
        303,
      )
    const claims = await db()
      .selectFrom('bookings')
      .innerJoin('facility_bookings as f', 'f.booking_id', 'bookings.id')
      .select(['bookings.id', 'bookings.case_id', 'f.exemption_status', 'f.fee_cents'])
      .where('bookings.account_id', '=', club)
      .where('bookings.status', '=', 'booked')
      .orderBy('bookings.starts_at')
      .execute()
    assert.equal(claims.length, 2)
    assert.ok(claims.every(c => c.exemption_status === 'claimed' && c.fee_cents === 4800))
    const noticesBefore = await db()
      .selectFrom('fee_notices')
      .select('id')
      .where(
        'case_id',
        'in',
        claims.map(c => c.case_id!),
      )
      .execute()
    assert.equal(noticesBefore.length, 0)

    // Only the sports office decides; another office is refused.
    const other = await staffBrowser(platform, 'ordnungsamt')
    assert.equal((await other.get('/backoffice/buchung')).statusCode, 403)
    const office = await staffBrowser(platform, 'sport-und-freizeit')
    const page = await office.get('/backoffice/buchung')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /VR 2345/)
    assert.match(page.body, /430 Mitglieder/)
    assert.equal(
      (await office.post(`/backoffice/buchung/claims/${claims[0]!.id}`, { decision: 'confirm' })).statusCode,
      303,
    )
    await office.get('/backoffice/buchung')
    assert.equal(
      (await office.post(`/backoffice/buchung/claims/${claims[1]!.id}`, { decision: 'reject' })).statusCode,
      303,
    )
    await office.get('/backoffice/buchung')
    assert.equal(
      (await office.post(`/backoffice/buchung/claims/${claims[1]!.id}`, { decision: 'confirm' })).statusCode,
      409,
      'once only',
    )
    const notices = await db()
      .selectFrom('fee_notices')
      .select(['case_id', 'amount_cents'])
      .where(
        'case_id',
        'in',
        claims.map(c => c.case_id!),
      )
      .execute()
    assert.deepEqual(notices, [{ case_id: claims[1]!.case_id, amount_cents: 4800 }])
  })
})

describe('bad input to the booking form', () => {
  it('gives each wrong value its own message, keeps what was typed, and writes nothing', async () => {
    const citizen = await citizenBrowser(platform, DEMO_CITIZEN)
    const me = await accountId(DEMO_CITIZEN)
    const count = async () => (await db().selectFrom('bookings').select('id').execute()).length
    const before = await count()
    const cases: [Record<string, string | string[]>, number, RegExp][] = [
      [{ day: nextDay(2), start: '18:00', owner: me }, 400, /mindestens einen Hallenteil/],
      [{ parts: 'a', day: nextDay(2), start: '18:00', owner: me, minutes: '300' }, 400, /höchstens 4 Std/],
      [{ parts: 'a', day: '2027-02-30', start: '18:00', owner: me }, 400, /JJJJ-MM-TT/],
      [
        { parts: 'a', day: addDays(dayInCity(platform.clock.now()), -3), start: '18:00', owner: me },
        422,
        /Vergangenheit|vergangen/,
      ],
      [{ parts: 'a', day: nextDay(2), start: '06:00', owner: me }, 422, /Öffnungszeit|geöffnet|angeboten/],
      [{ parts: 'z', day: nextDay(2), start: '18:00', owner: me }, 400, /Hallenteil gibt es nicht/],
      [{ parts: 'a', day: nextDay(2), start: '18:00', owner: await accountId(DEMO_CLUB) }, 400, /für wen/],
      [{ parts: 'a', day: nextDay(2), start: '18:00', owner: me, exemption: 'youth' }, 400, /begründen/],
      [{ parts: 'a', day: nextDay(2), start: '18:00', owner: me, purpose: '' }, 400, /wofür/],
    ]
    for (const [fields, status, message] of cases) {
      const res = await book(citizen, { purpose: 'Hallo Welt', ...fields })
      assert.equal(
        res.statusCode,
        status,
        `${JSON.stringify(fields)}: ${res.body.match(/kern-error[\s\S]{0,300}/)?.[0]}`,
      )
      assert.match(res.body, message)
      if (fields.purpose !== '') assert.match(res.body, /Hallo Welt/)
    }
    assert.equal(await count(), before)
    assert.equal((await citizen.post('/account/buchungen', { hall: 'buergerbuero-mitte' })).statusCode, 404)
  })
})

describe('seasonal allocation', () => {
  it('collects applications, proposes by priority, refuses overlapping allocations, publishes series through the engine, and closures cancel with notice', async () => {
    const office = await staffBrowser(platform, 'sport-und-freizeit')
    const firstDay = nextDay(1, 7)
    const lastDay = addDays(firstDay, 27)
    const holiday = addDays(firstDay, 8) // the Tuesday of the second week
    await office.get('/backoffice/buchung')
    const bad = await office.post('/backoffice/buchung/seasons', {
      name: 'Winter',
      firstDay,
      lastDay: firstDay.replace(/\d\d$/, '99'),
      excluded: 'Ostern',
    })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /JJJJ-MM-TT/)
    assert.match(bad.body, /value="Winter"/)
    const created = await office.post('/backoffice/buchung/seasons', {
      name: 'Wintersaison',
      firstDay,
      lastDay,
      excluded: holiday,
    })
    assert.equal(created.statusCode, 303)
    const season = await db().selectFrom('facility_seasons').selectAll().executeTakeFirstOrThrow()
    assert.deepEqual(season.excluded_days, [holiday])

    // A single booking in the second week's slot, to be skipped by the series (never double booked).
    const citizen = await citizenBrowser(platform, DEMO_CITIZEN)
    const blocker = await book(citizen, {
      parts: 'c',
      day: addDays(firstDay, 15),
      start: '18:00',
      owner: await accountId(DEMO_CITIZEN),
      minutes: '60',
    })
    assert.equal(blocker.statusCode, 303)

    const club = await accountId(DEMO_CLUB)
    const clerk = await citizenBrowser(platform, DEMO_CLUB_CLERK)
    await clerk.get('/account/buchungen/saison')
    const apply = (fields: Record<string, string | string[]>) =>
      clerk.post('/account/buchungen/saison', {
        season: season.id,
        club,
        hall: HALL,
        weekday: '2',
        start: '18:00',
        minutes: '90',
        group: 'club',
        note: '',
        ...fields,
      })
    const wrong = await apply({ parts: 'turnhalle-kirchderne:nord', note: 'Volleyball' })
    assert.equal(wrong.statusCode, 400)
    assert.match(wrong.body, /Teile der gewählten Halle/)
    assert.match(wrong.body, /Volleyball/)
    assert.equal((await apply({ parts: [`${HALL}:a`, `${HALL}:b`], note: 'Volleyball Herren' })).statusCode, 303)
    assert.equal((await apply({ parts: `${HALL}:b`, group: 'youth', note: 'Jugend-Handball' })).statusCode, 303)
    assert.equal((await apply({ parts: `${HALL}:c`, note: 'Badminton' })).statusCode, 303)
    // A person cannot apply for themselves; seasonal slots are for organisations.
    await citizen.get('/account/buchungen/saison')
    const own = await citizen.post('/account/buchungen/saison', {
      season: season.id,
      club: await accountId(DEMO_CITIZEN),
      hall: HALL,
      parts: `${HALL}:a`,
      weekday: '2',
      start: '18:00',
      minutes: '90',
      group: 'club',
    })
    assert.equal(own.statusCode, 400)

    const plan = await office.get(`/backoffice/buchung/seasons/${season.id}`)
    assert.equal(plan.statusCode, 200)
    assert.match(plan.body, /Konflikt mit/)
    const apps = await db().selectFrom('facility_applications').select(['id', 'note']).execute()
    const id = (note: string) => apps.find(a => a.note === note)!.id
    // Allocating both overlapping applications is refused with a message at each.
    const clash = await office.post(`/backoffice/buchung/seasons/${season.id}/allocation`, {
      [`decision-${id('Volleyball Herren')}`]: 'allocated',
      [`decision-${id('Jugend-Handball')}`]: 'allocated',
      [`decision-${id('Badminton')}`]: 'allocated',
    })
    assert.equal(clash.statusCode, 409)
    assert.match(clash.body, /überschneidet sich/)
    // The proposal: youth before the adult club's two thirds; badminton has no conflict.
    await office.get(`/backoffice/buchung/seasons/${season.id}`)
    const saved = await office.post(`/backoffice/buchung/seasons/${season.id}/allocation`, {
      [`decision-${id('Volleyball Herren')}`]: 'declined',
      [`decision-${id('Jugend-Handball')}`]: 'allocated',
      [`decision-${id('Badminton')}`]: 'allocated',
    })
    assert.equal(saved.statusCode, 303)
    await office.get(`/backoffice/buchung/seasons/${season.id}`)
    const published = await office.post(`/backoffice/buchung/seasons/${season.id}/publish`)
    assert.equal(published.statusCode, 303)
    assert.match(String(published.headers.location), /skipped=1/)
    const series = await db()
      .selectFrom('bookings')
      .select(['series_id', 'starts_at', 'units'])
      .where('account_id', '=', club)
      .where('series_id', 'is not', null)
      .where('status', '=', 'booked')
      .execute()
    const tuesdays = seasonDays({ firstDay, lastDay, excludedDays: [holiday] }, 2)
    assert.equal(tuesdays.length, 3)
    // Youth: every Tuesday but the holiday; badminton: the same, minus the week the single booking holds part c.
    assert.equal(series.filter(s => s.units.includes('b')).length, 3)
    assert.equal(series.filter(s => s.units.includes('c')).length, 2)
    assert.ok(!series.some(s => dayInCity(s.starts_at) === holiday))
    assert.equal(new Set(series.map(s => s.series_id)).size, 2)
    // The public plan names the club for its published slots.
    const week = await new TestBrowser(platform).get(`/buchung/${HALL}?week=${firstDay}`)
    assert.match(week.body, /belegt \(TuS Eving/)
    // Published: no more changes.
    assert.equal((await office.post(`/backoffice/buchung/seasons/${season.id}/publish`)).statusCode, 409)

    // A closure added later cancels the occurrences of that day and tells the club by e-mail.
    const closeDay = tuesdays[2]!
    await office.get('/backoffice/buchung')
    const closed = await office.post('/backoffice/buchung/closures', {
      closeHall: HALL,
      closeFrom: closeDay,
      closeTo: closeDay,
      reason: 'Wasserschaden',
    })
    assert.equal(closed.statusCode, 303)
    assert.match(String(closed.headers.location), /count=2/)
    const left = await db()
      .selectFrom('bookings')
      .select(['starts_at', 'cancel_reason', 'status'])
      .where('account_id', '=', club)
      .where('series_id', 'is not', null)
      .execute()
    assert.ok(
      left
        .filter(b => dayInCity(b.starts_at) === closeDay)
        .every(b => b.status === 'cancelled' && b.cancel_reason === 'Wasserschaden'),
    )
    const mails = await db()
      .selectFrom('mail_outbox')
      .select(['subject', 'body_text'])
      .where('recipient', '=', DEMO_CLUB)
      .execute()
    assert.equal(mails.filter(m => /Wasserschaden/.test(m.body_text)).length, 2)
    // And nobody books that day any more.
    const refused = await book(citizen, {
      parts: 'a',
      day: closeDay,
      start: '10:00',
      owner: await accountId(DEMO_CITIZEN),
    })
    assert.equal(refused.statusCode, 422)
    assert.match(refused.body, /Wasserschaden/)

    // The club sees its applications; an outsider sees none of them.
    assert.match((await clerk.get('/account/buchungen')).body, /Veröffentlicht/)
    assert.doesNotMatch((await citizen.get('/account/buchungen/saison')).body, /Volleyball/)
  })

  it('shows the season’s applications to the sports office only', async () => {
    const season = await db().selectFrom('facility_seasons').select('id').executeTakeFirstOrThrow()
    for (const browser of [
      await citizenBrowser(platform, DEMO_CLUB_OWNER),
      await staffBrowser(platform, 'buergerdienste', 'team_lead'),
    ]) {
      const res = await browser.get(`/backoffice/buchung/seasons/${season.id}`)
      assert.ok([303, 403].includes(res.statusCode), String(res.statusCode))
      assert.doesNotMatch(res.body, /Volleyball/)
    }
  })
})
