import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { samplePdf, startTestPlatform, type TestBrowser, type TestPlatform } from './support/test-platform.js'
import { caseVersion, citizenBrowser, staffBrowser, submitCase } from './support/casework.js'
import { addDays, addWorkingDays, dayInCity } from '../src/platform/calendar/index.js'
import { sweepDeadlines } from '../src/modules/cases/index.js'
import { checkDefinitionText, loadOffices } from '../src/modules/catalogue/definitions.load.js'
import { demoStaffEmail } from '../src/seed.js'

/**
 * Offices working together on a case (Beteiligung): the tree-felling permit is the Umweltamt's case; the
 * Grünflächenamt (and the Bauordnungsamt) are asked for statements; the Ordnungsamt is not involved.
 */
let platform: TestPlatform
let baseUrl = ''
before(async () => {
  platform = await startTestPlatform()
  await platform.app.listen({ port: 0, host: '127.0.0.1' })
  baseUrl = `http://127.0.0.1:${(platform.app.server.address() as AddressInfo).port}`
})
after(async () => {
  await platform.close()
})

const db = () => platform.database.db
const caseUrl = (id: string) => `/backoffice/cases/${id}`
const LEAD = 'umweltamt'
const INVOLVED = 'gruenflaechenamt'
const OUTSIDER = 'ordnungsamt'
const today = () => dayInCity(new Date())
const staffName = async (officeId: string, role: 'caseworker' | 'team_lead' = 'caseworker') =>
  (
    await db()
      .selectFrom('staff')
      .select('name')
      .where('email', '=', demoStaffEmail(officeId, role))
      .executeTakeFirstOrThrow()
  ).name
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const cookieOf = (browser: TestBrowser) => (browser as unknown as { cookieHeader(): string }).cookieHeader()

async function newCase() {
  return submitCase(platform, await citizenBrowser(platform), 'baumfaellung')
}

/** The lead office asks an office for a statement through the form; returns the involvement's id. */
async function involve(
  caseId: string,
  officeId = INVOLVED,
  task = 'Bitte prüfen Sie, ob Straßenbäume betroffen sind.',
) {
  const lead = await staffBrowser(platform, LEAD)
  await lead.get(caseUrl(caseId))
  const res = await lead.post(`${caseUrl(caseId)}/involvements`, { officeId, task, dueOn: addWorkingDays(today(), 10) })
  assert.equal(res.statusCode, 303, 'involvement requested')
  return (
    await db()
      .selectFrom('case_involvements')
      .select('id')
      .where('case_id', '=', caseId)
      .where('office_id', '=', officeId)
      .where('status', '=', 'requested')
      .executeTakeFirstOrThrow()
  ).id
}

/** The statement form's version on the page (the involvement's, not the case's). */
function statementVersion(html: string, involvementId: string): string {
  const version = new RegExp(
    `/involvements/${involvementId}/statement"[^>]*>[\\s\\S]*?name="version" value="(\\d+)"`,
  ).exec(html)?.[1]
  assert.ok(version, 'statement form with its version')
  return version!
}

async function postStatement(
  browser: TestBrowser,
  caseId: string,
  involvementId: string,
  fields: { statement: string; action: 'save' | 'answer'; version?: string },
  files?: { filename: string; content: Buffer }[],
) {
  const version = fields.version ?? statementVersion((await browser.get(caseUrl(caseId))).body, involvementId)
  return browser.post(
    `${caseUrl(caseId)}/involvements/${involvementId}/statement`,
    { statement: fields.statement, action: fields.action, version },
    {
      files: (files ?? []).map(f => ({
        field: 'documents',
        filename: f.filename,
        content: f.content,
        contentType: 'application/pdf',
      })),
    },
  )
}

interface SseEvent {
  event: string
  data: Record<string, unknown>
}

/** Subscribes over real HTTP, as a browser's EventSource would, and collects the events. */
function subscribe(
  url: string,
  cookie: string,
): Promise<{
  status: number
  events: SseEvent[]
  next(kind: string, timeoutMs?: number): Promise<SseEvent>
  close(): void
}> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = []
    const waiters: { kind: string; resolve(e: SseEvent): void }[] = []
    const req = http.get(url, { headers: { cookie, accept: 'text/event-stream' } }, res => {
      let buffer = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        buffer += chunk
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const event = /^event: (.+)$/m.exec(block)?.[1]
          const data = /^data: (.+)$/m.exec(block)?.[1]
          if (!event || !data) continue
          const parsed = { event, data: JSON.parse(data) as Record<string, unknown> }
          events.push(parsed)
          for (const w of waiters.filter(w => w.kind === event)) {
            waiters.splice(waiters.indexOf(w), 1)
            w.resolve(parsed)
          }
        }
      })
      const stream = {
        status: res.statusCode ?? 0,
        events,
        close: () => req.destroy(),
        next: (kind: string, timeoutMs = 5000) =>
          new Promise<SseEvent>((ok, fail) => {
            const seen = events.find(e => e.event === kind && !(e as { taken?: boolean }).taken)
            if (seen) {
              ;(seen as { taken?: boolean }).taken = true
              return ok(seen)
            }
            const timer = setTimeout(() => fail(new Error(`no "${kind}" event within ${timeoutMs} ms`)), timeoutMs)
            waiters.push({
              kind,
              resolve: e => {
                clearTimeout(timer)
                ;(e as { taken?: boolean }).taken = true
                ok(e)
              },
            })
          }),
      }
      if (res.statusCode !== 200) {
        res.resume()
        resolve(stream)
        return
      }
      resolve(stream)
    })
    req.on('error', error => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error)
    })
  })
}

describe('asking another office for a statement', () => {
  it('lets the lead office request a statement, with a suggested task and a due day ten working days ahead', async () => {
    const { caseId } = await newCase()
    const lead = await staffBrowser(platform, LEAD)
    const page = await lead.get(caseUrl(caseId))
    assert.match(page.body, /Weiteres Amt beteiligen/)
    assert.match(page.body, new RegExp(`name="dueOn" type="date" value="${addWorkingDays(today(), 10)}"`))
    assert.match(
      page.body,
      /href="\/backoffice\/cases\/[^"]+\?involve=gruenflaechenamt#involve-title"/,
      'the definition suggests the Grünflächenamt',
    )
    const suggested = await lead.get(`${caseUrl(caseId)}?involve=gruenflaechenamt`)
    assert.match(suggested.body, /<option value="gruenflaechenamt" selected/)
    assert.match(suggested.body, /Straßen- oder Parkbaum in der Nähe/)
    assert.doesNotMatch(suggested.body, /<option value="umweltamt"/, 'the lead office is not offered')

    const res = await lead.post(`${caseUrl(caseId)}/involvements`, {
      officeId: INVOLVED,
      task: 'Straßenbäume betroffen?',
      dueOn: addWorkingDays(today(), 10),
    })
    assert.equal(res.statusCode, 303)
    const row = await db()
      .selectFrom('case_involvements')
      .selectAll()
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow()
    assert.equal(row.status, 'requested')
    assert.equal(row.due_on, addWorkingDays(today(), 10))
    const event = await db()
      .selectFrom('case_events')
      .select(['kind', 'internal'])
      .where('case_id', '=', caseId)
      .where('kind', '=', 'involvement_requested')
      .executeTakeFirstOrThrow()
    assert.equal(event.internal, true)
    const view = await lead.get(caseUrl(caseId))
    assert.match(view.body, /hat Grünflächenamt um eine Stellungnahme bis .+ gebeten/)
    assert.match(view.body, /Angefragt/)

    // A second open request to the same office is refused, naming who asked, with the text kept.
    const twice = await lead.post(`${caseUrl(caseId)}/involvements`, {
      officeId: INVOLVED,
      task: 'Noch einmal',
      dueOn: addWorkingDays(today(), 10),
    })
    assert.equal(twice.statusCode, 409)
    assert.match(
      twice.body,
      new RegExp(`bereits um eine Stellungnahme gebeten \\(von ${escapeRegExp(await staffName(LEAD))}\\)`),
    )
    assert.match(twice.body, />Noch einmal</)
  })

  it("shows the request in the involved office's list and lets it read the case, read only and audited as involved", async () => {
    const { caseId, reference } = await newCase()
    const involvementId = await involve(caseId)
    const involved = await staffBrowser(platform, INVOLVED)
    const list = await involved.get('/backoffice/involvements')
    assert.equal(list.statusCode, 200)
    assert.ok(list.body.includes(reference))
    assert.match(list.body, /Bitte prüfen Sie, ob Straßenbäume betroffen sind\./)
    assert.match(list.body, /Baum fällen/)
    assert.match(list.body, /href="\/backoffice\/involvements"/, 'in the navigation')

    const view = await involved.get(caseUrl(caseId))
    assert.equal(view.statusCode, 200)
    assert.ok(view.body.includes(reference))
    assert.match(view.body, /Ihr Amt ist an diesem Vorgang beteiligt/)
    for (const action of ['claim', 'assign', 'transitions', 'notes', 'messages', 'fee-notice', 'involvements"']) {
      assert.ok(!view.body.includes(`${caseUrl(caseId)}/${action}`), `no ${action} for an involved office`)
    }
    assert.ok(view.body.includes(`/involvements/${involvementId}/statement`), 'the statement form')
    assert.ok(!view.body.includes(`/involvements/${involvementId}/withdraw`))

    const involvedId = (
      await db()
        .selectFrom('staff')
        .select('id')
        .where('email', '=', demoStaffEmail(INVOLVED, 'caseworker'))
        .executeTakeFirstOrThrow()
    ).id
    const reads = await db()
      .selectFrom('audit_log')
      .select(['office_id', 'details'])
      .where('action', '=', 'case.read')
      .where('subject_id', '=', caseId)
      .where('actor_staff_id', '=', involvedId)
      .execute()
    assert.equal(reads.length, 1)
    assert.equal(reads[0]!.office_id, LEAD, "listed under the case's office")
    const details = typeof reads[0]!.details === 'string' ? JSON.parse(reads[0]!.details) : reads[0]!.details
    assert.deepEqual(details, { as: 'involved', involvedOfficeIds: [INVOLVED] })

    const fileId = (await db().selectFrom('files').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow())
      .id
    const download = await involved.get(`${caseUrl(caseId)}/files/${fileId}`)
    assert.equal(download.statusCode, 200)
    const fileRead = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'case.file.read')
      .where('subject_id', '=', fileId)
      .where('actor_staff_id', '=', involvedId)
      .executeTakeFirstOrThrow()
    assert.equal(
      (typeof fileRead.details === 'string' ? JSON.parse(fileRead.details) : fileRead.details).as,
      'involved',
    )
  })

  it('keeps a draft to the involved office, then answers with a text and a PDF that the lead office sees and the case file keeps', async () => {
    const { caseId } = await newCase()
    const involvementId = await involve(caseId)
    const involved = await staffBrowser(platform, INVOLVED)
    const lead = await staffBrowser(platform, LEAD)
    assert.equal(
      (
        await postStatement(involved, caseId, involvementId, {
          statement: 'Entwurf: zwei Straßenbäume in der Nähe',
          action: 'save',
        })
      ).statusCode,
      303,
    )
    assert.match((await involved.get(caseUrl(caseId))).body, /Entwurf: zwei Straßenbäume in der Nähe/)
    assert.doesNotMatch(
      (await lead.get(caseUrl(caseId))).body,
      /Entwurf: zwei Straßenbäume/,
      'a draft stays with its office',
    )

    const answered = await postStatement(
      involved,
      caseId,
      involvementId,
      { statement: 'Keine Bedenken. Ersatzpflanzung im Straßenraum möglich.', action: 'answer' },
      [{ filename: 'stellungnahme.pdf', content: samplePdf }],
    )
    assert.equal(answered.statusCode, 303)
    const row = await db()
      .selectFrom('case_involvements')
      .selectAll()
      .where('id', '=', involvementId)
      .executeTakeFirstOrThrow()
    assert.equal(row.status, 'answered')
    assert.ok(row.answered_at && row.answered_by_staff_id)
    const file = await db()
      .selectFrom('case_involvement_files')
      .innerJoin('files', 'files.id', 'case_involvement_files.file_id')
      .select(['files.id', 'files.case_id'])
      .where('involvement_id', '=', involvementId)
      .executeTakeFirstOrThrow()
    assert.equal(file.case_id, caseId, "the answered statement's documents belong to the case")

    const view = await lead.get(caseUrl(caseId))
    assert.match(view.body, /Keine Bedenken\. Ersatzpflanzung im Straßenraum möglich\./)
    assert.match(view.body, /Stellungnahme von Grünflächenamt abgegeben/)
    assert.ok(view.body.includes(`/involvements/${involvementId}/files/${file.id}`))
    const download = await lead.get(`${caseUrl(caseId)}/involvements/${involvementId}/files/${file.id}`)
    assert.equal(download.statusCode, 200)
    assert.equal(download.headers['content-type'], 'application/pdf')
    assert.equal(download.headers['x-content-type-options'], 'nosniff')
    const filed = await db()
      .selectFrom('file_documents')
      .select(['kind', 'title'])
      .where('case_id', '=', caseId)
      .where('kind', '=', 'statement')
      .execute()
    assert.equal(filed.length, 2, 'the text and the PDF are filed in the case file')
    assert.ok(filed.every(d => d.title.startsWith('Stellungnahme Grünflächenamt')))

    // Given is given: no further save, no withdrawal (409 naming who answered).
    assert.equal(
      (
        await postStatement(involved, caseId, involvementId, {
          statement: 'Nachtrag',
          action: 'save',
          version: String(row.version),
        })
      ).statusCode,
      409,
    )
    await lead.get(caseUrl(caseId))
    const withdraw = await lead.post(`${caseUrl(caseId)}/involvements/${involvementId}/withdraw`)
    assert.equal(withdraw.statusCode, 409)
    assert.match(withdraw.body, new RegExp(`inzwischen abgegeben \\(von ${escapeRegExp(await staffName(INVOLVED))}\\)`))
    // The applicant cannot fetch an office's statement, even knowing its id.
    const citizen = await citizenBrowser(platform)
    assert.equal((await citizen.get(`/account/files/${file.id}`)).statusCode, 404)
  })

  it('lets an involved office do nothing else: no step, claim, assignment, note, message, fee notice or request (404), and nothing changes', async () => {
    const { caseId } = await newCase()
    await involve(caseId)
    const involved = await staffBrowser(platform, INVOLVED, 'team_lead')
    const version = await caseVersion(involved, caseId)
    const before = await db()
      .selectFrom('cases')
      .select(['status', 'assignee_id', 'version'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow()
    const leadWorker = (
      await db()
        .selectFrom('staff')
        .select('id')
        .where('email', '=', demoStaffEmail(LEAD, 'caseworker'))
        .executeTakeFirstOrThrow()
    ).id
    const attempts: [string, Record<string, string>][] = [
      ['transitions', { transitionId: 'start', version }],
      ['claim', { version }],
      ['assign', { assigneeId: leadWorker, version }],
      ['notes', { note: 'Notiz', version }],
      ['messages', { subject: 'Hallo', body: 'Text', version }],
      ['fee-notice', { extraLabel: '', extraAmount: '', dueOn: addDays(today(), 14) }],
      ['involvements', { officeId: 'bauordnungsamt', task: 'x', dueOn: addDays(today(), 14) }],
    ]
    for (const [action, form] of attempts) {
      const res = await involved.post(`${caseUrl(caseId)}/${action}`, form)
      assert.equal(res.statusCode, 404, `${action} → ${res.statusCode}`)
    }
    assert.equal((await involved.get(`${caseUrl(caseId)}/fee-notice`)).statusCode, 404)
    const afterwards = await db()
      .selectFrom('cases')
      .select(['status', 'assignee_id', 'version'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(afterwards, before)
    assert.equal((await db().selectFrom('fee_notices').select('id').where('case_id', '=', caseId).execute()).length, 0)
    assert.equal(
      (await db().selectFrom('case_involvements').select('id').where('case_id', '=', caseId).execute()).length,
      1,
    )
  })

  it('answers 404 to an office that is not involved: case, files, live stream, statement, documents, requests', async () => {
    const { caseId, reference } = await newCase()
    const involvementId = await involve(caseId)
    const involved = await staffBrowser(platform, INVOLVED)
    await postStatement(involved, caseId, involvementId, { statement: 'Antwort', action: 'answer' }, [
      { filename: 's.pdf', content: samplePdf },
    ])
    const docId = (
      await db()
        .selectFrom('case_involvement_files')
        .select('file_id')
        .where('involvement_id', '=', involvementId)
        .executeTakeFirstOrThrow()
    ).file_id
    const fileId = (await db().selectFrom('files').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow())
      .id
    for (const outsider of [
      await staffBrowser(platform, OUTSIDER),
      await staffBrowser(platform, 'bauordnungsamt', 'team_lead'),
    ]) {
      await outsider.get('/backoffice')
      for (const url of [
        caseUrl(caseId),
        `${caseUrl(caseId)}/files/${fileId}`,
        `${caseUrl(caseId)}/live`,
        `${caseUrl(caseId)}/involvements/${involvementId}/files/${docId}`,
      ]) {
        assert.equal((await outsider.get(url)).statusCode, 404, url)
      }
      for (const [action, form] of [
        ['statement', { statement: 'x', action: 'save', version: '1' }],
        ['withdraw', {}],
      ] as const) {
        assert.equal(
          (await outsider.post(`${caseUrl(caseId)}/involvements/${involvementId}/${action}`, form)).statusCode,
          404,
          action,
        )
      }
      assert.equal(
        (
          await outsider.post(`${caseUrl(caseId)}/involvements`, {
            officeId: OUTSIDER,
            task: 'x',
            dueOn: addDays(today(), 3),
          })
        ).statusCode,
        404,
      )
      assert.ok(!(await outsider.get('/backoffice/involvements')).body.includes(reference))
      const stream = await subscribe(`${baseUrl}${caseUrl(caseId)}/live`, cookieOf(outsider))
      assert.equal(stream.status, 404)
      stream.close()
    }
  })

  it("ends an office's access when its request is withdrawn", async () => {
    const { caseId, reference } = await newCase()
    const involvementId = await involve(caseId, 'bauordnungsamt', 'Ist der Neubau genehmigt?')
    const building = await staffBrowser(platform, 'bauordnungsamt')
    assert.equal((await building.get(caseUrl(caseId))).statusCode, 200)
    const lead = await staffBrowser(platform, LEAD)
    await lead.get(caseUrl(caseId))
    assert.equal((await lead.post(`${caseUrl(caseId)}/involvements/${involvementId}/withdraw`)).statusCode, 303)
    assert.equal((await building.get(caseUrl(caseId))).statusCode, 404)
    assert.ok(!(await building.get('/backoffice/involvements')).body.includes(reference))
    assert.equal(
      (await postStatement(building, caseId, involvementId, { statement: 'Zu spät', action: 'answer', version: '1' }))
        .statusCode,
      404,
    )
    assert.match((await lead.get(caseUrl(caseId))).body, /hat die Beteiligung von Bauordnungsamt zurückgezogen/)
    // Asked again later, the office reads the case again.
    await involve(caseId, 'bauordnungsamt', 'Bitte doch prüfen.')
    assert.equal((await building.get(caseUrl(caseId))).statusCode, 200)
  })
})

describe('versioned writes', () => {
  it('refuses an action from a page the case has moved on from with 409, naming who changed what, keeping the typed input', async () => {
    const { caseId } = await newCase()
    const lead = await staffBrowser(platform, LEAD, 'team_lead')
    const worker = await staffBrowser(platform, LEAD)
    const stale = await caseVersion(worker, caseId)
    assert.equal(await caseVersion(lead, caseId), stale)
    assert.equal(
      (await lead.post(`${caseUrl(caseId)}/transitions`, { transitionId: 'start', version: stale })).statusCode,
      303,
    )

    const message = await worker.post(`${caseUrl(caseId)}/messages`, {
      subject: 'Rückfrage zum Baum',
      body: 'Welche Höhe hat der Baum?',
      version: stale,
    })
    assert.equal(message.statusCode, 409)
    assert.match(message.body, /Nicht ausgeführt: „Nachricht senden“/)
    assert.match(
      message.body,
      new RegExp(`Status „In Bearbeitung“ gesetzt von ${escapeRegExp(await staffName(LEAD, 'team_lead'))}`),
    )
    assert.match(message.body, /value="Rückfrage zum Baum"/)
    assert.match(message.body, />Welche Höhe hat der Baum\?</)
    assert.equal(
      (await db().selectFrom('messages').select('id').where('case_id', '=', caseId).execute()).length,
      0,
      'nothing was sent',
    )
    const fresh = /data-live-version="(\d+)"/.exec(message.body)![1]!
    assert.notEqual(fresh, stale, 'the conflict page carries the current version')

    const step = await worker.post(`${caseUrl(caseId)}/transitions`, { transitionId: 'approve', version: stale })
    assert.equal(step.statusCode, 409)
    assert.match(step.body, /Nicht ausgeführt: „Genehmigen“/)
    assert.equal(
      (await db().selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow()).status,
      'in_progress',
    )
    const workerId = (
      await db()
        .selectFrom('staff')
        .select('id')
        .where('email', '=', demoStaffEmail(LEAD, 'caseworker'))
        .executeTakeFirstOrThrow()
    ).id
    assert.equal(
      (await lead.post(`${caseUrl(caseId)}/assign`, { assigneeId: workerId, version: stale })).statusCode,
      409,
    )
    assert.equal((await worker.post(`${caseUrl(caseId)}/claim`, { version: stale })).statusCode, 409)
    // Without any version the form is not from a page of ours: 400.
    assert.equal((await worker.post(`${caseUrl(caseId)}/transitions`, { transitionId: 'approve' })).statusCode, 400)
    // A note appends and overwrites nothing: accepted from the stale page too.
    assert.equal(
      (await worker.post(`${caseUrl(caseId)}/notes`, { note: 'Foto angesehen', version: stale })).statusCode,
      303,
    )

    assert.equal(
      (
        await worker.post(`${caseUrl(caseId)}/messages`, {
          subject: 'Rückfrage zum Baum',
          body: 'Welche Höhe hat der Baum?',
          version: await caseVersion(worker, caseId),
        })
      ).statusCode,
      303,
    )
  })

  it('refuses the second of two statement saves from the same version, showing both texts', async () => {
    const { caseId } = await newCase()
    const involvementId = await involve(caseId)
    const first = await staffBrowser(platform, INVOLVED)
    const second = await staffBrowser(platform, INVOLVED, 'team_lead')
    const version = statementVersion((await first.get(caseUrl(caseId))).body, involvementId)
    assert.equal(statementVersion((await second.get(caseUrl(caseId))).body, involvementId), version)
    assert.equal(
      (
        await postStatement(first, caseId, involvementId, {
          statement: 'Fassung A: keine Bedenken',
          action: 'save',
          version,
        })
      ).statusCode,
      303,
    )
    const refused = await postStatement(second, caseId, involvementId, {
      statement: 'Fassung B: Bedenken wegen Wurzelraum',
      action: 'save',
      version,
    })
    assert.equal(refused.statusCode, 409)
    assert.match(
      refused.body,
      new RegExp(`Inzwischen hat ${escapeRegExp(await staffName(INVOLVED))} die Stellungnahme gespeichert`),
    )
    assert.match(refused.body, /Gespeicherte Fassung/)
    assert.match(refused.body, /Fassung A: keine Bedenken/)
    assert.match(refused.body, /Ihre Fassung/)
    assert.match(refused.body, /<textarea[^>]*name="statement"[^>]*>Fassung B: Bedenken wegen Wurzelraum<\/textarea>/)
    assert.equal(
      (
        await db()
          .selectFrom('case_involvements')
          .select('statement')
          .where('id', '=', involvementId)
          .executeTakeFirstOrThrow()
      ).statement,
      'Fassung A: keine Bedenken',
    )
    // Sent again from the conflict page, knowingly, it replaces the saved one.
    const again = await postStatement(second, caseId, involvementId, {
      statement: 'Fassung B: Bedenken wegen Wurzelraum',
      action: 'answer',
      version: statementVersion(refused.body, involvementId),
    })
    assert.equal(again.statusCode, 303)
    assert.equal(
      (
        await db()
          .selectFrom('case_involvements')
          .select('statement')
          .where('id', '=', involvementId)
          .executeTakeFirstOrThrow()
      ).statement,
      'Fassung B: Bedenken wegen Wurzelraum',
    )
  })
})

describe('input that cannot be taken', () => {
  it('answers a bad request with 400, the message at its field and the input kept', async () => {
    const { caseId } = await newCase()
    const lead = await staffBrowser(platform, LEAD)
    await lead.get(caseUrl(caseId))
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ officeId: INVOLVED, task: '  ', dueOn: addDays(today(), 10) }, 'involveTask', /Beschreiben Sie die Aufgabe/],
      [
        { officeId: INVOLVED, task: 'Aufgabe mit Vergangenheit', dueOn: addDays(today(), -1) },
        'involveDueOn',
        /zwischen morgen und einem Jahr/,
      ],
      [{ officeId: INVOLVED, task: 'Aufgabe heute', dueOn: today() }, 'involveDueOn', /zwischen morgen und einem Jahr/],
      [
        { officeId: INVOLVED, task: 'Aufgabe kein Datum', dueOn: '31.12.2099' },
        'involveDueOn',
        /zwischen morgen und einem Jahr/,
      ],
      [
        { officeId: 'amt-fuer-zauberei', task: 'Aufgabe an ein unbekanntes Amt', dueOn: addDays(today(), 10) },
        'involveOffice',
        /Wählen Sie das Amt/,
      ],
      [
        { officeId: LEAD, task: 'Aufgabe an sich selbst', dueOn: addDays(today(), 10) },
        'involveOffice',
        /nicht selbst beteiligen/,
      ],
      [
        { officeId: INVOLVED, task: 'x'.repeat(2001), dueOn: addDays(today(), 10) },
        'involveTask',
        /höchstens 2000 Zeichen/,
      ],
    ]
    for (const [form, field, message] of cases) {
      const res = await lead.post(`${caseUrl(caseId)}/involvements`, form)
      assert.equal(res.statusCode, 400, JSON.stringify(form).slice(0, 80))
      assert.match(res.body, new RegExp(`href="#${field}"`))
      assert.match(res.body, message)
      if (form.task!.trim() && form.task!.length < 100)
        assert.ok(res.body.includes(`>${form.task}</textarea>`), 'task kept')
    }
    assert.equal(
      (await db().selectFrom('case_involvements').select('id').where('case_id', '=', caseId).execute()).length,
      0,
    )
  })

  it('refuses an oversized statement, an empty answer and a file that only pretends to be a PDF, keeping the text', async () => {
    const { caseId } = await newCase()
    const involvementId = await involve(caseId)
    const involved = await staffBrowser(platform, INVOLVED)
    const field = `statement-${involvementId}`
    const long = await postStatement(involved, caseId, involvementId, { statement: 'x'.repeat(20001), action: 'save' })
    assert.equal(long.statusCode, 400)
    assert.match(long.body, new RegExp(`href="#${field}"`))
    assert.match(long.body, /höchstens 20000 Zeichen/)
    const empty = await postStatement(involved, caseId, involvementId, { statement: '', action: 'answer' })
    assert.equal(empty.statusCode, 400)
    assert.match(empty.body, /Schreiben Sie die Stellungnahme/)
    const disguised = await postStatement(
      involved,
      caseId,
      involvementId,
      { statement: 'Anbei das Gutachten', action: 'answer' },
      [{ filename: 'gutachten.pdf', content: Buffer.concat([Buffer.from('MZ'), crypto.randomBytes(200)]) }],
    )
    assert.equal(disguised.statusCode, 400)
    assert.match(disguised.body, new RegExp(`href="#documents-${involvementId}"`))
    assert.match(disguised.body, /gutachten\.pdf: /)
    assert.match(disguised.body, />Anbei das Gutachten<\/textarea>/)
    const tooMany = await postStatement(
      involved,
      caseId,
      involvementId,
      { statement: 'Viele', action: 'save' },
      Array.from({ length: 6 }, (_, i) => ({ filename: `d${i}.pdf`, content: samplePdf })),
    )
    assert.equal(tooMany.statusCode, 400)
    const row = await db()
      .selectFrom('case_involvements')
      .select(['status', 'statement'])
      .where('id', '=', involvementId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { status: 'requested', statement: '' })
    assert.equal(
      (
        await db()
          .selectFrom('case_involvement_files')
          .select('file_id')
          .where('involvement_id', '=', involvementId)
          .execute()
      ).length,
      0,
    )
  })

  it('checks the offices a definition suggests: they exist and are not the lead office', () => {
    const servicesDir = path.resolve('services')
    const offices = loadOffices(servicesDir)
    const text = fs.readFileSync(path.join(servicesDir, 'baumfaellung.yaml'), 'utf8')
    assert.deepEqual(checkDefinitionText(text, 'services/baumfaellung.yaml', offices), [])
    const unknown = checkDefinitionText(
      text.replace('- office: gruenflaechenamt', '- office: amt-fuer-zauberei'),
      'services/baumfaellung.yaml',
      offices,
    )
    assert.match(unknown.join('\n'), /\/involvements\/0\/office \(line \d+\): unknown office "amt-fuer-zauberei"/)
    const itself = checkDefinitionText(
      text.replace('- office: gruenflaechenamt', '- office: umweltamt'),
      'services/baumfaellung.yaml',
      offices,
    )
    assert.match(itself.join('\n'), /\/involvements\/0\/office.*own office/)
  })
})

describe('overdue statements', () => {
  it("shows on the deadlines page of both offices and reminds the involved office's team leads once", async () => {
    const { caseId, reference } = await newCase()
    const involvementId = await involve(caseId)
    await db()
      .updateTable('case_involvements')
      .set({ due_on: addDays(today(), -1) })
      .where('id', '=', involvementId)
      .execute()
    const statementsOf = (html: string, officeId: string) => {
      const block = new RegExp(`data-statements="${officeId}">([\\s\\S]*?)</dl>`).exec(html)?.[1] ?? ''
      return [...block.matchAll(/<dd[^>]*>(\d+)</g)].map(m => Number(m[1]))
    }
    const [owed] = statementsOf(
      (await (await staffBrowser(platform, INVOLVED)).get('/backoffice/deadlines')).body,
      INVOLVED,
    )
    assert.ok(owed! >= 1, 'owed by the Grünflächenamt')
    const [, awaited] = statementsOf(
      (await (await staffBrowser(platform, LEAD)).get('/backoffice/deadlines')).body,
      LEAD,
    )
    assert.ok(awaited! >= 1, 'awaited by the Umweltamt')
    assert.match(
      (await (await staffBrowser(platform, INVOLVED)).get('/backoffice/involvements')).body,
      /Frist überschritten/,
    )

    const deps = { db: db(), services: platform.app.services, config: platform.config }
    const [a, b] = await Promise.all([sweepDeadlines(deps), sweepDeadlines(deps)])
    assert.equal(a.involvementReminders + b.involvementReminders, 1, 'two sweeps at once remind once')
    assert.equal((await sweepDeadlines(deps)).involvementReminders, 0)
    const mails = await db()
      .selectFrom('mail_outbox')
      .select(['recipient', 'body_text'])
      .where('subject', '=', `Stellungnahme überfällig: ${reference}`)
      .execute()
    assert.deepEqual(
      mails.map(m => m.recipient),
      [demoStaffEmail(INVOLVED, 'team_lead')],
    )
    assert.match(mails[0]!.body_text, new RegExp(`/backoffice/cases/${caseId}#involvement-${involvementId}`))
  })
})

describe('live updates', () => {
  it("tells the involved office's open case of the lead office's step, with the new version, over real HTTP", async () => {
    const { caseId } = await newCase()
    await involve(caseId)
    const involved = await staffBrowser(platform, INVOLVED)
    const version = Number(await caseVersion(involved, caseId))
    const stream = await subscribe(`${baseUrl}${caseUrl(caseId)}/live?version=${version}`, cookieOf(involved))
    try {
      assert.equal(stream.status, 200)
      await stream.next('ready')
      const lead = await staffBrowser(platform, LEAD)
      assert.equal(
        (
          await lead.post(`${caseUrl(caseId)}/transitions`, {
            transitionId: 'start',
            version: await caseVersion(lead, caseId),
          })
        ).statusCode,
        303,
      )
      const changed = await stream.next('changed')
      assert.deepEqual(changed.data, {
        topic: `case:${caseId}`,
        kind: 'changed',
        data: { version: version + 1, by: await staffName(LEAD), byApplicant: false, what: 'transition' },
      })
    } finally {
      stream.close()
    }
    // A page rendered before a change it did not hear of learns of it as soon as it subscribes.
    const late = await subscribe(`${baseUrl}${caseUrl(caseId)}/live?version=${version}`, cookieOf(involved))
    try {
      const missed = await late.next('changed')
      assert.equal((missed.data.data as { version: number; what: string }).what, 'missed')
      assert.equal((missed.data.data as { version: number }).version, version + 1)
    } finally {
      late.close()
    }
  })

  it("tells the involved office's list of a new request", async () => {
    const { caseId } = await newCase()
    const involved = await staffBrowser(platform, 'tiefbauamt')
    const stream = await subscribe(`${baseUrl}/backoffice/involvements/live`, cookieOf(involved))
    try {
      await stream.next('ready')
      await involve(caseId, 'tiefbauamt', 'Zufahrt prüfen')
      const changed = await stream.next('changed')
      assert.equal(changed.data.topic, 'involvements:tiefbauamt')
      assert.equal((changed.data.data as { what: string }).what, 'involvement_requested')
    } finally {
      stream.close()
    }
  })

  // Only a server has other processes; the embedded database belongs to one.
  if (process.env.DATABASE_URL)
    it('reaches a page open on a second app process on the same database', async () => {
      const second = await startTestPlatform({ databaseUrl: platform.config.databaseUrl })
      try {
        await second.app.listen({ port: 0, host: '127.0.0.1' })
        const secondUrl = `http://127.0.0.1:${(second.app.server.address() as AddressInfo).port}`
        const { caseId } = await newCase()
        await involve(caseId)
        // Signed in at the second process: sessions live in the shared database.
        const involved = await staffBrowser(second, INVOLVED)
        const version = Number(await caseVersion(involved, caseId))
        const stream = await subscribe(`${secondUrl}${caseUrl(caseId)}/live?version=${version}`, cookieOf(involved))
        try {
          await stream.next('ready')
          const lead = await staffBrowser(platform, LEAD)
          assert.equal(
            (
              await lead.post(`${caseUrl(caseId)}/transitions`, {
                transitionId: 'start',
                version: await caseVersion(lead, caseId),
              })
            ).statusCode,
            303,
          )
          const changed = await stream.next('changed')
          assert.equal((changed.data.data as { version: number }).version, version + 1)
        } finally {
          stream.close()
        }
      } finally {
        await second.close()
      }
    })
})
