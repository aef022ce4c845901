import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { apiAnswers, applyFor, fillDraft } from './support/autofill.js'
import { staffBrowser } from './support/casework.js'
import type { Answers } from '../src/modules/forms/index.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

const address = { street: 'Friedensplatz', houseNumber: '1', postalCode: '44 135', city: 'Dortmund' }
// The form posts an address as its parts; the filler takes the object.
const typed = { licencePlate: 'do-ab  123', email: ' Anwohnerin@Example.ORG ', address: address as unknown as string }

async function storedAnswers(reference: string): Promise<Answers> {
  const row = await platform.database.db
    .selectFrom('cases')
    .select('answers')
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow()
  return (typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers) as Answers
}

describe('values written the one way they can only mean', () => {
  it('takes a lowercase plate, an address in capitals and a postcode with a space through the form, stored normalised', async () => {
    const { reference } = await applyFor(
      new TestBrowser(platform),
      platform.app.services.get('bewohnerparkausweis'),
      typed,
    )
    const answers = await storedAnswers(reference)
    assert.equal(answers.licencePlate, 'DO-AB 123')
    assert.equal(answers.email, 'anwohnerin@example.org')
    assert.deepEqual(answers.address, { ...address, postalCode: '44135' })
  })

  it('takes an IBAN with spaces in small letters through the form', async () => {
    const browser = new TestBrowser(platform)
    const { reference } = await applyFor(browser, platform.app.services.get('hundesteuer-anmeldung'), {
      iban: 'de02 1203 0000 0000 2020 51',
    })
    assert.equal((await storedAnswers(reference)).iban, 'DE02120300000000202051')
    const caseRow = await platform.database.db
      .selectFrom('cases')
      .select(['id', 'office_id'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow()
    const staff = await staffBrowser(platform, caseRow.office_id)
    assert.match(
      (await staff.get(`/backoffice/cases/${caseRow.id}`)).body,
      />DE02 1203 0000 0000 2020 51</,
      'shown in groups of four',
    )
  })

  it('shows a plate that is still wrong back normalised, with the format it needs', async () => {
    const browser = new TestBrowser(platform)
    const definition = platform.app.services.get('bewohnerparkausweis')
    const { draftId } = await fillDraft(browser, definition)
    const res = await browser.post(`/applications/${draftId}/pages/vehicle`, {
      licencePlate: 'do ab 123',
      vehicleOwnership: 'yes',
      action: 'continue',
    })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /value="DO AB 123"/)
    assert.match(res.body, /Bitte im Format „DO-AB 123“ eingeben/)
  })

  it('normalises the same values in the JSON API', async () => {
    const parking = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/services/bewohnerparkausweis/applications',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        answers: apiAnswers(platform.app.services.get('bewohnerparkausweis'), { ...typed, address }),
      }),
    })
    assert.equal(parking.statusCode, 201, parking.body)
    const answers = await storedAnswers(parking.json().reference)
    assert.equal(answers.licencePlate, 'DO-AB 123')
    assert.equal(answers.email, 'anwohnerin@example.org')
    assert.equal((answers.address as typeof address).postalCode, '44135')

    const dogTax = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/services/hundesteuer-anmeldung/applications',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        answers: apiAnswers(platform.app.services.get('hundesteuer-anmeldung'), {
          iban: 'de02 1203 0000 0000 2020 51',
        }),
      }),
    })
    assert.equal(dogTax.statusCode, 201, dogTax.body)
    assert.equal((await storedAnswers(dogTax.json().reference)).iban, 'DE02120300000000202051')
  })
})
