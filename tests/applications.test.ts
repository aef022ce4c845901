import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, TestBrowser, samplePdf, type TestPlatform } from './support/test-platform.js'
import { applyFor, pageForm } from './support/autofill.js'
import { citizenBrowser, staffBrowser } from './support/casework.js'
import { DEMO_BUSINESS } from '../src/seed.js'
import { setBrowserAssurance } from './support/assurance.js'
import { requiredAssurance } from '../src/modules/catalogue/index.js'
import { startDraft as startDraftFor } from '../src/modules/applications/applications.drafts.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

const dogTax = () => platform.app.services.get('hundesteuer-anmeldung')

async function startDraft(browser: TestBrowser, serviceId = 'hundesteuer-anmeldung') {
  await browser.get(`/services/${serviceId}`)
  const res = await browser.post(`/services/${serviceId}/applications`)
  assert.equal(res.statusCode, 303)
  const location = String(res.headers.location)
  return { location, draftId: /\/applications\/([^/]+)\//.exec(location)![1]! }
}

describe('applying without an account', () => {
  it('takes an application through every page to a case with a timeline entry, an audit row and its files', async () => {
    const browser = new TestBrowser(platform)
    const { reference } = await applyFor(browser, dogTax(), { dangerousDog: 'section3' })
    const db = platform.database.db
    const found = await db.selectFrom('cases').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow()
    assert.equal(found.service_id, 'hundesteuer-anmeldung')
    assert.equal(found.office_id, 'stadtkasse-steueramt')
    assert.equal(found.status, 'submitted')
    assert.equal(found.applicant_name, 'Beispiel Beispiel')
    assert.equal(found.service_version, dogTax().version)
    assert.ok(found.due_at)
    const events = await db.selectFrom('case_events').select('kind').where('case_id', '=', found.id).execute()
    assert.deepEqual(
      events.map(e => e.kind),
      ['submitted'],
    )
    const audits = await db.selectFrom('audit_log').select('action').where('subject_id', '=', found.id).execute()
    assert.ok(audits.some(a => a.action === 'case.create'))
    const files = await db
      .selectFrom('files')
      .select(['filename', 'media_type'])
      .where('case_id', '=', found.id)
      .execute()
    assert.ok(files.some(f => f.filename === 'dangerousDogPermit.pdf' && f.media_type === 'application/pdf'))
  })

  it('shows an error summary linking to each wrong field and keeps everything typed', async () => {
    const browser = new TestBrowser(platform)
    const { location } = await startDraft(browser)
    const res = await browser.post(location, {
      givenName: 'Ada"<b>',
      familyName: '',
      'address.street': 'Markt',
      'address.postalCode': '123',
      email: 'kein-at',
      dogsInHousehold: 'zwei',
      action: 'continue',
    })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /class="kern-alert kern-alert--danger error-summary"/)
    assert.match(res.body, /href="#familyName"/)
    assert.match(res.body, /href="#email"/)
    assert.match(res.body, /href="#dogsInHousehold"/)
    assert.match(res.body, /href="#address\.houseNumber"/)
    assert.match(res.body, /value="Ada&#34;&lt;b>"|value="Ada&#34;<b>"/, 'typed value kept, quotes escaped')
    assert.match(res.body, /value="kein-at"/)
    assert.match(res.body, /value="zwei"/)
    assert.match(res.body, /value="Markt"/)
    assert.ok(!res.body.includes('Ada"<b>'))
    assert.match(res.body, /<title>Fehler:/)
  })

  it('refuses a disguised upload by its content, whatever its name says', async () => {
    const browser = new TestBrowser(platform)
    const { draftId } = await startDraft(browser)
    const def = dogTax()
    let answers = {}
    for (const page of def.form.pages.slice(0, 1)) {
      const filled = pageForm(page, answers)
      answers = filled.answers
      await browser.post(`/applications/${draftId}/pages/${page.id}`, { ...filled.form, action: 'continue' })
    }
    await browser.get(`/applications/${draftId}/pages/dog`)
    const filled = pageForm(def.form.pages[1]!, answers, { dangerousDog: 'section3' })
    const res = await browser.post(
      `/applications/${draftId}/pages/dog`,
      { ...filled.form, action: 'continue' },
      {
        files: [
          {
            field: 'dangerousDogPermit',
            filename: 'bescheinigung.pdf',
            content: Buffer.from('MZ\x90\x00 this is really an executable'),
            contentType: 'application/pdf',
          },
        ],
      },
    )
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /keine PDF, JPEG, PNG-Datei/)
    assert.match(res.body, /value="Beispiel"/)
  })

  it('makes one case from a double-clicked submit', async () => {
    const browser = new TestBrowser(platform)
    const { draftId, reference } = await applyFor(browser, dogTax())
    await browser.get(`/applications/${draftId}/confirmation`)
    const again = await browser.post(`/applications/${draftId}/submit`)
    assert.equal(again.statusCode, 303)
    const page = await browser.follow(again)
    assert.match(page.body, new RegExp(reference))
    const count = await platform.database.db
      .selectFrom('cases')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .where('draft_id', '=', draftId)
      .executeTakeFirstOrThrow()
    assert.equal(Number(count.n), 1)
  })

  it('makes one case when two submits of the same draft race', async () => {
    const browser = new TestBrowser(platform)
    const { draftId } = await startDraft(browser)
    const def = dogTax()
    let answers = {}
    for (const page of def.form.pages) {
      const filled = pageForm(page, answers)
      answers = filled.answers
      await browser.post(
        `/applications/${draftId}/pages/${page.id}`,
        { ...filled.form, action: 'continue' },
        filled.files.length ? { files: filled.files } : {},
      )
    }
    await browser.get(`/applications/${draftId}/check`)
    const results = await Promise.all([
      browser.post(`/applications/${draftId}/submit`),
      browser.post(`/applications/${draftId}/submit`),
    ])
    assert.deepEqual(
      results.map(r => r.statusCode),
      [303, 303],
    )
    const rows = await platform.database.db.selectFrom('cases').select('id').where('draft_id', '=', draftId).execute()
    assert.equal(rows.length, 1)
  })

  it('saves a draft for later and resumes it in the same browser', async () => {
    const browser = new TestBrowser(platform)
    const { location, draftId } = await startDraft(browser)
    const res = await browser.post(location, { givenName: 'Ada', action: 'save' })
    assert.equal(res.headers.location, `/applications/${draftId}/saved`)
    const saved = await browser.follow(res)
    assert.match(saved.body, /Antrag fortsetzen/)
    const resumed = await browser.get(location)
    assert.match(resumed.body, /value="Ada"/)
  })

  it('answers 404 to a draft of another browser, as if it did not exist', async () => {
    const owner = new TestBrowser(platform)
    const { location, draftId } = await startDraft(owner)
    const stranger = new TestBrowser(platform)
    await stranger.get('/services/hundesteuer-anmeldung')
    assert.equal((await stranger.get(location)).statusCode, 404)
    assert.equal((await stranger.get(`/applications/${draftId}/check`)).statusCode, 404)
    assert.equal((await stranger.post(`/applications/${draftId}/submit`)).statusCode, 404)
  })

  it('cannot skip pages: submitting an incomplete draft sends the person back to the first gap', async () => {
    const browser = new TestBrowser(platform)
    const { draftId } = await startDraft(browser)
    await browser.get('/')
    const res = await browser.post(`/applications/${draftId}/submit`)
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/applications/${draftId}/pages/keeper`)
    const none = await platform.database.db.selectFrom('cases').select('id').where('draft_id', '=', draftId).execute()
    assert.equal(none.length, 0)
  })

  it('refuses posts without the CSRF token and posts from other sites', async () => {
    const browser = new TestBrowser(platform)
    const { location } = await startDraft(browser)
    assert.equal((await browser.post(location, { givenName: 'x' }, { csrf: false })).statusCode, 403)
    assert.equal((await browser.post(location, { givenName: 'x' }, { csrf: 'forged-token' })).statusCode, 403)
    const crossSite = await platform.app.inject({
      method: 'POST',
      url: location,
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'givenName=x',
    })
    assert.equal(crossSite.statusCode, 403)
  })

  it('answers unknown services, pages and malformed ids with 4xx pages', async () => {
    const browser = new TestBrowser(platform)
    const { draftId } = await startDraft(browser)
    assert.equal((await browser.get('/services/gibt-es-nicht')).statusCode, 404)
    assert.equal((await browser.post('/services/gibt-es-nicht/applications')).statusCode, 404)
    assert.equal((await browser.get(`/applications/${draftId}/pages/nope`)).statusCode, 404)
    assert.equal((await browser.get('/applications/not-a-uuid/check')).statusCode, 400)
  })

  it('uploads count their size against the field limit', async () => {
    const browser = new TestBrowser(platform)
    const { draftId } = await startDraft(browser)
    const def = dogTax()
    const filled0 = pageForm(def.form.pages[0]!, {})
    await browser.post(`/applications/${draftId}/pages/keeper`, { ...filled0.form, action: 'continue' })
    await browser.get(`/applications/${draftId}/pages/dog`)
    const field = def.form.pages[1]!.fields.find(f => f.id === 'dangerousDogPermit')!
    const big = Buffer.concat([samplePdf, Buffer.alloc(Math.round((field.maxSizeMb ?? 10) * 1024 * 1024) + 10, 32)])
    const filled = pageForm(def.form.pages[1]!, filled0.answers, { dangerousDog: 'section3' })
    const res = await browser.post(
      `/applications/${draftId}/pages/dog`,
      { ...filled.form, action: 'continue' },
      { files: [{ field: 'dangerousDogPermit', filename: 'big.pdf', content: big }] },
    )
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /zu groß/)
  })
})

describe('catalogue search', () => {
  it('finds residence registration first for "Ummeldung", the typo "Ummeldnug", "umziehen" and in English', async () => {
    for (const q of ['Ummeldung', 'Ummeldnug', 'umziehen', 'register address', 'change of address']) {
      const res = await platform.app.inject({
        method: 'GET',
        url: `/api/v1/services?q=${encodeURIComponent(q)}&lang=en`,
      })
      assert.equal(res.statusCode, 200)
      const ids = (res.json() as { services: { id: string }[] }).services.map(s => s.id)
      assert.equal(ids[0], 'wohnsitz-anmeldung', `${q}: ${ids.join(', ')}`)
    }
  })

  it('forgives typos in German and English: "Hundestuer", "parkng permit", "Fuehrerschein"', async () => {
    for (const [q, id] of [
      ['Hundestuer', 'hundesteuer-anmeldung'],
      ['parkng permit', 'bewohnerparkausweis'],
      ['Fuehrerschein', 'fuehrerschein-ersatz'],
    ] as const) {
      const res = await platform.app.inject({ method: 'GET', url: `/api/v1/services?q=${encodeURIComponent(q)}` })
      const ids = (res.json() as { services: { id: string }[] }).services.map(s => s.id)
      assert.equal(ids[0], id, `${q}: ${ids.join(', ')}`)
    }
    const nothing = await platform.app.inject({ method: 'GET', url: '/api/v1/services?q=xyzzy' })
    assert.deepEqual(nothing.json(), { total: 0, services: [] })
  })

  it('folds umlauts and case, stems German and English, splits compounds: "FUEHRERSCHEIN", "dogs", "Gewerbeanmeldung"', async () => {
    const first = async (q: string) => {
      const res = (
        await platform.app.inject({ method: 'GET', url: `/api/v1/services?q=${encodeURIComponent(q)}` })
      ).json() as { total: number; services: { id: string }[] }
      return res.services.map(s => s.id)
    }
    for (const [q, id] of [
      ['FUEHRERSCHEIN', 'fuehrerschein-ersatz'],
      ['Führerscheine', 'fuehrerschein-ersatz'],
      ['Fuhrerschein', 'fuehrerschein-ersatz'],
      ['dogs', 'hundesteuer-anmeldung'],
      ['dog taxes', 'hundesteuer-anmeldung'],
      ['Hunde', 'hundesteuer-anmeldung'],
      ['Gewerbeanmeldung', 'gewerbe-anmeldung'],
      ['car registration', 'fahrzeug-zulassung'],
    ] as const)
      assert.equal((await first(q))[0], id, `${q}: ${(await first(q)).join(', ')}`)
    // A word in many services does not carry a query on its own: the nonsense word has to match too.
    assert.deepEqual(await first('xyzzy beantragen'), [])
    // Search words and filters together, in the portal.
    const en = new TestBrowser(platform, 'en')
    assert.match((await en.get('/services?q=dogs&situation=animals')).body, /href="\/services\/hundesteuer-anmeldung"/)
    assert.match((await en.get('/services?q=dogs&situation=vehicle')).body, /No service found/)
  })

  it('pages through the catalogue: the API by limit and offset, the portal by page links without JavaScript', async () => {
    const all = platform.app.services.all().length
    const pages: string[] = []
    for (let offset = 0; offset < all; offset += 5) {
      const res = (
        await platform.app.inject({ method: 'GET', url: `/api/v1/services?limit=5&offset=${offset}` })
      ).json() as { total: number; services: { id: string }[] }
      assert.equal(res.total, all)
      pages.push(...res.services.map(s => s.id))
    }
    assert.deepEqual(
      [...pages].sort(),
      platform.app.services
        .all()
        .map(s => s.id)
        .sort(),
    )
    assert.equal((await platform.app.inject({ method: 'GET', url: '/api/v1/services?limit=101' })).statusCode, 400)

    // The portal lists the services offered only at the counter too (services/_offline.yaml).
    const listed = platform.app.services.search({}).total
    assert.ok(listed > all)
    const browser = new TestBrowser(platform)
    const first = await browser.get('/services')
    assert.match(first.body, new RegExp(`${listed} Leistungen gefunden`))
    assert.equal(first.body.match(/class="kern-card"/g)?.length, 10)
    assert.match(first.body, /<a class="kern-link" rel="next" href="\/services\?page=2">Weitere Ergebnisse<\/a>/)
    assert.match(first.body, /aria-current="page"[^>]*>1<\/a>/)
    const last = Math.ceil(listed / 10)
    const end = await browser.get(`/services?page=${last}`)
    assert.equal(end.body.match(/class="kern-card"/g)?.length, listed - (last - 1) * 10)
    assert.doesNotMatch(end.body, /Weitere Ergebnisse/)
    assert.match(
      end.body,
      new RegExp(`rel="prev" href="/services\\?${last === 2 ? '' : `page=${last - 1}`}">Vorherige Seite`),
    )
    assert.match(end.body, new RegExp(`aria-current="page" aria-label="Seite ${last} von ${last}"`))
    // The search words and filters stay in the links; a page past the end still says how many there are.
    const en = new TestBrowser(platform, 'en')
    const past = await en.get('/services?situation=moving&page=9')
    assert.equal(past.statusCode, 200)
    assert.match(past.body, /services found/)
    assert.match(past.body, /href="\/services\?situation=moving"/)
    assert.equal((await en.get('/services?page=0')).statusCode, 400)
  })

  it('serves the catalogue, a service and the OpenAPI document', async () => {
    const one = await platform.app.inject({ method: 'GET', url: '/api/v1/services/wohnsitz-anmeldung' })
    assert.equal(one.statusCode, 200)
    assert.equal(one.json().id, 'wohnsitz-anmeldung')
    assert.equal((await platform.app.inject({ method: 'GET', url: '/api/v1/services/nope' })).statusCode, 404)
    assert.equal(
      (await platform.app.inject({ method: 'GET', url: `/api/v1/services?q=${'x'.repeat(500)}` })).statusCode,
      400,
    )
    const spec = (await platform.app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
    assert.equal(spec.openapi, '3.1.0')
    assert.ok(spec.paths['/api/v1/services'])
  })

  it('browses by life situation and office, in German and English', async () => {
    const de = new TestBrowser(platform)
    const moving = await de.get('/services?situation=moving')
    assert.match(moving.body, /Wohnsitz/)
    const en = new TestBrowser(platform, 'en')
    const office = await en.get('/services?office=strassenverkehrsamt')
    assert.match(office.body, /<html lang="en">/)
    assert.equal((await en.get('/services?situation=nonsense')).statusCode, 400)
  })

  it('switches the language and comes back to the same page, never to another site', async () => {
    const browser = new TestBrowser(platform)
    const res = await browser.get('/language/en?return=%2Fservices%2Fwohnsitz-anmeldung')
    assert.equal(res.headers.location, '/services/wohnsitz-anmeldung')
    const page = await browser.get('/services/wohnsitz-anmeldung')
    assert.match(page.body, /<html lang="en">/)
    assert.equal((await browser.get('/language/en?return=%2F%2Fevil.example')).headers.location, '/')
    assert.equal((await browser.get('/language/fr')).statusCode, 404)
  })
})

describe('follow-up questions that depend on an earlier page', () => {
  it('are rendered shown by the server and left alone by the script (driving-licence replacement: reason lost)', async () => {
    const { DEMO_CITIZEN, DEMO_PASSWORD } = await import('../src/seed.js')
    const browser = new TestBrowser(platform)
    await browser.get('/login')
    assert.equal((await browser.post('/login', { email: DEMO_CITIZEN, password: DEMO_PASSWORD })).statusCode, 303)
    const definition = platform.app.services.get('fuehrerschein-ersatz')
    const { location } = await startDraft(browser, definition.id)
    const reasonPage = definition.form.pages[0]!
    const { form, files } = pageForm(reasonPage, {}, { reason: 'lost' })
    const next = await browser.post(location, { ...form, action: 'continue' }, files.length ? { files } : {})
    assert.equal(next.statusCode, 303)
    // The declaration in lieu of oath sits on a later page and depends on the reason given on the first.
    const page = await browser.get(String(next.headers.location).replace(/pages\/[^/?]+/, 'pages/person'))
    assert.equal(page.statusCode, 200)
    const wrapper = /<div data-field-id="declarationInLieuOfOath"[^>]*>/.exec(page.body)?.[0] ?? ''
    assert.ok(wrapper, 'the field is on the page')
    assert.doesNotMatch(wrapper, /hidden/, 'shown, since the server knows the reason')
    assert.doesNotMatch(
      wrapper,
      /data-show-if-field/,
      'no condition for the script, whose form does not hold the reason',
    )
  })
})

describe('every shipped service', () => {
  it('can be applied for end to end, with sign-in where the service requires it', async () => {
    const { DEMO_CITIZEN, DEMO_PASSWORD } = await import('../src/seed.js')
    const signedIn = new TestBrowser(platform)
    await signedIn.get('/login')
    const login = await signedIn.post('/login', { email: DEMO_CITIZEN, password: DEMO_PASSWORD })
    assert.equal(login.statusCode, 303)
    const failures: string[] = []
    // Defect reports are filed through their own form with a map (tests/reports.test.ts), hall use by booking a hall
    // (tests/facilities.test.ts).
    for (const definition of platform.app.services.all().filter(d => !d.report && !d.bookedAt)) {
      const browser = definition.loginRequired ? signedIn : new TestBrowser(platform)
      // The level the service asks for, as a provider sign-in would give it (read from the definition).
      if (definition.loginRequired)
        await setBrowserAssurance(platform.database.db, signedIn, requiredAssurance(definition))
      try {
        const { reference } = await applyFor(browser, definition)
        assert.match(reference, /^DO-\d{4}-\d{6}$/)
      } catch (error) {
        failures.push(`${definition.id}: ${(error as Error).message}`)
      }
    }
    assert.deepEqual(failures, [])
  })

  it('fills what the account knows and does not ask for it again (once-only)', async () => {
    const { DEMO_CITIZEN, DEMO_PASSWORD } = await import('../src/seed.js')
    const browser = new TestBrowser(platform)
    await browser.get('/login')
    await browser.post('/login', { email: DEMO_CITIZEN, password: DEMO_PASSWORD })
    const { location, draftId } = await startDraft(browser)
    const page = await browser.get(location)
    assert.match(page.body, /Mustermann/)
    assert.ok(!page.body.includes('name="familyName"'), 'family name is not asked again')
    assert.ok(!page.body.includes('name="address.street"'), 'address is not asked again')
    await browser.post(location, { familyName: 'Tampered', dogsInHousehold: '1', action: 'continue' })
    const draft = await platform.database.db
      .selectFrom('drafts')
      .select('answers')
      .where('id', '=', draftId)
      .executeTakeFirstOrThrow()
    assert.equal((draft.answers as Record<string, unknown>).familyName, 'Mustermann')
  })
})

describe('who a service is for', () => {
  const startButton = (serviceId: string) => new RegExp(`action="/services/${serviceId}/applications"`)

  it('offers a business account no start on a service for citizens only, says why, and refuses the start', async () => {
    const business = await citizenBrowser(platform, DEMO_BUSINESS)
    const page = await business.get('/services/bewohnerparkausweis')
    assert.equal(page.statusCode, 200)
    assert.doesNotMatch(page.body, startButton('bewohnerparkausweis'))
    assert.match(page.body, /nur für Privatpersonen/)
    assert.match(page.body, /action="\/logout"/, 'offers to switch accounts')
    const drafts = async () =>
      (
        await platform.database.db
          .selectFrom('drafts')
          .innerJoin('accounts', 'accounts.id', 'drafts.account_id')
          .select('drafts.id')
          .where('drafts.service_id', '=', 'bewohnerparkausweis')
          .where('accounts.email', '=', DEMO_BUSINESS)
          .execute()
      ).length
    const before = await drafts()
    const refused = await business.post('/services/bewohnerparkausweis/applications')
    assert.equal(refused.statusCode, 403)
    assert.match(refused.body, /nur für Privatpersonen/)
    assert.match(refused.body, /Unternehmenskonto/)
    assert.equal(await drafts(), before, 'no draft started')
  })

  it('refuses a citizen on a service for businesses only, in the language of the page', async () => {
    const citizen = await citizenBrowser(platform)
    await citizen.get('/language/en?return=/services/wochenmarkt-standplatz')
    const page = await citizen.get('/services/wochenmarkt-standplatz')
    assert.doesNotMatch(page.body, startButton('wochenmarkt-standplatz'))
    assert.match(page.body, /for businesses only/)
    const refused = await citizen.post('/services/wochenmarkt-standplatz/applications')
    assert.equal(refused.statusCode, 403)
    assert.match(refused.body, /for businesses only/)
    assert.match(refused.body, /business account/)
  })

  it('lets both kinds of account start a service for both, and anyone without an account', async () => {
    for (const browser of [
      await citizenBrowser(platform, DEMO_BUSINESS),
      await citizenBrowser(platform),
      new TestBrowser(platform),
    ]) {
      const page = await browser.get('/services/baumfaellung')
      assert.match(page.body, startButton('baumfaellung'))
      assert.equal((await browser.post('/services/baumfaellung/applications')).statusCode, 303)
    }
  })

  it('refuses to submit a draft of a citizen service that a business account holds (one started before the rule)', async () => {
    const business = await citizenBrowser(platform, DEMO_BUSINESS)
    await business.get('/services/bewohnerparkausweis')
    const account = await platform.database.db
      .selectFrom('accounts')
      .select(['id', 'email'])
      .where('email', '=', DEMO_BUSINESS)
      .executeTakeFirstOrThrow()
    const draftId = await startDraftFor(
      platform.database.db,
      platform.app.services.get('bewohnerparkausweis'),
      {
        idHash: 'legacy',
        csrfToken: 'legacy',
        staff: null,
        account: {
          id: account.id,
          kind: 'business',
          email: account.email,
          displayName: 'Bäckerei',
          assurance: 'low',
          identityProvider: null,
        },
      },
      false,
    )
    const refused = await business.post(`/applications/${draftId}/submit`)
    assert.equal(refused.statusCode, 403)
    assert.match(refused.body, /nur für Privatpersonen/)
    const draft = await platform.database.db
      .selectFrom('drafts')
      .select('case_id')
      .where('id', '=', draftId)
      .executeTakeFirstOrThrow()
    assert.equal(draft.case_id, null)
  })

  it("lets staff at the counter file any service on someone's behalf", async () => {
    const staff = await staffBrowser(platform, 'strassenverkehrsamt')
    await staff.get('/backoffice/counter')
    assert.equal((await staff.post('/services/bewohnerparkausweis/applications')).statusCode, 303)
  })
})
