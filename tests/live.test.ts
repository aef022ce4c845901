import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { LiveHub, publishLive, type LiveEvent } from '../src/platform/live/index.js'
import { openDatabase } from '../src/platform/db/database.js'
import { startTestPlatform, type TestPlatform } from './support/test-platform.js'

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
