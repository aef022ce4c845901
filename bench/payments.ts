import crypto from 'node:crypto'
import { sql } from 'kysely'
import { startTestPlatform } from '../tests/support/test-platform.js'
import { signSandboxBody, SANDBOX_SIGNATURE_HEADER } from '../src/modules/payments/providers/sandbox.js'
import { intFromEnv, measure, type Rate } from './measure.js'

/** Payment notifications booked over HTTP against plain JSONB inserts. */
export async function benchPayments(): Promise<string> {
  const NOTIFICATIONS = intFromEnv('BENCH_NOTIFICATIONS', 2000)
  const CONCURRENCY = intFromEnv('BENCH_CONCURRENCY', 16)
  const platform = await startTestPlatform({ seedDemoData: false })
  const { db } = platform.database
  const secret = platform.config.paymentSandboxSecret
  try {
    const office = platform.app.services.offices[0]!.id
    // Open payments at the sandbox, as checkout would leave them, each with its signed "paid" notification.
    const notifications: { body: string; signature: string }[] = []
    for (let i = 0; i < NOTIFICATIONS; i++) {
      const id = crypto.randomUUID()
      const providerPaymentId = crypto.randomUUID()
      const reference = `BH-BENCH-${String(i).padStart(7, '0')}`
      await db
        .insertInto('payments')
        .values({
          id,
          reference,
          service_id: 'fuehrungszeugnis',
          office_id: office,
          amount_cents: 1300,
          description: 'Bench',
          provider: 'sandbox',
          provider_payment_id: providerPaymentId,
        })
        .execute()
      const body = JSON.stringify({
        eventId: `${providerPaymentId}:paid`,
        providerPaymentId,
        reference,
        amountCents: 1300,
        currency: 'EUR',
        status: 'paid',
        method: 'card',
      })
      notifications.push({ body, signature: signSandboxBody(secret, body) })
    }
    const deliver = async (n: { body: string; signature: string }) => {
      const res = await platform.app.inject({
        method: 'POST',
        url: '/payments/notify/sandbox',
        payload: n.body,
        headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: n.signature },
      })
      if (res.statusCode !== 200) throw new Error(`notification answered ${res.statusCode}: ${res.body}`)
    }
    const booked = await measure(notifications, CONCURRENCY, deliver)
    const duplicates = await measure(notifications, CONCURRENCY, deliver)
    const paid = await db
      .selectFrom('payments')
      .select(eb => eb.fn.countAll<string>().as('n'))
      .where('status', '=', 'paid')
      .where('reference', 'like', 'BH-BENCH-%')
      .executeTakeFirstOrThrow()
    if (Number(paid.n) !== NOTIFICATIONS) throw new Error(`expected ${NOTIFICATIONS} paid payments, found ${paid.n}`)

    // Baseline: one plain row per notification into a one-table scratch schema, same payload, same clients.
    await sql`create table bench_plain_notifications (id bigserial primary key, body jsonb not null)`.execute(db)
    const baseline = await measure(notifications, CONCURRENCY, async n => {
      await sql`insert into bench_plain_notifications (body) values (${n.body}::jsonb)`.execute(db)
    })
    await sql`drop table bench_plain_notifications`.execute(db)

    const database = platform.database.kind === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL server'
    const row = (name: string, r: Rate) =>
      `| ${name} | ${r.perSecond.toFixed(0)} /s | ${r.p50.toFixed(2)} ms | ${r.p99.toFixed(2)} ms | ${((r.perSecond / baseline.perSecond) * 100).toFixed(0)} % |`
    return [
      `Payment notifications on ${database}: ${NOTIFICATIONS} notifications, ${CONCURRENCY} concurrent clients, node ${process.version}`,
      '',
      '| figure | rate | p50 | p99 | vs. baseline |',
      '|---|---|---|---|---|',
      row('notifications booked (HMAC check, lock, checks, event row, status, audit, over HTTP)', booked),
      row('same notifications again (verified, recognised as duplicates, nothing booked)', duplicates),
      row('baseline: plain INSERT of one JSONB row per notification', baseline),
      '',
    ].join('\n')
  } finally {
    await platform.close()
  }
}
