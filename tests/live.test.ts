import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { LiveHub, publishLive, type LiveEvent } from '../src/platform/live/index.js'
import { openDatabase } from '../src/platform/db/database.js'
import { DEMO_PASSWORD, startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { DEMO_ADMIN, demoStaffEmail } from '../src/seed.js'

async function waitUntil(condition: () => boolean, timeoutMs = 5000) {
  const start = Date.now()
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

const nextEvent = (hub: LiveHub, topic: string, timeoutMs = 5000) =>
  new Promise<LiveEvent>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop()
      reject(new Error(`no event on ${topic} within ${timeoutMs} ms`))
    }, timeoutMs)
    const stop = hub.subscribe(topic, e => {
      clearTimeout(timer)
      stop()
      resolve(e)
    })
  })

describe('live events between processes', () => {
  let platform: TestPlatform
  before(async () => {
    platform = await startTestPlatform()
  })
  after(async () => {
    await platform.close()
  })

  test('an event published in a transaction arrives after the commit, and not at all after a rollback', async () => {
    const db = platform.database.db
    const received: LiveEvent[] = []
    const stop = platform.app.live.subscribe('case:one', e => received.push(e))
    try {
      await db.transaction().execute(async trx => {
        await publishLive(trx, { topic: 'case:one', kind: 'changed', data: { n: 1 } })
        await new Promise(r => setTimeout(r, 50))
        assert.equal(received.length, 0, 'nothing is sent before the commit')
      })
      await db
        .transaction()
        .execute(async trx => {
          await publishLive(trx, { topic: 'case:one', kind: 'changed', data: { n: 2 } })
          throw new Error('roll back')
        })
        .catch(() => undefined)
      const arrived = nextEvent(platform.app.live, 'case:one')
      await publishLive(db, { topic: 'case:one', kind: 'changed', data: { n: 3 } })
      await arrived
      assert.deepEqual(
        received.map(e => e.data?.n),
        [1, 3],
      )
      await assert.rejects(
        publishLive(db, { topic: 'case:one', kind: 'big', data: { text: 'x'.repeat(9000) } }),
        /too large/,
      )
    } finally {
      stop()
    }
  })

  // Only a server has other processes; the embedded database belongs to one (that run covers the rest).
  if (process.env.DATABASE_URL)
    test("a second process on the same server receives the first one's events", async () => {
      const other = await openDatabase({ databaseUrl: platform.config.databaseUrl, dataDir: 'unused' })
      const otherHub = await LiveHub.start(other)
      try {
        const arrived = nextEvent(otherHub, 'case:two')
        await publishLive(platform.database.db, { topic: 'case:two', kind: 'changed', data: { by: 'first process' } })
        assert.equal((await arrived).data?.by, 'first process')
      } finally {
        await otherHub.close()
        await other.close()
      }
    })

  test('browsers receive the events as server-sent events, and the stream ends when the app closes', async () => {
    const app = platform.app
    app.get('/test/live', async (req, reply) => {
      app.live.stream(req, reply, ['case:three'])
    })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo
    const body = await new Promise<string>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/test/live' }, res => {
          assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8')
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => {
            text += chunk
            if (text.includes('event: ready'))
              publishLive(platform.database.db, {
                topic: 'case:three',
                kind: 'changed',
                data: { status: 'in_review' },
              }).catch(reject)
            if (text.includes('event: changed')) {
              res.destroy()
              resolve(text)
            }
          })
        })
        .on('error', reject)
    })
    assert.match(
      body,
      /event: changed\ndata: \{"topic":"case:three","kind":"changed","data":\{"status":"in_review"\}\}\n\n/,
    )
  })
})

describe('event streams end with the access they were opened under', () => {
  let platform: TestPlatform
  let port: number
  before(async () => {
    platform = await startTestPlatform()
    await platform.app.listen({ port: 0, host: '127.0.0.1' })
    port = (platform.app.server.address() as AddressInfo).port
  })
  after(async () => {
    await platform.close()
  })

  async function signIn(email: string) {
    const browser = new TestBrowser(platform)
    await browser.get('/backoffice/login')
    const res = await browser.post('/backoffice/login', { email, password: DEMO_PASSWORD })
    assert.equal(res.statusCode, 303)
    const cookie = res.cookies.find(c => c.name === 'bauhaus_session')!.value
    return { browser, cookie: `bauhaus_session=${cookie}` }
  }

  interface OpenedStream {
    status: number
    ended: Promise<void>
    close: () => void
  }

  /** Opens an event stream like a browser; resolves once it stands ("ready") or was refused. */
  const openStream = (cookie: string, path = '/backoffice/involvements/live') =>
    new Promise<OpenedStream>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path, headers: { cookie } }, res => {
        const ended = new Promise<void>(done => res.on('close', () => done()))
        const opened = { status: res.statusCode ?? 0, ended, close: () => res.destroy() }
        if (res.statusCode !== 200) {
          res.resume()
          return resolve(opened)
        }
        res.setEncoding('utf8')
        let text = ''
        res.on('data', (chunk: string) => {
          text += chunk
          if (text.includes('event: ready')) resolve(opened)
        })
      })
      req.on('error', reject)
    })

  const endsWithin = (stream: OpenedStream, ms = 5000) =>
    Promise.race([stream.ended.then(() => true), new Promise<boolean>(resolve => setTimeout(() => resolve(false), ms))])

  test('a person gets at most LIVE_STREAMS_PER_USER streams; one more is refused with 429', async () => {
    const { cookie } = await signIn(demoStaffEmail('umweltamt', 'caseworker'))
    const streams: OpenedStream[] = []
    for (let i = 0; i < platform.config.liveStreamsPerUser; i++) streams.push(await openStream(cookie))
    assert.deepEqual(
      streams.map(s => s.status),
      streams.map(() => 200),
    )
    const refused = await openStream(cookie)
    assert.equal(refused.status, 429)
    const staffId = (
      await platform.database.db
        .selectFrom('staff')
        .select('id')
        .where('email', '=', demoStaffEmail('umweltamt', 'caseworker'))
        .executeTakeFirstOrThrow()
    ).id
    streams.shift()!.close()
    await waitUntil(() => platform.app.live.openStreamsOf(`staff:${staffId}`) < platform.config.liveStreamsPerUser)
    const replacement = await openStream(cookie)
    assert.equal(replacement.status, 200, 'a closed stream frees its place')
    for (const stream of [...streams, replacement]) stream.close()
  })

  test('logging out ends the streams of that session', async () => {
    const { browser, cookie } = await signIn(demoStaffEmail('ordnungsamt', 'caseworker'))
    const stream = await openStream(cookie)
    assert.equal(stream.status, 200)
    await browser.get('/backoffice')
    assert.equal((await browser.post('/backoffice/logout')).statusCode, 303)
    assert.equal(await endsWithin(stream), true)
    const again = await openStream(cookie)
    assert.notEqual(again.status, 200, 'reconnecting with the ended session is refused')
  })

  test('an idle timeout ends the stream; a session kept alive elsewhere keeps it', async () => {
    const { browser, cookie } = await signIn(demoStaffEmail('umweltamt', 'team_lead'))
    const stream = await openStream(cookie)
    platform.clock.advance(20 * 60_000)
    assert.equal((await browser.get('/backoffice')).statusCode, 200, 'another tab uses the session')
    platform.clock.advance(15 * 60_000)
    await platform.app.live.closeEndedStreams()
    assert.equal(await endsWithin(stream, 300), false, 'still alive: used 15 minutes ago')
    platform.clock.advance(16 * 60_000)
    await platform.app.live.closeEndedStreams()
    assert.equal(await endsWithin(stream), true, 'idle for 31 minutes: closed')
  })

  test("removing a staff member's role ends their streams", async () => {
    const email = demoStaffEmail('bauordnungsamt', 'caseworker')
    const { cookie } = await signIn(email)
    const stream = await openStream(cookie)
    assert.equal(stream.status, 200)
    const admin = await signIn(DEMO_ADMIN)
    const staffId = (
      await platform.database.db.selectFrom('staff').select('id').where('email', '=', email).executeTakeFirstOrThrow()
    ).id
    await admin.browser.get('/backoffice/admin/staff?office=bauordnungsamt')
    const removed = await admin.browser.post(`/backoffice/admin/staff/${staffId}/roles/remove`, {
      officeId: 'bauordnungsamt',
      role: 'caseworker',
    })
    assert.equal(removed.statusCode, 303)
    assert.equal(await endsWithin(stream), true)
    const again = await openStream(cookie)
    assert.notEqual(again.status, 200, 'reopened, the stream is checked against the roles left')
  })
})
