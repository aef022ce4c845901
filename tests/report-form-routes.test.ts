import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { fileReport } from '../src/modules/reports/reports.submit.js'
import { followReport } from '../src/modules/reports/reports.follow.js'
import { submitContactRequest } from '../src/modules/contact/index.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

const db = () => platform.database.db
const deps = () => ({
  db: db(),
  services: platform.app.services,
  config: platform.config,
  routing: platform.app.contactRouting,
  scanner: platform.app.virusScanner,
})
let ipCounter = 10
async function visitor(): Promise<TestBrowser> {
  const browser = new TestBrowser(platform)
  browser.extraHeaders['x-forwarded-for'] = `203.0.113.${ipCounter++}`
  await browser.get('/maengel/melden')
  return browser
}

const place = { lat: '51.520000', lon: '7.450000' }

async function fileLitterBinReport() {
  const filed = await fileReport(deps(), {
    categoryCode: 'litter-bin',
    description: 'Papierkorb quillt über',
    lat: Number(place.lat),
    lon: Number(place.lon),
    photos: [],
    locale: 'de',
    source: 'web',
    clientIp: '203.0.113.200',
  })
  assert.ok(filed.ok)
  return filed
}

describe('the report form: one route per button', () => {
  it('gives each secondary button its own address, so the form works without JavaScript', async () => {
    const page = await (await visitor()).get('/maengel/melden')
    assert.match(page.body, /<form[^>]*action="\/maengel\/melden"/)
    assert.match(page.body, /value="suggest"[^>]*formaction="\/maengel\/melden\/vorschlag"/)
    assert.match(page.body, /value="nearby"[^>]*formaction="\/maengel\/melden\/in-der-naehe"/)
  })

  it('suggests a category at its own route, keeping what was typed', async () => {
    const res = await (await visitor()).post('/maengel/melden/vorschlag', {
      description: 'Im Park ist die Schaukel auf dem Spielplatz kaputt',
      contactName: 'Erika',
    })
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /<option value="playground" selected/)
    assert.match(res.body, /value="Erika"/)
  })

  it('offers reports nearby at its own route, each with a follow button posting to the follow route', async () => {
    const first = await fileLitterBinReport()
    const res = await (await visitor()).post('/maengel/melden/in-der-naehe', {
      category: 'litter-bin',
      description: 'Mülleimer voll',
      lat: '51.520300',
      lon: '7.450200',
    })
    assert.equal(res.statusCode, 200)
    assert.match(
      res.body,
      new RegExp(`name="follow"\\s+value="${first.reference}"\\s+formaction="/maengel/melden/folgen"`),
    )
    const noPlace = await (await visitor()).post('/maengel/melden/in-der-naehe', { category: 'litter-bin' })
    assert.equal(noPlace.statusCode, 200)
    assert.doesNotMatch(noPlace.body, /name="follow"/)
  })

  it('follows at its own route: without an address the form comes back with the error at the e-mail field', async () => {
    const first = await fileLitterBinReport()
    const browser = await visitor()
    const form = { category: 'litter-bin', description: 'Mülleimer voll', ...place, follow: first.reference }
    const noEmail = await browser.post('/maengel/melden/folgen', form)
    assert.equal(noEmail.statusCode, 400)
    assert.match(noEmail.body, /Mülleimer voll/, 'typed text kept')
    const done = await browser.post('/maengel/melden/folgen', { ...form, contactEmail: 'anwohnerin@example.org' })
    assert.equal(done.statusCode, 303)
    assert.equal(done.headers.location, `/maengel/${first.reference}?gefolgt=neu`)
  })
})

describe('report field errors are values', () => {
  it('fileReport returns every problem with its field instead of throwing', async () => {
    const outcome = await fileReport(deps(), {
      categoryCode: '',
      description: ' ',
      lat: Number.NaN,
      lon: 7.4,
      photos: [],
      locale: 'de',
      source: 'web',
      clientIp: '203.0.113.201',
    })
    assert.equal(outcome.ok, false)
    if (outcome.ok) return
    assert.deepEqual(
      outcome.errors.map(e => `${e.field}:${e.messageKey}`),
      [
        'categoryCode:reports.errors.categoryMissing',
        'description:reports.errors.descriptionMissing',
        'lat:reports.errors.latInvalid',
      ],
    )
  })

  it('followReport returns a missing or wrong address as a value', async () => {
    const first = await fileLitterBinReport()
    const input = { reference: first.reference, locale: 'de' as const, clientIp: '203.0.113.202', baseUrl: 'http://x' }
    assert.deepEqual(await followReport(db(), { ...input, email: '' }), {
      ok: false,
      errors: [{ field: 'contact.email', messageKey: 'reports.errors.followEmailMissing' }],
    })
    assert.deepEqual(await followReport(db(), { ...input, email: 'nope' }), {
      ok: false,
      errors: [{ field: 'contact.email', messageKey: 'reports.errors.emailInvalid' }],
    })
    assert.deepEqual(await followReport(db(), { ...input, email: 'a@example.org' }), {
      ok: true,
      alreadyFollowing: false,
    })
  })

  it('an enquiry with a problem comes back with its field errors, and no case is opened', async () => {
    const casesBefore = (await db().selectFrom('cases').select('id').execute()).length
    const outcome = await submitContactRequest(deps(), {
      answers: { question: '', email: 'not-an-address' },
      accountId: null,
      locale: 'de',
      clientIp: '203.0.113.203',
    })
    assert.equal(outcome.ok, false)
    if (outcome.ok) return
    assert.ok(outcome.errors.some(e => e.fieldId === 'question' && e.key === 'forms.error.required'))
    assert.equal((await db().selectFrom('cases').select('id').execute()).length, casesBefore)
  })
})
