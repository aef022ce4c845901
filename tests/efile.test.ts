import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { strFromU8, unzipSync } from 'fflate'
import { XMLParser } from 'fast-xml-parser'
import { pdfWithText } from './support/pdf.js'
import { createServerDatabase, startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser, staffBrowser, submitCase } from './support/casework.js'
import { createCase, findCase } from '../src/modules/cases/index.js'
import { issueFeeNotice } from '../src/modules/payments/index.js'
import { startJobWorker, type JobLogger, type JobWorker } from '../src/platform/jobs/index.js'
import { openDatabase, type DatabaseHandle } from '../src/platform/db/database.js'
import { buildJobRegistry } from '../src/jobs.js'
import { addWorkingDays } from '../src/platform/calendar/index.js'
import { todayInGermany } from '../src/platform/i18n/i18n.js'

const OFFICE = 'stadtkasse-steueramt'
const silent: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined }

let platform: TestPlatform
let worker: JobWorker
let dogCase: { caseId: string; reference: string }
let staff: TestBrowser
let citizen: TestBrowser

const db = () => platform.database.db
const fileUrl = (caseId: string) => `/backoffice/cases/${caseId}/file`

/** The hidden fields of the form posting to `action` on the last page (a case version, …), besides the CSRF token. */
function hiddenFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`)
  assert.ok(start >= 0, `no form posting to ${action}`)
  const form = html.slice(start, html.indexOf('</form>', start))
  const fields: Record<string, string> = {}
  for (const [input] of form.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(input)?.[1]
    if (name && name !== '_csrf') fields[name] = /value="([^"]*)"/.exec(input)?.[1] ?? ''
  }
  return fields
}

/** Posts a form of the case page as a person would: opened first, with what the page put in it. */
async function postCaseForm(browser: TestBrowser, caseId: string, action: string, fields: Record<string, string>) {
  const page = await browser.get(`/backoffice/cases/${caseId}`)
  assert.equal(page.statusCode, 200)
  const url = `/backoffice/cases/${caseId}/${action}`
  return browser.post(url, { ...hiddenFields(page.body, url), ...fields })
}

const documentsOf = (caseId: string) =>
  db().selectFrom('file_documents').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute()
const versionsOf = (documentId: string) =>
  db()
    .selectFrom('file_document_versions')
    .selectAll()
    .where('document_id', '=', documentId)
    .orderBy('version')
    .execute()

async function noteDocumentId(caseId: string, text: string) {
  const row = await db()
    .selectFrom('file_documents')
    .innerJoin('file_document_versions', 'file_document_versions.document_id', 'file_documents.id')
    .select('file_documents.id')
    .where('file_documents.case_id', '=', caseId)
    .where('file_documents.kind', '=', 'note')
    .where('file_document_versions.text_content', '=', text)
    .executeTakeFirstOrThrow()
  return row.id
}

before(async () => {
  platform = await startTestPlatform()
  worker = await startJobWorker(
    db(),
    buildJobRegistry({ db: db(), config: platform.config, services: platform.app.services, log: silent }),
    { log: silent, polling: false },
  )
  citizen = await citizenBrowser(platform)
  // A dangerous dog: the form asks for the permit as an upload.
  dogCase = await submitCase(platform, citizen, 'hundesteuer-anmeldung', { dangerousDog: 'section3' })
  staff = await staffBrowser(platform, OFFICE)

  const asked = await postCaseForm(staff, dogCase.caseId, 'messages', {
    subject: 'Nachweis Hundehaltung',
    body: 'Bitte senden Sie uns die Bescheinigung.',
    requestsDocuments: 'yes',
  })
  assert.equal(asked.statusCode, 303)
  const request = await db()
    .selectFrom('messages')
    .select('id')
    .where('case_id', '=', dogCase.caseId)
    .where('direction', '=', 'to_applicant')
    .executeTakeFirstOrThrow()
  await citizen.get(`/account/postbox/${request.id}`)
  const replied = await citizen.post(
    `/account/postbox/${request.id}/reply`,
    { body: 'Anbei die Bescheinigung des Zwingers.' },
    {
      files: [
        {
          field: 'documents',
          filename: 'bescheinigung.pdf',
          content: await pdfWithText('Zwingerbescheinigung für den Rüden Bello, ausgestellt vom Kreisveterinär.'),
        },
      ],
    },
  )
  assert.equal(replied.statusCode, 303)
  assert.equal(
    (await postCaseForm(staff, dogCase.caseId, 'notes', { note: 'Rückruf beim Tierarzt vereinbart.' })).statusCode,
    303,
  )
  const caseRecord = (await findCase(db(), dogCase.caseId))!
  await issueFeeNotice(
    { db: db(), services: platform.app.services, config: platform.config },
    {
      caseRecord,
      staff: null,
      dueOn: '2030-01-31',
      lines: [
        { id: 'tax', label: { de: 'Hundesteuer', en: 'Dog tax' }, quantity: 1, unitCents: 15600, totalCents: 15600 },
      ],
    },
  )
})
after(async () => {
  await worker?.stop()
  await platform.close()
})

describe('the electronic case file', () => {
  it('files the submitted data, the uploads, the messages both ways, the note and the fee notice as documents', async () => {
    const docs = await documentsOf(dogCase.caseId)
    const kinds = docs.map(d => d.kind)
    for (const kind of ['submission', 'attachment', 'message', 'note', 'fee_notice'] as const)
      assert.ok(kinds.includes(kind), `a ${kind} document`)
    // The permit uploaded with the application and the certificate sent with the reply.
    assert.equal(kinds.filter(k => k === 'attachment').length, 2)
    // The request, the reply, and the letter carrying the fee notice.
    assert.equal(kinds.filter(k => k === 'message').length, 3)
    const submission = docs.find(d => d.kind === 'submission')!
    const [text] = await versionsOf(submission.id)
    // Labelled with the form's own labels, in the case's language, as the case view shows them.
    assert.match(text!.text_content!, /Name des Hundes: /)
    assert.match(text!.text_content!, /Hundesteuer/)
    assert.equal(text!.created_by_account_id, (await findCase(db(), dogCase.caseId))!.accountId)
    const reply = docs.find(d => d.kind === 'message' && d.title.startsWith('Re: '))!
    assert.ok((await versionsOf(reply.id))[0]!.created_by_account_id)

    const page = await staff.get(fileUrl(dogCase.caseId))
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Akte DO-/)
    assert.match(page.body, /Antrag und Unterlagen/)
    assert.match(page.body, /Schriftverkehr/)
    assert.match(page.body, /Vermerke/)
    assert.match(page.body, /Gebühren und Zahlungen/)
    assert.ok(page.body.includes('bescheinigung.pdf'))
    assert.ok(page.body.includes('Rückruf beim Tierarzt vereinbart.'))
    assert.match(page.body, /Gebührenbescheid GB-/)
    assert.match(page.body, /Aufzubewahren bis/)
    const read = await db()
      .selectFrom('audit_log')
      .select('actor_staff_id')
      .where('action', '=', 'efile.read')
      .where('subject_id', '=', dogCase.caseId)
      .execute()
    assert.ok(read.length >= 1)
  })

  it('links the file from the case view', async () => {
    const view = await staff.get(`/backoffice/cases/${dogCase.caseId}`)
    assert.ok(view.body.includes(`href="${fileUrl(dogCase.caseId)}"`))
  })

  it("downloads each version's file, and records the read", async () => {
    const notice = (await documentsOf(dogCase.caseId)).find(d => d.kind === 'fee_notice')!
    const res = await staff.get(`${fileUrl(dogCase.caseId)}/documents/${notice.id}/versions/1`)
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['content-type'], 'application/pdf')
    assert.ok(res.rawPayload.subarray(0, 5).equals(Buffer.from('%PDF-')))
    const audit = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'efile.read')
      .where('subject_id', '=', notice.id)
      .executeTakeFirstOrThrow()
    assert.equal((audit.details as { version: number }).version, 1)
    assert.equal((await staff.get(`${fileUrl(dogCase.caseId)}/documents/${notice.id}/versions/2`)).statusCode, 404)
  })

  it('keeps version 1 when a note is edited and shows both, each with who and when', async () => {
    const documentId = await noteDocumentId(dogCase.caseId, 'Rückruf beim Tierarzt vereinbart.')
    const form = await staff.get(`${fileUrl(dogCase.caseId)}/documents/${documentId}/edit`)
    assert.equal(form.statusCode, 200)
    assert.match(form.body, /name="basedOnVersion" value="1"/)
    const saved = await staff.post(`${fileUrl(dogCase.caseId)}/documents/${documentId}`, {
      text: 'Rückruf beim Tierarzt am Montag erledigt.',
      basedOnVersion: '1',
    })
    assert.equal(saved.statusCode, 303)
    const versions = await versionsOf(documentId)
    assert.deepEqual(
      versions.map(v => [v.version, v.text_content]),
      [
        [1, 'Rückruf beim Tierarzt vereinbart.'],
        [2, 'Rückruf beim Tierarzt am Montag erledigt.'],
      ],
    )
    assert.ok(versions.every(v => v.created_by_staff_id))
    const doc = await db()
      .selectFrom('file_documents')
      .select('current_version')
      .where('id', '=', documentId)
      .executeTakeFirstOrThrow()
    assert.equal(doc.current_version, 2)
    const page = await staff.get(fileUrl(dogCase.caseId))
    assert.ok(
      page.body.includes('Rückruf beim Tierarzt vereinbart.') &&
        page.body.includes('Rückruf beim Tierarzt am Montag erledigt.'),
    )
    assert.match(page.body, /Frühere Versionen \(1\)/)
    assert.match(page.body, /Version 1 · [^<]+ · \d/)
    // The timeline shows what the note says now.
    const view = await staff.get(`/backoffice/cases/${dogCase.caseId}`)
    assert.ok(view.body.includes('Rückruf beim Tierarzt am Montag erledigt.'))
  })

  it('refuses an edit based on an older version with 409, showing both texts and keeping what was typed', async () => {
    const documentId = await noteDocumentId(dogCase.caseId, 'Rückruf beim Tierarzt vereinbart.')
    const typed = 'Meine Fassung: Tierarzt <b>nicht</b> erreicht'
    const stale = await staff.post(`${fileUrl(dogCase.caseId)}/documents/${documentId}`, {
      text: typed,
      basedOnVersion: '1',
    })
    assert.equal(stale.statusCode, 409)
    assert.match(stale.body, /Die Notiz wurde inzwischen geändert/)
    assert.ok(stale.body.includes('Rückruf beim Tierarzt am Montag erledigt.'), 'their text')
    assert.ok(stale.body.includes('Meine Fassung: Tierarzt &lt;b>nicht&lt;/b> erreicht'), 'your text, escaped')
    assert.match(stale.body, /name="basedOnVersion" value="2"/)
    assert.equal((await versionsOf(documentId)).length, 2)

    const english = new TestBrowser(platform, 'en')
    await english.get('/backoffice/login')
    await english.post('/backoffice/login', { email: `sb.${OFFICE}@stadt.example`, password: 'Bauhaus-Demo-2026' })
    await english.get(`${fileUrl(dogCase.caseId)}/documents/${documentId}/edit`)
    const staleEn = await english.post(`${fileUrl(dogCase.caseId)}/documents/${documentId}`, {
      text: 'My text',
      basedOnVersion: '1',
    })
    assert.equal(staleEn.statusCode, 409)
    assert.match(staleEn.body, /The note was changed meanwhile/)
    assert.match(staleEn.body, /Your text/)

    // Saved again on top of the newer version, it becomes version 3.
    assert.equal(
      (await staff.post(`${fileUrl(dogCase.caseId)}/documents/${documentId}`, { text: typed, basedOnVersion: '2' }))
        .statusCode,
      303,
    )
    assert.equal((await versionsOf(documentId)).length, 3)
  })

  it('answers an empty note with 400 and the error next to the field', async () => {
    const documentId = await noteDocumentId(dogCase.caseId, 'Rückruf beim Tierarzt vereinbart.')
    const res = await staff.post(`${fileUrl(dogCase.caseId)}/documents/${documentId}`, {
      text: '  ',
      basedOnVersion: '3',
    })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /href="#text"/)
    assert.equal(
      (await staff.post(`${fileUrl(dogCase.caseId)}/documents/${documentId}`, { text: 'x', basedOnVersion: 'eins' }))
        .statusCode,
      400,
    )
  })

  it("finds a word of an uploaded PDF once the extraction job ran, and a note's word, highlighted with <mark>", async () => {
    const before = await staff.get(`${fileUrl(dogCase.caseId)}?q=Zwingerbescheinigung`)
    assert.match(before.body, /Keine Treffer/)
    assert.ok((await worker.runDueJobs()) >= 1)
    const pdfHit = await staff.get(`${fileUrl(dogCase.caseId)}?q=Zwingerbescheinigung`)
    assert.equal(pdfHit.statusCode, 200)
    assert.match(pdfHit.body, /<mark>Zwingerbescheinigung<\/mark>/)
    assert.match(pdfHit.body, /bescheinigung\.pdf/)
    assert.match(pdfHit.body, /Text durchsuchbar/)
    // Words of a note, in any of its versions.
    const noteHit = await staff.get(`${fileUrl(dogCase.caseId)}?q=${encodeURIComponent('Tierarzt Montag')}`)
    assert.match(noteHit.body, /<mark>Tierarzt<\/mark>/)
    assert.match(noteHit.body, /<mark>Montag<\/mark>/)
    const audit = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'efile.read')
      .where('subject_id', '=', dogCase.caseId)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.equal((audit.details as { query: string }).query, 'Tierarzt Montag')
  })

  it('escapes what a document says in search snippets: only the hits become <mark>', async () => {
    assert.equal(
      (
        await postCaseForm(staff, dogCase.caseId, 'notes', {
          note: 'Verdacht <script>alert(1)</script> auf Giftköder <mark>x</mark> im Garten',
        })
      ).statusCode,
      303,
    )
    const res = await staff.get(`${fileUrl(dogCase.caseId)}?q=${encodeURIComponent('Giftköder')}`)
    assert.equal(res.statusCode, 200)
    assert.ok(!res.body.includes('<script>alert(1)'))
    assert.ok(!res.body.includes('<mark>x</mark>'))
    assert.match(res.body, /<mark>Giftköder<\/mark>/)
    assert.ok(res.body.includes('&lt;script>alert(1)&lt;/script>'))
    const markup = await staff.get(
      `${fileUrl(dogCase.caseId)}?q=${encodeURIComponent('Giftköder <img src=x onerror=alert(2)>')}`,
    )
    assert.equal(markup.statusCode, 200)
    // Inside a quoted attribute (the search field keeps the query) a < is text; anywhere else it would be markup.
    assert.ok(!markup.body.replace(/ value="[^"]*"/g, '').includes('<img src=x'))
  })

  it('exports the whole file as a ZIP named after the reference, with xdomea.xml and metadata.json listing every document and its SHA-256', async () => {
    const res = await staff.get(`${fileUrl(dogCase.caseId)}/export`)
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['content-type'], 'application/zip')
    assert.ok(String(res.headers['content-disposition']).includes(`${dogCase.reference}.zip`))
    const entries = unzipSync(new Uint8Array(res.rawPayload))
    assert.ok(entries['xdomea.xml'] && entries['metadata.json'])

    const xml = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      isArray: name => ['Vorgang', 'Dokument', 'Version', 'Format'].includes(name),
    }).parse(strFromU8(entries['xdomea.xml']!))
    const akte = xml.Abgabe.Akte
    assert.equal(akte.AllgemeineMetadaten.Kennzeichen, dogCase.reference)
    assert.match(akte.AllgemeineMetadaten.Betreff, /Hundesteuer/)
    // The case is still open: its retention counts from its closure, so it has no end yet (docs/retention.md).
    assert.equal(akte.Aufbewahrung, undefined)
    type Dokument = {
      Identifikation: { ID: string }
      Version: {
        Nummer: number
        Format: { Primaerdokument: { Dateiname: string; Pruefsumme: { '#text': string } } }[]
      }[]
    }
    const documents: Dokument[] = akte.Vorgang.flatMap((v: { Dokument: Dokument[] }) => v.Dokument)
    const expected = await documentsOf(dogCase.caseId)
    assert.deepEqual(documents.map(d => d.Identifikation.ID).sort(), expected.map(d => d.id).sort())
    let checked = 0
    for (const doc of documents) {
      const versions = await versionsOf(doc.Identifikation.ID)
      assert.equal(doc.Version.length, versions.length)
      for (const version of doc.Version) {
        assert.ok(version.Format.length >= 1)
        for (const format of version.Format) {
          const bytes = entries[format.Primaerdokument.Dateiname]
          assert.ok(bytes, `${format.Primaerdokument.Dateiname} is in the archive`)
          assert.equal(
            crypto.createHash('sha256').update(bytes).digest('hex'),
            format.Primaerdokument.Pruefsumme['#text'],
          )
          assert.ok(strFromU8(bytes.subarray(0, 5)) === '%PDF-' || format.Primaerdokument.Dateiname.endsWith('.png'))
          checked++
        }
      }
    }
    assert.ok(checked >= 9, `${checked} files checked`)
    // The uploaded certificate is in the archive as it was uploaded.
    const certificate = await db()
      .selectFrom('files')
      .select(['content', 'sha256'])
      .where('case_id', '=', dogCase.caseId)
      .where('filename', '=', 'bescheinigung.pdf')
      .executeTakeFirstOrThrow()
    const metadata = JSON.parse(strFromU8(entries['metadata.json']!)) as {
      file: {
        reference: string
        processes: { documents: { versions: { files: { sha256: string; path: string }[] }[] }[] }[]
      }
    }
    assert.equal(metadata.file.reference, dogCase.reference)
    const files = metadata.file.processes.flatMap(p => p.documents.flatMap(d => d.versions.flatMap(v => v.files)))
    const inArchive = files.find(f => f.sha256 === certificate.sha256)
    assert.ok(inArchive)
    assert.ok(Buffer.from(entries[inArchive.path]!).equals(Buffer.from(certificate.content)))
    const audit = await db()
      .selectFrom('audit_log')
      .select('actor_staff_id')
      .where('action', '=', 'efile.export')
      .where('subject_id', '=', dogCase.caseId)
      .execute()
    assert.equal(audit.length, 1)
  })
})

describe('retention', () => {
  it('is enforced by the database: no document, version, file on record or case is deleted before retain_until', async () => {
    const docs = await documentsOf(dogCase.caseId)
    const attachment = docs.find(d => d.kind === 'attachment')!
    const [version] = await versionsOf(attachment.id)
    await assert.rejects(
      db().deleteFrom('file_document_versions').where('document_id', '=', attachment.id).execute(),
      /retained until/,
    )
    await assert.rejects(db().deleteFrom('file_documents').where('id', '=', attachment.id).execute(), /retained until/)
    await assert.rejects(db().deleteFrom('files').where('id', '=', version!.file_id!).execute())
    await assert.rejects(db().deleteFrom('cases').where('id', '=', dogCase.caseId).execute(), /retained until/)
    await assert.rejects(
      db()
        .updateTable('file_document_versions')
        .set({ text_content: 'geändert' })
        .where('document_id', '=', docs[0]!.id)
        .execute(),
      /cannot be changed/,
    )
    await assert.rejects(
      db()
        .updateTable('files')
        .set({ content: Buffer.from('x') })
        .where('id', '=', version!.file_id!)
        .execute(),
      /cannot be changed/,
    )
    assert.equal((await documentsOf(dogCase.caseId)).length, docs.length)
  })

  it('lets a case and its file go once retain_until has passed', async () => {
    const def = platform.app.services.get('baumfaellung')
    const made = await db()
      .transaction()
      .execute(trx =>
        createCase(trx, {
          draftId: crypto.randomUUID(),
          definition: def,
          answers: {},
          applicantName: 'Alt',
          applicantEmail: null,
          accountId: null,
          filedByStaffId: null,
          locale: 'de',
        }),
      )
    assert.equal((await documentsOf(made.id)).length, 1)
    await db().updateTable('cases').set({ retain_until: '2000-01-01' }).where('id', '=', made.id).execute()
    await db().deleteFrom('cases').where('id', '=', made.id).execute()
    assert.equal((await documentsOf(made.id)).length, 0)
  })
})

describe('access to the case file', () => {
  it('answers 404 to staff of another office and sends citizens and anonymous visitors to the staff login', async () => {
    const notice = (await documentsOf(dogCase.caseId)).find(d => d.kind === 'fee_notice')!
    const note = (await documentsOf(dogCase.caseId)).find(d => d.kind === 'note')!
    const urls = [
      fileUrl(dogCase.caseId),
      `${fileUrl(dogCase.caseId)}?q=Tierarzt`,
      `${fileUrl(dogCase.caseId)}/export`,
      `${fileUrl(dogCase.caseId)}/documents/${notice.id}/versions/1`,
      `${fileUrl(dogCase.caseId)}/documents/${note.id}/edit`,
    ]
    const other = await staffBrowser(platform, 'ordnungsamt')
    const anonymous = new TestBrowser(platform)
    for (const url of urls) {
      assert.equal((await other.get(url)).statusCode, 404, url)
      for (const outsider of [citizen, anonymous]) {
        const res = await outsider.get(url)
        assert.equal(res.statusCode, 303, url)
        assert.match(String(res.headers.location), /^\/backoffice\/login/)
      }
    }
    await other.get('/backoffice')
    assert.equal(
      (await other.post(`${fileUrl(dogCase.caseId)}/documents/${note.id}`, { text: 'fremd', basedOnVersion: '1' }))
        .statusCode,
      404,
    )
    await citizen.get('/account')
    assert.equal(
      (await citizen.post(`${fileUrl(dogCase.caseId)}/documents/${note.id}`, { text: 'fremd', basedOnVersion: '1' }))
        .statusCode,
      403,
    )
    // A document of one case is not reachable through another case's file.
    const otherCase = await submitCase(platform, new TestBrowser(platform), 'hundesteuer-anmeldung')
    assert.equal((await staff.get(`${fileUrl(otherCase.caseId)}/documents/${notice.id}/versions/1`)).statusCode, 404)
    assert.equal((await staff.get(`${fileUrl(otherCase.caseId)}/documents/${note.id}/edit`)).statusCode, 404)
  })
})

describe('an office involved for a statement', () => {
  it('reads and searches the file, downloads its files, and neither edits notes nor exports', async () => {
    const involvedOffice = 'umweltamt'
    const asked = await postCaseForm(staff, dogCase.caseId, 'involvements', {
      officeId: involvedOffice,
      task: 'Haltung im Außenbereich prüfen',
      dueOn: addWorkingDays(todayInGermany(), 10),
    })
    assert.equal(asked.statusCode, 303)
    const involved = await staffBrowser(platform, involvedOffice)
    const page = await involved.get(`${fileUrl(dogCase.caseId)}?q=Tierarzt`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<mark>Tierarzt<\/mark>/)
    assert.match(page.body, /Ihr Amt ist an diesem Vorgang beteiligt/)
    assert.ok(!page.body.includes('/file/export'))
    assert.ok(!page.body.includes('/edit"'))
    const notice = (await documentsOf(dogCase.caseId)).find(d => d.kind === 'fee_notice')!
    assert.equal((await involved.get(`${fileUrl(dogCase.caseId)}/documents/${notice.id}/versions/1`)).statusCode, 200)
    assert.equal((await involved.get(`${fileUrl(dogCase.caseId)}/export`)).statusCode, 404)
    const note = (await documentsOf(dogCase.caseId)).find(d => d.kind === 'note')!
    assert.equal((await involved.get(`${fileUrl(dogCase.caseId)}/documents/${note.id}/edit`)).statusCode, 403)
    assert.equal(
      (await involved.post(`${fileUrl(dogCase.caseId)}/documents/${note.id}`, { text: 'fremd', basedOnVersion: '3' }))
        .statusCode,
      403,
    )
    const audit = await db()
      .selectFrom('audit_log')
      .innerJoin('staff', 'staff.id', 'audit_log.actor_staff_id')
      .select('audit_log.details')
      .where('audit_log.action', '=', 'efile.read')
      .where('staff.email', '=', `sb.${involvedOffice}@stadt.example`)
      .execute()
    assert.ok(audit.length >= 2)
    assert.ok(audit.every(a => (a.details as { as?: string }).as === 'involved'))
  })
})

describe('cases made before the case file existed', () => {
  it('get their file from migration 0011: submission, uploads, messages both ways, notes, fee notices and receipts', async () => {
    const serverUrl = process.env.DATABASE_URL
    const server = serverUrl ? await createServerDatabase(serverUrl, 'bauhaus_efile') : undefined
    let handle: DatabaseHandle | undefined
    try {
      handle = await openDatabase({ databaseUrl: server?.url ?? '', dataDir: 'memory://' })
      const dir = path.resolve('migrations')
      const scripts = fs
        .readdirSync(dir)
        .filter(f => /^\d{4}_.*\.sql$/.test(f))
        .sort()
      for (const file of scripts.filter(f => f < '0011'))
        await handle.execScript(fs.readFileSync(path.join(dir, file), 'utf8'))
      const d = handle.db
      const [caseId, staffId, accountId, uploadId, noticeFileId, receiptFileId, messageId, replyId] = Array.from(
        { length: 8 },
        () => crypto.randomUUID(),
      ) as string[]
      await d.insertInto('offices').values({ id: 'amt', name_de: 'Amt', name_en: 'Office' }).execute()
      await d
        .insertInto('staff')
        .values({ id: staffId!, email: 's@x', name: 'Sachbearbeiterin Alt', password_hash: 'x' })
        .execute()
      await d
        .insertInto('accounts')
        .values({ id: accountId!, kind: 'citizen', email: 'a@x', password_hash: 'x' })
        .execute()
      await sql`insert into cases (id, reference, draft_id, service_id, service_version, office_id, account_id, applicant_name, answers, status, retain_until, locale)
        values (${caseId}, 'DO-2020-000001', ${crypto.randomUUID()}, 'alt', 1, 'amt', ${accountId}, 'Erika', ${JSON.stringify({ dogName: 'Bello', address: { street: 'Weg', houseNumber: '1', postalCode: '44135', city: 'Dortmund' }, days: ['mo', 'di'], _prefilled: ['x'] })}::jsonb, 'submitted', '2040-01-01', 'de')`.execute(
        d,
      )
      for (const [id, name] of [
        [uploadId, 'foto.png'],
        [noticeFileId, 'Gebuehrenbescheid.pdf'],
        [receiptFileId, 'Quittung.pdf'],
      ] as const) {
        await d
          .insertInto('files')
          .values({
            id: id!,
            case_id: caseId!,
            filename: name,
            media_type: name.endsWith('.pdf') ? 'application/pdf' : 'image/png',
            size_bytes: 1,
            sha256: 'x',
            content: Buffer.from('x'),
          })
          .execute()
      }
      await d
        .insertInto('messages')
        .values([
          {
            id: messageId!,
            case_id: caseId!,
            account_id: accountId!,
            direction: 'to_applicant',
            sender_staff_id: staffId!,
            subject: 'Frage',
            body: 'Bitte Foto senden',
          },
          {
            id: replyId!,
            case_id: caseId!,
            account_id: accountId!,
            direction: 'from_applicant',
            subject: 'Re: Frage',
            body: 'Foto anbei',
          },
        ])
        .execute()
      await d
        .insertInto('case_events')
        .values({
          case_id: caseId!,
          kind: 'note',
          internal: true,
          actor_staff_id: staffId!,
          data: JSON.stringify({ text: 'Alte Notiz' }),
        })
        .execute()
      await sql`insert into fee_notices (id, number, case_id, service_id, office_id, lines, amount_cents, due_on, file_id)
        values (${crypto.randomUUID()}, 'GB-ALT-1', ${caseId}, 'alt', 'amt', '[]'::jsonb, 100, '2020-02-01', ${noticeFileId})`.execute(
        d,
      )
      await d
        .insertInto('payments')
        .values({
          id: crypto.randomUUID(),
          reference: 'BH-ALT-1',
          service_id: 'alt',
          office_id: 'amt',
          case_id: caseId!,
          amount_cents: 100,
          status: 'paid',
          description: 'x',
          provider: 'sandbox',
          receipt_file_id: receiptFileId!,
        })
        .execute()

      await handle.execScript(fs.readFileSync(path.join(dir, '0011_efile.sql'), 'utf8'))

      const docs = await d
        .selectFrom('file_documents')
        .innerJoin('file_document_versions', 'file_document_versions.document_id', 'file_documents.id')
        .select([
          'file_documents.id',
          'kind',
          'file_documents.title',
          'text_content',
          'file_id',
          'created_by_staff_id',
          'created_by_account_id',
        ])
        .where('case_id', '=', caseId!)
        .execute()
      const byKind = (kind: string) => docs.filter(r => r.kind === kind)
      assert.match(byKind('submission')[0]!.text_content!, /dogName: Bello/)
      assert.match(byKind('submission')[0]!.text_content!, /address: Weg 1, 44135 Dortmund/)
      assert.match(byKind('submission')[0]!.text_content!, /days: mo, di/)
      assert.doesNotMatch(byKind('submission')[0]!.text_content!, /_prefilled/)
      assert.deepEqual(
        byKind('attachment').map(r => r.file_id),
        [uploadId],
      )
      assert.equal(byKind('fee_notice')[0]!.title, 'Gebührenbescheid GB-ALT-1')
      assert.equal(byKind('receipt')[0]!.title, 'Zahlungsquittung BH-ALT-1')
      assert.deepEqual(
        byKind('message')
          .map(r => [r.title, r.created_by_staff_id ? 'staff' : r.created_by_account_id ? 'applicant' : '?'])
          .sort(),
        [
          ['Frage', 'staff'],
          ['Re: Frage', 'applicant'],
        ],
      )
      const note = byKind('note')[0]!
      assert.equal(note.text_content, 'Alte Notiz')
      const event = await d
        .selectFrom('case_events')
        .select('data')
        .where('case_id', '=', caseId!)
        .executeTakeFirstOrThrow()
      assert.equal((event.data as { documentId: string }).documentId, note.id)
      const jobs = await d.selectFrom('jobs').select('name').where('name', '=', 'efile.extractText').execute()
      assert.equal(jobs.length, 2)
    } finally {
      await handle?.close()
      await server?.drop()
    }
  })
})
