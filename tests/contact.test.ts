import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { caseVersion, citizenBrowser, staffBrowser } from './support/casework.js'
import { applyFor } from './support/autofill.js'
import { suggestRouting } from '../src/modules/triage/index.js'
import { DEMO_CITIZEN } from '../src/seed.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

const db = () => platform.database.db
const CLEAR = 'Ich möchte meinen Hund anmelden, wie viel Hundesteuer kostet das?'
const VAGUE = 'Hallo, ich habe eine Frage'

let ipCounter = 10
/** A visitor from an address of their own, so the rate limit of one test does not touch another. */
async function visitor(locale?: 'de' | 'en'): Promise<TestBrowser> {
  const browser = new TestBrowser(platform, locale)
  browser.extraHeaders['x-forwarded-for'] = `203.0.113.${ipCounter++}`
  await browser.get('/kontakt')
  return browser
}

/** The case an accepted /kontakt post made, and its confirmation page. */
async function sent(browser: TestBrowser, res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  assert.equal(res.statusCode, 303, res.body.slice(0, 1500))
  const caseId = /^\/kontakt\/gesendet\/([0-9a-f-]{36})\?/.exec(String(res.headers.location))?.[1]
  assert.ok(caseId, String(res.headers.location))
  const row = await db()
    .selectFrom('cases')
    .select([
      'id',
      'reference',
      'office_id as officeId',
      'applicant_email as applicantEmail',
      'applicant_name as applicantName',
      'service_id as serviceId',
      'version',
    ])
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow()
  const thanks = await browser.follow(res as never)
  return { ...row, thanks }
}

async function routedEvent(caseId: string) {
  const row = await db()
    .selectFrom('case_events')
    .select(['data', 'internal'])
    .where('case_id', '=', caseId)
    .where('kind', '=', 'contact_routed')
    .executeTakeFirstOrThrow()
  return {
    internal: row.internal,
    data: (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as {
      officeId: string
      confident: boolean
      suggestions: { officeId: string; probability: number }[]
      terms: string[]
    },
  }
}

async function examplesOf(text: string) {
  return db()
    .selectFrom('triage_examples')
    .select(['label', 'office', 'source', 'kind'])
    .where('text', '=', text)
    .orderBy('id')
    .execute()
}

describe('the contact form', () => {
  it('routes a clear question to the office the model predicts confidently, with the explanation as an internal entry', async () => {
    const suggestion = await suggestRouting(db(), CLEAR, 'contact', platform.config)
    assert.equal(suggestion.confident, true, JSON.stringify(suggestion))
    const predicted = suggestion.suggestions[0]!.office
    const browser = await visitor()
    assert.match(browser.lastHtml, /Ihre Frage oder Ihr Anliegen/)
    const r = await sent(
      browser,
      await browser.post('/kontakt', {
        question: CLEAR,
        givenName: 'Hanna',
        familyName: 'Hund',
        email: 'hanna.hund@example.org',
      }),
    )
    assert.equal(r.serviceId, 'kontaktanfrage')
    assert.equal(r.applicantName, 'Hanna Hund')
    assert.equal(r.officeId, predicted)
    assert.equal(r.thanks.statusCode, 200)
    assert.ok(r.thanks.body.includes(r.reference), 'the confirmation names the reference')
    const officeName = platform.app.services.office(predicted)!.name.de
    assert.ok(r.thanks.body.includes(officeName))
    const event = await routedEvent(r.id)
    assert.equal(event.internal, true)
    assert.equal(event.data.confident, true)
    assert.equal(event.data.officeId, predicted)
    assert.ok(event.data.terms.length > 0, 'the words behind it are stored')
    const office = await staffBrowser(platform, predicted)
    assert.ok((await office.get('/backoffice')).body.includes(r.reference), "in the predicted office's inbox")
    const page = await office.get(`/backoffice/cases/${r.id}`)
    assert.equal(page.statusCode, 200)
    const entry = new RegExp(`Vorsortiert: ${officeName} \\(\\d+\\s%\\), Wörter: [^<]*${event.data.terms[0]}`)
    assert.match(page.body, entry)
    assert.match(page.body, /Ausschlaggebende Wörter:/)
    // A confident routing preselects nothing: the office is right unless a person says otherwise.
    assert.ok(!/<option value="[a-z-]+" selected/.test(page.body))
    const mails = await db()
      .selectFrom('mail_outbox')
      .select(['subject', 'body_text'])
      .where('recipient', '=', 'hanna.hund@example.org')
      .execute()
    assert.ok(
      mails.some(m => m.subject.includes(r.reference)),
      'receipt mailed',
    )
    assert.ok(!mails.some(m => m.body_text.includes('Hundesteuer kostet')), 'the question itself is not mailed')
    // The explanation is for staff: the applicant's side never shows it.
    const publicEvents = await db()
      .selectFrom('case_events')
      .select('kind')
      .where('case_id', '=', r.id)
      .where('internal', '=', false)
      .execute()
    assert.ok(!publicEvents.some(e => e.kind === 'contact_routed'))
  })

  it('sends a vague question to the fallback office with "Bitte zuordnen" and the model\'s suggestions, the top one preselected', async () => {
    const suggestion = await suggestRouting(db(), VAGUE, 'contact', platform.config)
    assert.equal(suggestion.confident, false, JSON.stringify(suggestion))
    const browser = await visitor()
    const r = await sent(browser, await browser.post('/kontakt', { question: VAGUE }))
    assert.equal(r.officeId, 'buergerdienste')
    assert.equal(r.applicantEmail, null)
    assert.match(r.thanks.body, /kann Ihnen nicht antworten/)
    const event = await routedEvent(r.id)
    assert.equal(event.data.confident, false)
    const office = await staffBrowser(platform, 'buergerdienste')
    const page = await office.get(`/backoffice/cases/${r.id}`)
    assert.match(page.body, /Bitte zuordnen – Vorschläge: [^<]+\(\d+\s%\)/)
    const top = event.data.suggestions[0]!.officeId
    if (top !== 'buergerdienste') assert.match(page.body, new RegExp(`<option value="${top}" selected`))
    assert.match(page.body, /Weiterleiten an/)
    assert.match(page.body, /Zuordnung bestätigen/)
  })

  it('routes the generic application form of the service the same way at submission', async () => {
    const browser = new TestBrowser(platform)
    const { reference } = await applyFor(browser, platform.app.services.get('kontaktanfrage'), { question: CLEAR })
    const row = await db()
      .selectFrom('cases')
      .select(['id', 'office_id'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow()
    const predicted = (await suggestRouting(db(), CLEAR, 'contact', platform.config)).suggestions[0]!.office
    assert.equal(row.office_id, predicted)
    assert.equal((await routedEvent(row.id)).data.officeId, predicted)
  })

  it('gives a signed-in person a receipt in the postbox and asks only for the question', async () => {
    const citizen = await citizenBrowser(platform)
    const form = await citizen.get('/kontakt')
    assert.ok(!form.body.includes('name="email"'), "the account's address is used")
    assert.match(form.body, /Postfach/)
    const r = await sent(
      citizen,
      await citizen.post('/kontakt', { question: 'Wo kann ich einen neuen Personalausweis beantragen?' }),
    )
    assert.equal(r.applicantEmail, DEMO_CITIZEN)
    assert.match(r.thanks.body, /in Ihr Postfach/)
    const postbox = await citizen.get('/account/postbox')
    assert.ok(postbox.body.includes(r.reference))
  })

  it('shows the confirmation only to the browser that sent it', async () => {
    const browser = await visitor()
    const res = await browser.post('/kontakt', { question: VAGUE })
    const r = await sent(browser, res)
    const location = String(res.headers.location)
    assert.equal((await (await visitor()).get(location)).statusCode, 404, 'another browser')
    assert.equal(
      (await browser.get(`/kontakt/gesendet/${r.id}?kanal=none&sig=${'0'.repeat(32)}`)).statusCode,
      404,
      'a forged signature',
    )
    assert.equal((await browser.get(`/kontakt/gesendet/${r.id}`)).statusCode, 404, 'no signature')
  })

  it('answers empty, huge or malformed input with 400, the message and the text kept', async () => {
    const browser = await visitor()
    const before = (await db().selectFrom('cases').select('id').execute()).length
    const empty = await browser.post('/kontakt', { question: '   ', givenName: 'Karl Leer' })
    assert.equal(empty.statusCode, 400)
    assert.match(empty.body, /Geben Sie „Ihre Frage oder Ihr Anliegen“ an/)
    assert.match(empty.body, /value="Karl Leer"/)
    const huge = 'Hundesteuer '.repeat(500)
    const tooLong = await browser.post('/kontakt', { question: huge })
    assert.equal(tooLong.statusCode, 400)
    assert.match(tooLong.body, /höchstens 5000 Zeichen/)
    assert.ok(tooLong.body.includes(huge.trim()), 'the typed text is kept')
    const badMail = await browser.post('/kontakt', { question: CLEAR, email: 'kein-mail' })
    assert.equal(badMail.statusCode, 400)
    assert.ok(badMail.body.includes(CLEAR))
    assert.match(badMail.body, /href="#email"/)
    const markup = await browser.post('/kontakt', { question: '<script>alert(1)</script>', email: 'x' })
    assert.equal(markup.statusCode, 400)
    assert.ok(!markup.body.includes('<script>alert(1)</script>'), 'escaped')
    assert.equal((await db().selectFrom('cases').select('id').execute()).length, before, 'no case made')
  })

  it('answers a flood from one address with 429 and keeps the text', async () => {
    const browser = await visitor()
    for (let i = 0; i < 5; i++)
      assert.equal((await browser.post('/kontakt', { question: `${VAGUE} Nummer ${i}` })).statusCode, 303)
    const res = await browser.post('/kontakt', { question: 'Die sechste Frage in zehn Minuten' })
    assert.equal(res.statusCode, 429)
    assert.match(res.body, /Zu viele Anfragen/)
    assert.ok(res.body.includes('Die sechste Frage in zehn Minuten'))
    assert.equal(
      (await (await visitor()).post('/kontakt', { question: VAGUE })).statusCode,
      303,
      'another address is not affected',
    )
  })

  it('speaks English', async () => {
    const browser = await visitor('en')
    assert.match(browser.lastHtml, /Contact: ask the city/)
    assert.match(browser.lastHtml, /Your question or concern/)
    const res = await browser.post('/kontakt', { question: '' })
    assert.equal(res.statusCode, 400)
    const home = await browser.get('/')
    assert.match(home.body, /href="\/kontakt"[^>]*>Contact \/ Ask the city/)
  })
})

describe('forwarding and confirming an enquiry', () => {
  async function vagueCase() {
    const browser = await visitor()
    return sent(browser, await browser.post('/kontakt', { question: `${VAGUE} – ${Math.random()}` }))
  }
  const textOf = async (caseId: string) => {
    const row = await db().selectFrom('cases').select('answers').where('id', '=', caseId).executeTakeFirstOrThrow()
    return ((typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers) as { question: string }).question
  }

  it('moves the case to the chosen office, records a corrected example, and the old office no longer sees it', async () => {
    const r = await vagueCase()
    const text = await textOf(r.id)
    const office = await staffBrowser(platform, 'buergerdienste')
    await office.get(`/backoffice/cases/${r.id}`)
    const stale = await office.post(`/backoffice/cases/${r.id}/contact/routing`, {
      action: 'forward',
      officeId: 'ordnungsamt',
      version: '999',
    })
    assert.equal(stale.statusCode, 409)
    assert.match(stale.body, /Weiterleiten/)
    assert.equal(
      (await db().selectFrom('cases').select('office_id').where('id', '=', r.id).executeTakeFirstOrThrow()).office_id,
      'buergerdienste',
    )
    assert.deepEqual(await examplesOf(text), [])
    const missing = await office.post(`/backoffice/cases/${r.id}/contact/routing`, {
      action: 'forward',
      officeId: '',
      version: await caseVersion(office, r.id),
    })
    assert.equal(missing.statusCode, 400)
    assert.match(missing.body, /Wählen Sie das Amt/)
    const res = await office.post(`/backoffice/cases/${r.id}/contact/routing`, {
      action: 'forward',
      officeId: 'ordnungsamt',
      version: await caseVersion(office, r.id),
    })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/backoffice')
    const moved = await db()
      .selectFrom('cases')
      .select(['office_id', 'assignee_id'])
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(moved, { office_id: 'ordnungsamt', assignee_id: null })
    assert.deepEqual(await examplesOf(text), [
      { label: 'ordnungsamt', office: 'ordnungsamt', source: 'corrected', kind: 'contact' },
    ])
    assert.equal(
      (await office.get(`/backoffice/cases/${r.id}`)).statusCode,
      404,
      'the old office gets the 404 of a missing case',
    )
    const ordnungsamt = await staffBrowser(platform, 'ordnungsamt')
    assert.ok((await ordnungsamt.get('/backoffice')).body.includes(r.reference))
    const view = await ordnungsamt.get(`/backoffice/cases/${r.id}`)
    assert.equal(view.statusCode, 200)
    assert.match(view.body, /hat die Anfrage weitergeleitet an: Ordnungsamt/)
    assert.match(view.body, /Bitte zuordnen – Vorschläge/, "the model's suggestion at arrival stays on the case")
    const audits = await db().selectFrom('audit_log').select('action').where('subject_id', '=', r.id).execute()
    assert.ok(audits.some(a => a.action === 'contact.forward'))

    // The new office confirms: a confirmed example, the case stays.
    const confirm = await ordnungsamt.post(`/backoffice/cases/${r.id}/contact/routing`, {
      action: 'confirm',
      version: await caseVersion(ordnungsamt, r.id),
    })
    assert.equal(confirm.statusCode, 303)
    assert.equal(confirm.headers.location, `/backoffice/cases/${r.id}#contact`)
    assert.equal(
      (await db().selectFrom('cases').select('office_id').where('id', '=', r.id).executeTakeFirstOrThrow()).office_id,
      'ordnungsamt',
    )
    assert.deepEqual(
      (await examplesOf(text)).map(e => e.source),
      ['corrected', 'confirmed'],
    )
    const after = await ordnungsamt.get(`/backoffice/cases/${r.id}`)
    assert.match(after.body, /hat die Zuordnung zu Ordnungsamt bestätigt/)
    assert.ok(!after.body.includes('value="confirm"'), 'confirmed once is enough')
  })

  it('records a confirmed example when the fallback office keeps the enquiry', async () => {
    const r = await vagueCase()
    const office = await staffBrowser(platform, 'buergerdienste')
    const res = await office.post(`/backoffice/cases/${r.id}/contact/routing`, {
      action: 'confirm',
      version: await caseVersion(office, r.id),
    })
    assert.equal(res.statusCode, 303)
    assert.deepEqual(
      (await examplesOf(await textOf(r.id))).map(e => [e.label, e.source]),
      [['buergerdienste', 'confirmed']],
    )
  })

  it('lets no other office, citizen or visitor forward or confirm; nothing changes', async () => {
    const r = await vagueCase()
    const text = await textOf(r.id)
    const outsiders = [
      await staffBrowser(platform, 'tiefbauamt'),
      await staffBrowser(platform, 'ordnungsamt', 'team_lead'),
      await citizenBrowser(platform),
      await visitor(),
    ]
    for (const browser of outsiders) {
      const forms: Record<string, string>[] = [
        { action: 'forward', officeId: 'tiefbauamt', version: String(r.version) },
        { action: 'confirm', version: String(r.version) },
        { action: 'forward', officeId: '', version: '1' },
      ]
      for (const form of forms) {
        const res = await browser.post(`/backoffice/cases/${r.id}/contact/routing`, form)
        assert.ok([303, 403, 404].includes(res.statusCode), `${res.statusCode}`)
        if (res.statusCode === 303) assert.match(String(res.headers.location), /login/)
        assert.ok(!res.body.includes(r.reference))
      }
    }
    assert.equal(
      (await db().selectFrom('cases').select('office_id').where('id', '=', r.id).executeTakeFirstOrThrow()).office_id,
      'buergerdienste',
    )
    assert.deepEqual(await examplesOf(text), [])
    const events = await db()
      .selectFrom('case_events')
      .select('kind')
      .where('case_id', '=', r.id)
      .where('kind', 'in', ['contact_forwarded', 'contact_confirmed'])
      .execute()
    assert.deepEqual(events, [])
  })

  it('refuses a routing action on a case that is no enquiry with the 404 of a missing case', async () => {
    const citizen = new TestBrowser(platform)
    const { reference } = await applyFor(citizen, platform.app.services.get('fundtier-tierheim'))
    const caseId = (
      await db().selectFrom('cases').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()
    ).id
    const office = await staffBrowser(platform, 'tierheim')
    const res = await office.post(`/backoffice/cases/${caseId}/contact/routing`, {
      action: 'forward',
      officeId: 'ordnungsamt',
      version: await caseVersion(office, caseId),
    })
    assert.equal(res.statusCode, 404)
    assert.ok(!(await office.get(`/backoffice/cases/${caseId}`)).body.includes('Weiterleiten an'))
  })
})

describe('the enquiry service is data', () => {
  it('refuses a routing text field that is not a text field of the form, naming file and path', async () => {
    const fs = await import('node:fs')
    const path = await import('node:path')
    const { checkDefinitionText, loadOffices } = await import('../src/modules/catalogue/definitions.load.js')
    const yaml = fs.readFileSync(path.resolve('services/kontaktanfrage.yaml'), 'utf8')
    const offices = loadOffices(path.resolve('services'))
    assert.deepEqual(checkDefinitionText(yaml, 'services/kontaktanfrage.yaml', offices), [])
    const problems = checkDefinitionText(
      yaml.replace('textField: question', 'textField: email'),
      'services/kontaktanfrage.yaml',
      offices,
    )
    assert.ok(
      problems.some(p =>
        /^services\/kontaktanfrage\.yaml: \/routing\/textField .*"email" is not a text or textarea field/.test(p),
      ),
      problems.join('\n'),
    )
  })
})
