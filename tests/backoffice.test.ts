import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { caseVersion, staffBrowser, submitCase, versionOnPage } from './support/casework.js'
import { createCase } from '../src/modules/cases/index.js'
import { DEMO_ADMIN } from '../src/seed.js'

let platform: TestPlatform
let animalCase: { caseId: string; reference: string }
let tradeCase: { caseId: string; reference: string }

before(async () => {
  platform = await startTestPlatform()
  // Anonymous applications: a found animal (tierheim, with a photo) and a trade notification (ordnungsamt).
  animalCase = await submitCase(platform, new TestBrowser(platform), 'fundtier-tierheim')
  tradeCase = await submitCase(platform, new TestBrowser(platform), 'gewerbe-anmeldung')
})
after(async () => {
  await platform.close()
})

const db = () => platform.database.db
const caseUrl = (id: string) => `/backoffice/cases/${id}`

async function fileIdOf(caseId: string) {
  return (await db().selectFrom('files').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow()).id
}

describe('the inbox', () => {
  it('sends a visitor without a staff session to the back-office login', async () => {
    const res = await new TestBrowser(platform).get('/backoffice')
    assert.equal(res.statusCode, 303)
    assert.match(String(res.headers.location), /^\/backoffice\/login/)
  })

  it("lists only the cases of the staff member's own office", async () => {
    const shelter = await staffBrowser(platform, 'tierheim')
    const res = await shelter.get('/backoffice')
    assert.equal(res.statusCode, 200)
    assert.ok(res.body.includes(animalCase.reference))
    assert.ok(!res.body.includes(tradeCase.reference))
    assert.match(res.body, /class="kern-table"/)
    assert.match(res.body, /Fundtier|Tier/)
    assert.match(res.body, /Eingegangen/)
  })

  it('filters by assignee, status, service and overdue, with a plain GET form', async () => {
    const lead = await staffBrowser(platform, 'umweltamt', 'team_lead')
    const def = platform.app.services.get('baumfaellung')
    const made: string[] = []
    await db()
      .transaction()
      .execute(async trx => {
        for (let i = 0; i < 3; i++) {
          made.push(
            (
              await createCase(trx, {
                draftId: crypto.randomUUID(),
                definition: def,
                answers: {},
                applicantName: `Filter ${i}`,
                applicantEmail: null,
                accountId: null,
                filedByStaffId: null,
                locale: 'de',
              })
            ).reference,
          )
        }
      })
    const [first, second, third] = made as [string, string, string]
    const firstId = (
      await db().selectFrom('cases').select('id').where('reference', '=', first).executeTakeFirstOrThrow()
    ).id
    const thirdId = (
      await db().selectFrom('cases').select('id').where('reference', '=', third).executeTakeFirstOrThrow()
    ).id
    await lead.get(caseUrl(firstId))
    assert.equal(
      (await lead.post(`${caseUrl(firstId)}/claim`, { version: versionOnPage(lead.lastHtml) })).statusCode,
      303,
    )
    await db()
      .updateTable('cases')
      .set({ due_at: new Date(Date.now() - 86_400_000) })
      .where('id', '=', thirdId)
      .execute()

    const mine = await lead.get('/backoffice?assignee=me')
    assert.ok(mine.body.includes(first) && !mine.body.includes(second))
    const unassigned = await lead.get('/backoffice?assignee=unassigned')
    assert.ok(!unassigned.body.includes(first) && unassigned.body.includes(second))
    const overdue = await lead.get('/backoffice?overdue=1')
    assert.ok(overdue.body.includes(third) && !overdue.body.includes(second))
    assert.match(overdue.body, /Frist überschritten/)
    const byStatus = await lead.get('/backoffice?status=approved')
    assert.ok(!byStatus.body.includes(first))
    const byService = await lead.get('/backoffice?service=baumfaellung&status=submitted')
    assert.ok(byService.body.includes(second))
    const otherService = await lead.get('/backoffice?service=nothing-here')
    assert.ok(!otherService.body.includes(second))
    assert.equal((await lead.get('/backoffice?assignee=everybody')).statusCode, 400)
  })

  it('pages by keyset with an opaque cursor: 50 per page, no case twice, none lost; a bad cursor is a 400', async () => {
    const def = platform.app.services.get('bauantrag')
    const references = new Set<string>()
    await db()
      .transaction()
      .execute(async trx => {
        for (let i = 0; i < 57; i++) {
          references.add(
            (
              await createCase(trx, {
                draftId: crypto.randomUUID(),
                definition: def,
                answers: {},
                applicantName: `Page ${i}`,
                applicantEmail: null,
                accountId: null,
                filedByStaffId: null,
                locale: 'de',
              })
            ).reference,
          )
        }
      })
    const staff = await staffBrowser(platform, 'bauordnungsamt')
    const page1 = await staff.get('/backoffice')
    const seen1 = [...page1.body.matchAll(/>(DO-\d{4}-\d{6})</g)].map(m => m[1]!)
    assert.equal(seen1.length, 50)
    const next = /<a class="kern-link" rel="next" href="([^"]+)"/.exec(page1.body)?.[1]
    assert.ok(next, 'next page link')
    const page2 = await staff.get(next!.replace(/&amp;/g, '&'))
    assert.equal(page2.statusCode, 200)
    const seen2 = [...page2.body.matchAll(/>(DO-\d{4}-\d{6})</g)].map(m => m[1]!)
    assert.equal(seen2.length, 7)
    assert.ok(!/rel="next"/.test(page2.body))
    assert.deepEqual(new Set([...seen1, ...seen2]), references)

    for (const bad of [
      'garbage',
      Buffer.from('["x","y"]').toString('base64url'),
      Buffer.from('{}').toString('base64url'),
    ]) {
      assert.equal((await staff.get(`/backoffice?after=${bad}`)).statusCode, 400, bad)
    }
  })

  it('shows an admin without a casework role no inbox but sends them to the administration', async () => {
    const admin = await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_ADMIN)
    const res = await admin.get('/backoffice')
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/backoffice/admin')
  })
})

describe('the case view', () => {
  it('shows answers, attachments, timeline and writes an audit row for every read', async () => {
    const shelter = await staffBrowser(platform, 'tierheim')
    const res = await shelter.get(caseUrl(animalCase.caseId))
    assert.equal(res.statusCode, 200)
    assert.ok(res.body.includes(animalCase.reference))
    assert.match(res.body, /Angaben zum Tier/)
    assert.match(res.body, /Antrag eingegangen/)
    assert.match(res.body, /animalPhoto\.pdf/)
    assert.match(res.body, /value="start"/)
    const audits = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'case.read')
      .where('subject_id', '=', animalCase.caseId)
      .execute()
    assert.ok(audits.length >= 1)
    assert.ok(audits[0]!.actor_staff_id)
  })

  it('downloads an attachment with its type, a safe disposition and nosniff, and audits it', async () => {
    const shelter = await staffBrowser(platform, 'tierheim')
    const fileId = await fileIdOf(animalCase.caseId)
    const res = await shelter.get(`${caseUrl(animalCase.caseId)}/files/${fileId}`)
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['content-type'], 'application/pdf')
    assert.equal(res.headers['x-content-type-options'], 'nosniff')
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="animalPhoto\.pdf"/)
    assert.ok(res.rawPayload.subarray(0, 4).equals(Buffer.from('%PDF')))
    const audit = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'case.file.read')
      .where('subject_id', '=', fileId)
      .executeTakeFirst()
    assert.ok(audit)
  })

  it('answers 404 to another office, exactly as for a missing case: view, claim, transition, note, message, file', async () => {
    const other = await staffBrowser(platform, 'ordnungsamt')
    const fileId = await fileIdOf(animalCase.caseId)
    const missing = crypto.randomUUID()
    await other.get('/backoffice')
    for (const id of [animalCase.caseId, missing]) {
      assert.equal((await other.get(caseUrl(id))).statusCode, 404)
      assert.equal((await other.get(`${caseUrl(id)}/files/${fileId}`)).statusCode, 404)
      assert.equal((await other.post(`${caseUrl(id)}/claim`)).statusCode, 404)
      assert.equal((await other.post(`${caseUrl(id)}/transitions`, { transitionId: 'start' })).statusCode, 404)
      assert.equal((await other.post(`${caseUrl(id)}/notes`, { note: 'x' })).statusCode, 404)
      assert.equal((await other.post(`${caseUrl(id)}/messages`, { subject: 'x', body: 'y' })).statusCode, 404)
    }
    // A file of another case, through a case the person may see: still 404.
    assert.equal((await other.get(`${caseUrl(tradeCase.caseId)}/files/${fileId}`)).statusCode, 404)
    const status = await db()
      .selectFrom('cases')
      .select(['status', 'assignee_id'])
      .where('id', '=', animalCase.caseId)
      .executeTakeFirstOrThrow()
    assert.equal(status.status, 'submitted')
  })

  it('answers 404 to a platform admin without a casework role, and 400 to ids that are not uuids', async () => {
    const admin = await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_ADMIN)
    const citizenCase = await submitCase(platform, new TestBrowser(platform), 'wochenmarkt-standplatz')
    const office = (
      await db().selectFrom('cases').select('office_id').where('id', '=', citizenCase.caseId).executeTakeFirstOrThrow()
    ).office_id
    await db()
      .insertInto('staff_roles')
      .values({
        staff_id: (
          await db().selectFrom('staff').select('id').where('email', '=', DEMO_ADMIN).executeTakeFirstOrThrow()
        ).id,
        office_id: office,
        role: 'office_admin',
      })
      .execute()
    const relogged = await staffBrowser(platform, office, 'caseworker', DEMO_ADMIN)
    assert.equal((await relogged.get(caseUrl(citizenCase.caseId))).statusCode, 404)
    assert.equal((await admin.get('/backoffice/cases/not-a-uuid')).statusCode, 400)
    assert.equal((await admin.get(`/backoffice/cases/${citizenCase.caseId}/files/1%27%20or%201=1`)).statusCode, 400)
  })
})

describe('working on a case', () => {
  it('lets a caseworker claim an open case; a second claim gets a clear 409 naming who has it', async () => {
    const { caseId } = await submitCase(platform, new TestBrowser(platform), 'fundtier-tierheim')
    const worker = await staffBrowser(platform, 'tierheim')
    const lead = await staffBrowser(platform, 'tierheim', 'team_lead')
    await worker.get(caseUrl(caseId))
    await lead.get(caseUrl(caseId))
    const results = await Promise.all([
      worker.post(`${caseUrl(caseId)}/claim`, { version: versionOnPage(worker.lastHtml) }),
      lead.post(`${caseUrl(caseId)}/claim`, { version: versionOnPage(lead.lastHtml) }),
    ])
    const codes = results.map(r => r.statusCode).sort()
    assert.deepEqual(codes, [303, 409])
    const loser = results.find(r => r.statusCode === 409)!
    assert.match(loser.body, /bereits von .+ übernommen/)
    const events = await db()
      .selectFrom('case_events')
      .select(['kind', 'internal'])
      .where('case_id', '=', caseId)
      .where('kind', '=', 'claimed')
      .execute()
    assert.equal(events.length, 1)
    assert.equal(events[0]!.internal, true)
  })

  it('lets only a team lead assign, and only to caseworkers of the office', async () => {
    const { caseId } = await submitCase(platform, new TestBrowser(platform), 'fundtier-tierheim')
    const worker = await staffBrowser(platform, 'tierheim')
    const lead = await staffBrowser(platform, 'tierheim', 'team_lead')
    const workerId = (
      await db()
        .selectFrom('staff')
        .select('id')
        .where('email', '=', 'sb.tierheim@stadt.example')
        .executeTakeFirstOrThrow()
    ).id
    const outsiderId = (
      await db()
        .selectFrom('staff')
        .select('id')
        .where('email', '=', 'sb.ordnungsamt@stadt.example')
        .executeTakeFirstOrThrow()
    ).id
    const workerPage = await worker.get(caseUrl(caseId))
    assert.ok(!workerPage.body.includes('name="assigneeId"'), 'no assign select for a caseworker')
    assert.equal((await worker.post(`${caseUrl(caseId)}/assign`, { assigneeId: workerId })).statusCode, 403)
    const leadPage = await lead.get(caseUrl(caseId))
    assert.ok(leadPage.body.includes('name="assigneeId"'))
    assert.ok(!leadPage.body.includes(outsiderId))
    assert.equal((await lead.post(`${caseUrl(caseId)}/assign`, { assigneeId: outsiderId })).statusCode, 400)
    assert.equal(
      (await lead.post(`${caseUrl(caseId)}/assign`, { assigneeId: workerId, version: await caseVersion(lead, caseId) }))
        .statusCode,
      303,
    )
    const row = await db().selectFrom('cases').select('assignee_id').where('id', '=', caseId).executeTakeFirstOrThrow()
    assert.equal(row.assignee_id, workerId)
    const view = await lead.get(caseUrl(caseId))
    assert.match(view.body, /hat den Vorgang .+ zugewiesen/)
  })

  it('offers and allows exactly the transitions of the status and the role; others are 409 or 403', async () => {
    const { caseId } = await submitCase(platform, new TestBrowser(platform), 'gewerbe-anmeldung')
    const worker = await staffBrowser(platform, 'ordnungsamt')
    const lead = await staffBrowser(platform, 'ordnungsamt', 'team_lead')
    let page = await worker.get(caseUrl(caseId))
    assert.match(page.body, /value="start"/)
    assert.ok(!/value="approve"/.test(page.body))
    const early = await worker.post(`${caseUrl(caseId)}/transitions`, { transitionId: 'approve' })
    assert.equal(early.statusCode, 409)
    assert.match(early.body, /nicht möglich/)
    assert.equal(
      (await worker.post(`${caseUrl(caseId)}/transitions`, { transitionId: 'no-such-step' })).statusCode,
      400,
    )
    assert.equal(
      (
        await worker.post(`${caseUrl(caseId)}/transitions`, {
          transitionId: 'start',
          version: versionOnPage(page.body),
        })
      ).statusCode,
      303,
    )
    page = await worker.get(caseUrl(caseId))
    assert.match(page.body, /value="approve"/)
    assert.ok(!/value="reject"/.test(page.body), 'reject is for team leads only')
    assert.equal((await worker.post(`${caseUrl(caseId)}/transitions`, { transitionId: 'reject' })).statusCode, 403)
    page = await lead.get(caseUrl(caseId))
    assert.match(page.body, /value="reject"/)
    assert.equal(
      (await lead.post(`${caseUrl(caseId)}/transitions`, { transitionId: 'reject', version: versionOnPage(page.body) }))
        .statusCode,
      303,
    )
    const row = await db().selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow()
    assert.equal(row.status, 'rejected')
    const audits = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', caseId)
      .where('action', '=', 'case.transition')
      .execute()
    assert.equal(audits.length, 2)
    // The applicant applied without an account: the mail is the only channel, and carries the text.
    const mail = await db()
      .selectFrom('mail_outbox')
      .selectAll()
      .where(
        'subject',
        'like',
        '%' +
          (await db().selectFrom('cases').select('reference').where('id', '=', caseId).executeTakeFirstOrThrow())
            .reference +
          '%',
      )
      .execute()
    assert.equal(mail.length, 1)
    assert.ok(!mail[0]!.body_text.includes('/account/postbox/'))
  })

  it('keeps an internal note on the timeline; an empty one is a 400 with the error summary', async () => {
    const shelter = await staffBrowser(platform, 'tierheim')
    await shelter.get(caseUrl(animalCase.caseId))
    const empty = await shelter.post(`${caseUrl(animalCase.caseId)}/notes`, { note: '   ' })
    assert.equal(empty.statusCode, 400)
    assert.match(empty.body, /error-summary/)
    assert.match(empty.body, /href="#note"/)
    const ok = await shelter.post(`${caseUrl(animalCase.caseId)}/notes`, { note: 'Chip <b>gelesen</b>' })
    assert.equal(ok.statusCode, 303)
    const page = await shelter.get(caseUrl(animalCase.caseId))
    assert.ok(page.body.includes('Chip &lt;b>gelesen&lt;/b>') || page.body.includes('Chip &lt;b&gt;gelesen&lt;/b&gt;'))
    assert.match(page.body, /intern/)
  })

  it('keeps typed input when a message lacks its text, and sends a complete one by mail to an applicant without account', async () => {
    const shelter = await staffBrowser(platform, 'tierheim')
    await shelter.get(caseUrl(animalCase.caseId))
    const bad = await shelter.post(`${caseUrl(animalCase.caseId)}/messages`, { subject: 'Rückfrage Farbe', body: '' })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /value="Rückfrage Farbe"/)
    assert.match(bad.body, /href="#body"/)
    const ok = await shelter.post(`${caseUrl(animalCase.caseId)}/messages`, {
      subject: 'Rückfrage Farbe',
      body: 'Welche Farbe hat das Halsband?',
      version: versionOnPage(bad.body),
    })
    assert.equal(ok.statusCode, 303)
    const message = await db()
      .selectFrom('messages')
      .selectAll()
      .where('case_id', '=', animalCase.caseId)
      .executeTakeFirstOrThrow()
    assert.equal(message.direction, 'to_applicant')
    assert.equal(message.account_id, null)
    const mail = await db()
      .selectFrom('mail_outbox')
      .selectAll()
      .where('body_text', 'like', '%Welche Farbe hat das Halsband?%')
      .execute()
    assert.equal(mail.length, 1)
    const page = await shelter.get(caseUrl(animalCase.caseId))
    assert.match(page.body, /Nachricht gesendet von/)
  })
})

describe('the counter', () => {
  it("lists the services of the staff member's offices and starts a draft filed on behalf", async () => {
    const staff = await staffBrowser(platform, 'ordnungsamt')
    const page = await staff.get('/backoffice/counter')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /action="\/services\/gewerbe-anmeldung\/applications"/)
    assert.ok(!page.body.includes('/services/fuehrungszeugnis/applications'))
    const res = await staff.post('/services/gewerbe-anmeldung/applications')
    assert.equal(res.statusCode, 303)
    const draftId = /\/applications\/([^/]+)\//.exec(String(res.headers.location))![1]!
    const draft = await db()
      .selectFrom('drafts')
      .select('filed_by_staff_id')
      .where('id', '=', draftId)
      .executeTakeFirstOrThrow()
    assert.ok(draft.filed_by_staff_id)
  })
})
