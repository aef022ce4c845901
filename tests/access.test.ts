import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser, staffBrowser, submitCase } from './support/casework.js'
import crypto from 'node:crypto'
import { DEMO_BUSINESS, DEMO_TREASURY } from '../src/seed.js'
import { findCase } from '../src/modules/cases/index.js'
import { issueFeeNotice } from '../src/modules/payments/index.js'

/**
 * The access matrix, for every registered route: a person who is not entitled to an object
 * never gets it — neither by link nor by guessing its id.
 */
let platform: TestPlatform
const ids: Record<string, string> = {}
let reference = ''
const secretSubject = 'Vertrauliche Rückfrage zur Akte'

before(async () => {
  platform = await startTestPlatform()
  const owner = await citizenBrowser(platform)
  const submitted = await submitCase(platform, owner, 'hundesteuer-anmeldung', { dangerousDog: 'section3' })
  reference = submitted.reference
  ids.caseId = submitted.caseId
  const db = platform.database.db
  ids.fileId = (await db.selectFrom('files').select('id').where('case_id', '=', submitted.caseId).executeTakeFirstOrThrow()).id
  const office = await staffBrowser(platform, 'stadtkasse-steueramt')
  await office.get(`/backoffice/cases/${submitted.caseId}`)
  await office.post(`/backoffice/cases/${submitted.caseId}/messages`, { subject: secretSubject, body: 'Bitte Nachweis senden.', requestsDocuments: 'yes' })
  ids.messageId = (await db.selectFrom('messages').select('id').where('case_id', '=', submitted.caseId).executeTakeFirstOrThrow()).id
  await owner.get('/services/hundesteuer-anmeldung')
  const draft = await owner.post('/services/hundesteuer-anmeldung/applications')
  ids.draftId = /\/applications\/([^/]+)\//.exec(String(draft.headers.location))![1]!
  ids.pageId = 'keeper'
  ids.id = (await db.selectFrom('mail_outbox').select('id').executeTakeFirstOrThrow()).id
  // A fee notice on the case and a paid payment of it, so the payment routes are tried with real ids too.
  const caseRecord = (await findCase(db, submitted.caseId))!
  const notice = await issueFeeNotice({ db, services: platform.app.services, config: platform.config }, {
    caseRecord, staff: null, dueOn: '2030-01-31', lines: [{ id: 'tax', label: { de: 'Gebühr', en: 'Fee' }, quantity: 1, unitCents: 1000, totalCents: 1000 }],
  })
  ids.noticeId = notice!.id
  ids.paymentId = crypto.randomUUID()
  await db.insertInto('payments').values({
    id: ids.paymentId, reference: 'BH-ACCESS-TEST', service_id: caseRecord.serviceId, office_id: caseRecord.officeId, case_id: caseRecord.id,
    fee_notice_id: notice!.id, amount_cents: 1000, status: 'paid', description: 'Test', provider: 'sandbox', provider_payment_id: crypto.randomUUID(),
  }).execute()
})
after(async () => { await platform.close() })

const concrete = (url: string) => url.replace(/:(\w+)/g, (_, name: string) => ids[name] ?? 'hundesteuer-anmeldung')
const isPrivate = (url: string) => url.startsWith('/account') || url.startsWith('/applications') || (url.startsWith('/backoffice') && !url.startsWith('/backoffice/login'))

async function outsiders() {
  const anonymous = new TestBrowser(platform)
  await anonymous.get('/services/hundesteuer-anmeldung')
  return {
    anonymous,
    'another citizen': await citizenBrowser(platform, DEMO_BUSINESS),
    'a caseworker of another office': await staffBrowser(platform, 'ordnungsamt'),
    'a team lead of another office': await staffBrowser(platform, 'buergerdienste', 'team_lead'),
    // Sees every office's payments, and no case file, not even of its own office.
    'the city treasury': await staffBrowser(platform, 'stadtkasse-steueramt', 'caseworker', DEMO_TREASURY),
  }
}

describe('access to other people’s data, route by route', () => {
  it('covers every private route of the app', () => {
    const privateRoutes = platform.app.routeList.filter((r) => isPrivate(r.url))
    assert.ok(privateRoutes.length >= 20, `${privateRoutes.length} private routes`)
  })

  it('never shows a case, message, file or draft to anyone but its owner and its office', async () => {
    const people = await outsiders()
    const leaks: string[] = []
    for (const route of platform.app.routeList.filter((r) => isPrivate(r.url))) {
      for (const [who, browser] of Object.entries(people)) {
        const url = concrete(route.url)
        const res = route.method === 'GET' ? await browser.get(url) : await browser.post(url, { subject: 'x', body: 'x', note: 'x', transitionId: 'start', assigneeId: ids.caseId! })
        const refused = [303, 400, 403, 404].includes(res.statusCode)
        const redirectsToLogin = res.statusCode === 303 && /\/(backoffice\/)?login/.test(String(res.headers.location))
        // The treasury is entitled to every payment, and a payment names its case; nothing else of the case.
        const entitled = who === 'the city treasury' && route.url.startsWith('/backoffice/treasury')
        const leaked = (!entitled && res.body.includes(reference)) || res.body.includes(secretSubject) || (res.statusCode === 200 && res.headers['content-type']?.toString().startsWith('application/pdf'))
        const hasObjectParam = /:(caseId|fileId|messageId|draftId|noticeId|paymentId)/.test(route.url)
        if (leaked) leaks.push(`${who} ${route.method} ${route.url} → ${res.statusCode} shows the data`)
        else if (hasObjectParam && !refused) leaks.push(`${who} ${route.method} ${route.url} → ${res.statusCode}`)
        else if (hasObjectParam && res.statusCode === 303 && !redirectsToLogin) leaks.push(`${who} ${route.method} ${route.url} → redirected to ${res.headers.location}`)
      }
    }
    assert.deepEqual(leaks, [])
  })

  it('changes nothing when outsiders post to the case', async () => {
    const db = platform.database.db
    const found = await db.selectFrom('cases').select(['status', 'assignee_id']).where('id', '=', ids.caseId!).executeTakeFirstOrThrow()
    assert.equal(found.status, 'submitted')
    assert.equal(found.assignee_id, null)
    const notes = await db.selectFrom('case_events').select('kind').where('case_id', '=', ids.caseId!).where('kind', 'in', ['note', 'claimed', 'transition']).execute()
    assert.deepEqual(notes, [])
  })

  it('lets the owner and the responsible office see it', async () => {
    const owner = await citizenBrowser(platform)
    assert.equal((await owner.get(`/account/applications/${ids.caseId}`)).statusCode, 200)
    assert.equal((await owner.get(`/account/files/${ids.fileId}`)).statusCode, 200)
    const office = await staffBrowser(platform, 'stadtkasse-steueramt')
    const view = await office.get(`/backoffice/cases/${ids.caseId}`)
    assert.equal(view.statusCode, 200)
    assert.ok(view.body.includes(reference))
  })
})

describe('filing at the counter', () => {
  it('lets staff file an application for a person without an account; the case names no account and shows who filed it', async () => {
    const staff = await staffBrowser(platform, 'stadtkasse-steueramt')
    const { caseId } = await submitCase(platform, staff, 'hundesteuer-anmeldung')
    const row = await platform.database.db.selectFrom('cases').select(['account_id', 'filed_by_staff_id']).where('id', '=', caseId).executeTakeFirstOrThrow()
    assert.equal(row.account_id, null)
    assert.ok(row.filed_by_staff_id)
    const view = await staff.get(`/backoffice/cases/${caseId}`)
    assert.equal(view.statusCode, 200)
    assert.match(view.body, /Schalter/)
  })
})

describe('demo data', () => {
  it('gives a first start cases in the inbox and a message in the demo citizen’s postbox', async () => {
    const demo = await startTestPlatform({ seedDemoCases: true })
    try {
      const office = await staffBrowser(demo, 'buergerdienste')
      const inbox = await office.get('/backoffice')
      assert.match(inbox.body, /DO-\d{4}-\d{6}/)
      const citizen = await citizenBrowser(demo)
      const postbox = await citizen.get('/account/postbox')
      assert.match(postbox.body, /Eingangsbestätigung/)
      const perService = await demo.database.db.selectFrom('cases').select('service_id').execute()
      assert.equal(new Set(perService.map((r) => r.service_id)).size, demo.app.services.all().length)
    } finally {
      await demo.close()
    }
  })
})
