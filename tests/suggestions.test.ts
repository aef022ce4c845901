import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { samplePdf, startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { caseVersion, citizenBrowser, staffBrowser, submitCase } from './support/casework.js'
import {
  DefinitionError,
  loadOfflineEntries,
  loadOffices,
  loadServiceDefinitions,
} from '../src/modules/catalogue/index.js'
import { loadLifeEvents, suggestionsHolder } from '../src/modules/suggestions/index.js'

/** The proactive account (M8): suggestions from the person's own applications, with consent (docs/suggestions.md). */
let platform: TestPlatform
const db = () => platform.database.db
const PASSWORD = 'Quellwasser-Passwort-2026'
const DAY = 86_400_000
let people = 0

before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform?.close()
})

/** A new person, registered through the real pages, e-mail confirmed and signed in: each test starts with nothing. */
async function newPerson(locale?: 'de' | 'en') {
  const email = `vorschlag-${++people}@example.org`
  const browser = new TestBrowser(platform, locale)
  await browser.get('/register')
  const registered = await browser.post('/register', {
    kind: 'citizen',
    email,
    password: PASSWORD,
    passwordConfirm: PASSWORD,
    givenName: 'Vera',
    familyName: `Vorschlag ${people}`,
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
  const { id } = await db().selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirstOrThrow()
  return { browser, email, accountId: id }
}

async function consent(browser: TestBrowser) {
  await browser.get('/account/applications')
  const res = await browser.post('/account/suggestions/consent')
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account/applications#suggestions')
}

/** The services suggested on the start page, by the address of their start button. */
async function suggested(browser: TestBrowser): Promise<string[]> {
  const page = await browser.get('/account/applications')
  assert.equal(page.statusCode, 200)
  const section = page.body.split('id="suggestions"')[1]?.split('</section>')[0] ?? ''
  return [...section.matchAll(/class="kern-btn kern-btn--primary" href="\/services\/([a-z-]+)"/g)].map(m => m[1]!)
}

describe('suggestions of what comes next', () => {
  it('shows nothing without the consent, only the offer with what is used', async () => {
    const { browser } = await newPerson()
    await submitCase(platform, browser, 'wohnsitz-anmeldung', { childrenMovingIn: 'yes' })
    const page = await browser.get('/account/applications')
    assert.match(page.body, /Das könnte als Nächstes wichtig sein/)
    assert.match(page.body, /nur Ihre eigenen Anträge/)
    assert.match(page.body, /action="\/account\/suggestions\/consent"/)
    assert.deepEqual(await suggested(browser), [])
    assert.doesNotMatch(page.body, /Schule anmelden/)
  })

  it('suggests school and day care after a move-in with children, saying why with date and reference', async () => {
    const { browser } = await newPerson()
    const { reference } = await submitCase(platform, browser, 'wohnsitz-anmeldung', { childrenMovingIn: 'yes' })
    await consent(browser)
    assert.deepEqual((await suggested(browser)).sort(), ['kita-anmeldung', 'schulanmeldung'])
    const page = browser.lastHtml
    const today = new Intl.DateTimeFormat('de-DE', { dateStyle: 'long', timeZone: 'Europe/Berlin' }).format(new Date())
    assert.ok(page.includes(`Weil Sie am ${today} Ihren Zuzug mit Kindern angemeldet haben (Az. ${reference})`))
    assert.match(page, /Kind an einer Schule anmelden/)
    assert.match(page, /So beantragen Sie es/)
  })

  it('does not suggest school or day care after a move-in without children', async () => {
    const { browser } = await newPerson()
    await submitCase(platform, browser, 'wohnsitz-anmeldung', { childrenMovingIn: '' })
    await consent(browser)
    assert.deepEqual(await suggested(browser), [])
    assert.match(browser.lastHtml, /Zurzeit haben wir keine Vorschläge für Sie/)
  })

  it('suggests the residents’ parking permit after a car was transferred to a new address, not after a new car', async () => {
    const moved = await newPerson()
    await submitCase(platform, moved.browser, 'fahrzeug-zulassung', { registrationType: 'transfer' })
    await consent(moved.browser)
    assert.deepEqual(await suggested(moved.browser), ['bewohnerparkausweis'])
    assert.match(moved.browser.lastHtml, /Jetzt beantragen/)

    const newCar = await newPerson()
    await submitCase(platform, newCar.browser, 'fahrzeug-zulassung', { registrationType: 'new' })
    await consent(newCar.browser)
    assert.deepEqual(await suggested(newCar.browser), [])
  })

  it('suggests a weekly-market stall after a trade registration that sells food, not after another trade', async () => {
    const baker = await newPerson()
    await submitCase(platform, baker.browser, 'gewerbe-anmeldung', { foodBusiness: 'yes' })
    await consent(baker.browser)
    assert.deepEqual(await suggested(baker.browser), ['wochenmarkt-standplatz'])

    const plumber = await newPerson()
    await submitCase(platform, plumber.browser, 'gewerbe-anmeldung', { foodBusiness: 'no' })
    await consent(plumber.browser)
    assert.deepEqual(await suggested(plumber.browser), [])
  })

  it('leaves out a service the person applied for after the event', async () => {
    const { browser } = await newPerson()
    await submitCase(platform, browser, 'fahrzeug-zulassung', { registrationType: 'transfer' })
    await consent(browser)
    assert.deepEqual(await suggested(browser), ['bewohnerparkausweis'])
    await submitCase(platform, browser, 'bewohnerparkausweis')
    assert.deepEqual(await suggested(browser), [])
  })

  it('does not count a case the person made for someone else (a child, under a mandate)', async () => {
    const { browser } = await newPerson()
    await browser.get('/account/mandates/new')
    const requested = await browser.post(
      '/account/mandates',
      { kind: 'parent', givenName: 'Mila', familyName: 'Kindlich', birthDate: '2018-03-04' },
      {
        files: [{ field: 'proof', filename: 'geburtsurkunde.pdf', content: samplePdf, contentType: 'application/pdf' }],
      },
    )
    assert.equal(requested.statusCode, 303)
    const mandate = await db()
      .selectFrom('mandates')
      .select('id')
      .where('principal_given_name', '=', 'Mila')
      .executeTakeFirstOrThrow()
    const office = await staffBrowser(platform, platform.app.config.mandatesOffice)
    await office.get(`/backoffice/mandates/${mandate.id}`)
    assert.equal((await office.post(`/backoffice/mandates/${mandate.id}/approve`)).statusCode, 303)
    await submitCase(
      platform,
      browser,
      'wohnsitz-anmeldung',
      { childrenMovingIn: 'yes' },
      { forWhom: `mandate:${mandate.id}` },
    )
    await consent(browser)
    assert.deepEqual(await suggested(browser), [])
  })

  it('never counts another person’s cases, nor a case filed without an account', async () => {
    const other = await newPerson()
    await submitCase(platform, other.browser, 'wohnsitz-anmeldung', { childrenMovingIn: 'yes' })
    await submitCase(platform, new TestBrowser(platform), 'gewerbe-anmeldung', { foodBusiness: 'yes' })
    const { browser } = await newPerson()
    await consent(browser)
    assert.deepEqual(await suggested(browser), [])
    // The other person sees theirs: the rule works, it just does not look at anyone else.
    await consent(other.browser)
    assert.equal((await suggested(other.browser)).length, 2)
  })

  it('hides a dismissed suggestion for good, keeps the others, and audits the dismissal', async () => {
    const { browser, accountId } = await newPerson()
    const { caseId } = await submitCase(platform, browser, 'wohnsitz-anmeldung', { childrenMovingIn: 'yes' })
    await consent(browser)
    await browser.get('/account/applications')
    assert.match(browser.lastHtml, /<input type="hidden" name="rule" value="move-in-children-school"/)
    const res = await browser.post('/account/suggestions/dismiss', { rule: 'move-in-children-school', case: caseId })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/account/applications#suggestions')
    assert.deepEqual(await suggested(browser), ['kita-anmeldung'])
    // Sent twice (back button, double click): no error, nothing twice.
    const again = await browser.post('/account/suggestions/dismiss', { rule: 'move-in-children-school', case: caseId })
    assert.equal(again.statusCode, 303)
    const rows = await db()
      .selectFrom('suggestion_dismissals')
      .selectAll()
      .where('account_id', '=', accountId)
      .execute()
    assert.equal(rows.length, 1)
    const audited = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('actor_account_id', '=', accountId)
      .where('action', '=', 'suggestion.dismiss')
      .execute()
    assert.equal(audited.length, 1)
  })

  it('refuses a dismissal that names no suggestion of the person with a clear 4xx, storing nothing', async () => {
    const { browser, accountId } = await newPerson()
    const { caseId } = await submitCase(platform, browser, 'wohnsitz-anmeldung', { childrenMovingIn: 'yes' })
    const other = await newPerson()
    const { caseId: othersCase } = await submitCase(platform, other.browser, 'wohnsitz-anmeldung', {
      childrenMovingIn: 'yes',
    })
    await consent(browser)
    await consent(other.browser)
    const cases: [Record<string, string>, number][] = [
      [{}, 400],
      [{ rule: 'move-in-children-school' }, 400],
      [{ rule: 'no-such-rule', case: caseId }, 400],
      [{ rule: 'move-in-children-school', case: 'not-a-uuid' }, 400],
      // Another person's case answers like a missing one.
      [{ rule: 'move-in-children-school', case: othersCase }, 404],
      [{ rule: 'move-in-children-school', case: crypto.randomUUID() }, 404],
      // A rule that does not fire on this case.
      [{ rule: 'car-new-address-parking', case: caseId }, 404],
    ]
    for (const [body, status] of cases) {
      const res = await browser.post('/account/suggestions/dismiss', body)
      assert.equal(res.statusCode, status, JSON.stringify(body))
      assert.match(res.body, status === 400 ? /keinen gültigen Vorschlag/ : /Diesen Vorschlag gibt es für Sie nicht/)
    }
    const garbage = await platform.app.inject({
      method: 'POST',
      url: '/account/suggestions/dismiss',
      headers: { 'content-type': 'application/json' },
      payload: '{"rule":',
    })
    assert.ok(garbage.statusCode >= 400 && garbage.statusCode < 500, String(garbage.statusCode))
    const rows = await db()
      .selectFrom('suggestion_dismissals')
      .selectAll()
      .where('account_id', '=', accountId)
      .execute()
    assert.deepEqual(rows, [])
    assert.equal((await suggested(other.browser)).length, 2, 'the other person’s suggestions are untouched')
  })

  it('stops at once when the consent is withdrawn on the start page, and forgets the dismissals', async () => {
    const { browser, accountId } = await newPerson()
    const { caseId } = await submitCase(platform, browser, 'wohnsitz-anmeldung', { childrenMovingIn: 'yes' })
    await consent(browser)
    await browser.post('/account/suggestions/dismiss', { rule: 'move-in-children-school', case: caseId })
    const res = await browser.post('/account/suggestions/consent/withdraw')
    assert.equal(res.statusCode, 303)
    assert.deepEqual(await suggested(browser), [])
    assert.match(browser.lastHtml, /Vorschläge einschalten/)
    const rows = await db()
      .selectFrom('suggestion_dismissals')
      .selectAll()
      .where('account_id', '=', accountId)
      .execute()
    assert.deepEqual(rows, [])
    const consents = await db()
      .selectFrom('consents')
      .select(['withdrawn_at'])
      .where('account_id', '=', accountId)
      .where('kind', '=', 'personalised-suggestions')
      .execute()
    assert.equal(consents.length, 1)
    assert.ok(consents[0]!.withdrawn_at)
    // Switched on again: both suggestions are back, the earlier dismissal was forgotten with the consent.
    await consent(browser)
    assert.equal((await suggested(browser)).length, 2)
  })

  it('stops as well when the consent is withdrawn under "Meine Daten"', async () => {
    const { browser, accountId } = await newPerson()
    const { caseId } = await submitCase(platform, browser, 'wohnsitz-anmeldung', { childrenMovingIn: 'yes' })
    await consent(browser)
    await browser.post('/account/suggestions/dismiss', { rule: 'move-in-children-day-care', case: caseId })
    const privacy = await browser.get('/account/privacy')
    assert.match(privacy.body, /Persönliche Vorschläge/)
    const consentId = (
      await db()
        .selectFrom('consents')
        .select('id')
        .where('account_id', '=', accountId)
        .where('kind', '=', 'personalised-suggestions')
        .executeTakeFirstOrThrow()
    ).id
    const res = await browser.post(`/account/privacy/consents/${consentId}/withdraw`)
    assert.equal(res.statusCode, 303)
    assert.deepEqual(await suggested(browser), [])
    const rows = await db()
      .selectFrom('suggestion_dismissals')
      .selectAll()
      .where('account_id', '=', accountId)
      .execute()
    assert.deepEqual(rows, [])
  })

  it('speaks English to an English-speaking person', async () => {
    const { browser } = await newPerson('en')
    const { reference } = await submitCase(platform, browser, 'fahrzeug-zulassung', { registrationType: 'transfer' })
    await consent(browser)
    assert.deepEqual(await suggested(browser), ['bewohnerparkausweis'])
    assert.match(browser.lastHtml, /This might be important next/)
    assert.ok(browser.lastHtml.includes(`(ref. ${reference})`))
    assert.match(browser.lastHtml, /Do not show again/)
  })

  it('puts the dismissals and the consent into the export and forgets them with the account', async () => {
    const { browser, accountId } = await newPerson()
    const { caseId } = await submitCase(platform, browser, 'wohnsitz-anmeldung', { childrenMovingIn: 'yes' })
    await consent(browser)
    await browser.post('/account/suggestions/dismiss', { rule: 'move-in-children-school', case: caseId })
    const exported = (await suggestionsHolder.exportFor(db(), accountId)).data as {
      consentActive: boolean
      dismissed: { rule: string; case: string }[]
    }
    assert.equal(exported.consentActive, true)
    assert.deepEqual(
      exported.dismissed.map(d => [d.rule, d.case]),
      [['move-in-children-school', caseId]],
    )
    const counts = await db()
      .transaction()
      .execute(trx => suggestionsHolder.eraseFor(trx, accountId))
    assert.deepEqual(counts, [{ subjectType: 'suggestion_dismissal', outcome: 'deleted', count: 1 }])
    const rows = await db()
      .selectFrom('suggestion_dismissals')
      .selectAll()
      .where('account_id', '=', accountId)
      .execute()
    assert.deepEqual(rows, [])
  })

  it('lets a suggestion go once the event is longer ago than the rule says', async () => {
    const { browser, email } = await newPerson()
    await submitCase(platform, browser, 'fahrzeug-zulassung', { registrationType: 'transfer' })
    await consent(browser)
    assert.deepEqual(await suggested(browser), ['bewohnerparkausweis'])
    platform.clock.advance(91 * DAY)
    const later = new TestBrowser(platform)
    await later.get('/login')
    assert.equal((await later.post('/login', { email, password: PASSWORD })).statusCode, 303)
    assert.deepEqual(await suggested(later), [])
  })
})

describe('a rule that counts from the decision (counts: completed)', () => {
  // A city's own rules file: the platform reads what SERVICES_DIR holds, checked at start like the shipped one.
  let own: TestPlatform
  let dir = ''
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'life-events-services-'))
    fs.cpSync(path.resolve('services'), dir, { recursive: true })
    fs.writeFileSync(
      path.join(dir, '_life-events.yaml'),
      `- id: registered-then-id-card
  event: { service: wohnsitz-anmeldung, counts: completed }
  suggest: personalausweis-beantragen
  reason: { de: "Weil Ihre Anmeldung am {date} erfasst wurde (Az. {reference})", en: "Because your registration was completed on {date} (ref. {reference})" }
  relevantForDays: 30
`,
    )
    own = await startTestPlatform({ servicesDir: dir })
  })
  after(async () => {
    await own?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('suggests only once the office approved the case, not while it is open or after a rejection', async () => {
    const saved = platform
    platform = own
    try {
      const approved = await newPerson()
      const { caseId, reference } = await submitCase(own, approved.browser, 'wohnsitz-anmeldung')
      const rejected = await newPerson()
      const { caseId: rejectedId } = await submitCase(own, rejected.browser, 'wohnsitz-anmeldung')
      await consent(approved.browser)
      await consent(rejected.browser)
      assert.deepEqual(await suggested(approved.browser), [], 'submitted is not completed')

      const office = await staffBrowser(own, 'buergerdienste', 'team_lead')
      const decide = async (id: string, steps: string[]) => {
        for (const transitionId of steps) {
          const res = await office.post(`/backoffice/cases/${id}/transitions`, {
            transitionId,
            version: await caseVersion(office, id),
          })
          assert.equal(res.statusCode, 303, transitionId)
        }
      }
      await decide(caseId, ['start', 'approve'])
      await decide(rejectedId, ['start', 'reject'])
      assert.deepEqual(await suggested(approved.browser), ['personalausweis-beantragen'])
      assert.match(
        approved.browser.lastHtml,
        new RegExp(`Weil Ihre Anmeldung am .* erfasst wurde \\(Az\\. ${reference}\\)`),
      )
      assert.deepEqual(await suggested(rejected.browser), [])
    } finally {
      platform = saved
    }
  })
})

describe('the demo', () => {
  it('gives the demo citizen suggestions to see once she switches them on', async () => {
    const demo = await startTestPlatform({ seedDemoCases: true })
    try {
      const erika = await citizenBrowser(demo)
      await erika.get('/account/applications')
      assert.equal((await erika.post('/account/suggestions/consent')).statusCode, 303)
      const page = await erika.get('/account/applications')
      const section = page.body.split('id="suggestions"')[1]?.split('</section>')[0] ?? ''
      const services = [...section.matchAll(/href="\/services\/([a-z-]+)"/g)].map(m => m[1]).sort()
      // The market stall is not among them: her demo cases include a market application after the trade registration.
      assert.deepEqual(services, ['bewohnerparkausweis', 'kita-anmeldung', 'schulanmeldung'])
    } finally {
      await demo.close()
    }
  })
})

describe('the rules file services/_life-events.yaml', () => {
  const servicesDir = path.resolve('services')
  const offices = loadOffices(servicesDir)
  const loaded = loadServiceDefinitions(servicesDir, offices)
  const definitions = loaded.map(l => l.definition)
  const offline = loadOfflineEntries(servicesDir, offices, loaded)

  function problemsOf(yaml: string): string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'life-events-'))
    try {
      fs.writeFileSync(path.join(dir, '_life-events.yaml'), yaml)
      loadLifeEvents(dir, definitions, offline)
      return []
    } catch (error) {
      assert.ok(error instanceof DefinitionError, String(error))
      return error.problems
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
  const rule = (over: string) => `- id: a-rule
  event:
    service: wohnsitz-anmeldung
    counts: submitted
    when: { field: childrenMovingIn, equals: true }
  suggest: schulanmeldung
  reason: { de: "weil Sie am {date} …", en: "because on {date} …" }
  relevantForDays: 30
${over}`

  it('ships rules that pass the checks', () => {
    assert.equal(loadLifeEvents(servicesDir, definitions, offline).length, 4)
  })

  it('names the file and the path of each problem', () => {
    const cases: [string, RegExp][] = [
      [
        rule('').replace('wohnsitz-anmeldung', 'umzug-zum-mond'),
        /\/0\/event\/service: "umzug-zum-mond" is not an online service/,
      ],
      [
        rule('').replace('childrenMovingIn', 'kinder'),
        /\/0\/event\/when\/field: "kinder" is not a field of service "wohnsitz-anmeldung"/,
      ],
      [
        rule('').replace('{ field: childrenMovingIn, equals: true }', '{ field: residenceType, equals: castle }'),
        /\/0\/event\/when: "castle" is not an option of field "residenceType"/,
      ],
      [
        rule('').replace('suggest: schulanmeldung', 'suggest: raumfahrt'),
        /\/0\/suggest: "raumfahrt" is neither an online service nor an entry/,
      ],
      [
        rule('').replace('suggest: schulanmeldung', 'suggest: wohnsitz-anmeldung'),
        /\/0\/suggest: a service does not suggest itself/,
      ],
      [
        rule('').replace('en: "because on {date} …"', 'en: "because {who} …"'),
        /\/0\/reason\/en: unknown placeholder \{who\}/,
      ],
      [rule('').replace('counts: submitted', 'counts: someday'), /\/0\/event\/counts/],
      [rule('').replace(', en: "because on {date} …"', ''), /\/0\/reason/],
      [rule('').replace('relevantForDays: 30', 'relevantForDays: 0'), /\/0\/relevantForDays/],
      [`${rule('')}${rule('')}`, /\/1\/id: "a-rule" is used twice/],
      ['- id: [unclosed', /YAML syntax error/],
    ]
    for (const [yaml, expected] of cases) {
      const problems = problemsOf(yaml)
      assert.ok(problems.length > 0, `no problem found in:\n${yaml}`)
      assert.ok(
        problems.every(p => p.startsWith('services/_life-events.yaml: ')),
        problems.join('\n'),
      )
      assert.match(problems.join('\n'), expected)
    }
  })

  it('reads no rules where the city has no file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'life-events-'))
    try {
      assert.deepEqual(loadLifeEvents(dir, definitions, offline), [])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
