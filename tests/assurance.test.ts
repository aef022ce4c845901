import crypto from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import { DEMO_PASSWORD, startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { DEMO_CITIZEN } from '../src/seed.js'
import { citizenBrowser, staffBrowser, submitCase } from './support/casework.js'
import { fillDraft, paySandboxIfAsked } from './support/autofill.js'
import { setBrowserAssurance, TEST_PROVIDER } from './support/assurance.js'
import { checkDefinitionText, loadOffices } from '../src/modules/catalogue/definitions.load.js'
import { identificationOptions } from '../src/modules/applications/applications.assurance.js'
import type { IdentityProviderConfig } from '../src/modules/identity/index.js'
import type { Session } from '../src/platform/auth/sessions.js'

/** Levels of assurance per service (issue 17): what a definition says, what the person is told, what a case keeps. */
let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

describe('a definition’s level of assurance', () => {
  const offices = loadOffices(path.resolve('services'))
  const building = fs.readFileSync(path.resolve('services/bauantrag.yaml'), 'utf8')

  it('ships substantial for the building application, housing benefit and vehicle registration; low where none is named', () => {
    const level = (id: string) => platform.app.services.get(id).assurance
    assert.deepEqual(['bauantrag', 'wohngeld-antrag', 'fahrzeug-zulassung', 'hundesteuer-anmeldung'].map(level), [
      'substantial',
      'substantial',
      'substantial',
      undefined,
    ])
  })

  it('check-services names the file and the path of an unknown level', () => {
    const problems = checkDefinitionText(
      building.replace('assurance: substantial', 'assurance: medium'),
      'services/bauantrag.yaml',
      offices,
    )
    assert.ok(
      problems.some(p => p.startsWith('services/bauantrag.yaml: /assurance')),
      problems.join('\n'),
    )
  })

  it('check-services refuses a level above low for a service without sign-in', () => {
    const problems = checkDefinitionText(
      building.replace('loginRequired: true', 'loginRequired: false'),
      'services/bauantrag.yaml',
      offices,
    )
    assert.deepEqual(problems, [
      `services/bauantrag.yaml: /assurance (line ${building.split('\n').indexOf('assurance: substantial') + 1}): level "substantial" needs "loginRequired: true"`,
    ])
  })

  it('the catalogue API names each service’s level', async () => {
    const res = await platform.app.inject({ method: 'GET', url: '/api/v1/services/bauantrag' })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().assurance, 'substantial')
  })
})

describe('the page that asks for a proof of identity', () => {
  it('says why and at which level, offers the providers that give it (in development the demo BundID) and names the office', async () => {
    const browser = new TestBrowser(platform)
    const page = await browser.get('/services/wohngeld-antrag/identification')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<h1[^>]*>Identität nachweisen<\/h1>/)
    assert.match(page.body, /Vertrauensniveau „substanziell“ \(eIDAS\)/)
    assert.match(page.body, /Sie sind zurzeit nicht angemeldet/)
    assert.match(page.body, /href="\/login\/with\/bundid-demo\?[^"]*assurance=substantial/)
    assert.doesNotMatch(page.body, /Online zurzeit nicht möglich/)
    const office = platform.app.services.office('amt-fuer-wohnen')!
    assert.ok(page.body.includes(office.name.de), 'the office is named')
  })

  it('with no provider that gives the level, sends the person to the office, whose address it names', async () => {
    const withoutProviders = await startTestPlatform({ identityDemo: false })
    try {
      const page = await new TestBrowser(withoutProviders).get('/services/wohngeld-antrag/identification')
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /Online zurzeit nicht möglich/)
      assert.doesNotMatch(page.body, /\/login\/with\//)
      const office = withoutProviders.app.services.office('amt-fuer-wohnen')!
      assert.ok(page.body.includes(office.name.de), 'the office is named')
      if (office.address) assert.ok(page.body.includes(office.address), 'with its address')
    } finally {
      await withoutProviders.close()
    }
  })

  it('speaks English and names the level a password gives', async () => {
    const en = new TestBrowser(platform, 'en')
    await en.get('/login')
    assert.equal((await en.post('/login', { email: DEMO_CITIZEN, password: DEMO_PASSWORD })).statusCode, 303)
    const page = await en.get('/services/fahrzeug-zulassung/identification')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Prove your identity/)
    assert.match(page.body, /level of assurance “substantial”/)
    assert.match(page.body, /signed in at the level of assurance “low”/)
    assert.match(page.body, /BundID and the online ID function .* or with an ELSTER certificate/)
  })

  it('offers the providers that give the level, for the kind of account; signed in, the sign-in links to the account', () => {
    const provider = (id: string, audience: 'citizen' | 'business', maxAssurance: 'low' | 'substantial' | 'high') =>
      ({
        id,
        protocol: 'saml',
        label: { de: `Mit ${id} anmelden`, en: `Sign in with ${id}` },
        audience,
        maxAssurance,
        settings: {},
      }) satisfies IdentityProviderConfig
    const providers = [
      provider('bundid', 'citizen', 'high'),
      provider('elster', 'citizen', 'substantial'),
      provider('unternehmenskonto', 'business', 'substantial'),
      provider('social', 'citizen', 'low'),
    ]
    const building = platform.app.services.get('bauantrag')
    const ids = (options: { id: string }[]) => options.map(o => o.id)
    const anonymous = identificationOptions(providers, building, null, 'de', 'substantial', '/applications/x/check')
    assert.deepEqual(ids(anonymous), ['bundid', 'elster', 'unternehmenskonto'])
    assert.equal(anonymous[0]!.href, '/login/with/bundid?return=%2Fapplications%2Fx%2Fcheck&assurance=substantial')
    assert.deepEqual(ids(identificationOptions(providers, building, null, 'de', 'high', '/')), ['bundid'])
    const citizen = { account: { kind: 'citizen' } } as Session
    const linked = identificationOptions(providers, building, citizen, 'en', 'substantial', '/services/bauantrag')
    assert.deepEqual(ids(linked), ['bundid', 'elster'])
    assert.equal(linked[1]!.label, 'Sign in with elster')
    assert.ok(linked.every(o => o.href.endsWith('&link=1')))
  })
})

describe('a level raised while someone fills in', () => {
  it('applies to a draft of the older version that named none: it is neither shown nor sent below the new level', async () => {
    const current = platform.app.services.get('wohngeld-antrag')
    const { assurance: _raised, ...older } = { ...current, version: current.version - 1 }
    await platform.database.db
      .insertInto('service_versions')
      .values({
        service_id: current.id,
        version: older.version,
        definition: JSON.stringify(older),
        content_hash: 'test-older-version',
        loaded_at: new Date(),
      })
      .onConflict(oc => oc.columns(['service_id', 'version']).doNothing())
      .execute()
    const browser = await citizenBrowser(platform)
    const account = await platform.database.db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', DEMO_CITIZEN)
      .executeTakeFirstOrThrow()
    const draftId = crypto.randomUUID()
    await platform.database.db
      .insertInto('drafts')
      .values({
        id: draftId,
        service_id: current.id,
        service_version: older.version,
        account_id: account.id,
        answers: '{}',
      })
      .execute()
    const page = await browser.get(`/applications/${draftId}/pages/${current.form.pages[0]!.id}`)
    assert.equal(page.statusCode, 403)
    // In the account's language (the English test above made it English): the level of the current version.
    assert.match(page.body, /Vertrauensniveau „substanziell“|level of assurance “substantial”/)
    assert.equal((await browser.post(`/applications/${draftId}/submit`)).statusCode, 403)
    const row = await platform.database.db
      .selectFrom('drafts')
      .select('case_id')
      .where('id', '=', draftId)
      .executeTakeFirstOrThrow()
    assert.equal(row.case_id, null)
  })
})

describe('what a case keeps of the level', () => {
  it('a fee paid up front: the case opened on the provider’s confirmation keeps the level the draft was sent with, not the session’s by then', async () => {
    const browser = await citizenBrowser(platform)
    await setBrowserAssurance(platform.database.db, browser, 'high')
    const definition = platform.app.services.get('fuehrungszeugnis')
    const { draftId } = await fillDraft(browser, definition)
    const sent = await browser.post(`/applications/${draftId}/submit`)
    assert.match(String(sent.headers.location), /^\/payments\/sandbox\//)
    // Meanwhile the session falls back to a password's level: the case opened on the payment takes the draft's.
    await setBrowserAssurance(platform.database.db, browser, 'low')
    await paySandboxIfAsked(browser, sent)
    const row = await platform.database.db
      .selectFrom('cases')
      .select(['assurance', 'identity_provider'])
      .where('draft_id', '=', draftId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { assurance: 'high', identity_provider: TEST_PROVIDER })
  })

  it('a service without a level records low, and whether there was a sign-in', async () => {
    const anonymous = new TestBrowser(platform)
    const { caseId } = await submitCase(platform, anonymous, 'hundesteuer-anmeldung')
    const row = await platform.database.db
      .selectFrom('cases')
      .select(['assurance', 'identity_provider'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { assurance: 'low', identity_provider: null })
    const office = await staffBrowser(platform, 'stadtkasse-steueramt')
    assert.match(
      (await office.get(`/backoffice/cases/${caseId}`)).body,
      /Vertrauensniveau „niedrig“: ohne Anmeldung, Identität nicht nachgewiesen/,
    )
  })

  it('the e-file export names level and provider, in metadata.json and xdomea.xml', async () => {
    const browser = await citizenBrowser(platform)
    await setBrowserAssurance(platform.database.db, browser, 'substantial')
    const { caseId } = await submitCase(platform, browser, 'bauantrag')
    const office = await staffBrowser(platform, 'bauordnungsamt')
    const res = await office.get(`/backoffice/cases/${caseId}/file/export`)
    assert.equal(res.statusCode, 200)
    const entries = unzipSync(new Uint8Array(res.rawPayload))
    const metadata = JSON.parse(strFromU8(entries['metadata.json']!)) as { file: { identification: unknown } }
    assert.deepEqual(metadata.file.identification, { assurance: 'substantial', identityProvider: TEST_PROVIDER })
    const xml = strFromU8(entries['xdomea.xml']!)
    assert.match(xml, /<Vertrauensniveau>substantial<\/Vertrauensniveau>/)
    assert.match(xml, new RegExp(`<Identitaetsanbieter>${TEST_PROVIDER}</Identitaetsanbieter>`))
  })
})
