import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fc from 'fast-check'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { staffBrowser } from './support/casework.js'
import { createCase, generateCases } from '../src/modules/cases/index.js'
import { DEMO_ADMIN, DEMO_TREASURY } from '../src/seed.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

const db = () => platform.database.db
const search = (browser: TestBrowser, q: string) => browser.get(`/backoffice/search?q=${encodeURIComponent(q)}`)

/** A case of the service's office with the applicant's name, e-mail and address. */
async function newCase(
  serviceId: string,
  applicant: { name: string; email?: string; street?: string; houseNumber?: string; postalCode?: string },
) {
  const answers = applicant.street
    ? {
        anschrift: {
          street: applicant.street,
          houseNumber: applicant.houseNumber ?? '1',
          postalCode: applicant.postalCode ?? '44135',
          city: 'Dortmund',
        },
      }
    : {}
  return db()
    .transaction()
    .execute(trx =>
      createCase(trx, {
        draftId: crypto.randomUUID(),
        definition: platform.app.services.get(serviceId),
        answers,
        applicantName: applicant.name,
        applicantEmail: applicant.email ?? null,
        accountId: null,
        filedByStaffId: null,
        locale: 'de',
      }),
    )
}

/** The references in the result table, in order. */
const referencesOn = (html: string) =>
  [...html.matchAll(/href="\/backoffice\/cases\/[0-9a-f-]+"[^>]*>([^<]+)</g)].map(m => m[1])

describe('searching cases in the back office', () => {
  it('finds a case by reference, applicant name in any spelling, e-mail and address', async () => {
    const mine = await newCase('meldebescheinigung', {
      name: 'Jürgen Großmüller',
      email: 'j.grossmueller@example.org',
      street: 'Hörder Bahnhofstraße',
      houseNumber: '17a',
      postalCode: '44263',
    })
    const caseworker = await staffBrowser(platform, 'buergerdienste')
    for (const q of [
      mine.reference,
      mine.reference.toLowerCase(),
      mine.reference.slice(3),
      'Großmüller',
      'grossmueller',
      'GROSSMÜLLER',
      'jürgen großm',
      'j.grossmueller@example.org',
      'grossmueller@exa',
      'Hörder Bahnhofstr. 17a',
      'hoerder 44263',
    ]) {
      const res = await search(caseworker, q)
      assert.equal(res.statusCode, 200, q)
      assert.ok(referencesOn(res.body).includes(mine.reference), `"${q}" finds ${mine.reference}`)
    }
    const page = await search(caseworker, 'Großmüller')
    assert.match(page.body, /Meldebescheinigung/)
    assert.match(page.body, /Bürgerdienste/)
    assert.match(page.body, /Jürgen Großmüller/)
    const none = await search(caseworker, 'Großmüller Köln')
    assert.deepEqual(referencesOn(none.body), [], 'every word must occur')
    assert.match(none.body, /Keine Vorgänge gefunden/)
  })

  it('answers an exact reference with that case, marked as such', async () => {
    const first = await newCase('meldebescheinigung', { name: 'Referenz Erste' })
    const caseworker = await staffBrowser(platform, 'buergerdienste')
    const res = await search(caseworker, ` ${first.reference.toLowerCase()} `)
    assert.deepEqual(referencesOn(res.body), [first.reference])
    assert.match(res.body, /Aktenzeichen stimmt genau/)
    assert.ok(
      referencesOn((await search(caseworker, first.reference.slice(0, -1))).body).includes(first.reference),
      'a part of it searches as text',
    )
  })

  it('never returns a case of another office, not even by its exact reference', async () => {
    const theirs = await newCase('gewerbe-anmeldung', {
      name: 'Theodora Fremdamt',
      email: 'theodora@example.org',
      street: 'Kampstraße',
      houseNumber: '9',
    })
    const caseworker = await staffBrowser(platform, 'buergerdienste')
    for (const q of [theirs.reference, 'Fremdamt', 'theodora@example.org', 'Kampstraße 9']) {
      const res = await search(caseworker, q)
      assert.equal(res.statusCode, 200)
      assert.ok(!referencesOn(res.body).includes(theirs.reference), `"${q}" stays in the Ordnungsamt`)
      assert.ok(!res.body.includes('Theodora'))
    }
    const own = await staffBrowser(platform, 'ordnungsamt', 'team_lead')
    assert.deepEqual(referencesOn((await search(own, 'Fremdamt')).body), [theirs.reference])
  })

  it('finds a case an office is involved in while the request stands, and no longer once it is withdrawn', async () => {
    const asked = await newCase('meldebescheinigung', { name: 'Ingrid Beteiligt' })
    const caseId = (
      await db().selectFrom('cases').select('id').where('reference', '=', asked.reference).executeTakeFirstOrThrow()
    ).id
    const lead = await staffBrowser(platform, 'buergerdienste', 'team_lead')
    await lead.get('/backoffice')
    const dueOn = new Date(Date.now() + 14 * 86400_000).toISOString().slice(0, 10)
    assert.equal(
      (
        await lead.post(`/backoffice/cases/${caseId}/involvements`, {
          officeId: 'ordnungsamt',
          task: 'Bitte Stellungnahme.',
          dueOn,
        })
      ).statusCode,
      303,
    )
    const involved = await staffBrowser(platform, 'ordnungsamt')
    assert.deepEqual(referencesOn((await search(involved, 'Beteiligt')).body), [asked.reference])
    const involvementId = (
      await db().selectFrom('case_involvements').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow()
    ).id
    assert.equal(
      (await lead.post(`/backoffice/cases/${caseId}/involvements/${involvementId}/withdraw`)).statusCode,
      303,
    )
    assert.deepEqual(referencesOn((await search(involved, 'Beteiligt')).body), [])
  })

  it('writes an audit row with the query for every search, under the office searched', async () => {
    const caseworker = await staffBrowser(platform, 'buergerdienste')
    await search(caseworker, 'Audit-Suche Schmidt')
    const row = await db()
      .selectFrom('audit_log')
      .select(['office_id', 'details', 'subject_type'])
      .where('action', '=', 'case.search')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.equal(row.office_id, 'buergerdienste')
    assert.equal(row.subject_type, 'case_search')
    assert.equal((row.details as { query: string }).query, 'Audit-Suche Schmidt')
  })

  it('finds generated cases by e-mail and street (generate-cases fills the search text too)', async () => {
    const result = await generateCases({
      db: db(),
      databaseUrl: platform.config.databaseUrl || undefined,
      offices: platform.app.services.offices,
      services: platform.app.services.all(),
      count: 40,
      officeCount: 1,
      prefix: 'SRCH-GEN-',
      events: false,
    })
    const officeId = result.officeIds[0]!
    const caseworker = await staffBrowser(platform, officeId)
    // Row 1: GIVEN[1] and FAMILY[0] (see cases.generate.ts).
    assert.deepEqual(referencesOn((await search(caseworker, 'jonas.mueller.1@example.org')).body), ['SRCH-GEN-1'])
    const row = await db()
      .selectFrom('cases')
      .select(['answers'])
      .where('reference', '=', 'SRCH-GEN-7')
      .executeTakeFirstOrThrow()
    const address = (row.answers as { anschrift: { street: string; houseNumber: string } }).anschrift
    assert.ok(
      referencesOn((await search(caseworker, `${address.street} ${address.houseNumber} SRCH-GEN`)).body).includes(
        'SRCH-GEN-7',
      ),
    )
  })
})

describe('what the search answers to odd input and to people who see no cases', () => {
  it('shows only the form for an empty query, and the search box above the inbox', async () => {
    const caseworker = await staffBrowser(platform, 'buergerdienste')
    for (const url of ['/backoffice/search', '/backoffice/search?q=', '/backoffice/search?q=%20%20']) {
      const res = await caseworker.get(url)
      assert.equal(res.statusCode, 200)
      assert.match(res.body, /<input[^>]*id="q"/)
      assert.doesNotMatch(res.body, /Suchergebnisse|error-summary/)
    }
    const inbox = await caseworker.get('/backoffice')
    assert.match(inbox.body, /<form method="get" action="\/backoffice\/search" role="search"/)
  })

  it('asks for a longer query, fewer words or fewer characters with 400 and the query kept', async () => {
    const caseworker = await staffBrowser(platform, 'buergerdienste')
    for (const [q, message] of [
      ['ab', /mindestens ein Wort mit 3/],
      ['a b c', /mindestens ein Wort mit 3/],
      ['%%%', /mindestens ein Wort/],
      ['x'.repeat(201), /höchstens 200 Zeichen/],
      ['eins zwei drei vier fünf sechs sieben acht neun', /höchstens 8 Wörter/],
    ] as const) {
      const res = await search(caseworker, q)
      assert.equal(res.statusCode, 400, q)
      assert.match(res.body, message)
      assert.match(res.body, /href="#q"/)
    }
    assert.equal((await search(caseworker, 'x'.repeat(2001))).statusCode, 400)
    const kept = await search(caseworker, 'ab')
    assert.match(kept.body, /id="q" name="q" type="search" value="ab"/)
  })

  it('answers every query without a server error and treats LIKE characters literally', async () => {
    await newCase('meldebescheinigung', { name: 'Prozent 100% Unterstrich_Name' })
    const caseworker = await staffBrowser(platform, 'buergerdienste')
    assert.equal(referencesOn((await search(caseworker, 'Unterstrich_Name')).body).length, 1)
    assert.deepEqual(referencesOn((await search(caseworker, 'Unterstrich%Name')).body), [])
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.string({ unit: 'grapheme', maxLength: 30 }),
          fc.constantFrom('\u0000abc', "'; drop table cases; --", '\\\\\\', '%_%_%', 'ÄÖÜ ß', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢'),
        ),
        async q => {
          const res = await search(caseworker, q)
          assert.ok(res.statusCode === 200 || res.statusCode === 400, `${JSON.stringify(q)} → ${res.statusCode}`)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('answers 403 to the treasury and admins without a casework role, and sends visitors to the login', async () => {
    for (const email of [DEMO_TREASURY, DEMO_ADMIN]) {
      const browser = await staffBrowser(platform, 'buergerdienste', 'caseworker', email)
      assert.equal((await search(browser, 'Müller')).statusCode, 403, email)
      assert.equal((await browser.get('/backoffice/search')).statusCode, 403, email)
    }
    const visitor = await new TestBrowser(platform).get('/backoffice/search?q=M%C3%BCller')
    assert.equal(visitor.statusCode, 303)
    assert.match(String(visitor.headers.location), /^\/backoffice\/login\?return=/)
  })
})
