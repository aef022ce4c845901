import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, TestBrowser, samplePdf, type TestPlatform } from './support/test-platform.js'
import { caseVersion, citizenBrowser, staffBrowser, submitCase } from './support/casework.js'
import { DEMO_BUSINESS } from '../src/seed.js'

let platform: TestPlatform
let citizen: TestBrowser
let ownCase: { caseId: string; reference: string }

before(async () => {
  platform = await startTestPlatform()
  citizen = await citizenBrowser(platform)
  ownCase = await submitCase(platform, citizen, 'fuehrungszeugnis')
})
after(async () => {
  await platform.close()
})

const db = () => platform.database.db

async function latestMessageTo(caseId: string) {
  return db()
    .selectFrom('messages')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('direction', '=', 'to_applicant')
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow()
}

describe('my applications', () => {
  it('asks a visitor without an account to sign in and come back', async () => {
    for (const url of ['/account/applications', '/account/postbox', `/account/applications/${ownCase.caseId}`]) {
      const res = await new TestBrowser(platform).get(url)
      assert.equal(res.statusCode, 303)
      assert.equal(res.headers.location, `/login?return=${encodeURIComponent(url)}`)
    }
  })

  it('lists submitted applications with their status and open drafts with a continue link', async () => {
    await citizen.get('/services/wohnsitz-anmeldung')
    const started = await citizen.post('/services/wohnsitz-anmeldung/applications')
    const draftId = /\/applications\/([^/]+)\//.exec(String(started.headers.location))![1]!
    const res = await citizen.get('/account/applications')
    assert.equal(res.statusCode, 200)
    assert.ok(res.body.includes(ownCase.reference))
    assert.match(res.body, /Führungszeugnis beantragen/)
    assert.match(res.body, /Eingegangen/)
    assert.ok(res.body.includes(`href="/applications/${draftId}/check"`))
  })

  it('shows the public timeline, answers and messages, never internal notes', async () => {
    const staff = await staffBrowser(platform, 'buergerdienste')
    await staff.get(`/backoffice/cases/${ownCase.caseId}`)
    assert.equal(
      (await staff.post(`/backoffice/cases/${ownCase.caseId}/notes`, { note: 'Geheime Notiz zur Person' })).statusCode,
      303,
    )
    assert.equal(
      (
        await staff.post(`/backoffice/cases/${ownCase.caseId}/claim`, {
          version: await caseVersion(staff, ownCase.caseId),
        })
      ).statusCode,
      303,
    )
    const res = await citizen.get(`/account/applications/${ownCase.caseId}`)
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /Antrag eingegangen/)
    assert.match(res.body, /Angaben zur Person/)
    assert.ok(!res.body.includes('Geheime Notiz'))
    assert.ok(!res.body.includes('Übernommen von'))
  })
})

describe('line breaks in what people write', () => {
  it('keeps the lines of a message, a reply and a note, escaped, for the applicant and the office', async () => {
    const own = await submitCase(platform, citizen, 'fuehrungszeugnis')
    const staff = await staffBrowser(platform, 'buergerdienste')
    await staff.get(`/backoffice/cases/${own.caseId}`)
    const body = 'Guten Tag,\n\nbitte <b>beachten</b> Sie:\nZeile drei'
    const escaped = 'Guten Tag,\n\nbitte &lt;b>beachten&lt;/b> Sie:\nZeile drei'
    assert.equal(
      (
        await staff.post(`/backoffice/cases/${own.caseId}/messages`, {
          subject: 'Zeilen',
          body,
          version: await caseVersion(staff, own.caseId),
        })
      ).statusCode,
      303,
    )
    assert.equal(
      (await staff.post(`/backoffice/cases/${own.caseId}/notes`, { note: 'Erste Zeile\nZweite Zeile' })).statusCode,
      303,
    )
    const message = await latestMessageTo(own.caseId)
    const opened = await citizen.get(`/account/postbox/${message.id}`)
    assert.ok(
      opened.body.includes(`<p class="kern-body message-body preserve-lines">${escaped}</p>`),
      "the office's message keeps its lines",
    )
    assert.equal(
      (await citizen.post(`/account/postbox/${message.id}/reply`, { body: 'Danke.\r\nMit Grüßen' })).statusCode,
      303,
    )
    const application = await citizen.get(`/account/applications/${own.caseId}`)
    assert.match(
      application.body,
      /<p class="kern-body message-body preserve-lines">Danke\.\r?\nMit Grüßen<\/p>/,
      'the reply keeps its lines for the applicant',
    )

    const view = await staff.get(`/backoffice/cases/${own.caseId}`)
    assert.ok(view.body.includes(`<p class="kern-body message-body preserve-lines">${escaped}</p>`))
    assert.match(view.body, /<p class="kern-body message-body preserve-lines">Danke\.\r?\nMit Grüßen<\/p>/)
    assert.match(
      view.body,
      /<blockquote class="kern-body case-note preserve-lines">Erste Zeile\nZweite Zeile<\/blockquote>/,
    )
    assert.match(
      view.body,
      /<dd class="kern-description-list-item__value preserve-lines">/,
      "answers (a contact request's text) keep theirs",
    )
  })
})

describe('the postbox', () => {
  it('receives a request for documents as unread, with the count in the navigation and a mail notice without content', async () => {
    const staff = await staffBrowser(platform, 'buergerdienste')
    await staff.get(`/backoffice/cases/${ownCase.caseId}`)
    const sent = await staff.post(`/backoffice/cases/${ownCase.caseId}/messages`, {
      subject: 'Ausweiskopie fehlt',
      body: 'Bitte laden Sie eine Kopie Ihres Ausweises hoch.',
      requestsDocuments: 'yes',
      version: await caseVersion(staff, ownCase.caseId),
    })
    assert.equal(sent.statusCode, 303)
    const message = await latestMessageTo(ownCase.caseId)
    assert.equal(message.requests_documents, true)
    assert.ok(message.account_id)

    const box = await citizen.get('/account/postbox')
    assert.equal(box.statusCode, 200)
    assert.match(
      box.body,
      /<strong><a class="kern-link" href="\/account\/postbox\/[^"]+">Ausweiskopie fehlt<\/a><\/strong>/,
    )
    assert.match(box.body, /Sie haben 1 ungelesene Nachricht/)
    assert.match(box.body, /1 ungelesen/)
    const mail = await db()
      .selectFrom('mail_outbox')
      .selectAll()
      .where('recipient', '=', 'erika.mustermann@example.org')
      .where('body_text', 'like', `%${message.id}%`)
      .executeTakeFirstOrThrow()
    assert.ok(!mail.body_text.includes('Kopie Ihres Ausweises'), 'the content stays behind the login')
  })

  it('marks a message read when opened and records the read', async () => {
    const message = await latestMessageTo(ownCase.caseId)
    const res = await citizen.get(`/account/postbox/${message.id}`)
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /Bitte laden Sie eine Kopie/)
    assert.match(res.body, /enctype="multipart\/form-data"/)
    assert.match(res.body, /Unterlagen nachreichen/)
    const row = await db()
      .selectFrom('messages')
      .select('read_at')
      .where('id', '=', message.id)
      .executeTakeFirstOrThrow()
    assert.ok(row.read_at)
    const audit = await db()
      .selectFrom('audit_log')
      .select('actor_account_id')
      .where('action', '=', 'message.read')
      .where('subject_id', '=', message.id)
      .executeTakeFirstOrThrow()
    assert.ok(audit.actor_account_id)
    const box = await citizen.get('/account/postbox')
    assert.match(box.body, /Sie haben 0 ungelesene Nachrichten/)
  })

  it('requires at least one file to answer a request for documents, keeping the typed text', async () => {
    const message = await latestMessageTo(ownCase.caseId)
    await citizen.get(`/account/postbox/${message.id}`)
    const res = await citizen.post(
      `/account/postbox/${message.id}/reply`,
      { body: 'Anbei <mein> Ausweis' },
      { files: [] },
    )
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /error-summary/)
    assert.match(res.body, /href="#documents"/)
    assert.ok(res.body.includes('Anbei &lt;mein> Ausweis') || res.body.includes('Anbei &lt;mein&gt; Ausweis'))
    const disguised = await citizen.post(
      `/account/postbox/${message.id}/reply`,
      { body: 'x' },
      { files: [{ field: 'documents', filename: 'ausweis.pdf', content: Buffer.from('MZ not a pdf') }] },
    )
    assert.equal(disguised.statusCode, 400)
  })

  it('takes the documents: files on the case, request fulfilled, and the office sees it on the timeline', async () => {
    const message = await latestMessageTo(ownCase.caseId)
    await citizen.get(`/account/postbox/${message.id}`)
    const res = await citizen.post(
      `/account/postbox/${message.id}/reply`,
      { body: 'Anbei mein Ausweis' },
      { files: [{ field: 'documents', filename: 'ausweis.pdf', content: samplePdf }] },
    )
    assert.equal(res.statusCode, 303)
    const row = await db()
      .selectFrom('messages')
      .select('documents_provided_at')
      .where('id', '=', message.id)
      .executeTakeFirstOrThrow()
    assert.ok(row.documents_provided_at)
    const reply = await db()
      .selectFrom('messages')
      .selectAll()
      .where('case_id', '=', ownCase.caseId)
      .where('direction', '=', 'from_applicant')
      .executeTakeFirstOrThrow()
    const linked = await db()
      .selectFrom('message_files')
      .innerJoin('files', 'files.id', 'message_files.file_id')
      .select(['files.id', 'files.case_id', 'files.filename'])
      .where('message_files.message_id', '=', reply.id)
      .executeTakeFirstOrThrow()
    assert.equal(linked.case_id, ownCase.caseId)
    assert.equal(linked.filename, 'ausweis.pdf')
    const event = await db()
      .selectFrom('case_events')
      .select(['internal'])
      .where('case_id', '=', ownCase.caseId)
      .where('kind', '=', 'documents_provided')
      .executeTakeFirstOrThrow()
    assert.equal(event.internal, false)

    const staff = await staffBrowser(platform, 'buergerdienste')
    const view = await staff.get(`/backoffice/cases/${ownCase.caseId}`)
    assert.match(view.body, /Unterlagen nachgereicht/)
    assert.ok(view.body.includes(`/backoffice/cases/${ownCase.caseId}/files/${linked.id}`))
    assert.match(view.body, /Anbei mein Ausweis/)

    const download = await citizen.get(`/account/files/${linked.id}`)
    assert.equal(download.statusCode, 200)
    assert.equal(download.headers['x-content-type-options'], 'nosniff')
    assert.equal(download.headers['content-type'], 'application/pdf')
    const audit = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'case.file.read')
      .where('subject_id', '=', linked.id)
      .where('actor_account_id', 'is not', null)
      .executeTakeFirst()
    assert.ok(audit)
  })

  it('puts the text of a notifying transition into the postbox and shows the outcome once final', async () => {
    const staff = await staffBrowser(platform, 'buergerdienste')
    await staff.get(`/backoffice/cases/${ownCase.caseId}`)
    assert.equal(
      (
        await staff.post(`/backoffice/cases/${ownCase.caseId}/transitions`, {
          transitionId: 'start',
          version: await caseVersion(staff, ownCase.caseId),
        })
      ).statusCode,
      303,
    )
    assert.equal(
      (
        await staff.post(`/backoffice/cases/${ownCase.caseId}/transitions`, {
          transitionId: 'approve',
          version: await caseVersion(staff, ownCase.caseId),
        })
      ).statusCode,
      303,
    )
    const message = await latestMessageTo(ownCase.caseId)
    assert.match(message.body, /Bundesamt für Justiz übermittelt/)
    const box = await citizen.get('/account/postbox')
    assert.match(box.body, /Sie haben 1 ungelesene Nachricht/)
    const page = await citizen.get(`/account/applications/${ownCase.caseId}`)
    assert.match(page.body, /kern-alert--success/)
    assert.match(page.body, /Ergebnis: An das Bundesamt für Justiz übermittelt/)
    assert.match(page.body, /Status: In Bearbeitung/)
  })

  it('answers 404 to another person for the case, its messages and its files, as if they did not exist', async () => {
    const other = await citizenBrowser(platform, DEMO_BUSINESS)
    const message = await latestMessageTo(ownCase.caseId)
    const file = await db()
      .selectFrom('files')
      .select('id')
      .where('case_id', '=', ownCase.caseId)
      .executeTakeFirstOrThrow()
    await other.get('/account/postbox')
    assert.equal((await other.get(`/account/applications/${ownCase.caseId}`)).statusCode, 404)
    assert.equal((await other.get(`/account/postbox/${message.id}`)).statusCode, 404)
    assert.equal((await other.post(`/account/postbox/${message.id}/reply`, { body: 'fremd' })).statusCode, 404)
    assert.equal((await other.get(`/account/files/${file.id}`)).statusCode, 404)
    assert.equal((await other.get('/account/files/not-a-uuid')).statusCode, 400)
    const list = await other.get('/account/applications')
    assert.ok(!list.body.includes(ownCase.reference))
    const box = await other.get('/account/postbox')
    assert.ok(!box.body.includes(message.subject))
    const row = await db()
      .selectFrom('messages')
      .select('read_at')
      .where('id', '=', message.id)
      .executeTakeFirstOrThrow()
    assert.equal(row.read_at, null, 'a refused look does not mark it read')
  })
})
