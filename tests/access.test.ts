import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { samplePdf, startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { caseVersion, citizenBrowser, staffBrowser, submitCase } from './support/casework.js'
import crypto from 'node:crypto'
import * as Y from 'yjs'
import {
  DEMO_ADMIN,
  DEMO_BUSINESS,
  DEMO_BUSINESS_OWNER,
  DEMO_CLUB,
  DEMO_CLUB_CLERK,
  DEMO_CLUB_OWNER,
  DEMO_COUNTER,
  DEMO_OFFICE_ADMIN,
  DEMO_TREASURY,
} from '../src/seed.js'
import { findCase } from '../src/modules/cases/index.js'
import { issueFeeNotice } from '../src/modules/payments/index.js'
import { addDays, dayInCity } from '../src/platform/calendar/index.js'
import { createApiKey } from '../src/modules/open311/index.js'
import { cityInstant, reserve } from '../src/modules/booking/index.js'
import { setBrowserAssurance, TEST_PROVIDER } from './support/assurance.js'

/**
 * The access matrix, for every registered route: a person who is not entitled to an object
 * never gets it — neither by link nor by guessing its id.
 */
let platform: TestPlatform
const MANDATES_OFFICE = 'standesamt'
const ids: Record<string, string> = {}
let reference = ''
let statementFileId = ''
const secretSubject = 'Vertrauliche Rückfrage zur Akte'

before(async () => {
  // Mandates are checked by an office none of the outsiders below works in.
  platform = await startTestPlatform({ mandatesOffice: MANDATES_OFFICE })
  const owner = await citizenBrowser(platform)
  const submitted = await submitCase(platform, owner, 'hundesteuer-anmeldung', { dangerousDog: 'section3' })
  reference = submitted.reference
  ids.caseId = submitted.caseId
  const db = platform.database.db
  ids.fileId = (
    await db.selectFrom('files').select('id').where('case_id', '=', submitted.caseId).executeTakeFirstOrThrow()
  ).id
  // The uploaded permit as a document of the electronic case file, so its routes are tried with real ids too.
  ids.documentId = (
    await db
      .selectFrom('file_documents')
      .select('id')
      .where('case_id', '=', submitted.caseId)
      .where('kind', '=', 'attachment')
      .executeTakeFirstOrThrow()
  ).id
  ids.version = '1'
  const office = await staffBrowser(platform, 'stadtkasse-steueramt')
  await office.get(`/backoffice/cases/${submitted.caseId}`)
  await office.post(`/backoffice/cases/${submitted.caseId}/messages`, {
    subject: secretSubject,
    body: 'Bitte Nachweis senden.',
    requestsDocuments: 'yes',
    version: await caseVersion(office, submitted.caseId),
  })
  ids.messageId = (
    await db.selectFrom('messages').select('id').where('case_id', '=', submitted.caseId).executeTakeFirstOrThrow()
  ).id
  await owner.get('/services/hundesteuer-anmeldung')
  const draft = await owner.post('/services/hundesteuer-anmeldung/applications')
  ids.draftId = /\/applications\/([^/]+)\//.exec(String(draft.headers.location))![1]!
  ids.pageId = 'keeper'
  ids.id = (await db.selectFrom('mail_outbox').select('id').executeTakeFirstOrThrow()).id
  // A fee notice on the case and a paid payment of it, so the payment routes are tried with real ids too.
  const caseRecord = (await findCase(db, submitted.caseId))!
  const notice = await issueFeeNotice(
    { db, services: platform.app.services, config: platform.config },
    {
      caseRecord,
      staff: null,
      dueOn: '2030-01-31',
      lines: [{ id: 'tax', label: { de: 'Gebühr', en: 'Fee' }, quantity: 1, unitCents: 1000, totalCents: 1000 }],
    },
  )
  ids.noticeId = notice!.id
  // An office involved in the case (Beteiligung), with a statement and its document, so those routes get real ids.
  // The involved office (Umweltamt) is entitled to read the case; none of the outsiders below belongs to it.
  await office.get(`/backoffice/cases/${submitted.caseId}`)
  await office.post(`/backoffice/cases/${submitted.caseId}/involvements`, {
    officeId: 'umweltamt',
    task: 'Gefährdung durch den Hund prüfen',
    dueOn: addDays(dayInCity(new Date()), 30),
  })
  ids.involvementId = (
    await db
      .selectFrom('case_involvements')
      .select('id')
      .where('case_id', '=', submitted.caseId)
      .executeTakeFirstOrThrow()
  ).id
  const involved = await staffBrowser(platform, 'umweltamt')
  const involvedPage = await involved.get(`/backoffice/cases/${submitted.caseId}`)
  const statementVersion = /\/statement"[^>]*>[\s\S]*?name="version" value="(\d+)"/.exec(involvedPage.body)![1]!
  await involved.post(
    `/backoffice/cases/${submitted.caseId}/involvements/${ids.involvementId}/statement`,
    { statement: secretSubject, action: 'answer', version: statementVersion },
    {
      files: [
        { field: 'documents', filename: 'stellungnahme.pdf', content: samplePdf, contentType: 'application/pdf' },
      ],
    },
  )
  statementFileId = (
    await db
      .selectFrom('case_involvement_files')
      .select('file_id')
      .where('involvement_id', '=', ids.involvementId)
      .executeTakeFirstOrThrow()
  ).file_id
  // A notice draft on the case (the service has no templates, so it is stored directly), holding the secret text.
  ids.noticeDraftId = crypto.randomUUID()
  const noticeDoc = new Y.Doc()
  noticeDoc.getText('body').insert(0, secretSubject)
  await db
    .insertInto('notice_drafts')
    .values({
      id: ids.noticeDraftId,
      case_id: submitted.caseId,
      template_id: 'test',
      locale: 'de',
      title: 'Bescheid',
      body: secretSubject,
      yjs_state: Buffer.from(Y.encodeStateAsUpdate(noticeDoc)),
      created_by: (
        await db
          .selectFrom('staff')
          .select('id')
          .where('email', '=', 'sb.stadtkasse-steueramt@stadt.example')
          .executeTakeFirstOrThrow()
      ).id,
    })
    .execute()
  ids.paymentId = crypto.randomUUID()
  await db
    .insertInto('payments')
    .values({
      id: ids.paymentId,
      reference: 'BH-ACCESS-TEST',
      service_id: caseRecord.serviceId,
      office_id: caseRecord.officeId,
      case_id: caseRecord.id,
      fee_notice_id: notice!.id,
      amount_cents: 1000,
      status: 'paid',
      description: 'Test',
      provider: 'sandbox',
      provider_payment_id: crypto.randomUUID(),
    })
    .execute()
  // An Open311 API key, so the routes that revoke one are tried with a real id; only a platform admin may.
  const platformAdmin = await db
    .selectFrom('staff')
    .select(['id', 'email', 'name'])
    .where('email', '=', 'admin@stadt.example')
    .executeTakeFirstOrThrow()
  ids.keyId = (await createApiKey(db, { ...platformAdmin, roles: [] }, 'Zugriffstest')).id
  // A mandate of the owner, pending, whose confirmation link went to the business owner's address; and the demo
  // business with its owner's membership (the company's own account is one of the outsiders and entitled to it).
  await owner.get('/account/mandates/new')
  await owner.post(
    '/account/mandates',
    {
      kind: 'authorised',
      givenName: 'Otto',
      familyName: secretSubject,
      birthDate: '1950-01-01',
      principalEmail: DEMO_BUSINESS_OWNER,
    },
    { files: [{ field: 'proof', filename: 'vollmacht.pdf', content: samplePdf, contentType: 'application/pdf' }] },
  )
  ids.mandateId = (await db.selectFrom('mandates').select('id').executeTakeFirstOrThrow()).id
  const confirmMail = await db
    .selectFrom('mail_outbox')
    .select('body_text')
    .where('recipient', '=', DEMO_BUSINESS_OWNER)
    .executeTakeFirstOrThrow()
  ids.token = /confirm\/([A-Za-z0-9_-]{43})/.exec(confirmMail.body_text)![1]!
  ids.businessId = (
    await db.selectFrom('accounts').select('id').where('email', '=', DEMO_BUSINESS).executeTakeFirstOrThrow()
  ).id
  ids.memberId = (
    await db
      .selectFrom('business_members')
      .select('id')
      .where('business_account_id', '=', ids.businessId)
      .executeTakeFirstOrThrow()
  ).id
  // A video appointment of the owner and a calendar feed at a desk of an office none of the outsiders works in
  // (Amt für Wohnen), held by a person named like the secret, so the booking and call routes are tried with real ids.
  let day = addDays(dayInCity(platform.clock.now()), 3)
  while (new Date(`${day}T12:00:00Z`).getUTCDay() !== 1) day = addDays(day, 1)
  ids.bookingId = (
    await reserve(
      db,
      platform.app.resources,
      {
        resourceId: 'video-wohnen',
        purpose: 'video',
        start: cityInstant(day, 9 * 60)!,
        minutes: 30,
        concern: 'wohngeld-beratung',
        accountId: caseRecord.accountId ?? undefined,
        person: { name: secretSubject, email: 'geheim@example.org' },
        bookedBy: (
          await db
            .selectFrom('staff')
            .select('id')
            .where('email', '=', 'sb.amt-fuer-wohnen@stadt.example')
            .executeTakeFirstOrThrow()
        ).id,
      },
      platform.clock.now(),
    )
  ).booking.id
  const wohnen = await staffBrowser(platform, 'amt-fuer-wohnen')
  await wohnen.get('/backoffice/termine/kalender-abos')
  await wohnen.post('/backoffice/termine/kalender-abos', { resource: 'video-wohnen', label: secretSubject })
  ids.feedId = (await db.selectFrom('booking_feeds').select('id').executeTakeFirstOrThrow()).id
})
after(async () => {
  await platform.close()
})

// A notice draft's routes say :noticeId too (the fee notice's id elsewhere): they get the draft's id.
const concrete = (url: string) =>
  url.replace(
    /:(\w+)/g,
    (_, name: string) =>
      (name === 'noticeId' && url.includes('/notices/:noticeId') ? ids.noticeDraftId : ids[name]) ??
      'hundesteuer-anmeldung',
  )
const isPrivate = (url: string) =>
  url.startsWith('/account') ||
  url.startsWith('/video') ||
  url.startsWith('/applications') ||
  (url.startsWith('/backoffice') && !url.startsWith('/backoffice/login'))

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
    const privateRoutes = platform.app.routeList.filter(r => isPrivate(r.url))
    assert.ok(privateRoutes.length >= 20, `${privateRoutes.length} private routes`)
  })

  it('never shows a case, message, file or draft to anyone but its owner and its office', async () => {
    const people = await outsiders()
    const leaks: string[] = []
    // The office's own list of involvements streams its changes for as long as it is open, so it never ends
    // (and carries no case data); tests/involvements.test.ts follows it over real HTTP. Every other route is tried.
    const endless = new Set(['/backoffice/involvements/live'])
    for (const route of platform.app.routeList.filter(r => isPrivate(r.url) && !endless.has(r.url))) {
      for (const [who, browser] of Object.entries(people)) {
        const url = concrete(route.url)
        const res =
          route.method === 'GET'
            ? await browser.get(url)
            : await browser.post(url, {
                subject: 'x',
                body: 'x',
                note: 'x',
                transitionId: 'start',
                assigneeId: ids.caseId!,
              })
        const refused = [303, 400, 403, 404].includes(res.statusCode)
        const redirectsToLogin = res.statusCode === 303 && /\/(backoffice\/)?login/.test(String(res.headers.location))
        // The treasury is entitled to every payment, and a payment names its case; nothing else of the case.
        // The demo business (the other citizen here) manages its own members, and changes nothing of them here.
        const companyOwn =
          who === 'another citizen' &&
          (route.url.startsWith('/account/business/:businessId') ||
            route.url.startsWith('/account/buchungen/verein/:businessId'))
        if (companyOwn && route.method !== 'GET') continue
        const entitled = (who === 'the city treasury' && route.url.startsWith('/backoffice/treasury')) || companyOwn
        const leaked =
          (!entitled && res.body.includes(reference)) ||
          res.body.includes(secretSubject) ||
          (res.statusCode === 200 && res.headers['content-type']?.toString().startsWith('application/pdf'))
        const hasObjectParam =
          /:(caseId|fileId|messageId|draftId|noticeId|paymentId|documentId|involvementId|keyId|mandateId|businessId|memberId|token|bookingId|feedId)/.test(
            route.url,
          )
        if (leaked) leaks.push(`${who} ${route.method} ${route.url} → ${res.statusCode} shows the data`)
        else if (hasObjectParam && !refused) leaks.push(`${who} ${route.method} ${route.url} → ${res.statusCode}`)
        else if (hasObjectParam && res.statusCode === 303 && !redirectsToLogin)
          leaks.push(`${who} ${route.method} ${route.url} → redirected to ${res.headers.location}`)
      }
    }
    assert.deepEqual(leaks, [])
  })

  it('never gives a statement or its document to an outsider, nor to the applicant, but to the involved office', async () => {
    const statement = `/backoffice/cases/${ids.caseId}/involvements/${ids.involvementId}`
    for (const [who, browser] of Object.entries(await outsiders())) {
      for (const url of [
        `${statement}/files/${statementFileId}`,
        `/backoffice/cases/${ids.caseId}/files/${statementFileId}`,
        `/backoffice/cases/${ids.caseId}/live`,
      ]) {
        const res = await browser.get(url)
        assert.ok([303, 403, 404].includes(res.statusCode), `${who} ${url} → ${res.statusCode}`)
        if (res.statusCode === 303) assert.match(String(res.headers.location), /\/(backoffice\/)?login/)
      }
    }
    const owner = await citizenBrowser(platform)
    assert.equal(
      (await owner.get(`/account/files/${statementFileId}`)).statusCode,
      404,
      "an office's statement is not the applicant's file",
    )
    const involved = await staffBrowser(platform, 'umweltamt')
    assert.equal((await involved.get(`/backoffice/cases/${ids.caseId}`)).statusCode, 200)
    assert.equal((await involved.get(`${statement}/files/${statementFileId}`)).statusCode, 200)
  })

  it('changes nothing when outsiders post to the case', async () => {
    const db = platform.database.db
    const found = await db
      .selectFrom('cases')
      .select(['status', 'assignee_id'])
      .where('id', '=', ids.caseId!)
      .executeTakeFirstOrThrow()
    assert.equal(found.status, 'submitted')
    assert.equal(found.assignee_id, null)
    const notes = await db
      .selectFrom('case_events')
      .select('kind')
      .where('case_id', '=', ids.caseId!)
      .where('kind', 'in', ['note', 'claimed', 'transition'])
      .execute()
    assert.deepEqual(notes, [])
  })

  it('leaves the Open311 API key valid and unrevealed after every outsider tried its routes', async () => {
    const key = await platform.database.db
      .selectFrom('open311_api_keys')
      .select('revoked_at')
      .where('id', '=', ids.keyId!)
      .executeTakeFirstOrThrow()
    assert.equal(key.revoked_at, null)
    assert.equal(
      (await platform.database.db.selectFrom('open311_api_keys').select('id').execute()).length,
      1,
      'no outsider created a key',
    )
  })

  it('lets the owner and the responsible office see it', async () => {
    const owner = await citizenBrowser(platform)
    assert.equal((await owner.get(`/account/applications/${ids.caseId}`)).statusCode, 200)
    assert.equal((await owner.get(`/account/files/${ids.fileId}`)).statusCode, 200)
    const office = await staffBrowser(platform, 'stadtkasse-steueramt')
    const view = await office.get(`/backoffice/cases/${ids.caseId}`)
    assert.equal(view.statusCode, 200)
    assert.ok(view.body.includes(reference))
    const file = await office.get(`/backoffice/cases/${ids.caseId}/file`)
    assert.equal(file.statusCode, 200)
    assert.ok(file.body.includes(reference))
    assert.equal(
      (await office.get(`/backoffice/cases/${ids.caseId}/file/documents/${ids.documentId}/versions/1`)).statusCode,
      200,
    )
    assert.equal((await office.get(`/backoffice/cases/${ids.caseId}/notices/${ids.noticeDraftId}`)).statusCode, 200)
    assert.equal(
      (
        await (
          await staffBrowser(platform, 'umweltamt')
        ).get(`/backoffice/cases/${ids.caseId}/notices/${ids.noticeDraftId}`)
      ).statusCode,
      200,
      'the involved office reads the draft',
    )
  })
})

describe('appointments of an office', () => {
  it('leaves the booking and its feed untouched by outsiders, and shows them to the office', async () => {
    const db = platform.database.db
    const booking = await db
      .selectFrom('bookings')
      .select(['status', 'starts_at'])
      .where('id', '=', ids.bookingId!)
      .executeTakeFirstOrThrow()
    assert.equal(booking.status, 'booked')
    const feed = await db
      .selectFrom('booking_feeds')
      .select('revoked_at')
      .where('id', '=', ids.feedId!)
      .executeTakeFirstOrThrow()
    assert.equal(feed.revoked_at, null)
    assert.equal((await db.selectFrom('booking_feeds').select('id').execute()).length, 1, 'no outsider made a feed')
    const office = await staffBrowser(platform, 'amt-fuer-wohnen')
    const page = await office.get(`/backoffice/termine/buchungen/${ids.bookingId}`)
    assert.equal(page.statusCode, 200)
    assert.ok(page.body.includes(secretSubject))
    // The feed's URL without its secret opens nothing, for anybody.
    for (const url of [`/kalender/${ids.feedId}/x.ics`, `/kalender/${ids.feedId}/.ics`])
      assert.equal((await platform.app.inject({ method: 'GET', url })).statusCode, 404, url)
  })
})

describe('a consulted office and the lead office’s notice drafts', () => {
  it('answers 403 or 404 to the involved office on every notice write route and changes nothing; it may comment', async () => {
    const db = platform.database.db
    const before = await db
      .selectFrom('notice_drafts')
      .select(['body', 'version', 'status', 'last_update_id'])
      .where('id', '=', ids.noticeDraftId!)
      .executeTakeFirstOrThrow()
    // The Umweltamt is involved in the case (see before()): it reads the case, and does not lead it.
    const consulted = await staffBrowser(platform, 'umweltamt')
    assert.equal((await consulted.get(`/backoffice/cases/${ids.caseId}`)).statusCode, 200)
    const doc = new Y.Doc()
    doc.getText('body').insert(0, secretSubject)
    doc.getText('body').insert(0, 'Umgeschrieben: ')
    const update = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64')
    const input = {
      templateId: 'test',
      locale: 'de',
      text: 'Umgeschrieben',
      version: String(before.version),
      update,
      state: 'here',
    }
    const noticeRoutes = platform.app.routeList.filter(r => r.url.startsWith('/backoffice/cases/:caseId/notices'))
    const writes = noticeRoutes.filter(r => r.method !== 'GET' || r.url.endsWith('/preview'))
    const writeUrls = writes.map(r => `${r.method} ${r.url}`)
    for (const expected of ['', '/:noticeId', '/:noticeId/updates', '/:noticeId/presence', '/:noticeId/sign'])
      assert.ok(writeUrls.includes(`POST /backoffice/cases/:caseId/notices${expected}`), expected)
    assert.ok(writeUrls.includes('POST /backoffice/cases/:caseId/notices/:noticeId/discard'))
    const answers: string[] = []
    for (const route of writes) {
      if (route.url.endsWith('/comments')) continue
      const url = concrete(route.url)
      const res =
        route.method === 'GET'
          ? await consulted.get(`${url}?version=${before.version}`)
          : await consulted.post(url, input)
      answers.push(`${route.method} ${route.url} → ${res.statusCode}`)
      assert.ok([403, 404].includes(res.statusCode), `${route.method} ${route.url} → ${res.statusCode}`)
      if (res.statusCode === 403) assert.match(res.body, /nur die federführende Stelle/)
    }
    assert.ok(answers.length >= 7, answers.join('\n'))
    const afterwards = await db
      .selectFrom('notice_drafts')
      .select(['body', 'version', 'status', 'last_update_id'])
      .where('id', '=', ids.noticeDraftId!)
      .executeTakeFirstOrThrow()
    assert.deepEqual(afterwards, before)
    assert.equal(
      (await db.selectFrom('notice_drafts').select('id').where('case_id', '=', ids.caseId!).execute()).length,
      1,
      'no new draft',
    )
    assert.deepEqual(
      await db.selectFrom('notice_previews').select('staff_id').where('draft_id', '=', ids.noticeDraftId!).execute(),
      [],
    )
    // Reading and commenting stay open to the involved office.
    const page = await consulted.get(concrete('/backoffice/cases/:caseId/notices/:noticeId'))
    assert.equal(page.statusCode, 200)
    assert.doesNotMatch(page.body, /id="notice-form"|id="notice-sign-form"|\/discard"|data-notice-editor/)
    const comment = await consulted.post(concrete('/backoffice/cases/:caseId/notices/:noticeId/comments'), {
      comment: 'Bitte Auflage zur Leinenpflicht ergänzen.',
    })
    assert.equal(comment.statusCode, 303)
    const lead = await staffBrowser(platform, 'stadtkasse-steueramt')
    assert.match(
      (await lead.get(concrete('/backoffice/cases/:caseId/notices/:noticeId'))).body,
      /Bitte Auflage zur Leinenpflicht ergänzen\./,
    )
  })
})

describe('acting on behalf: representatives, company members, revocation', () => {
  /** Every citizen-side route that names an object of the case, with the case's ids filled in. */
  function caseRoutes(caseIds: Record<string, string>) {
    return platform.app.routeList
      .filter(r => r.url.startsWith('/account') && /:(caseId|fileId|messageId|noticeId)/.test(r.url))
      .map(r => ({
        method: r.method,
        url: r.url,
        concrete: r.url.replace(/:(\w+)/g, (_, name: string) => caseIds[name] ?? 'x'),
      }))
  }

  /** A case with a file, a message and a fee notice, made by `browser` with these start options. */
  async function caseWithEverything(browser: TestBrowser, forWhom: string, serviceId = 'hundesteuer-anmeldung') {
    const db = platform.database.db
    const made = await submitCase(platform, browser, serviceId, { dangerousDog: 'section3' }, { forWhom })
    const record = (await findCase(db, made.caseId))!
    const office = await staffBrowser(platform, record.officeId)
    await office.get(`/backoffice/cases/${made.caseId}`)
    await office.post(`/backoffice/cases/${made.caseId}/messages`, {
      subject: 'Rückfrage',
      body: 'Bitte Nachweis senden.',
      version: await caseVersion(office, made.caseId),
    })
    const notice = await issueFeeNotice(
      { db, services: platform.app.services, config: platform.config },
      {
        caseRecord: (await findCase(db, made.caseId))!,
        staff: null,
        dueOn: '2030-01-31',
        lines: [{ id: 'tax', label: { de: 'Gebühr', en: 'Fee' }, quantity: 1, unitCents: 1000, totalCents: 1000 }],
      },
    )
    const file = await db.selectFrom('files').select('id').where('case_id', '=', made.caseId).executeTakeFirstOrThrow()
    const message = await db
      .selectFrom('messages')
      .select('id')
      .where('case_id', '=', made.caseId)
      .where('direction', '=', 'to_applicant')
      .executeTakeFirstOrThrow()
    return {
      reference: made.reference,
      ids: { caseId: made.caseId, fileId: file.id, messageId: message.id, noticeId: notice!.id },
    }
  }

  async function tryAll(browser: TestBrowser, caseIds: Record<string, string>) {
    const answers: { route: string; status: number; body: string }[] = []
    for (const route of caseRoutes(caseIds)) {
      const res =
        route.method === 'GET'
          ? await browser.get(route.concrete)
          : await browser.post(route.concrete, { body: 'Antwort' })
      answers.push({ route: `${route.method} ${route.url}`, status: res.statusCode, body: res.body })
    }
    return answers
  }

  it('gives a case made under a mandate to its agent only while the mandate is active, on every route', async () => {
    const agent = await citizenBrowser(platform)
    await agent.get('/account/mandates/new')
    await agent.post(
      '/account/mandates',
      { kind: 'authorised', givenName: 'Vera', familyName: 'Vertreten', birthDate: '1950-02-03' },
      { files: [{ field: 'proof', filename: 'vollmacht.pdf', content: samplePdf, contentType: 'application/pdf' }] },
    )
    const mandate = await platform.database.db
      .selectFrom('mandates')
      .select('id')
      .where('principal_family_name', '=', 'Vertreten')
      .executeTakeFirstOrThrow()
    // Outsiders of the checking office cannot approve it; its caseworker does.
    const checking = await staffBrowser(platform, MANDATES_OFFICE)
    await checking.get(`/backoffice/mandates/${mandate.id}`)
    assert.equal((await checking.post(`/backoffice/mandates/${mandate.id}/approve`)).statusCode, 303)
    const made = await caseWithEverything(agent, `mandate:${mandate.id}`)
    const routes = caseRoutes(made.ids).map(r => `${r.method} ${r.url}`)
    for (const expected of [
      'GET /account/applications/:caseId',
      'GET /account/files/:fileId',
      'GET /account/postbox/:messageId',
      'POST /account/postbox/:messageId/reply',
      'GET /account/fee-notices/:noticeId',
      'POST /account/fee-notices/:noticeId/pay',
    ])
      assert.ok(routes.includes(expected), expected)
    const { reference } = made
    const open = await tryAll(agent, made.ids)
    assert.ok(
      open.filter(a => a.route.startsWith('GET')).every(a => a.status === 200),
      open.map(a => `${a.route} → ${a.status}`).join('\n'),
    )
    // Outsiders see nothing of it.
    for (const browser of [
      await citizenBrowser(platform, DEMO_BUSINESS),
      await citizenBrowser(platform, DEMO_BUSINESS_OWNER),
    ])
      for (const answer of await tryAll(browser, made.ids)) {
        assert.equal(answer.status, 404, answer.route)
        assert.ok(!answer.body.includes(reference), answer.route)
      }

    await agent.get('/account/mandates')
    assert.equal((await agent.post(`/account/mandates/${mandate.id}/revoke`)).statusCode, 303)
    for (const answer of await tryAll(agent, made.ids)) {
      assert.equal(answer.status, 404, `${answer.route} after revocation`)
      assert.ok(!answer.body.includes(reference), answer.route)
    }
    for (const url of ['/account/applications', '/account/postbox'])
      assert.ok(!(await agent.get(url)).body.includes(reference), url)
  })

  it('gives a company member the company’s case only while a member; the company keeps it', async () => {
    const owner = await citizenBrowser(platform, DEMO_BUSINESS_OWNER)
    const made = await caseWithEverything(owner, `business:${ids.businessId}`, 'baumfaellung')
    const company = await citizenBrowser(platform, DEMO_BUSINESS)
    assert.equal((await company.get(`/account/applications/${made.ids.caseId}`)).statusCode, 200)
    assert.equal((await owner.get(`/account/applications/${made.ids.caseId}`)).statusCode, 200)
    await company.get(`/account/business/${ids.businessId}/members`)
    assert.equal(
      (await company.post(`/account/business/${ids.businessId}/members/${ids.memberId}/remove`)).statusCode,
      303,
    )
    for (const answer of await tryAll(owner, made.ids)) {
      assert.equal(answer.status, 404, `${answer.route} after removal`)
      assert.ok(!answer.body.includes(made.reference), answer.route)
    }
    assert.equal((await company.get(`/account/applications/${made.ids.caseId}`)).statusCode, 200)
  })
})

describe('filing at the counter', () => {
  it('lets staff file an application for a person without an account; the case names no account and shows who filed it', async () => {
    const staff = await staffBrowser(platform, 'stadtkasse-steueramt')
    const { caseId } = await submitCase(platform, staff, 'hundesteuer-anmeldung')
    const row = await platform.database.db
      .selectFrom('cases')
      .select(['account_id', 'filed_by_staff_id'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow()
    assert.equal(row.account_id, null)
    assert.ok(row.filed_by_staff_id)
    const view = await staff.get(`/backoffice/cases/${caseId}`)
    assert.equal(view.statusCode, 200)
    assert.match(view.body, /Schalter/)
  })
})

describe('filing on someone’s behalf: only the service’s office or the counter role', () => {
  it('refuses staff of other offices, the treasury and the administration with 403 and starts no draft', async () => {
    const db = platform.database.db
    const drafts = async () => (await db.selectFrom('drafts').select('id').execute()).length
    const before = await drafts()
    const refused = {
      'a caseworker of another office': await staffBrowser(platform, 'ordnungsamt'),
      'the city treasury': await staffBrowser(platform, 'stadtkasse-steueramt', 'caseworker', DEMO_TREASURY),
      'an office admin': await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_OFFICE_ADMIN),
      'the platform admin': await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_ADMIN),
    }
    for (const [who, staff] of Object.entries(refused)) {
      const counter = await staff.get('/backoffice/counter')
      assert.doesNotMatch(counter.body, /action="\/services\/hundesteuer-anmeldung\/applications"/, who)
      const res = await staff.post('/services/hundesteuer-anmeldung/applications')
      assert.equal(res.statusCode, 403, who)
      assert.match(res.body, /Rolle „Schalter \(Bürgerbüro\)“/, who)
    }
    assert.equal(await drafts(), before)
  })

  it('lets the counter role file any office’s service, and stops a filing whose right is gone', async () => {
    const counter = await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_COUNTER)
    const page = await counter.get('/backoffice/counter')
    assert.match(page.body, /action="\/services\/hundesteuer-anmeldung\/applications"/)
    assert.match(page.body, /action="\/services\/gewerbe-anmeldung\/applications"/)
    const { caseId } = await submitCase(platform, counter, 'hundesteuer-anmeldung')
    const row = await platform.database.db
      .selectFrom('cases')
      .select(['account_id', 'filed_by_staff_id', 'office_id'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow()
    assert.equal(row.account_id, null)
    assert.equal(row.office_id, 'stadtkasse-steueramt')
    assert.ok(row.filed_by_staff_id)
    // The counter files; it does not read the case file it opened.
    assert.equal((await counter.get(`/backoffice/cases/${caseId}`)).statusCode, 404)

    // A draft begun at the counter cannot be carried on once the role is taken away (roles are read per request).
    const start = await counter.post('/services/hundesteuer-anmeldung/applications')
    assert.equal(start.statusCode, 303)
    const draftPage = String(start.headers.location)
    assert.equal((await counter.get(draftPage)).statusCode, 200)
    const db = platform.database.db
    const staffId = row.filed_by_staff_id!
    await db.deleteFrom('staff_roles').where('staff_id', '=', staffId).where('role', '=', 'counter').execute()
    await db
      .insertInto('staff_roles')
      .values({ staff_id: staffId, office_id: 'buergerdienste', role: 'triage' })
      .execute()
    try {
      assert.equal((await counter.get(draftPage)).statusCode, 403)
      assert.equal((await counter.post('/services/hundesteuer-anmeldung/applications')).statusCode, 403)
    } finally {
      await db.deleteFrom('staff_roles').where('staff_id', '=', staffId).execute()
      await db
        .insertInto('staff_roles')
        .values({ staff_id: staffId, office_id: 'buergerdienste', role: 'counter' })
        .execute()
    }
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
      assert.equal(new Set(perService.map(r => r.service_id)).size, demo.app.services.all().length)
    } finally {
      await demo.close()
    }
  })
})

describe('defect reports', () => {
  it('never gives a report case, its photos or its reporter to outsiders; public pages name no reporter', async () => {
    const { submitReport } = await import('../src/modules/reports/index.js')
    const sharp = (await import('sharp')).default
    const db = platform.database.db
    const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#888' } })
      .jpeg()
      .toBuffer()
    const report = await submitReport(
      { db, services: platform.app.services, config: platform.config, scanner: platform.app.virusScanner },
      {
        categoryCode: 'pothole',
        description: 'Schlagloch',
        lat: 51.5,
        lon: 7.45,
        photos: [{ content: photo, filename: 'loch.jpg' }],
        contact: { name: 'Reinhild Geheimnis', email: 'reinhild.geheimnis@example.org', phone: '0231 7654321' },
        locale: 'de',
        source: 'web',
        clientIp: '192.0.2.99',
      },
    )
    const photoFileId = (
      await db
        .selectFrom('report_photos')
        .select('file_id')
        .where('report_id', '=', report.reportId)
        .executeTakeFirstOrThrow()
    ).file_id
    const people = await outsiders()
    const leaks: string[] = []
    const reportRoutes = platform.app.routeList.filter(
      r => r.url.startsWith('/backoffice/cases/:caseId') && !r.url.endsWith('/live'),
    )
    for (const route of reportRoutes) {
      for (const [who, browser] of Object.entries(people)) {
        const url = route.url
          .replace(':caseId', report.caseId)
          .replace(':fileId', photoFileId)
          .replace(/:(\w+)/g, (_, name: string) => ids[name] ?? 'x')
        const res =
          route.method === 'GET'
            ? await browser.get(url)
            : await browser.post(url, { categoryCode: 'graffiti', action: 'change', publish: 'yes', version: '1' })
        const refused =
          [303, 400, 403, 404].includes(res.statusCode) &&
          (res.statusCode !== 303 || /\/(backoffice\/)?login/.test(String(res.headers.location)))
        if (!refused || res.body.includes('Reinhild') || res.body.includes(report.reference))
          leaks.push(`${who} ${route.method} ${route.url} → ${res.statusCode}`)
      }
    }
    assert.deepEqual(leaks, [])
    const row = await db
      .selectFrom('reports')
      .innerJoin('cases', 'cases.id', 'reports.case_id')
      .select(['reports.category_code', 'reports.photos_reviewed_at', 'cases.office_id'])
      .where('reports.id', '=', report.reportId)
      .executeTakeFirstOrThrow()
    assert.deepEqual([row.category_code, row.photos_reviewed_at, row.office_id], ['pothole', null, 'tiefbauamt'])
    const anonymous = new TestBrowser(platform)
    for (const url of [`/maengel/${report.reference}`, '/maengel/karte', `/maengel/danke/${report.reference}`]) {
      const res = await anonymous.get(url)
      assert.equal(res.statusCode, 200, url)
      for (const secret of ['Reinhild', 'reinhild.geheimnis', '7654321'])
        assert.ok(!res.body.includes(secret), `${url} shows ${secret}`)
    }
    assert.equal(
      (await anonymous.get(`/maengel/${report.reference}/fotos/1`)).statusCode,
      404,
      'an unreviewed photo is not public',
    )
    const office = await staffBrowser(platform, 'tiefbauamt')
    assert.match((await office.get(`/backoffice/cases/${report.caseId}`)).body, /Reinhild Geheimnis/)
    assert.equal((await office.get(`/backoffice/cases/${report.caseId}/files/${photoFileId}`)).statusCode, 200)
  })
})

describe('contact enquiries', () => {
  it('never gives an enquiry, its routing or its sender to outsiders, nor lets them forward it', async () => {
    const { submitContactRequest } = await import('../src/modules/contact/index.js')
    const db = platform.database.db
    const question = 'Ich möchte meinen Hund anmelden, wie viel Hundesteuer kostet das? Grüße, Rosalind Vertraulich'
    const enquiry = await submitContactRequest(
      { db, services: platform.app.services, config: platform.config, routing: platform.app.contactRouting },
      {
        answers: {
          question,
          givenName: 'Rosalind',
          familyName: 'Vertraulich',
          email: 'rosalind.vertraulich@example.org',
        },
        accountId: null,
        locale: 'de',
        clientIp: '192.0.2.98',
      },
    )
    if (!enquiry.ok) throw new Error('the enquiry is valid')
    // None of the outsiders works in the office it went to (the treasury's office holds no case files for it).
    assert.ok(!['ordnungsamt', 'buergerdienste'].includes(enquiry.officeId), enquiry.officeId)
    const people = await outsiders()
    const leaks: string[] = []
    const caseRoutes = platform.app.routeList.filter(
      r => r.url.startsWith('/backoffice/cases/:caseId') && !r.url.endsWith('/live'),
    )
    assert.ok(caseRoutes.some(r => r.url === '/backoffice/cases/:caseId/contact/routing'))
    for (const route of caseRoutes) {
      for (const [who, browser] of Object.entries(people)) {
        const url = route.url
          .replace(':caseId', enquiry.caseId)
          .replace(/:(\w+)/g, (_, name: string) => ids[name] ?? 'x')
        const res =
          route.method === 'GET'
            ? await browser.get(url)
            : await browser.post(url, { action: 'forward', officeId: 'ordnungsamt', version: '2' })
        const refused =
          [303, 400, 403, 404].includes(res.statusCode) &&
          (res.statusCode !== 303 || /\/(backoffice\/)?login/.test(String(res.headers.location)))
        if (!refused || res.body.includes('Rosalind') || res.body.includes(enquiry.reference))
          leaks.push(`${who} ${route.method} ${route.url} → ${res.statusCode}`)
      }
    }
    assert.deepEqual(leaks, [])
    const row = await db
      .selectFrom('cases')
      .select('office_id')
      .where('id', '=', enquiry.caseId)
      .executeTakeFirstOrThrow()
    assert.equal(row.office_id, enquiry.officeId, 'not forwarded by anyone')
    const decisions = await db.selectFrom('triage_examples').select('id').where('text', '=', question).execute()
    assert.deepEqual(decisions, [])
    // The confirmation page is the sender's only: by case id alone nobody sees it.
    for (const browser of Object.values(people))
      assert.equal((await browser.get(`/kontakt/gesendet/${enquiry.caseId}?kanal=email`)).statusCode, 404)
    const office = await staffBrowser(platform, enquiry.officeId)
    assert.match((await office.get(`/backoffice/cases/${enquiry.caseId}`)).body, /Rosalind Vertraulich/)
  })
})

describe('levels of assurance: services that need a proof of identity', () => {
  const SUBSTANTIAL = ['bauantrag', 'wohngeld-antrag', 'fahrzeug-zulassung']

  /** A draft of the service, started by a session at the level and then taken back to a password's (low). */
  async function lowSessionWithDraft(serviceId: string) {
    const browser = await citizenBrowser(platform)
    await setBrowserAssurance(platform.database.db, browser, 'substantial')
    await browser.get(`/services/${serviceId}`)
    const started = await browser.post(`/services/${serviceId}/applications`)
    assert.equal(started.statusCode, 303)
    const draftId = /\/applications\/([^/]+)\//.exec(String(started.headers.location))![1]!
    await setBrowserAssurance(platform.database.db, browser, 'low')
    return { browser, draftId }
  }

  const casesOf = async (serviceId: string) =>
    (await platform.database.db.selectFrom('cases').select('id').where('service_id', '=', serviceId).execute()).length
  const draftsOf = async (serviceId: string) =>
    (await platform.database.db.selectFrom('drafts').select('id').where('service_id', '=', serviceId).execute()).length

  for (const serviceId of SUBSTANTIAL) {
    it(`${serviceId}: an anonymous person and a password sign-in get the identification page, never the form`, async () => {
      const definition = platform.app.services.get(serviceId)
      const page = definition.form.pages[0]!.id
      const drafts = await draftsOf(serviceId)
      for (const browser of [new TestBrowser(platform), await citizenBrowser(platform)]) {
        await browser.get('/login') // a page with a form: the service page has none to take the CSRF token from
        const service = await browser.get(`/services/${serviceId}`)
        assert.match(service.body, /Für diese Leistung brauchen Sie einen Identitätsnachweis/)
        assert.match(service.body, new RegExp(`href="/services/${serviceId}/identification"`))
        assert.doesNotMatch(service.body, new RegExp(`action="/services/${serviceId}/applications"`))
        // A forged start (the button is not on the page) leads to the same explanation and starts nothing.
        const start = await browser.post(`/services/${serviceId}/applications`)
        assert.equal(start.statusCode, 303)
        assert.equal(start.headers.location, `/services/${serviceId}/identification`)
        const explained = await browser.get(`/services/${serviceId}/identification`)
        assert.equal(explained.statusCode, 200)
        assert.match(explained.body, /Identität nachweisen/)
        assert.match(explained.body, /Vertrauensniveau „substanziell“/)
      }
      assert.equal(await draftsOf(serviceId), drafts, 'no draft started')

      // A draft from a session that had the level, now at a password's: every entry is refused, nothing saved.
      const { browser, draftId } = await lowSessionWithDraft(serviceId)
      for (const url of [`/applications/${draftId}/pages/${page}`, `/applications/${draftId}/check`]) {
        const res = await browser.get(url)
        assert.equal(res.statusCode, 403, url)
        assert.match(res.body, /Identität nachweisen/, url)
      }
      const saved = await browser.post(`/applications/${draftId}/pages/${page}`, { action: 'continue', x: 'y' })
      assert.equal(saved.statusCode, 403)
      const before = await platform.database.db
        .selectFrom('drafts')
        .select('updated_at')
        .where('id', '=', draftId)
        .executeTakeFirstOrThrow()
      const submitted = await browser.post(`/applications/${draftId}/submit`)
      assert.equal(submitted.statusCode, 403)
      assert.equal(await casesOf(serviceId), 0, 'no case from a forged submit')
      const after = await platform.database.db
        .selectFrom('drafts')
        .select(['updated_at', 'case_id'])
        .where('id', '=', draftId)
        .executeTakeFirstOrThrow()
      assert.equal(after.case_id, null)
      assert.deepEqual(after.updated_at, before.updated_at)

      // An anonymous draft (as one started before the service asked for a level) cannot be sent either.
      const anonymous = new TestBrowser(platform)
      await anonymous.get('/login')
      const anonymousDraft = crypto.randomUUID()
      await platform.database.db
        .insertInto('drafts')
        .values({
          id: anonymousDraft,
          service_id: serviceId,
          service_version: definition.version,
          session_hash: crypto.createHash('sha256').update(anonymous.cookie('bauhaus_session')!).digest('hex'),
          answers: '{}',
        })
        .execute()
      assert.equal((await anonymous.get(`/applications/${anonymousDraft}/pages/${page}`)).statusCode, 403)
      assert.equal((await anonymous.post(`/applications/${anonymousDraft}/submit`)).statusCode, 403)
      assert.equal(await casesOf(serviceId), 0)
    })

    it(`${serviceId}: the JSON API, which signs in with nobody, refuses it with 403 and says why`, async () => {
      const res = await platform.app.inject({
        method: 'POST',
        url: `/api/v1/services/${serviceId}/applications`,
        payload: { answers: {} },
      })
      assert.equal(res.statusCode, 403)
      assert.equal(res.json().code, 'applications.api.errors.assurance.substantial')
      assert.equal(await casesOf(serviceId), 0)
    })
  }

  it('lets a substantial and a high sign-in apply; the case records level and provider, shown to office and applicant', async () => {
    for (const [serviceId, level] of [
      ['bauantrag', 'substantial'],
      ['wohngeld-antrag', 'high'],
      ['fahrzeug-zulassung', 'substantial'],
      ['bauantrag', 'high'],
      ['wohngeld-antrag', 'substantial'],
      ['fahrzeug-zulassung', 'high'],
    ] as const) {
      const browser = await citizenBrowser(platform)
      await setBrowserAssurance(platform.database.db, browser, level)
      const service = await browser.get(`/services/${serviceId}`)
      assert.match(service.body, new RegExp(`action="/services/${serviceId}/applications"`))
      // Signed in at the level, the explanation is not needed: back to the service page.
      assert.equal(
        (await browser.get(`/services/${serviceId}/identification`)).headers.location,
        `/services/${serviceId}`,
      )
      const { caseId } = await submitCase(platform, browser, serviceId)
      const row = await platform.database.db
        .selectFrom('cases')
        .select(['assurance', 'identity_provider', 'office_id'])
        .where('id', '=', caseId)
        .executeTakeFirstOrThrow()
      assert.deepEqual([row.assurance, row.identity_provider], [level, TEST_PROVIDER], serviceId)
      const word = level === 'high' ? 'hoch' : 'substanziell'
      const own = await browser.get(`/account/applications/${caseId}`)
      assert.match(own.body, new RegExp(`Vertrauensniveau „${word}“ \\(eIDAS\\), angemeldet über ${TEST_PROVIDER}`))
      const office = await staffBrowser(platform, row.office_id)
      const casePage = await office.get(`/backoffice/cases/${caseId}`)
      assert.match(
        casePage.body,
        new RegExp(`Vertrauensniveau „${word}“ \\(eIDAS\\), angemeldet über ${TEST_PROVIDER}`),
      )
    }
  })

  it('lets staff at the counter file it for a person they identified there; the case records no electronic level', async () => {
    const office = await staffBrowser(platform, 'bauordnungsamt')
    const { caseId } = await submitCase(platform, office, 'bauantrag')
    const row = await platform.database.db
      .selectFrom('cases')
      .select(['assurance', 'identity_provider', 'filed_by_staff_id'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow()
    assert.equal(row.assurance, null)
    assert.equal(row.identity_provider, null)
    assert.ok(row.filed_by_staff_id)
    assert.match(
      (await office.get(`/backoffice/cases/${caseId}`)).body,
      /Am Schalter aufgenommen: Die Person wurde vor Ort/,
    )
  })
})

describe('access to hall bookings and the seasonal allocation', () => {
  it('gives a club’s booking to its members only, and applications and claims to the sports office only', async () => {
    const db = platform.database.db
    let day = addDays(dayInCity(platform.clock.now()), 5)
    while (new Date(`${day}T12:00:00Z`).getUTCDay() !== 3) day = addDays(day, 1)
    const club = (await db.selectFrom('accounts').select('id').where('email', '=', DEMO_CLUB).executeTakeFirstOrThrow())
      .id
    const clerk = await citizenBrowser(platform, DEMO_CLUB_CLERK)
    await clerk.get('/account/buchungen/neu?hall=sporthalle-brackel')
    const booked = await clerk.post('/account/buchungen', {
      hall: 'sporthalle-brackel',
      parts: 'b',
      day,
      start: '19:00',
      minutes: '60',
      purpose: secretSubject,
      owner: club,
      exemption: 'non-profit',
      statement: secretSubject,
      registerNumber: 'VR 2345',
    })
    assert.equal(booked.statusCode, 303)
    const booking = await db
      .selectFrom('bookings')
      .select('id')
      .where('account_id', '=', club)
      .executeTakeFirstOrThrow()
    // Every member and the club's own account see it; outsiders do not, and cannot cancel it.
    assert.match((await (await citizenBrowser(platform, DEMO_CLUB_OWNER)).get('/account/buchungen')).body, /Brackel/)
    assert.match((await (await citizenBrowser(platform, DEMO_CLUB)).get('/account/buchungen')).body, /Brackel/)
    for (const [who, browser] of Object.entries(await outsiders())) {
      for (const url of ['/account/buchungen', '/backoffice/buchung', '/account/buchungen/saison']) {
        const res = await browser.get(url)
        assert.ok(!res.body.includes(secretSubject), `${who} ${url} shows the claim`)
      }
      const cancel = await browser.post(`/account/buchungen/${booking.id}/cancel`)
      assert.ok([303, 403, 404].includes(cancel.statusCode), `${who} cancel → ${cancel.statusCode}`)
      if (cancel.statusCode === 303) assert.match(String(cancel.headers.location), /login/)
      const decide = await browser.post(`/backoffice/buchung/claims/${booking.id}`, { decision: 'confirm' })
      assert.ok([303, 403, 404].includes(decide.statusCode), `${who} decide → ${decide.statusCode}`)
    }
    const still = await db
      .selectFrom('facility_bookings')
      .innerJoin('bookings', 'bookings.id', 'facility_bookings.booking_id')
      .select(['bookings.status', 'facility_bookings.exemption_status'])
      .where('booking_id', '=', booking.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(still, { status: 'booked', exemption_status: 'claimed' })
    const office = await staffBrowser(platform, 'sport-und-freizeit')
    assert.match((await office.get('/backoffice/buchung')).body, new RegExp(secretSubject))
  })
})
