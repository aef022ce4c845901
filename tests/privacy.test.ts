import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { unzipSync } from 'fflate'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser, staffBrowser, submitCase } from './support/casework.js'
import { startJobWorker, type JobWorker } from '../src/platform/jobs/index.js'
import { buildJobRegistry } from '../src/jobs.js'
import { prepareExport } from '../src/modules/privacy/index.js'
import { listDeletions, type PersonalDataHolder } from '../src/platform/privacy/index.js'
import { DEMO_ADMIN, DEMO_BUSINESS, DEMO_CITIZEN } from '../src/seed.js'

let platform: TestPlatform
let worker: JobWorker
const silent = { info() {}, warn() {}, error() {} }
const db = () => platform.database.db

before(async () => {
  platform = await startTestPlatform()
  worker = await startJobWorker(
    db(),
    buildJobRegistry({ db: db(), config: platform.config, services: platform.app.services, log: silent }),
    { log: silent, polling: false, clock: platform.clock },
  )
})
after(async () => {
  await worker?.stop()
  await platform?.close()
})

const PASSWORD = 'Quellwasser-Passwort-2026'
const DAY = 86_400_000

async function accountIdOf(email: string) {
  return (await db().selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id
}

/** Registers through the real pages, confirms the address by the mailed link and signs in. */
async function registeredPerson(email: string, names: { givenName: string; familyName: string }) {
  const browser = new TestBrowser(platform)
  await browser.get('/register')
  const registered = await browser.post('/register', {
    kind: 'citizen',
    email,
    password: PASSWORD,
    passwordConfirm: PASSWORD,
    ...names,
  })
  assert.equal(registered.statusCode, 200)
  const mail = await db()
    .selectFrom('mail_outbox')
    .select('body_text')
    .where('recipient', '=', email)
    .executeTakeFirstOrThrow()
  const link = /http:\/\/localhost:3000(\/verify-email\?token=[A-Za-z0-9_-]+)/.exec(mail.body_text)?.[1]
  assert.ok(link)
  assert.equal((await browser.get(link)).statusCode, 303)
  await browser.get('/login')
  assert.equal((await browser.post('/login', { email, password: PASSWORD })).statusCode, 303)
  return browser
}

function exportIdFrom(location: unknown): string {
  const id = /\/exports\/([0-9a-f-]{36})$/.exec(String(location))?.[1]
  assert.ok(id, `no export in ${String(location)}`)
  return id
}

function pdfText(pdf: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-pdf-'))
  try {
    const file = path.join(dir, 'summary.pdf')
    fs.writeFileSync(file, pdf)
    return execFileSync('/usr/bin/pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function auditActions(action: string, subjectId: string) {
  return db()
    .selectFrom('audit_log')
    .select(['actor_account_id as actorAccountId', 'actor_staff_id as actorStaffId'])
    .where('action', '=', action)
    .where('subject_id', '=', subjectId)
    .execute()
}

/** Posts a form of the case page with its hidden fields (the case version), as the office's browser would. */
async function postCaseForm(browser: TestBrowser, caseId: string, action: string, fields: Record<string, string>) {
  const page = await browser.get(`/backoffice/cases/${caseId}`)
  const url = `/backoffice/cases/${caseId}/${action}`
  const start = page.body.indexOf(`action="${url}"`)
  assert.ok(start >= 0, `no form posting to ${url}`)
  const form = page.body.slice(start, page.body.indexOf('</form>', start))
  const hidden: Record<string, string> = {}
  for (const [input] of form.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(input)?.[1]
    if (name && name !== '_csrf') hidden[name] = /value="([^"]*)"/.exec(input)?.[1] ?? ''
  }
  return browser.post(url, { ...hidden, ...fields })
}

const REPORT_PLACE = { lat: '51.513600', lon: '7.465300' }

/** Files a defect report through the web form and answers its reference. */
async function fileReport(browser: TestBrowser, fields: Record<string, string> = {}) {
  await browser.get('/maengel/melden')
  const res = await browser.post('/maengel/melden', {
    description: 'Die Straßenlaterne ist seit Tagen dunkel.',
    category: 'street-light',
    address: 'Friedensplatz 1',
    ...REPORT_PLACE,
    action: 'submit',
    ...fields,
  })
  assert.equal(res.statusCode, 303, res.body.slice(0, 500))
  const reference = /(DO-\d{4}-\d{6})/.exec(String(res.headers.location))?.[1]
  assert.ok(reference, String(res.headers.location))
  return reference
}

/** Follows a report instead of filing the same defect again, as the report form offers. */
function followReport(browser: TestBrowser, reference: string, fields: Record<string, string> = {}) {
  return browser.post('/maengel/melden', {
    category: 'street-light',
    description: 'Schon gemeldet',
    ...REPORT_PLACE,
    follow: reference,
    ...fields,
  })
}

describe('the export of "Meine Daten"', () => {
  it('prepares a ZIP with one JSON per holder, the uploaded files and a PDF summary, mails when ready, and lets only its owner download it', async () => {
    const citizen = await citizenBrowser(platform)
    const accountId = await accountIdOf(DEMO_CITIZEN)
    const own = await submitCase(platform, citizen, 'fuehrungszeugnis')
    const page = await citizen.get('/account/privacy')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Kopie meiner Daten anfordern/)

    const requested = await citizen.post('/account/privacy/exports')
    assert.equal(requested.statusCode, 303)
    const exportId = exportIdFrom(requested.headers.location)
    const again = await citizen.post('/account/privacy/exports')
    assert.equal(exportIdFrom(again.headers.location), exportId, 'one export at a time while it is being prepared')

    const waiting = await citizen.get(`/account/privacy/exports/${exportId}`)
    assert.equal(waiting.statusCode, 200)
    assert.match(waiting.body, /data-export-status="queued"/)
    assert.ok(waiting.body.includes(`href="/account/privacy/exports/${exportId}"`), 'a reload link without JavaScript')
    assert.ok(waiting.body.includes('src="/assets/privacy-progress.js"'))
    assert.equal((await citizen.get(`/account/privacy/exports/${exportId}/download`)).statusCode, 409)

    assert.ok((await worker.runDueJobs()) >= 1)
    const ready = await citizen.get(`/account/privacy/exports/${exportId}`)
    assert.match(ready.body, /data-export-status="ready"/)
    assert.ok(ready.body.includes(`href="/account/privacy/exports/${exportId}/download"`))
    const mail = await db()
      .selectFrom('mail_outbox')
      .select(['subject', 'body_text'])
      .where('recipient', '=', DEMO_CITIZEN)
      .where('subject', 'like', '%Kopie Ihrer Daten%')
      .executeTakeFirstOrThrow()
    assert.ok(mail.body_text.includes(`/account/privacy/exports/${exportId}`))

    const download = await citizen.get(`/account/privacy/exports/${exportId}/download`)
    assert.equal(download.statusCode, 200)
    assert.equal(download.headers['content-type'], 'application/zip')
    assert.match(
      String(download.headers['content-disposition']),
      /attachment; filename="meine-daten-\d{4}-\d{2}-\d{2}\.zip"/,
    )
    const zip = unzipSync(new Uint8Array(download.rawPayload))
    for (const holder of ['account', 'drafts', 'cases', 'efile', 'postbox', 'payments', 'reports', 'audit'])
      assert.ok(zip[`${holder}.json`], `${holder}.json in the ZIP`)
    const json = (name: string) => JSON.parse(new TextDecoder().decode(zip[name]))
    assert.equal(json('account.json').profile.email, DEMO_CITIZEN)
    assert.equal(json('account.json').profile.familyName, 'Mustermann')
    assert.ok(!('passwordHash' in json('account.json').profile), 'no password hash')
    const exportedCase = json('cases.json').find((c: { reference: string }) => c.reference === own.reference)
    assert.ok(exportedCase, 'the submitted case')
    assert.ok(Object.keys(exportedCase.answers).length > 0, 'with its answers')
    assert.ok(
      json('audit.json').some((e: { action: string }) => e.action === 'privacy.export.request'),
      'the audit entries about the person, the request included',
    )
    const summary = pdfText(zip['summary.pdf']!)
    assert.match(summary, /Auskunft über Ihre Daten/)
    assert.match(summary, /Erika Mustermann/)
    assert.ok(summary.includes(own.reference), 'the summary lists the cases')

    assert.equal((await auditActions('privacy.export.request', accountId)).length >= 1, true)
    const downloads = await auditActions('privacy.export.download', accountId)
    assert.equal(downloads.length, 1)
    assert.equal(downloads[0]!.actorAccountId, accountId)

    const other = await citizenBrowser(platform, DEMO_BUSINESS)
    assert.equal((await other.get(`/account/privacy/exports/${exportId}`)).statusCode, 404)
    assert.equal((await other.get(`/account/privacy/exports/${exportId}/download`)).statusCode, 404)
    const anonymous = await new TestBrowser(platform).get(`/account/privacy/exports/${exportId}/download`)
    assert.equal(anonymous.statusCode, 303, 'to the sign-in')
  })

  it('marks an export failed once its last run fails, and the page says so instead of waiting', async () => {
    const citizen = await citizenBrowser(platform, DEMO_BUSINESS)
    await citizen.get('/account/privacy')
    const exportId = exportIdFrom((await citizen.post('/account/privacy/exports')).headers.location)
    const broken: PersonalDataHolder = {
      id: 'broken',
      exportFor: async () => {
        throw new Error('this holder cannot answer')
      },
      eraseFor: async () => [],
    }
    const deps = { db: db(), config: platform.config, services: platform.app.services, holders: [broken] }
    const status = async () =>
      (await db().selectFrom('privacy_exports').select('status').where('id', '=', exportId).executeTakeFirstOrThrow())
        .status
    await assert.rejects(prepareExport(deps, exportId, { now: platform.clock.now(), attempt: 1 }))
    assert.equal(await status(), 'queued', 'a retry may still succeed')
    await assert.rejects(prepareExport(deps, exportId, { now: platform.clock.now(), attempt: 3 }))
    assert.equal(await status(), 'failed')
    const page = await citizen.get(`/account/privacy/exports/${exportId}`)
    assert.match(page.body, /fehlgeschlagen/)
    assert.ok(!page.body.includes('privacy-progress.js'), 'nothing left to wait for')
  })

  it('lets a platform admin prepare it for a paper request; only that admin downloads it, both steps audited', async () => {
    const admin = await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_ADMIN)
    const form = await admin.get('/backoffice/admin/privacy')
    assert.equal(form.statusCode, 200)
    const missing = await admin.post('/backoffice/admin/privacy/exports', { email: '' })
    assert.equal(missing.statusCode, 400)
    assert.match(missing.body, /Geben Sie die E-Mail-Adresse des Kontos an/)
    const unknown = await admin.post('/backoffice/admin/privacy/exports', { email: 'niemand@example.org' })
    assert.equal(unknown.statusCode, 400)
    assert.match(unknown.body, /kein Konto/)
    assert.ok(unknown.body.includes('value="niemand@example.org"'), 'keeps what was typed')

    const requested = await admin.post('/backoffice/admin/privacy/exports', { email: DEMO_CITIZEN.toUpperCase() })
    assert.equal(requested.statusCode, 303)
    const exportId = exportIdFrom(requested.headers.location)
    await worker.runDueJobs()
    const download = await admin.get(`/backoffice/admin/privacy/exports/${exportId}/download`)
    assert.equal(download.statusCode, 200)
    const zip = unzipSync(new Uint8Array(download.rawPayload))
    assert.equal(JSON.parse(new TextDecoder().decode(zip['account.json'])).profile.email, DEMO_CITIZEN)
    const accountId = await accountIdOf(DEMO_CITIZEN)
    const staffDownloads = (await auditActions('privacy.export.download', accountId)).filter(a => a.actorStaffId)
    assert.equal(staffDownloads.length, 1)

    const citizen = await citizenBrowser(platform)
    assert.equal((await citizen.get(`/account/privacy/exports/${exportId}/download`)).statusCode, 404)
    const caseworker = await staffBrowser(platform, 'buergerdienste')
    assert.notEqual((await caseworker.get('/backoffice/admin/privacy')).statusCode, 200)
    assert.notEqual((await caseworker.get(`/backoffice/admin/privacy/exports/${exportId}/download`)).statusCode, 200)
  })
})

describe('consents', () => {
  it('lists the e-mail notices given at registration; withdrawn, a new postbox message sends no mail until given again', async () => {
    const email = `einwilligung.${Date.now()}@example.org`
    const person = await registeredPerson(email, { givenName: 'Ida', familyName: 'Einwillig' })
    const page = await person.get('/account/privacy')
    assert.match(page.body, /E-Mail-Benachrichtigungen/)
    assert.match(page.body, /Textfassung 2026-12/)
    const consent = await db()
      .selectFrom('consents')
      .selectAll()
      .where('account_id', '=', await accountIdOf(email))
      .executeTakeFirstOrThrow()
    assert.equal(consent.kind, 'email-notices')

    const own = await submitCase(platform, person, 'fuehrungszeugnis')
    const staff = await staffBrowser(platform, 'buergerdienste')
    const noticeMails = () =>
      db()
        .selectFrom('mail_outbox')
        .select('id')
        .where('recipient', '=', email)
        .where('body_text', 'like', '%/account/postbox/%')
        .execute()
    const sendMessage = async (subject: string) => {
      const res = await postCaseForm(staff, own.caseId, 'messages', { subject, body: 'Text' })
      assert.equal(res.statusCode, 303, res.body.slice(0, 500))
    }
    await sendMessage('Erste Nachricht')
    assert.equal((await noticeMails()).length, 1)

    const withdrawn = await person.post(`/account/privacy/consents/${consent.id}/withdraw`)
    assert.equal(withdrawn.statusCode, 303)
    assert.equal(withdrawn.headers.location, '/account/privacy?notice=withdrawn')
    assert.match((await person.get('/account/privacy')).body, /Widerrufen am/)
    await sendMessage('Zweite Nachricht')
    assert.equal((await noticeMails()).length, 1, 'no notice mail after the withdrawal')
    const postbox = await person.get('/account/postbox')
    assert.match(postbox.body, /Zweite Nachricht/, 'the message is in the postbox all the same')

    assert.equal((await person.post('/account/privacy/consents/email-notices')).statusCode, 303)
    await sendMessage('Dritte Nachricht')
    assert.equal((await noticeMails()).length, 2)
    const withdrawals = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'consent.withdraw')
      .where('subject_id', '=', await accountIdOf(email))
      .execute()
    assert.equal(withdrawals.length, 1)
  })

  it('records following a defect report; withdrawing on the account page stops the following', async () => {
    const citizen = await citizenBrowser(platform, DEMO_BUSINESS)
    const accountId = await accountIdOf(DEMO_BUSINESS)
    const reference = await fileReport(new TestBrowser(platform))
    const report = await db()
      .selectFrom('reports')
      .innerJoin('cases', 'cases.id', 'reports.case_id')
      .select(['reports.id', 'cases.reference'])
      .where('cases.reference', '=', reference)
      .executeTakeFirstOrThrow()
    await citizen.get('/account/privacy')
    const followed = await followReport(citizen, reference)
    assert.equal(followed.statusCode, 303, followed.body.slice(0, 500))
    const consent = await db()
      .selectFrom('consents')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('kind', '=', 'report-following')
      .executeTakeFirstOrThrow()
    assert.equal(consent.subject_ref, report.reference)
    assert.equal(consent.withdrawn_at, null)
    const page = await citizen.get('/account/privacy')
    assert.ok(page.body.includes(`Mängelmeldung verfolgen (${report.reference})`))

    const following = () =>
      db()
        .selectFrom('report_followers')
        .select('id')
        .where('report_id', '=', report.id)
        .where('account_id', '=', accountId)
        .execute()
    assert.equal((await following()).length, 1)
    assert.equal((await citizen.post(`/account/privacy/consents/${consent.id}/withdraw`)).statusCode, 303)
    assert.equal((await following()).length, 0, 'the account no longer follows the report')
    const after = await db()
      .selectFrom('consents')
      .select('withdrawn_at')
      .where('id', '=', consent.id)
      .executeTakeFirstOrThrow()
    assert.ok(after.withdrawn_at)

    // Following again, then stopping by the link in the mails: the consent is withdrawn with it.
    assert.equal((await followReport(citizen, reference)).statusCode, 303)
    const follower = await db()
      .selectFrom('report_followers')
      .select('unsubscribe_token')
      .where('report_id', '=', report.id)
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow()
    const mailReader = new TestBrowser(platform)
    await mailReader.get(`/maengel/abbestellen?token=${follower.unsubscribe_token}`)
    const stopped = await mailReader.post('/maengel/abbestellen', { token: follower.unsubscribe_token })
    assert.equal(stopped.statusCode, 200)
    const active = await db()
      .selectFrom('consents')
      .select('id')
      .where('account_id', '=', accountId)
      .where('kind', '=', 'report-following')
      .where('withdrawn_at', 'is', null)
      .execute()
    assert.equal(active.length, 0, 'no active consent to follow after unsubscribing')

    const foreign = await citizenBrowser(platform)
    await foreign.get('/account/privacy')
    assert.equal((await foreign.post(`/account/privacy/consents/${consent.id}/withdraw`)).statusCode, 404)
  })
})

describe('deleting an account', () => {
  it('asks for the password again and keeps the account when it is missing or wrong', async () => {
    const email = `falsch.${Date.now()}@example.org`
    const person = await registeredPerson(email, { givenName: 'Udo', familyName: 'Unsicher' })
    const page = await person.get('/account/delete')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Was die Stadt aufbewahren muss/)
    const missing = await person.post('/account/delete', { password: '' })
    assert.equal(missing.statusCode, 400)
    assert.match(missing.body, /Geben Sie Ihr Passwort ein/)
    const wrong = await person.post('/account/delete', { password: 'nicht das Passwort' })
    assert.equal(wrong.statusCode, 400)
    assert.match(wrong.body, /Ihr Konto wurde nicht gelöscht/)
    assert.ok(await accountIdOf(email))
  })

  it('slows down guessing the password there as at sign-in: after five wrong ones even the right one waits', async () => {
    const email = `geraten.${Date.now()}@example.org`
    const person = await registeredPerson(email, { givenName: 'Gerd', familyName: 'Geraten' })
    await person.get('/account/delete')
    for (let i = 0; i < 5; i++) {
      assert.equal((await person.post('/account/delete', { password: `falsch-${i}` })).statusCode, 400)
    }
    const waiting = await person.post('/account/delete', { password: PASSWORD })
    assert.equal(waiting.statusCode, 400)
    assert.match(waiting.body, /Zu viele falsche Passwörter/)
    assert.ok(await accountIdOf(email), 'the account is still there')
  })

  it('deletes everything of the person in one go; only the cases the city must keep hold them, detached and minimised', async () => {
    const email = `zephyrine.quellwasser.${Date.now()}@example.net`
    const person = await registeredPerson(email, { givenName: 'Zephyrine', familyName: 'Quellwasser' })
    const accountId = await accountIdOf(email)
    await person.get('/account/profile')
    const profile = await person.post('/account/profile', {
      givenName: 'Zephyrine',
      familyName: 'Quellwasser',
      birthDate: '1979-03-14',
      street: 'Quellwasserweg',
      houseNumber: '17',
      postalCode: '44799',
      city: 'Dortmund',
      phone: '0231 98765432',
    })
    assert.equal(profile.statusCode, 303)

    // A submitted application (kept), a draft not submitted (deleted), a message from the office (kept with the case),
    // a defect report filed and one followed (the first kept without its reporter, the following ended), an export.
    const kept = await submitCase(platform, person, 'fuehrungszeugnis')
    await person.get('/services/wohnsitz-anmeldung')
    assert.equal((await person.post('/services/wohnsitz-anmeldung/applications')).statusCode, 303)
    const staff = await staffBrowser(platform, 'buergerdienste')
    const sent = await postCaseForm(staff, kept.caseId, 'messages', {
      subject: 'Rückfrage an Frau Quellwasser',
      body: 'Sehr geehrte Frau Quellwasser, bitte melden Sie sich.',
    })
    assert.equal(sent.statusCode, 303)
    const message = await db()
      .selectFrom('messages')
      .select('id')
      .where('case_id', '=', kept.caseId)
      .executeTakeFirstOrThrow()
    assert.equal((await person.get(`/account/postbox/${message.id}`)).statusCode, 200)
    const reportReference = await fileReport(person, {
      description: 'Die Laterne am Quellwasserweg ist dunkel.',
      address: 'Quellwasserweg 17',
      contactName: 'Zephyrine Quellwasser',
      contactEmail: email,
      contactPhone: '0231 98765432',
    })
    const otherReference = await fileReport(new TestBrowser(platform))
    assert.equal((await followReport(person, otherReference)).statusCode, 303)
    // Following the same report once more as a visitor, by the account's address.
    const visitor = new TestBrowser(platform)
    await visitor.get('/maengel/melden')
    assert.equal((await followReport(visitor, otherReference, { contactEmail: email })).statusCode, 303)
    await person.get('/account/privacy')
    assert.equal((await person.post('/account/privacy/exports')).statusCode, 303)
    await worker.runDueJobs()
    const secondDevice = new TestBrowser(platform)
    await secondDevice.get('/login')
    assert.equal((await secondDevice.post('/login', { email, password: PASSWORD })).statusCode, 303)
    // A failed sign-in with the address, from another browser.
    const stranger = new TestBrowser(platform)
    await stranger.get('/login')
    await stranger.post('/login', { email, password: 'falsch geraten 123' })

    const keptCaseIds = (
      await db()
        .selectFrom('cases')
        .select('id')
        .where(eb => eb.or([eb('account_id', '=', accountId), eb('reference', '=', reportReference)]))
        .execute()
    ).map(c => c.id)
    assert.equal(keptCaseIds.length, 2, 'the application and the defect report')
    const needles = [accountId, email, 'Zephyrine', 'Quellwasser', '98765432']
    const before = await placesHolding(needles, keptCaseIds)
    for (const table of [
      'report_rate_limits',
      'accounts',
      'sessions',
      'drafts',
      'consents',
      'report_followers',
      'failed_logins',
      'privacy_exports',
    ])
      assert.ok(
        before.includes(table),
        `the walk finds the person in ${table} before the deletion (${before.join(', ')})`,
      )

    const deleted = await person.post('/account/delete', { password: PASSWORD })
    assert.equal(deleted.statusCode, 303)
    assert.equal(deleted.headers.location, '/account/deleted')
    const goodbye = await person.follow(deleted)
    assert.equal(goodbye.statusCode, 200)
    assert.match(goodbye.body, /Ihr Konto ist gelöscht/)
    assert.equal((await person.get('/account/privacy')).statusCode, 303, 'signed out')
    assert.equal((await secondDevice.get('/account/privacy')).statusCode, 303, 'signed out on every device')

    assert.deepEqual(await placesHolding(needles, keptCaseIds), [], 'nothing personal outside the kept cases')

    const keptCase = await db()
      .selectFrom('cases')
      .select(['account_id', 'applicant_email', 'applicant_name'])
      .where('id', '=', kept.caseId)
      .executeTakeFirstOrThrow()
    assert.equal(keptCase.account_id, null)
    assert.equal(keptCase.applicant_email, null)
    const keptReport = await db()
      .selectFrom('reports')
      .innerJoin('cases', 'cases.id', 'reports.case_id')
      .select(['reports.contact_name', 'reports.contact_email', 'reports.contact_phone', 'reports.account_id'])
      .where('cases.reference', '=', reportReference)
      .executeTakeFirstOrThrow()
    assert.deepEqual(keptReport, { contact_name: null, contact_email: null, contact_phone: null, account_id: null })
    assert.equal(
      (await staff.get(`/backoffice/cases/${kept.caseId}`)).statusCode,
      200,
      'the office still works on the case',
    )

    const log = (await listDeletions(db())).filter(l => l.reason === 'account-erasure')
    const logged = (type: string, outcome: string) =>
      log.filter(l => l.subjectType === type && l.outcome === outcome).reduce((n, l) => n + l.count, 0)
    assert.ok(logged('account', 'deleted') >= 1)
    assert.ok(logged('draft', 'deleted') >= 1)
    assert.ok(logged('case', 'anonymised') >= 1)
    assert.ok(logged('report-follower', 'deleted') >= 2)
    const logText = JSON.stringify(log)
    for (const needle of needles) assert.ok(!logText.includes(needle), 'the deletion log names nobody')

    const confirmation = await db()
      .selectFrom('mail_outbox')
      .select(['subject', 'body_text'])
      .where('recipient', '=', email)
      .execute()
    assert.equal(confirmation.length, 1, 'the confirmation is the only mail left to the address')
    assert.match(confirmation[0]!.subject, /Ihr Konto ist gelöscht/)
  })
})

// Last: it moves the platform's clock a week on, past every session the other tests signed in with.
describe('the end of an export', () => {
  it('deletes the archive after seven days; the download then answers 409 and says so', async () => {
    const citizen = await citizenBrowser(platform, DEMO_BUSINESS)
    await citizen.get('/account/privacy')
    const exportId = exportIdFrom((await citizen.post('/account/privacy/exports')).headers.location)
    await worker.runDueJobs()
    assert.equal((await citizen.get(`/account/privacy/exports/${exportId}/download`)).statusCode, 200)
    platform.clock.advance(7 * DAY + 3_600_000)
    await worker.runDueJobs()
    const row = await db()
      .selectFrom('privacy_exports')
      .select(['status', 'content'])
      .where('id', '=', exportId)
      .executeTakeFirstOrThrow()
    assert.equal(row.status, 'expired')
    assert.equal(row.content, null, 'the ZIP itself is gone')
    // The week ended the session too (citizens' sessions last a day at most): the person signs in again.
    const again = await citizenBrowser(platform, DEMO_BUSINESS)
    const late = await again.get(`/account/privacy/exports/${exportId}/download`)
    assert.equal(late.statusCode, 409)
    assert.match(late.body, /abgelaufen/)
  })
})

/**
 * Every table and every text, JSON, uuid and byte column of the database, searched for each needle: the tables whose
 * rows hold one outside the kept cases. A kept case may hold the person: the city must keep the application as it was
 * made (answers, applicant name, letters, files) until its retention period ends (docs/privacy.md), so rows of a kept
 * case, and rows that belong to one (its messages' files, its documents' versions, the audit entries about it), are
 * allowed. The confirmation mail is allowed too: it is the last message to the address and leaves with the outbox.
 */
async function placesHolding(needles: string[], keptCaseIds: string[]): Promise<string[]> {
  const kept = sql.join(keptCaseIds.map(id => sql`${id}::uuid`))
  const keptText = sql.join(keptCaseIds.map(id => sql`${id}`))
  const keptRow: Record<string, ReturnType<typeof sql>> = {
    cases: sql`id in (${kept})`,
    message_files: sql`message_id in (select id from messages where case_id in (${kept}))`,
    file_document_versions: sql`document_id in (select id from file_documents where case_id in (${kept}))`,
    notice_draft_updates: sql`draft_id in (select id from notice_drafts where case_id in (${kept}))`,
    report_photos: sql`report_id in (select id from reports where case_id in (${kept}))`,
    payment_events: sql`payment_id in (select id from payments where case_id in (${kept}))`,
    audit_log: sql`(subject_type = 'case' and subject_id in (${keptText})) or details->>'caseId' in (${keptText})`,
    mail_outbox: sql`subject like '%Ihr Konto ist gelöscht%'`,
    jobs: sql`payload->>'caseId' in (${keptText})`,
  }
  const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select c.table_name, c.column_name, c.data_type
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
      and c.data_type in ('text', 'character varying', 'json', 'jsonb', 'uuid', 'bytea', 'ARRAY')
    order by c.table_name, c.column_name`.execute(db())
  const byTable = new Map<string, { column: string; type: string }[]>()
  for (const c of columns.rows)
    byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), { column: c.column_name, type: c.data_type }])
  assert.ok(byTable.size > 30, `the walk sees every table (${byTable.size})`)
  const found: string[] = []
  for (const [table, cols] of byTable) {
    const hasCaseId = cols.some(c => c.column === 'case_id')
    const keptCondition = keptRow[table] ?? (hasCaseId ? sql`case_id in (${kept})` : sql`false`)
    const matches = cols.flatMap(({ column, type }) =>
      needles.map(needle =>
        type === 'bytea'
          ? sql`position(convert_to(${needle}, 'UTF8') in ${sql.ref(column)}) > 0`
          : sql`position(lower(${needle}) in lower(${sql.ref(column)}::text)) > 0`,
      ),
    )
    const hit = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(table)}
      where (${sql.join(matches, sql` or `)}) and not coalesce((${keptCondition}), false)`.execute(db())
    if (hit.rows[0]!.n > 0) found.push(table)
  }
  return found
}
