import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { samplePdf, startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser, staffBrowser, submitCase } from './support/casework.js'
import { DEMO_BUSINESS, DEMO_CITIZEN } from '../src/seed.js'
import { cityInstant, reserve, type NewBooking } from '../src/modules/booking/index.js'
import { videoJoinUrl } from '../src/modules/video/index.js'
import { addDays, dayInCity, isWorkingDay } from '../src/platform/calendar/index.js'

/** The virtual citizen office (docs/video.md): waiting room, admission, signalling over the live channel, the case. */
let platform: TestPlatform
let port: number
let video: NewBooking
let counter: NewBooking
let start: Date
let housingCase: { caseId: string; reference: string }
let otherOfficeCase: { caseId: string; reference: string }
const db = () => platform.database.db

/** The next working Monday, Tuesday or Thursday at least a day ahead: the housing office's video desk is open at 9. */
function nextVideoDay(): string {
  let day = addDays(dayInCity(platform.clock.now()), 1)
  while (!isWorkingDay(day) || ![1, 2, 4].includes(new Date(`${day}T12:00:00Z`).getUTCDay())) day = addDays(day, 1)
  return day
}

before(async () => {
  platform = await startTestPlatform()
  await platform.app.listen({ port: 0, host: '127.0.0.1' })
  port = (platform.app.server.address() as AddressInfo).port
  const applicant = await citizenBrowser(platform)
  housingCase = await submitCase(platform, applicant, 'wohngeld-antrag')
  otherOfficeCase = await submitCase(platform, applicant, 'hundesteuer-anmeldung', { dangerousDog: 'section3' })
  const day = nextVideoDay()
  start = cityInstant(day, 9 * 60)!
  const erika = await db()
    .selectFrom('accounts')
    .select('id')
    .where('email', '=', DEMO_CITIZEN)
    .executeTakeFirstOrThrow()
  video = await reserve(
    db(),
    platform.app.resources,
    {
      resourceId: 'video-wohnen',
      purpose: 'video',
      start,
      minutes: 30,
      concern: 'wohngeld-beratung',
      accountId: erika.id,
      person: { name: 'Erika Mustermann', email: DEMO_CITIZEN },
    },
    platform.clock.now(),
  )
  counter = await reserve(
    db(),
    platform.app.resources,
    {
      resourceId: 'buergerbuero-mitte',
      purpose: 'appointment',
      start: cityInstant(day, 10 * 60)!,
      minutes: 20,
      concern: 'personalausweis',
      person: { name: 'Max Muster', email: 'max@example.org' },
    },
    platform.clock.now(),
  )
})
after(async () => {
  await platform?.close()
})

const personUrl = (path = '', token = video.manageToken) => `/video/${video.booking.id}${path}?k=${token}`
const staffUrl = (path = '') => `/backoffice/video/${video.booking.id}${path}`

/** A browser that opened the person's page by the manage link, so it holds a CSRF token. */
async function personBrowser() {
  const browser = new TestBrowser(platform)
  assert.equal((await browser.get(personUrl())).statusCode, 200)
  return browser
}

interface EventStream {
  status: number
  events: { kind: string; data: Record<string, unknown> }[]
  close: () => void
}

/** Opens a call's event stream like a browser and collects its events; resolves once it stands ("ready"). */
function openStream(path: string, cookie = ''): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { cookie } }, res => {
      const stream: EventStream = { status: res.statusCode ?? 0, events: [], close: () => res.destroy() }
      if (res.statusCode !== 200) {
        res.resume()
        return resolve(stream)
      }
      res.setEncoding('utf8')
      let buffer = ''
      res.on('data', (chunk: string) => {
        buffer += chunk
        let end = buffer.indexOf('\n\n')
        while (end >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const kind = /^event: (.*)$/m.exec(block)?.[1]
          const data = /^data: (.*)$/m.exec(block)?.[1]
          if (kind === 'ready') resolve(stream)
          else if (kind && data)
            stream.events.push({ kind, data: (JSON.parse(data) as { data?: Record<string, unknown> }).data ?? {} })
          end = buffer.indexOf('\n\n')
        }
      })
    })
    req.on('error', reject)
  })
}

async function waitFor<T>(find: () => T | undefined, what: string): Promise<T> {
  const started = Date.now()
  for (;;) {
    const found = find()
    if (found !== undefined) return found
    if (Date.now() - started > 5000) throw new Error(`no ${what} within 5 s`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

const cookieOf = (browser: TestBrowser) => `bauhaus_session=${browser.cookie('bauhaus_session')}`

async function caseOfHousingOffice() {
  return { id: housingCase.caseId, reference: housingCase.reference }
}

async function eventsOf(caseId: string) {
  return (
    await db().selectFrom('case_events').select(['kind', 'data']).where('case_id', '=', caseId).orderBy('id').execute()
  ).filter(e => e.kind.startsWith('video_'))
}

describe('the person’s page of a video appointment', () => {
  it('opens by the manage link or for the account that booked, and answers 404 to everyone else', async () => {
    const byLink = await new TestBrowser(platform).get(personUrl())
    assert.equal(byLink.statusCode, 200)
    assert.match(byLink.body, new RegExp(video.booking.reference))
    assert.match(byLink.body, /<noscript>[\s\S]*JavaScript[\s\S]*0231 50-0/)
    assert.match(String(byLink.headers['permissions-policy']), /camera=\(self\).*microphone=\(self\)/)
    assert.match(String((await new TestBrowser(platform).get('/')).headers['permissions-policy']), /camera=\(\)/)
    assert.equal(videoJoinUrl('http://x', video.booking.id, video.manageToken), `http://x${personUrl()}`)

    const erika = await citizenBrowser(platform)
    assert.equal((await erika.get(`/video/${video.booking.id}`)).statusCode, 200)
    for (const [who, browser, url] of [
      ['a wrong secret', new TestBrowser(platform), personUrl('', 'x'.repeat(32))],
      ['nobody signed in', new TestBrowser(platform), `/video/${video.booking.id}`],
      ['another account', await citizenBrowser(platform, DEMO_BUSINESS), `/video/${video.booking.id}`],
      ['a counter appointment', new TestBrowser(platform), `/video/${counter.booking.id}?k=${counter.manageToken}`],
    ] as const) {
      const res = await browser.get(url)
      assert.equal(res.statusCode, 404, who)
      assert.doesNotMatch(res.body, new RegExp(video.booking.reference), who)
    }
    assert.equal((await new TestBrowser(platform).get('/video/not-a-uuid')).statusCode, 400)
  })

  it('keeps the waiting room closed until ten minutes before the time, with a message saying so', async () => {
    try {
      const person = new TestBrowser(platform)
      await person.get('/kontakt')
      const page = await person.get(personUrl())
      assert.match(page.body, /Der Warteraum ist noch nicht geöffnet/)
      assert.doesNotMatch(page.body, /id="video-call"/)
      const res = await person.post(personUrl('/join'), { k: video.manageToken })
      assert.equal(res.statusCode, 409)
      assert.match(res.body, /öffnet 10 Minuten vor Ihrem Termin/)
      assert.equal(await db().selectFrom('video_calls').select('state').executeTakeFirst(), undefined)
    } finally {
      // Five minutes before the booked time: the waiting room is open for the rest of this file.
      platform.clock.advance(start.getTime() - 5 * 60_000 - platform.clock.now().getTime())
    }
  })
})

describe('the caseworker’s side', () => {
  it('lists today’s video appointments to the desk’s office only, and refuses the call to other offices', async () => {
    const housing = await staffBrowser(platform, 'amt-fuer-wohnen')
    const list = await housing.get('/backoffice/video')
    assert.equal(list.statusCode, 200)
    assert.match(list.body, new RegExp(video.booking.reference))
    assert.match(list.body, /Noch nicht beigetreten/)
    const other = await staffBrowser(platform, 'buergerdienste')
    assert.doesNotMatch((await other.get('/backoffice/video')).body, new RegExp(video.booking.reference))
    assert.equal((await other.get(staffUrl())).statusCode, 404)
    assert.equal((await other.post(staffUrl('/admit'))).statusCode, 404)
    const refused = await openStream(staffUrl('/events'), cookieOf(other))
    assert.equal(refused.status, 404)
    const citizen = await citizenBrowser(platform)
    assert.equal((await citizen.post(staffUrl('/admit'))).statusCode, 403)
    assert.equal((await new TestBrowser(platform).get(staffUrl())).statusCode, 303)
  })

  it('cannot let anyone in before the person is in the waiting room', async () => {
    const housing = await staffBrowser(platform, 'amt-fuer-wohnen')
    await housing.get(staffUrl())
    const res = await housing.post(staffUrl('/admit'))
    assert.equal(res.statusCode, 409)
    assert.match(res.body, /Im Warteraum wartet gerade niemand/)
  })
})

describe('a call from the waiting room to the end', () => {
  it('relays the waiting room, the admission and the signalling to the other side only, large descriptions too', async () => {
    const housing = await staffBrowser(platform, 'amt-fuer-wohnen')
    await housing.get(staffUrl())
    const person = await personBrowser()
    assert.match(person.lastHtml, /data-side="person"/)
    const personStream = await openStream(personUrl('/events'))
    const staffStream = await openStream(staffUrl('/events'), cookieOf(housing))
    assert.equal(personStream.status, 200)
    assert.equal(staffStream.status, 200)

    assert.equal((await person.post(personUrl('/join'), { k: video.manageToken })).statusCode, 204)
    await waitFor(() => staffStream.events.find(e => e.kind === 'state' && e.data.waiting === true), 'waiting')
    assert.match((await housing.get('/backoffice/video')).body, /Wartet im Warteraum/)

    assert.equal((await housing.post(staffUrl('/admit'))).statusCode, 303)
    await waitFor(() => personStream.events.find(e => e.kind === 'state' && e.data.state === 'admitted'), 'admission')

    // A session description larger than a NOTIFY payload goes through the table and arrives whole.
    const offer = `v=0\r\n${'a=candidate-line-of-a-long-description\r\n'.repeat(300)}`
    assert.equal((await housing.post(staffUrl('/signal'), { kind: 'offer', data: offer })).statusCode, 204)
    const received = await waitFor(
      () => personStream.events.find(e => e.kind === 'signal' && e.data.kind === 'offer'),
      'the offer',
    )
    assert.equal(received.data.data, offer)
    assert.equal(received.data.from, 'staff')

    const answer = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n'
    assert.equal(
      (await person.post(personUrl('/signal'), { k: video.manageToken, kind: 'answer', data: answer })).statusCode,
      204,
    )
    const candidate = JSON.stringify({ candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0' })
    await person.post(personUrl('/signal'), { k: video.manageToken, kind: 'candidate', data: candidate })
    await person.post(personUrl('/signal'), { k: video.manageToken, kind: 'chat', data: '  Guten Tag!  ' })
    const chat = await waitFor(
      () => staffStream.events.find(e => e.kind === 'signal' && e.data.kind === 'chat'),
      'the chat line',
    )
    assert.equal(chat.data.data, 'Guten Tag!')
    const kinds = staffStream.events.filter(e => e.kind === 'signal').map(e => e.data.kind)
    assert.deepEqual(kinds, ['answer', 'candidate', 'chat'], 'in the order sent, and not its own offer')
    assert.equal(
      staffStream.events.find(e => e.kind === 'signal' && e.data.kind === 'offer'),
      undefined,
    )
    assert.equal(
      personStream.events.find(e => e.kind === 'signal' && e.data.from === 'person'),
      undefined,
    )
    personStream.close()
    staffStream.close()
  })

  it('answers malformed messages with their own message and a 4xx, and strangers with 404', async () => {
    const person = await personBrowser()
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ kind: 'hello', data: 'x' }, 400, /kennt der Videotermin nicht/],
      [{ kind: 'chat', data: '   ' }, 400, /Bitte schreiben Sie eine Nachricht/],
      [{ kind: 'chat', data: 'x'.repeat(1001) }, 400, /höchstens 1\.000 Zeichen/],
      [{ kind: 'candidate', data: '{nope' }, 400, /Verbindungsweg ist ungültig/],
      [{ kind: 'offer', data: 'hello' }, 400, /Verbindungsbeschreibung ist ungültig/],
    ]
    for (const [form, status, message] of cases) {
      const res = await person.post(personUrl('/signal'), { k: video.manageToken, ...form })
      assert.equal(res.statusCode, status, JSON.stringify(form).slice(0, 40))
      assert.match(res.body, message)
    }
    const stranger = new TestBrowser(platform)
    await stranger.get('/kontakt')
    const res = await stranger.post(personUrl('/signal'), { k: 'guessed', kind: 'chat', data: 'Hallo' })
    assert.equal(res.statusCode, 404)
    assert.equal(
      (await stranger.post(personUrl('/signal'), { kind: 'chat', data: 'x' }, { csrf: false })).statusCode,
      403,
    )
  })

  it('files a document only into a linked case; links a case of the office by its reference; notes the identity', async () => {
    const person = await personBrowser()
    const housing = await staffBrowser(platform, 'amt-fuer-wohnen')
    await housing.get(staffUrl())
    const pdf = [{ field: 'document', filename: 'mietvertrag.pdf', content: samplePdf, contentType: 'application/pdf' }]
    const early = await person.post(personUrl('/documents'), { k: video.manageToken }, { files: pdf })
    assert.equal(early.statusCode, 409)
    assert.match(early.body, /data-upload-error[^>]*>[^<]*bitten Sie Ihre Sachbearbeitung/)
    const noCase = await housing.post(staffUrl('/identity'))
    assert.equal(noCase.statusCode, 409)
    assert.match(noCase.body, /Aktenzeichen des Vorgangs/)

    const unknown = await housing.post(staffUrl('/case'), { reference: 'BH-0000-NOPE' })
    assert.equal(unknown.statusCode, 422)
    assert.match(unknown.body, /gibt es in Ihrem Amt nicht/)
    assert.match(unknown.body, /value="BH-0000-NOPE"/)
    const elsewhere = otherOfficeCase
    assert.equal((await housing.post(staffUrl('/case'), { reference: elsewhere.reference })).statusCode, 422)
    assert.equal((await housing.post(staffUrl('/case'), { reference: '' })).statusCode, 400)
    const target = await caseOfHousingOffice()
    assert.equal((await housing.post(staffUrl('/case'), { reference: target.reference })).statusCode, 303)
    assert.deepEqual(
      (await eventsOf(target.id)).map(e => e.kind),
      ['video_call_started'],
      'the running call is noted on the case it was linked to',
    )

    const wrongType = await person.post(
      personUrl('/documents'),
      { k: video.manageToken },
      {
        files: [
          { field: 'document', filename: 'notiz.txt', content: Buffer.from('nur Text'), contentType: 'text/plain' },
        ],
      },
    )
    assert.equal(wrongType.statusCode, 422)
    assert.match(wrongType.body, /PDF/)
    const missing = await person.post(personUrl('/documents'), { k: video.manageToken })
    assert.equal(missing.statusCode, 422)
    assert.match(missing.body, /Bitte wählen Sie ein Dokument aus/)
    const filed = await person.post(personUrl('/documents'), { k: video.manageToken }, { files: pdf })
    assert.equal(filed.statusCode, 303)
    assert.match(String(filed.headers.location), /filed=mietvertrag\.pdf/)
    const documents = await db()
      .selectFrom('file_documents')
      .select(['title', 'kind'])
      .where('case_id', '=', target.id)
      .where('title', '=', 'mietvertrag.pdf')
      .execute()
    assert.deepEqual(documents, [{ title: 'mietvertrag.pdf', kind: 'attachment' }])

    assert.equal((await housing.post(staffUrl('/identity'))).statusCode, 303)
    const page = await housing.get(`/backoffice/cases/${target.id}`)
    assert.match(page.body, /Identität per Video geprüft/)
    assert.match(page.body, /Videogespräch begonnen/)
  })

  it('ends with the hang-up: the case notes the call’s length, the held messages are gone, nothing more is relayed', async () => {
    const housing = await staffBrowser(platform, 'amt-fuer-wohnen')
    await housing.get(staffUrl())
    platform.clock.advance(12 * 60_000)
    assert.equal((await housing.post(staffUrl('/end'))).statusCode, 303)
    const target = await caseOfHousingOffice()
    const ended = (await eventsOf(target.id)).find(e => e.kind === 'video_call_ended')
    assert.ok(ended)
    assert.equal((ended.data as { minutes: number }).minutes, 12)
    assert.deepEqual(await db().selectFrom('video_signals').select('id').execute(), [])
    const person = await personBrowser()
    const late = await person.post(personUrl('/signal'), { k: video.manageToken, kind: 'offer', data: 'v=0\r\n' })
    assert.equal(late.statusCode, 409)
    assert.match(late.body, /Das Gespräch läuft gerade nicht/)
    // Hanging up twice changes nothing; the person may come back into the waiting room.
    assert.equal((await housing.post(staffUrl('/end'))).statusCode, 303)
    assert.equal((await person.post(personUrl('/join'), { k: video.manageToken })).statusCode, 204)
    assert.equal((await db().selectFrom('video_calls').select('state').executeTakeFirstOrThrow()).state, 'waiting')
    assert.equal((await person.post(personUrl('/leave'), { k: video.manageToken })).statusCode, 303)
    const actions = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', video.booking.id)
      .where('action', 'like', 'video.%')
      .execute()
    for (const action of [
      'video.open',
      'video.join',
      'video.admit',
      'video.case_link',
      'video.document',
      'video.identity',
      'video.end',
    ])
      assert.ok(
        actions.some(a => a.action === action),
        action,
      )
  })
})

describe('STUN and TURN servers from the configuration', () => {
  it('gives STUN as configured and TURN only with a short-lived credential made from VIDEO_TURN_SECRET', async () => {
    const { iceServersFor } = await import('../src/modules/video/video.ice.js')
    const crypto = await import('node:crypto')
    const now = new Date('2026-12-08T09:00:00Z')
    const urls = ['stun:turn.stadt.example:3478', 'turns:turn.stadt.example:5349?transport=tcp']
    assert.deepEqual(iceServersFor({ ...platform.config, videoIceServers: [], videoTurnSecret: '' }, 'T-1', now), [])
    assert.deepEqual(iceServersFor({ ...platform.config, videoIceServers: urls, videoTurnSecret: '' }, 'T-1', now), [
      { urls: [urls[0]] },
    ])
    const [stun, turn] = iceServersFor(
      { ...platform.config, videoIceServers: urls, videoTurnSecret: 'geheim' },
      'T-1',
      now,
    )
    assert.deepEqual(stun, { urls: [urls[0]] })
    const expires = now.getTime() / 1000 + 4 * 3600
    assert.equal(turn?.username, `${expires}:T-1`)
    assert.equal(turn?.credential, crypto.createHmac('sha1', 'geheim').update(`${expires}:T-1`).digest('base64'))
  })

  it('refuses a configuration naming something else than a STUN or TURN URL, with the variable', async () => {
    const { loadConfig } = await import('../src/platform/config.js')
    assert.throws(
      () => loadConfig({ VIDEO_ICE_SERVERS: 'stun:ok.example:3478,https://turn.example' }),
      /VIDEO_ICE_SERVERS.*https:\/\/turn\.example/,
    )
  })
})
