import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { DEMO_PASSWORD, startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser, staffBrowser, submitCase } from './support/casework.js'
import { DEMO_ADMIN, DEMO_OFFICE_ADMIN, DEMO_TREASURY } from '../src/seed.js'
import type { PaymentStatus } from '../src/platform/db/schema.js'
import { CSV_COLUMNS } from '../src/modules/treasury/treasury.csv.js'
import { CAMT054_NAMESPACE } from '../src/modules/treasury/treasury.camt054.js'

let platform: TestPlatform
let kasse: TestBrowser
/** A real application paid in the sandbox: a clean payment that no discrepancy may list. */
let paidCase: { caseId: string; reference: string; paymentReference: string }

const db = () => platform.database.db
const TREASURY_OFFICE = 'stadtkasse-steueramt'
const treasuryBrowser = () => staffBrowser(platform, TREASURY_OFFICE, 'caseworker', DEMO_TREASURY)

before(async () => {
  platform = await startTestPlatform()
  kasse = await treasuryBrowser()
  const citizen = await citizenBrowser(platform)
  const submitted = await submitCase(platform, citizen, 'fuehrungszeugnis', { feeExemption: 'no' })
  const payment = await db()
    .selectFrom('payments')
    .select(['reference', 'status'])
    .where('case_id', '=', submitted.caseId)
    .executeTakeFirstOrThrow()
  assert.equal(payment.status, 'paid')
  paidCase = { ...submitted, paymentReference: payment.reference }
})
after(async () => {
  await platform.close()
})

interface TestPayment {
  status: PaymentStatus
  amountCents: number
  provider: string
  refundedCents?: number
  serviceId?: string
  officeId?: string
  createdAt?: string
  paidAt?: string | null
  providerStatus?: string | null
  providerPaymentId?: string | null
  draftId?: string | null
  caseId?: string | null
  feeNoticeId?: string | null
  reference?: string
}

/** A payment row as the payments module would have booked it (test set-up on the real database). */
async function insertPayment(p: TestPayment) {
  const id = crypto.randomUUID()
  const reference = p.reference ?? `BH-T-${crypto.randomBytes(6).toString('hex').toUpperCase()}`
  const paid = p.status === 'paid' || p.status === 'refunded'
  await db()
    .insertInto('payments')
    .values({
      id,
      reference,
      service_id: p.serviceId ?? 'fuehrungszeugnis',
      office_id: p.officeId ?? 'buergerdienste',
      draft_id: p.draftId ?? null,
      case_id: p.caseId ?? null,
      account_id: null,
      amount_cents: p.amountCents,
      status: p.status,
      description: 'Test',
      provider: p.provider,
      provider_payment_id: p.providerPaymentId ?? `${p.provider}-${id}`,
      created_at: p.createdAt ?? new Date(),
      updated_at: new Date(),
      paid_at: p.paidAt !== undefined ? p.paidAt : paid ? new Date() : null,
      provider_status: p.providerStatus ?? null,
      provider_checked_at: p.providerStatus ? new Date() : null,
      refunded_cents: p.refundedCents ?? 0,
      fee_notice_id: p.feeNoticeId ?? null,
    })
    .execute()
  return { id, reference }
}

async function insertRefund(
  paymentId: string,
  amountCents: number,
  createdAt: string,
  status: 'succeeded' | 'pending' | 'failed' = 'succeeded',
) {
  const id = crypto.randomUUID()
  await db()
    .insertInto('payment_refunds')
    .values({ id, payment_id: paymentId, amount_cents: amountCents, reason: 'Test', status, created_at: createdAt })
    .execute()
  return id
}

async function insertFeeNotice(status: 'open' | 'paid' | 'cancelled', amountCents = 5000) {
  const id = crypto.randomUUID()
  const number = `KZ-T-${crypto.randomBytes(5).toString('hex').toUpperCase()}`
  await db()
    .insertInto('fee_notices')
    .values({
      id,
      number,
      case_id: paidCase.caseId,
      service_id: 'fuehrungszeugnis',
      office_id: 'buergerdienste',
      account_id: null,
      lines: JSON.stringify([
        { id: 'fee', label: { de: 'Gebühr', en: 'Fee' }, quantity: 1, unitCents: amountCents, totalCents: amountCents },
      ]),
      amount_cents: amountCents,
      due_on: '2026-02-01',
      status,
      paid_at: status === 'paid' ? new Date() : null,
    })
    .execute()
  return { id, number }
}

async function insertDraft() {
  const id = crypto.randomUUID()
  await db()
    .insertInto('drafts')
    .values({ id, service_id: 'fuehrungszeugnis', service_version: 1, answers: '{}' })
    .execute()
  return id
}

const uniqueProvider = (name: string) => `${name}-${crypto.randomBytes(3).toString('hex')}`
const references = (html: string) => [...html.matchAll(/data-payment="([^"]+)"/g)].map(m => m[1]!)
const plain = (s: string) => s.replace(/\s+/g, ' ').trim()

/** Count and amount of one row of the totals table: a status, or all. */
function statusTotal(html: string, status: string, attribute = 'data-status') {
  const row = new RegExp(`${attribute}="${status}">[\\s\\S]*?<td[^>]*>([^<]*)</td>\\s*<td[^>]*>([^<]*)</td>`).exec(html)
  return row ? { count: plain(row[1]!), amount: plain(row[2]!) } : null
}
const total = (html: string, kind: string) =>
  plain(new RegExp(`data-total="${kind}"[^>]*>([^<]*)<`).exec(html)?.[1] ?? '')

describe('who may open the treasury', () => {
  const urls = [
    '/backoffice/treasury',
    '/backoffice/treasury/export.csv',
    '/backoffice/treasury/export.camt054.xml',
    '/backoffice/treasury/discrepancies',
  ]

  it('sends anonymous visitors and citizens to the staff login', async () => {
    const anonymous = new TestBrowser(platform)
    const citizen = await citizenBrowser(platform)
    for (const browser of [anonymous, citizen]) {
      for (const url of urls) {
        const res = await browser.get(url)
        assert.equal(res.statusCode, 303, url)
        assert.match(String(res.headers.location), /^\/backoffice\/login\?return=/)
      }
    }
  })

  it('refuses caseworkers and team leads of any office, office admins and the platform admin with 403', async () => {
    const refused = [
      await staffBrowser(platform, 'buergerdienste'),
      await staffBrowser(platform, TREASURY_OFFICE),
      await staffBrowser(platform, TREASURY_OFFICE, 'team_lead'),
      await staffBrowser(platform, 'ordnungsamt', 'team_lead'),
      await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_OFFICE_ADMIN),
      await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_ADMIN),
    ]
    for (const browser of refused) {
      for (const url of urls) {
        const res = await browser.get(url)
        assert.equal(res.statusCode, 403, url)
        assert.ok(!res.body.includes(paidCase.paymentReference), `${url} shows a payment`)
      }
    }
  })

  it('opens every treasury page to the treasury, and shows its link in the navigation', async () => {
    for (const url of urls) assert.equal((await kasse.get(url)).statusCode, 200, url)
    const page = await kasse.get('/backoffice/treasury')
    assert.match(page.body, /href="\/backoffice\/treasury"/)
    assert.ok(page.body.includes(paidCase.paymentReference))
  })

  it('gives the treasury no case file and no inbox: its start page is the ledger', async () => {
    assert.equal((await kasse.get(`/backoffice/cases/${paidCase.caseId}`)).statusCode, 404)
    const start = await kasse.get('/backoffice')
    assert.equal(start.statusCode, 303)
    assert.equal(start.headers.location, '/backoffice/treasury')
  })

  it('lets only the platform admin grant the treasury role, and names it in the staff list', async () => {
    const someone = (
      await db()
        .selectFrom('staff')
        .select('id')
        .where('email', '=', 'sb.buergerdienste@stadt.example')
        .executeTakeFirstOrThrow()
    ).id
    const officeAdmin = await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_OFFICE_ADMIN)
    await officeAdmin.get('/backoffice/admin/staff')
    assert.equal(
      (
        await officeAdmin.post(`/backoffice/admin/staff/${someone}/roles`, {
          officeId: 'buergerdienste',
          role: 'treasury',
        })
      ).statusCode,
      403,
    )
    const root = await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_ADMIN)
    const list = await root.get(`/backoffice/admin/staff?office=${TREASURY_OFFICE}`)
    assert.match(list.body, /Karl Kasse/)
    assert.match(list.body, />Stadtkasse</)
  })
})

describe('the list: filters and totals', () => {
  const provider = uniqueProvider('testkasse')
  const rows: Record<string, { id: string; reference: string }> = {}

  before(async () => {
    // 23:30 UTC on 10 January is 00:30 on 11 January in Germany.
    rows.a = await insertPayment({
      provider,
      status: 'paid',
      amountCents: 1000,
      createdAt: '2026-01-10T23:30:00Z',
      paidAt: '2026-01-10T23:35:00Z',
    })
    rows.b = await insertPayment({
      provider,
      status: 'paid',
      amountCents: 2550,
      refundedCents: 550,
      createdAt: '2026-01-12T09:00:00Z',
      paidAt: '2026-01-12T09:05:00Z',
    })
    await insertRefund(rows.b.id, 550, '2026-01-20T10:00:00Z')
    rows.c = await insertPayment({
      provider,
      status: 'refunded',
      amountCents: 700,
      refundedCents: 700,
      createdAt: '2026-01-13T09:00:00Z',
      paidAt: '2026-01-13T09:05:00Z',
    })
    await insertRefund(rows.c.id, 700, '2026-01-21T10:00:00Z')
    rows.d = await insertPayment({ provider, status: 'open', amountCents: 300, createdAt: '2026-01-14T09:00:00Z' })
    rows.e = await insertPayment({ provider, status: 'failed', amountCents: 400, createdAt: '2026-01-15T09:00:00Z' })
    rows.f = await insertPayment({
      provider,
      status: 'cancelled',
      amountCents: 250,
      serviceId: 'hundesteuer-anmeldung',
      officeId: TREASURY_OFFICE,
      createdAt: '2026-01-16T09:00:00Z',
    })
  })

  it('sums count and amount per status and the net received, over the whole filtered set', async () => {
    const page = await kasse.get(`/backoffice/treasury?provider=${provider}`)
    assert.equal(page.statusCode, 200)
    assert.deepEqual(statusTotal(page.body, 'paid'), { count: '2', amount: '35,50 €' })
    assert.deepEqual(statusTotal(page.body, 'refunded'), { count: '1', amount: '7,00 €' })
    assert.deepEqual(statusTotal(page.body, 'open'), { count: '1', amount: '3,00 €' })
    assert.deepEqual(statusTotal(page.body, 'failed'), { count: '1', amount: '4,00 €' })
    assert.deepEqual(statusTotal(page.body, 'cancelled'), { count: '1', amount: '2,50 €' })
    assert.equal(statusTotal(page.body, 'pending'), null)
    assert.deepEqual(statusTotal(page.body, 'all', 'data-total'), { count: '6', amount: '52,00 €' })
    assert.equal(total(page.body, 'received'), '42,50 €')
    assert.equal(total(page.body, 'refunded'), '12,50 €')
    assert.equal(total(page.body, 'net'), '30,00 €')
    assert.deepEqual(
      references(page.body),
      [rows.f, rows.e, rows.d, rows.c, rows.b, rows.a].map(r => r!.reference),
    )
    assert.match(page.body, /Führungszeugnis/)
    assert.match(page.body, /Stadtkasse und Steueramt/)
  })

  it('filters by several statuses, service, office and refunds', async () => {
    const byStatus = await kasse.get(`/backoffice/treasury?provider=${provider}&status=paid&status=refunded`)
    assert.deepEqual(references(byStatus.body).sort(), [rows.a, rows.b, rows.c].map(r => r!.reference).sort())
    assert.match(byStatus.body, /id="status-paid" name="status" value="paid" checked/)
    const one = await kasse.get(`/backoffice/treasury?provider=${provider}&status=open`)
    assert.deepEqual(references(one.body), [rows.d!.reference])
    const byService = await kasse.get(`/backoffice/treasury?provider=${provider}&service=hundesteuer-anmeldung`)
    assert.deepEqual(references(byService.body), [rows.f!.reference])
    const byOffice = await kasse.get(`/backoffice/treasury?provider=${provider}&office=buergerdienste`)
    assert.equal(references(byOffice.body).length, 5)
    const withRefunds = await kasse.get(`/backoffice/treasury?provider=${provider}&refunds=1`)
    assert.deepEqual(
      references(withRefunds.body),
      [rows.c, rows.b].map(r => r!.reference),
    )
    assert.equal(total(withRefunds.body, 'net'), '20,00 €')
  })

  it('reads the date range as whole days in Germany, both inclusive', async () => {
    const day11 = await kasse.get(`/backoffice/treasury?provider=${provider}&from=2026-01-11&to=2026-01-11`)
    assert.deepEqual(references(day11.body), [rows.a!.reference])
    const day10 = await kasse.get(`/backoffice/treasury?provider=${provider}&to=2026-01-10`)
    assert.deepEqual(references(day10.body), [])
    const range = await kasse.get(`/backoffice/treasury?provider=${provider}&from=2026-01-12&to=2026-01-14`)
    assert.deepEqual(
      references(range.body),
      [rows.d, rows.c, rows.b].map(r => r!.reference),
    )
  })

  it('finds payments by payment reference, fee notice number or case reference', async () => {
    const byReference = await kasse.get(`/backoffice/treasury?q=${encodeURIComponent(rows.b!.reference.toLowerCase())}`)
    assert.deepEqual(references(byReference.body), [rows.b!.reference])
    const notice = await insertFeeNotice('paid')
    const noticePayment = await insertPayment({
      provider,
      status: 'paid',
      amountCents: 5000,
      feeNoticeId: notice.id,
      createdAt: '2026-01-17T09:00:00Z',
    })
    const byNotice = await kasse.get(`/backoffice/treasury?q=${notice.number}`)
    assert.deepEqual(references(byNotice.body), [noticePayment.reference])
    assert.ok(byNotice.body.includes(notice.number))
    const byCase = await kasse.get(`/backoffice/treasury?q=${paidCase.reference}`)
    assert.deepEqual(references(byCase.body), [paidCase.paymentReference])
    assert.ok(byCase.body.includes(paidCase.reference), 'the case reference is shown')
    assert.ok(
      !byCase.body.includes(`/backoffice/cases/${paidCase.caseId}`),
      'but not linked: the treasury opens no case file',
    )
    await db().deleteFrom('payments').where('id', '=', noticePayment.id).execute()
  })

  it('refuses malformed filters and cursors with 400, never 500', async () => {
    for (const url of [
      '/backoffice/treasury?status=unknown',
      '/backoffice/treasury?from=2026-13-01',
      '/backoffice/treasury?after=nonsense',
      `/backoffice/treasury?after=${Buffer.from('["2026-01-01","x"]').toString('base64url')}`,
      '/backoffice/treasury/export.csv?refunds=yes',
    ]) {
      assert.equal((await kasse.get(url)).statusCode, 400, url)
    }
    assert.ok((await kasse.get('/backoffice/treasury?q=%00')).statusCode < 500)
  })
})

describe('keyset paging', () => {
  it('walks 120 payments in pages of 50 without skipping or repeating, also within one millisecond', async () => {
    const provider = uniqueProvider('paging')
    // Groups of rows share a created_at; others differ by microseconds only, which a JS Date cannot tell apart.
    for (let i = 0; i < 120; i++) {
      const micros = String(i % 7).padStart(3, '0')
      await insertPayment({
        provider,
        status: 'open',
        amountCents: 100 + i,
        createdAt: `2026-02-01T10:00:0${Math.floor(i / 40)}.123${micros}Z`,
      })
    }
    const expected = (
      await db()
        .selectFrom('payments')
        .select('reference')
        .where('provider', '=', provider)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute()
    ).map(r => r.reference)
    const seen: string[] = []
    const sizes: number[] = []
    let url: string | null = `/backoffice/treasury?provider=${provider}`
    while (url) {
      const page = await kasse.get(url)
      assert.equal(page.statusCode, 200)
      const refs = references(page.body)
      sizes.push(refs.length)
      seen.push(...refs)
      const next = /<a class="kern-link" rel="next" href="([^"]+)"/.exec(page.body)?.[1]
      url = next ? next.replace(/&amp;/g, '&') : null
      if (next) assert.match(url!, new RegExp(`provider=${provider}`), 'the next page keeps the filters')
    }
    assert.deepEqual(sizes, [50, 50, 20])
    assert.deepEqual(seen, expected)
    const last = await kasse.get(`/backoffice/treasury?provider=${provider}`)
    assert.equal(statusTotal(last.body, 'open')?.count, '120', 'totals cover every page')
  })
})

/** RFC 4180 with ";" as separator: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ';') {
      record.push(field)
      field = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
      i++
    } else field += c
  }
  assert.equal(field + record.join(''), '', 'the file ends with CRLF')
  return records
}

describe('CSV export', () => {
  it('writes UTF-8 with BOM, ";" and CRLF, the fixed header, cents and euros, quoting and a guard against formulas', async () => {
    const provider = uniqueProvider('csv')
    const formula = await insertPayment({
      provider,
      status: 'open',
      amountCents: 1234,
      providerPaymentId: '=HYPERLINK("http://evil.example","x")',
      createdAt: '2026-03-01T09:00:00Z',
    })
    const plus = await insertPayment({
      provider,
      status: 'paid',
      amountCents: 250000,
      providerPaymentId: '+49 123; "quoted"',
      providerStatus: '@SUM(A1)',
      createdAt: '2026-03-29T01:30:00Z',
      paidAt: '2026-03-29T01:31:00Z',
    })
    const res = await kasse.get(`/backoffice/treasury/export.csv?provider=${provider}`)
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/)
    assert.match(
      String(res.headers['content-disposition']),
      /^attachment; filename="zahlungen-\d{4}-\d{2}-\d{2}\.csv"$/,
    )
    const bytes = res.rawPayload
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark')
    const records = parseCsv(bytes.subarray(3).toString('utf8'))
    assert.deepEqual(records[0], [...CSV_COLUMNS])
    assert.equal(records.length, 3)
    const byRef = new Map(records.slice(1).map(r => [r[0], Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]]))]))
    const f = byRef.get(formula.reference)!
    assert.equal(f.provider_payment_id, `'=HYPERLINK("http://evil.example","x")`)
    assert.equal(f.amount_cents, '1234')
    assert.equal(f.amount_eur, '12,34')
    assert.equal(f.paid_at, '')
    assert.equal(f.created_at, '2026-03-01T10:00:00+01:00')
    assert.equal(f.service, 'Führungszeugnis beantragen')
    const p = byRef.get(plus.reference)!
    assert.equal(p.provider_payment_id, `'+49 123; "quoted"`)
    assert.equal(p.provider_status, `'@SUM(A1)`)
    assert.equal(p.amount_eur, '2500,00')
    assert.equal(p.paid_at, '2026-03-29T03:31:00+02:00', 'summer time begins that night')
    assert.ok(bytes.toString('utf8').includes(`"'+49 123; ""quoted"""`), 'quotes doubled inside a quoted field')
  })
})

describe('camt.054 booking export', () => {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    isArray: name => name === 'Ntry',
  })
  type Entry = {
    NtryRef: string
    Amt: { '#text': string; '@Ccy': string }
    CdtDbtInd: string
    BookgDt: { Dt: string }
    Sts: { Cd: string }
    AcctSvcrRef: string
    NtryDtls: { TxDtls: { Refs: { EndToEndId: string }; RmtInf: { Ustrd: string } } }
    AddtlNtryInf: string
  }

  async function camt(query: string) {
    const res = await kasse.get(`/backoffice/treasury/export.camt054.xml?${query}`)
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^application\/xml/)
    assert.equal(XMLValidator.validate(res.body), true, 'well-formed XML')
    const doc = parser.parse(res.body) as {
      Document: {
        '@xmlns': string
        BkToCstmrDbtCdtNtfctn: {
          GrpHdr: { MsgId: string }
          Ntfctn: {
            Acct: { Id: { Othr: { Id: string } } }
            TxsSummry: {
              TtlNtries: { NbOfNtries: string; Sum: string; TtlNetNtry: { Amt: string; CdtDbtInd: string } }
              TtlCdtNtries: { NbOfNtries: string; Sum: string }
              TtlDbtNtries: { NbOfNtries: string; Sum: string }
            }
            Ntry?: Entry[]
          }
        }
      }
    }
    assert.equal(doc.Document['@xmlns'], CAMT054_NAMESPACE)
    const n = doc.Document.BkToCstmrDbtCdtNtfctn.Ntfctn
    const entries = n.Ntry ?? []
    // The summary always agrees with the entries.
    const sum = (dir: string) =>
      entries.filter(e => e.CdtDbtInd === dir).reduce((s, e) => s + Math.round(Number(e.Amt['#text']) * 100), 0)
    assert.equal(Number(n.TxsSummry.TtlCdtNtries.NbOfNtries), entries.filter(e => e.CdtDbtInd === 'CRDT').length)
    assert.equal(Math.round(Number(n.TxsSummry.TtlCdtNtries.Sum) * 100), sum('CRDT'))
    assert.equal(Math.round(Number(n.TxsSummry.TtlDbtNtries.Sum) * 100), sum('DBIT'))
    assert.equal(Number(n.TxsSummry.TtlNtries.NbOfNtries), entries.length)
    return { notification: n, entries, res }
  }

  it('books each payment received as CRDT and each refund paid out as DBIT, with sums, references and booking days', async () => {
    const provider = uniqueProvider('camt')
    const notice = await insertFeeNotice('paid', 4200)
    const a = await insertPayment({
      provider,
      status: 'paid',
      amountCents: 4200,
      feeNoticeId: notice.id,
      caseId: paidCase.caseId,
      createdAt: '2026-04-01T08:00:00Z',
      paidAt: '2026-04-01T22:30:00Z',
    })
    const b = await insertPayment({
      provider,
      status: 'refunded',
      amountCents: 1300,
      refundedCents: 1300,
      createdAt: '2026-04-02T08:00:00Z',
      paidAt: '2026-04-02T08:01:00Z',
    })
    await insertRefund(b.id, 1300, '2026-04-05T10:00:00Z')
    await insertRefund(b.id, 999, '2026-04-05T11:00:00Z', 'failed')
    await insertPayment({ provider, status: 'open', amountCents: 777, createdAt: '2026-04-03T08:00:00Z' })
    const { notification, entries } = await camt(`provider=${provider}`)
    assert.equal(notification.Acct.Id.Othr.Id, 'BAUHAUS-EPAYMENT')
    assert.deepEqual(
      entries.map(e => [e.NtryRef, e.CdtDbtInd, e.Amt['#text'], e.Amt['@Ccy'], e.BookgDt.Dt, e.Sts.Cd]),
      [
        [a.reference, 'CRDT', '42.00', 'EUR', '2026-04-02', 'BOOK'],
        [b.reference, 'CRDT', '13.00', 'EUR', '2026-04-02', 'BOOK'],
        [b.reference, 'DBIT', '13.00', 'EUR', '2026-04-05', 'BOOK'],
      ],
    )
    assert.equal(notification.TxsSummry.TtlCdtNtries.Sum, '55.00')
    assert.equal(notification.TxsSummry.TtlDbtNtries.Sum, '13.00')
    assert.equal(notification.TxsSummry.TtlNtries.Sum, '68.00')
    assert.deepEqual(notification.TxsSummry.TtlNtries.TtlNetNtry, { Amt: '42.00', CdtDbtInd: 'CRDT' })
    assert.equal(
      entries[0]!.NtryDtls.TxDtls.RmtInf.Ustrd,
      `${notice.number} ${paidCase.reference} fuehrungszeugnis`,
      'the Kassenzeichen first',
    )
    assert.equal(entries[0]!.NtryDtls.TxDtls.Refs.EndToEndId, a.reference)
    assert.equal(entries[0]!.AcctSvcrRef, a.id.replace(/-/g, ''))
  })

  it('selects by booking day: a refund weeks later is in that day’s export, its payment is not', async () => {
    const provider = uniqueProvider('camtday')
    const p = await insertPayment({
      provider,
      status: 'paid',
      amountCents: 2000,
      refundedCents: 500,
      createdAt: '2026-05-01T08:00:00Z',
      paidAt: '2026-05-01T08:01:00Z',
    })
    await insertRefund(p.id, 500, '2026-05-20T12:00:00Z')
    const day = await camt(`provider=${provider}&from=2026-05-20&to=2026-05-20`)
    assert.deepEqual(
      day.entries.map(e => [e.CdtDbtInd, e.Amt['#text']]),
      [['DBIT', '5.00']],
    )
    assert.deepEqual(day.notification.TxsSummry.TtlNtries.TtlNetNtry, { Amt: '5.00', CdtDbtInd: 'DBIT' })
    const first = await camt(`provider=${provider}&from=2026-05-01&to=2026-05-01`)
    assert.deepEqual(
      first.entries.map(e => [e.CdtDbtInd, e.Amt['#text']]),
      [['CRDT', '20.00']],
    )
    const none = await camt(`provider=${provider}&from=2026-06-01&to=2026-06-30`)
    assert.equal(none.entries.length, 0)
    assert.equal(none.notification.TxsSummry.TtlNtries.Sum, '0.00')
  })

  it('escapes what a provider sent, so the file stays well-formed', async () => {
    const provider = uniqueProvider('camtesc')
    await insertPayment({ provider, status: 'paid', amountCents: 100, providerPaymentId: `x<&>"'y\u0001z` })
    const { entries } = await camt(`provider=${provider}`)
    assert.equal(entries[0]!.AddtlNtryInf, `${provider} x<&>"'yz`)
  })
})

describe('discrepancies', () => {
  it('lists each kind once, with what to do, and leaves clean payments out', async () => {
    const provider = uniqueProvider('disc')
    const paidAtProvider = await insertPayment({ provider, status: 'open', amountCents: 1100, providerStatus: 'paid' })
    const notAtProvider = await insertPayment({ provider, status: 'paid', amountCents: 1200, providerStatus: 'failed' })
    const agreed = await insertPayment({ provider, status: 'paid', amountCents: 1300, providerStatus: 'paid' })
    const lostApplication = await insertPayment({
      provider,
      status: 'paid',
      amountCents: 1400,
      draftId: await insertDraft(),
      paidAt: new Date(Date.now() - 45 * 60_000).toISOString(),
    })
    const stillSubmitting = await insertPayment({
      provider,
      status: 'paid',
      amountCents: 1500,
      draftId: await insertDraft(),
      paidAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    })
    const openNotice = await insertFeeNotice('open')
    const openNoticePayment = await insertPayment({
      provider,
      status: 'paid',
      amountCents: 5000,
      feeNoticeId: openNotice.id,
    })
    const paidNotice = await insertFeeNotice('paid')
    const settledNotice = await insertFeeNotice('paid')
    await insertPayment({ provider, status: 'paid', amountCents: 5000, feeNoticeId: settledNotice.id })
    const withdrawnNotice = await insertFeeNotice('cancelled')
    await insertPayment({ provider, status: 'paid', amountCents: 5000, feeNoticeId: withdrawnNotice.id })
    const paidTwice = await insertFeeNotice('paid')
    await insertPayment({ provider, status: 'paid', amountCents: 5000, feeNoticeId: paidTwice.id })
    await insertPayment({ provider, status: 'paid', amountCents: 5000, feeNoticeId: paidTwice.id })

    const page = await kasse.get('/backoffice/treasury/discrepancies')
    assert.equal(page.statusCode, 200)
    const kinds = [
      'paidAtProviderOnly',
      'paidInOurBookOnly',
      'paidWithoutCase',
      'openNoticePaid',
      'paidNoticeWithoutPayment',
    ] as const
    const section = (kind: string) =>
      new RegExp(`<section[^>]*data-kind="${kind}"[^>]*>([\\s\\S]*?)</section>`).exec(page.body)?.[1] ?? ''
    const expected: [(typeof kinds)[number], string][] = [
      ['paidAtProviderOnly', `data-payment="${paidAtProvider.reference}"`],
      ['paidInOurBookOnly', `data-payment="${notAtProvider.reference}"`],
      ['paidWithoutCase', `data-payment="${lostApplication.reference}"`],
      ['openNoticePaid', `data-fee-notice="${openNotice.number}"`],
      ['paidNoticeWithoutPayment', `data-fee-notice="${paidNotice.number}"`],
    ]
    for (const [kind, marker] of expected) {
      assert.deepEqual(
        kinds.filter(k => section(k).includes(marker)),
        [kind],
        `${marker} is listed as ${kind} only`,
      )
    }
    assert.ok(
      section('openNoticePaid').includes(openNoticePayment.reference),
      'the payment that paid the open notice is named',
    )
    assert.ok(
      section('openNoticePaid').includes(`data-fee-notice="${withdrawnNotice.number}"`),
      'a withdrawn notice that was paid all the same',
    )
    assert.ok(section('openNoticePaid').includes(`data-fee-notice="${paidTwice.number}"`), 'a notice paid twice')
    assert.ok(!page.body.includes(settledNotice.number), 'a paid notice with its payment is no discrepancy')
    for (const clean of [agreed.reference, stillSubmitting.reference, paidCase.paymentReference]) {
      assert.ok(!page.body.includes(clean), `${clean} is no discrepancy`)
    }
    assert.match(section('paidWithoutCase'), /Was zu tun ist:/)
    assert.match(section('paidWithoutCase'), /30 Minuten/)
  })

  it('speaks English too', async () => {
    const english = new TestBrowser(platform, 'en')
    await english.get('/backoffice/login')
    await english.post('/backoffice/login', { email: DEMO_TREASURY, password: DEMO_PASSWORD })
    const page = await english.get('/backoffice/treasury/discrepancies')
    assert.match(page.body, /Money taken, but no application/)
    assert.match(page.body, /What to do:/)
  })
})

describe('audit', () => {
  it('records who opened the list, exported and read the discrepancies, with the filters', async () => {
    const staffId = (
      await db().selectFrom('staff').select('id').where('email', '=', DEMO_TREASURY).executeTakeFirstOrThrow()
    ).id
    const since =
      (
        await db()
          .selectFrom('audit_log')
          .select(eb => eb.fn.max('id').as('max'))
          .executeTakeFirstOrThrow()
      ).max ?? 0
    await kasse.get('/backoffice/treasury?provider=audit-check&status=paid')
    await kasse.get('/backoffice/treasury/export.csv?provider=audit-check')
    await kasse.get('/backoffice/treasury/export.camt054.xml?provider=audit-check')
    await kasse.get('/backoffice/treasury/discrepancies')
    const rows = await db()
      .selectFrom('audit_log')
      .select(['action', 'actor_staff_id', 'office_id', 'details', 'subject_type'])
      .where('id', '>', Number(since))
      .where('action', 'like', 'treasury.%')
      .orderBy('id')
      .execute()
    assert.deepEqual(
      rows.map(r => r.action),
      ['treasury.list', 'treasury.export', 'treasury.export', 'treasury.discrepancies'],
    )
    for (const row of rows) {
      assert.equal(row.actor_staff_id, staffId)
      assert.equal(row.office_id, TREASURY_OFFICE)
      assert.equal(row.subject_type, 'treasury')
    }
    const details = rows.map(r => r.details as { filters?: Record<string, unknown>; format?: string })
    assert.deepEqual(details[0]!.filters, { provider: 'audit-check', status: ['paid'] })
    assert.deepEqual([details[1]!.format, details[2]!.format], ['csv', 'camt.054.001.08'])
  })
})
