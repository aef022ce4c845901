import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { strFromU8, unzipSync } from 'fflate'
import { startTestPlatform, TestBrowser, DEMO_PASSWORD, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser, staffBrowser, submitCase } from './support/casework.js'
import { fillDraft } from './support/autofill.js'
import { buildJobRegistry } from '../src/jobs.js'
import { RETENTION_JOB } from '../src/modules/retention/index.js'
import { retentionEnd } from '../src/modules/cases/index.js'
import type { JobLogger } from '../src/platform/jobs/index.js'
import { DEMO_ADMIN, DEMO_CITIZEN } from '../src/seed.js'

const DAY = 86_400_000
const YEAR = 366 * DAY
const FOUND_ANIMAL = 'fundtier-tierheim' // retention 1 year
const MUNITIONS = 'kampfmittel-luftbildauswertung' // retention 10 years, archive: true
const CERTIFICATE = 'fuehrungszeugnis' // retention 1 year, fee paid on submission
const silent: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined }

let platform: TestPlatform
const db = () => platform.database.db

/** The platform admin, signed in afresh: the tests move the clock by years, past any session's lifetime. */
async function adminBrowser() {
  const admin = new TestBrowser(platform)
  await admin.get('/backoffice/login')
  assert.equal((await admin.post('/backoffice/login', { email: DEMO_ADMIN, password: DEMO_PASSWORD })).statusCode, 303)
  return admin
}

/** The daily job, as the worker runs it: the handler of the job registry with the platform's clock. */
async function runRetentionJob() {
  const registry = buildJobRegistry({
    db: db(),
    config: platform.config,
    services: platform.app.services,
    log: silent,
  })
  const handler = registry.handlers.get(RETENTION_JOB)
  assert.ok(handler, 'the retention job is registered')
  await handler({}, { db: db(), log: silent, attempt: 1, jobId: 1, clock: platform.clock })
}

/** Moves a case along the given steps as the office's caseworker would, on the case page. */
async function transition(officeId: string, caseId: string, steps: string[]) {
  const staff = await staffBrowser(platform, officeId)
  for (const transitionId of steps) {
    const page = await staff.get(`/backoffice/cases/${caseId}`)
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1]
    const res = await staff.post(`/backoffice/cases/${caseId}/transitions`, { transitionId, version: version ?? '' })
    assert.equal(res.statusCode, 303, `${transitionId} on ${caseId}: ${res.statusCode}`)
  }
}

const caseRow = (caseId: string) => db().selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst()
const countWhere = async (table: 'case_events' | 'files' | 'file_documents' | 'messages', caseId: string) =>
  Number(
    (
      await db()
        .selectFrom(table)
        .select(sql<string>`count(*)`.as('n'))
        .where('case_id', '=', caseId)
        .executeTakeFirstOrThrow()
    ).n,
  )
const deletionLog = () => db().selectFrom('deletion_log').selectAll().orderBy('id').execute()

before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform?.close()
})

describe('the daily retention run', () => {
  it('is one job of the registry, scheduled daily', () => {
    const registry = buildJobRegistry({
      db: db(),
      config: platform.config,
      services: platform.app.services,
      log: silent,
    })
    assert.deepEqual(
      registry.schedules.filter(s => s.name === RETENTION_JOB),
      [{ name: RETENTION_JOB, everySeconds: 86_400 }],
    )
  })

  it('deletes untouched drafts after DRAFT_RETENTION_DAYS, outbox mails after MAIL_RETENTION_DAYS and audit rows after AUDIT_RETENTION_DAYS', async () => {
    const { draftId } = await fillDraft(
      await citizenBrowser(platform, DEMO_CITIZEN),
      platform.app.services.get(FOUND_ANIMAL),
    )
    const draftFiles = await db().selectFrom('files').select('id').where('draft_id', '=', draftId).execute()
    assert.ok(draftFiles.length > 0, 'the draft holds an upload')
    await submitCase(platform, await citizenBrowser(platform), FOUND_ANIMAL)
    const mails = await db().selectFrom('mail_outbox').select('id').execute()
    const audits = await db().selectFrom('audit_log').select('id').execute()
    assert.ok(mails.length > 0 && audits.length > 0)

    platform.clock.advance((platform.config.mailRetentionDays + 1) * DAY)
    await runRetentionJob()
    assert.equal((await db().selectFrom('mail_outbox').select('id').execute()).length, 0, 'mails are gone')
    assert.ok(await db().selectFrom('drafts').select('id').where('id', '=', draftId).executeTakeFirst(), 'draft kept')

    platform.clock.advance(platform.config.draftRetentionDays * DAY)
    await runRetentionJob()
    assert.equal(await db().selectFrom('drafts').select('id').where('id', '=', draftId).executeTakeFirst(), undefined)
    const filesLeft = await db()
      .selectFrom('files')
      .select('id')
      .where(
        'id',
        'in',
        draftFiles.map(f => f.id),
      )
      .execute()
    assert.deepEqual(filesLeft, [], "the draft's uploads are gone with it")
    assert.ok((await db().selectFrom('audit_log').select('id').execute()).length > 0, 'audit rows kept')

    platform.clock.advance(platform.config.auditRetentionDays * DAY)
    await runRetentionJob()
    const auditLeft = await db()
      .selectFrom('audit_log')
      .select('id')
      .where(
        'id',
        'in',
        audits.map(a => a.id),
      )
      .execute()
    assert.deepEqual(auditLeft, [], 'audit rows older than their period are gone')
    const kinds = new Set((await deletionLog()).map(r => r.subject_type))
    for (const kind of ['mail', 'draft', 'draft-file', 'audit']) assert.ok(kinds.has(kind), `${kind} logged`)
  })

  it('deletes a case once its retention after closure has ended, with its events, answers, files and their bytes, and logs no personal data', async () => {
    const applicant = await citizenBrowser(platform)
    const { caseId, reference } = await submitCase(platform, applicant, FOUND_ANIMAL)
    const submitted = await caseRow(caseId)
    assert.equal(submitted?.retain_until, null, 'an open case has no end of retention')
    const fileIds = (await db().selectFrom('files').select('id').where('case_id', '=', caseId).execute()).map(f => f.id)
    assert.ok(fileIds.length > 0, 'the case has uploaded files')
    assert.ok((await countWhere('file_documents', caseId)) > 0, 'and an e-file')
    assert.ok((await countWhere('messages', caseId)) >= 0)

    platform.clock.advance(30 * DAY)
    await transition('tierheim', caseId, ['start', 'approve'])
    const closed = await caseRow(caseId)
    assert.equal(closed?.retain_until, retentionEnd(platform.clock.now(), 1), 'retention counts from the closure')
    const draftId = closed!.draft_id
    const personal = [
      caseId,
      reference,
      closed!.applicant_name,
      closed!.applicant_email ?? reference,
      draftId,
      ...fileIds,
    ]
    const logBefore = (await deletionLog()).length

    // The day before the end of retention nothing happens; the database itself refuses an early delete.
    platform.clock.advance(YEAR - 31 * DAY)
    await runRetentionJob()
    assert.ok(await caseRow(caseId), 'kept until retain_until has passed')
    await assert.rejects(db().deleteFrom('cases').where('id', '=', caseId).execute(), /retained until/)

    platform.clock.advance(40 * DAY)
    await runRetentionJob()
    assert.equal(await caseRow(caseId), undefined, 'the case is gone')
    for (const table of ['case_events', 'files', 'file_documents', 'messages'] as const)
      assert.equal(await countWhere(table, caseId), 0, `no ${table} left`)
    const bytes = await db()
      .selectFrom('files')
      .select(sql<string>`count(*)`.as('n'))
      .where('id', 'in', fileIds)
      .executeTakeFirstOrThrow()
    assert.equal(Number(bytes.n), 0, 'file rows and their bytes are gone')
    assert.equal(await db().selectFrom('drafts').select('id').where('id', '=', draftId).executeTakeFirst(), undefined)

    const logged = (await deletionLog()).slice(logBefore).filter(r => r.details.service === FOUND_ANIMAL)
    const byKind = Object.fromEntries(logged.map(r => [r.subject_type, r]))
    assert.equal(byKind.case?.count, 1)
    assert.equal(byKind.case?.reason, 'retention')
    assert.equal(byKind.file?.count, fileIds.length)
    assert.ok(Number(byKind.file?.details.bytes) > 0, 'the bytes freed are counted')
    assert.ok((byKind['case-event']?.count ?? 0) >= 3, 'submitted, start, approve')
    assert.equal(byKind.case?.details.office, 'tierheim')
    // The log holds kinds, counts, service and office: no id, reference, name, e-mail or file of the person.
    const text = JSON.stringify(logged)
    for (const value of personal) assert.ok(!text.includes(value), `the deletion log does not contain ${value}`)
    for (const row of logged) {
      assert.deepEqual(
        Object.keys(row.details).sort(),
        Object.keys(row.details)
          .filter(k => ['bytes', 'office', 'service'].includes(k))
          .sort(),
      )
    }
  })

  it("keeps the case's payments for the treasury, detached from the case, the person and the receipt", async () => {
    const { caseId } = await submitCase(platform, await citizenBrowser(platform), CERTIFICATE, { feeExemption: 'no' })
    const paid = await db().selectFrom('payments').selectAll().where('case_id', '=', caseId).execute()
    assert.equal(paid.length, 1, 'paid on submission')
    assert.equal(paid[0]!.status, 'paid')
    assert.ok(paid[0]!.account_id)
    await transition('buergerdienste', caseId, ['start', 'approve'])
    const logBefore = (await deletionLog()).length
    platform.clock.advance(YEAR + 5 * DAY)
    await runRetentionJob()
    assert.equal(await caseRow(caseId), undefined)
    const kept = await db().selectFrom('payments').selectAll().where('id', '=', paid[0]!.id).executeTakeFirstOrThrow()
    assert.deepEqual(
      [kept.case_id, kept.account_id, kept.draft_id, kept.receipt_file_id, kept.fee_notice_id, kept.redirect_url],
      [null, null, null, null, null, null],
    )
    assert.deepEqual(
      [kept.reference, kept.amount_cents, kept.status, kept.service_id],
      [paid[0]!.reference, paid[0]!.amount_cents, 'paid', CERTIFICATE],
    )
    const logged = (await deletionLog()).slice(logBefore).filter(r => r.details.service === CERTIFICATE)
    assert.equal(logged.find(r => r.subject_type === 'payment')?.outcome, 'anonymised')
    assert.equal(logged.find(r => r.subject_type === 'payment')?.count, 1)
  })

  it('never deletes an open case, however old', async () => {
    const { caseId } = await submitCase(platform, await citizenBrowser(platform), FOUND_ANIMAL)
    await transition('tierheim', caseId, ['start'])
    platform.clock.advance(50 * YEAR)
    await runRetentionJob()
    const row = await caseRow(caseId)
    assert.ok(row, 'still there')
    assert.equal(row.retain_until, null)
    await assert.rejects(db().deleteFrom('cases').where('id', '=', caseId).execute(), /retained until its closure/)
  })
})

describe('Aussonderung: a service kept for the archive', () => {
  let taken: { caseId: string; reference: string }
  let released: { caseId: string; reference: string }

  before(async () => {
    taken = await submitCase(platform, await citizenBrowser(platform), MUNITIONS)
    released = await submitCase(platform, await citizenBrowser(platform), MUNITIONS)
    for (const c of [taken, released]) await transition('ordnungsamt', c.caseId, ['start', 'approve'])
    platform.clock.advance(10 * YEAR + 5 * DAY)
    await runRetentionJob()
  })

  it('offers expired cases to the archive instead of deleting them, and keeps them until the archive decides', async () => {
    assert.ok(await caseRow(taken.caseId))
    assert.ok(await caseRow(released.caseId))
    platform.clock.advance(30 * DAY)
    await runRetentionJob()
    assert.ok(await caseRow(taken.caseId), 'still waiting for the archivist')
    const page = await (await adminBrowser()).get('/backoffice/admin/archive')
    assert.equal(page.statusCode, 200)
    assert.ok(page.body.includes(taken.reference) && page.body.includes(released.reference))
  })

  it('is only for platform admins: other staff get 404', async () => {
    const caseworker = await staffBrowser(platform, 'ordnungsamt')
    assert.equal((await caseworker.get('/backoffice/admin/archive')).statusCode, 404)
    const res = await caseworker.post(`/backoffice/admin/archive/${taken.caseId}/decision`, { decision: 'archive' })
    assert.equal(res.statusCode, 404)
  })

  it('answers a wrong decision with 400 and a case not on the list with 404', async () => {
    const admin = await adminBrowser()
    await admin.get('/backoffice/admin/archive')
    const wrong = await admin.post(`/backoffice/admin/archive/${taken.caseId}/decision`, { decision: 'burn' })
    assert.equal(wrong.statusCode, 400)
    const missing = await admin.post(`/backoffice/admin/archive/00000000-0000-4000-8000-000000000000/decision`, {
      decision: 'archive',
    })
    assert.equal(missing.statusCode, 404)
  })

  it('hands the cases taken over to the archive as xdomea and deletes them, and deletes the released ones', async () => {
    const admin = await adminBrowser()
    assert.equal((await admin.get('/backoffice/admin/archive')).statusCode, 200)
    const logBefore = (await deletionLog()).length
    const decide = (caseId: string, decision: string) =>
      admin.post(`/backoffice/admin/archive/${caseId}/decision`, { decision })
    assert.equal((await decide(taken.caseId, 'archive')).statusCode, 303)
    assert.equal((await decide(released.caseId, 'destroy')).statusCode, 303)
    const decided = await admin.get('/backoffice/admin/archive?notice=decided')
    assert.match(decided.body, /Archivwürdig/)

    await runRetentionJob()
    assert.equal(await caseRow(taken.caseId), undefined)
    assert.equal(await caseRow(released.caseId), undefined)
    const logged = (await deletionLog()).slice(logBefore)
    assert.equal(logged.find(r => r.reason === 'archive-transfer' && r.subject_type === 'case')?.count, 1)
    assert.equal(
      logged.find(r => r.reason === 'retention' && r.subject_type === 'case' && r.details.decision === 'destroy')
        ?.count,
      1,
    )
    const text = JSON.stringify(logged)
    for (const value of [taken.caseId, taken.reference, released.caseId, released.reference])
      assert.ok(!text.includes(value))

    const page = await admin.get('/backoffice/admin/archive')
    const link = /href="(\/backoffice\/admin\/archive\/transfers\/[0-9a-f-]+)"/.exec(page.body)?.[1]
    assert.ok(link, 'the package is listed')
    const download = await admin.get(link)
    assert.equal(download.statusCode, 200)
    assert.equal(download.headers['content-type'], 'application/zip')
    const zip = unzipSync(new Uint8Array(download.rawPayload))
    const message = Object.keys(zip).find(name => name.endsWith('_Aussonderung.Aussonderung.0503.xml'))
    assert.ok(message, 'the xdomea message is in the package')
    const xml = strFromU8(zip[message]!)
    assert.match(xml, /<xdomea:Aussonderung\.Aussonderung\.0503/)
    assert.match(xml, /<code>0503<\/code>/)
    assert.ok(xml.includes(`<xdomea:Kennzeichen>${taken.reference}</xdomea:Kennzeichen>`))
    assert.ok(!xml.includes(released.reference), 'a released case is not handed over')
    // Every file the message names is in the package.
    const named = [...xml.matchAll(/<xdomea:Dateiname>([^<]+)<\/xdomea:Dateiname>/g)].map(m => m[1]!)
    assert.ok(named.length > 0)
    for (const name of named) assert.ok(zip[name], `${name} is in the package`)
  })

  it('keeps the hand-over package only ARCHIVE_TRANSFER_RETENTION_DAYS', async () => {
    assert.equal((await db().selectFrom('archive_transfers').select('id').execute()).length, 1)
    platform.clock.advance((platform.config.archiveTransferRetentionDays + 1) * DAY)
    await runRetentionJob()
    assert.equal((await db().selectFrom('archive_transfers').select('id').execute()).length, 0)
  })
})

describe('records of processing (Art. 30 DSGVO)', () => {
  it('shows every service with purpose, legal basis, data categories, recipients and retention', async () => {
    const page = await (await adminBrowser()).get('/backoffice/admin/data-protection')
    assert.equal(page.statusCode, 200)
    for (const def of platform.app.services.all()) {
      assert.ok(page.body.includes(def.title.de.replace(/&/g, '&amp;')), def.id)
      assert.ok(def.processing, `${def.id} has its processing entry`)
    }
    assert.ok(page.body.includes('§§ 3, 17, 19 BMG'))
    assert.ok(!page.body.includes('>Fehlt<'), 'nothing missing')
    assert.match(page.body, /Löschprotokoll/)
  })

  it('downloads as CSV for German Excel, in the reader’s language', async () => {
    const res = await (await adminBrowser()).get('/backoffice/admin/data-protection/register.csv')
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^text\/csv/)
    assert.match(String(res.headers['content-disposition']), /attachment; filename="verarbeitungsverzeichnis-/)
    assert.ok(res.body.startsWith('\uFEFFservice_id;service;office;purpose;legal_basis;data_categories;recipients'))
    const lines = res.body.trim().split('\r\n')
    assert.equal(lines.length, 1 + platform.app.services.all().length)
    const registration = lines.find(l => l.startsWith('wohnsitz-anmeldung;'))
    assert.ok(registration?.includes('§§ 3, 17, 19 BMG'))
    assert.ok(registration?.includes(';5;§ 14 Abs. 2 BMG;no'))
    assert.ok(lines.find(l => l.startsWith('bauantrag;'))?.endsWith(';30;;yes'))
  })

  it('is only for platform admins', async () => {
    const caseworker = await staffBrowser(platform, 'buergerdienste')
    assert.equal((await caseworker.get('/backoffice/admin/data-protection')).statusCode, 404)
    assert.equal((await caseworker.get('/backoffice/admin/data-protection/register.csv')).statusCode, 404)
  })
})

describe('bauhaus check-services', () => {
  it('warns, without failing, when a service lacks its records-of-processing entry', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-services-'))
    try {
      for (const file of ['_offices.yaml', '_offline.yaml', 'meldebescheinigung.yaml', 'kontaktanfrage.yaml'])
        fs.copyFileSync(path.join('services', file), path.join(dir, file))
      const stripped = fs
        .readFileSync(path.join('services', 'meldebescheinigung.yaml'), 'utf8')
        .replace(/^processing:\n(?: {2}.*\n)+/m, '')
      fs.writeFileSync(path.join(dir, 'meldebescheinigung.yaml'), stripped)
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'check-services'], {
        env: { ...process.env, SERVICES_DIR: dir, DATABASE_URL: '' },
        encoding: 'utf8',
      })
      assert.equal(run.status, 0, run.stderr)
      assert.match(
        run.stderr,
        /warning: meldebescheinigung: no purpose, legalBasis, dataCategories, recipients for the records of processing/,
      )
      assert.ok(!run.stderr.includes('kontaktanfrage'))
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
