import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { pdfWithText } from './support/pdf.js'
import { pageForm } from './support/autofill.js'
import { staffBrowser, submitCase } from './support/casework.js'
import { PREFILL_RULES, proposeValues } from '../src/modules/applications/applications.prefill.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

const LETTER = 'Mein Auto DO-AB 1234 steht in der Kaiserstraße 12, 44135 Dortmund; Beginn 01.03.2027'

/** The proposals on a page: the checkbox value (fieldId|value) of each. */
const proposalKeys = (html: string) => [...html.matchAll(/name="_prefillApply" value="([^"]+)"/g)].map(m => m[1]!)
const proposedFields = (html: string) =>
  proposalKeys(html)
    .map(k => k.split('|')[0])
    .sort()
const inputValue = (html: string, name: string) =>
  new RegExp(`<input[^>]*name="${name.replace('.', '\\.')}"[^>]*>`).exec(html)?.[0].match(/value="([^"]*)"/)?.[1]

async function startDraft(browser: TestBrowser, serviceId: string) {
  await browser.get(`/services/${serviceId}`)
  const res = await browser.post(`/services/${serviceId}/applications`)
  assert.equal(res.statusCode, 303)
  const location = String(res.headers.location)
  return { location, draftId: /\/applications\/([^/]+)\//.exec(location)![1]! }
}

/** A parking-permit draft with the applicant page answered, standing on the vehicle page. */
async function onVehiclePage(browser: TestBrowser) {
  const definition = platform.app.services.get('bewohnerparkausweis')
  const { location, draftId } = await startDraft(browser, 'bewohnerparkausweis')
  const filled = pageForm(definition.form.pages[0]!, {})
  const res = await browser.post(location, { ...filled.form, action: 'continue' })
  assert.equal(res.statusCode, 303)
  const vehicle = `/applications/${draftId}/pages/vehicle`
  await browser.get(vehicle)
  return { draftId, vehicle }
}

async function draftAnswers(draftId: string) {
  const row = await platform.database.db
    .selectFrom('drafts')
    .select('answers')
    .where('id', '=', draftId)
    .executeTakeFirstOrThrow()
  return (typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers) as Record<string, unknown>
}

describe('taking details from a text into the application form', () => {
  it('offers a collapsed section on every page of the form', async () => {
    const browser = new TestBrowser(platform)
    const { location } = await startDraft(browser, 'bewohnerparkausweis')
    const page = await browser.get(location)
    assert.match(page.body, /<details class="kern-accordion" id="prefill">/)
    assert.match(page.body, /Angaben aus einem Text übernehmen/)
    assert.match(page.body, /enctype="multipart\/form-data"/)
    // After the page's own buttons, so Enter in a field still continues.
    assert.ok(page.body.indexOf('value="continue"') < page.body.indexOf('value="detect"'))
  })

  it('proposes exactly the matching fields of the page and fills nothing', async () => {
    const browser = new TestBrowser(platform)
    const { draftId, vehicle } = await onVehiclePage(browser)
    const res = await browser.post(vehicle, { _prefillText: LETTER, vehicleOwnership: 'yes', action: 'detect' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(proposedFields(res.body), ['licencePlate', 'validFrom'])
    assert.match(res.body, /„DO-AB 1234“ übernehmen für: Amtliches Kennzeichen/)
    assert.match(res.body, /<mark>DO-AB 1234<\/mark>/)
    assert.doesNotMatch(res.body, /name="_prefillApply"[^>]*checked/, 'nothing ticked')
    assert.equal(inputValue(res.body, 'licencePlate'), '', 'field not filled')
    assert.equal(inputValue(res.body, 'validFrom'), '')
    assert.match(res.body, /<textarea[^>]*name="_prefillText"[^>]*>Mein Auto DO-AB 1234/, 'text kept')
    assert.match(res.body, /id="vehicleOwnership-yes" name="vehicleOwnership" value="yes" checked/, 'other input kept')
    assert.equal((await draftAnswers(draftId)).licencePlate, undefined, 'nothing saved')

    // The applicant page gets the address, split into its parts.
    const applicant = await browser.post(`/applications/${draftId}/pages/applicant`, {
      _prefillText: LETTER,
      action: 'detect',
    })
    assert.deepEqual(proposedFields(applicant.body), ['address'])
    assert.match(applicant.body, /Kaiserstraße 12, 44135 Dortmund/)
  })

  it('fills only the ticked proposal, unsaved, and keeps the others empty', async () => {
    const browser = new TestBrowser(platform)
    const { draftId, vehicle } = await onVehiclePage(browser)
    const detected = await browser.post(vehicle, { _prefillText: LETTER, action: 'detect' })
    const plate = proposalKeys(detected.body).find(k => k.startsWith('licencePlate|'))!
    const res = await browser.post(vehicle, { _prefillText: LETTER, _prefillApply: plate, action: 'apply' })
    assert.equal(res.statusCode, 200)
    assert.equal(inputValue(res.body, 'licencePlate'), 'DO-AB 1234')
    assert.equal(inputValue(res.body, 'validFrom'), '')
    assert.match(res.body, /1 Angabe\(n\) übernommen/)
    assert.match(res.body, /<textarea[^>]*name="_prefillText"[^>]*>Mein Auto/, 'text kept')
    assert.equal((await draftAnswers(draftId)).licencePlate, undefined, 'saved only when the person continues')
  })

  it('never overwrites a filled field unless its proposal is ticked, and shows the current value', async () => {
    const browser = new TestBrowser(platform)
    const { vehicle } = await onVehiclePage(browser)
    const detected = await browser.post(vehicle, { _prefillText: LETTER, licencePlate: 'DO-XY 1', action: 'detect' })
    assert.match(detected.body, /Derzeit eingetragen: DO-XY 1/)
    const date = proposalKeys(detected.body).find(k => k.startsWith('validFrom|'))!
    const res = await browser.post(vehicle, {
      _prefillText: LETTER,
      licencePlate: 'DO-XY 1',
      _prefillApply: date,
      action: 'apply',
    })
    assert.equal(inputValue(res.body, 'licencePlate'), 'DO-XY 1')
    assert.equal(inputValue(res.body, 'validFrom'), '2027-03-01')
  })

  it('reads the same details from an uploaded PDF', async () => {
    const browser = new TestBrowser(platform)
    const { vehicle } = await onVehiclePage(browser)
    const res = await browser.post(
      vehicle,
      { action: 'detect' },
      {
        files: [
          {
            field: '_prefillDocument',
            filename: 'brief.pdf',
            content: await pdfWithText(LETTER),
            contentType: 'application/pdf',
          },
        ],
      },
    )
    assert.equal(res.statusCode, 200)
    assert.deepEqual(proposedFields(res.body), ['licencePlate', 'validFrom'])
    assert.match(res.body, /Der Text des Dokuments steht jetzt im Textfeld/)
    const text = /<textarea[^>]*name="_prefillText"[^>]*>([^<]*)<\/textarea>/.exec(res.body)![1]!.replace(/&amp;/g, '&')
    assert.match(text, /DO-AB 1234/)
    // The text box comes back as a browser sends it (CRLF); the ticked proposal still applies.
    const plate = proposalKeys(res.body).find(k => k.startsWith('licencePlate|'))!
    const applied = await browser.post(vehicle, {
      _prefillText: `\r\n${text.replace(/\n/g, '\r\n')}`,
      _prefillApply: plate,
      action: 'apply',
    })
    assert.equal(inputValue(applied.body, 'licencePlate'), 'DO-AB 1234')
  })

  it('proposes no address outside Dortmund and no IBAN with a wrong checksum', async () => {
    const browser = new TestBrowser(platform)
    const { draftId } = await onVehiclePage(browser)
    const berlin = await browser.post(`/applications/${draftId}/pages/applicant`, {
      _prefillText: 'Ich wohne Kaiserstraße 12, 10115 Berlin.',
      action: 'detect',
    })
    assert.deepEqual(proposedFields(berlin.body), [])
    assert.match(berlin.body, /keine Angaben erkannt/)

    const dog = await startDraft(browser, 'hundesteuer-anmeldung')
    const payment = `/applications/${dog.draftId}/pages/taxAndPayment`
    const wrong = await browser.post(payment, {
      paymentMethod: 'sepa',
      _prefillText: 'Bitte abbuchen von DE89 3704 0044 0532 0130 01.',
      action: 'detect',
    })
    assert.equal(wrong.statusCode, 200)
    assert.ok(!proposedFields(wrong.body).includes('iban'))
    const right = await browser.post(payment, {
      paymentMethod: 'sepa',
      _prefillText: 'Bitte abbuchen von DE89 3704 0044 0532 0130 00.',
      action: 'detect',
    })
    assert.deepEqual(proposedFields(right.body), ['iban'])
  })

  it('refuses a huge text and a disguised file with a message at the section, keeping the input', async () => {
    const browser = new TestBrowser(platform)
    const { vehicle } = await onVehiclePage(browser)
    const huge = await browser.post(vehicle, {
      _prefillText: `DO-AB 1234 ${'x'.repeat(25_000)}`,
      licencePlate: 'DO-XY 1',
      action: 'detect',
    })
    assert.equal(huge.statusCode, 400)
    assert.match(huge.body, /href="#prefill-text"/)
    assert.match(huge.body, /Der Text ist zu lang/)
    assert.equal(inputValue(huge.body, 'licencePlate'), 'DO-XY 1')
    assert.deepEqual(proposalKeys(huge.body), [])

    const exe = await browser.post(
      vehicle,
      { _prefillText: 'Hallo', licencePlate: 'DO-XY 1', action: 'detect' },
      {
        files: [
          {
            field: '_prefillDocument',
            filename: 'brief.pdf',
            content: Buffer.from('MZ\x90\x00\x03\x00\x00\x00 this is really an executable'),
            contentType: 'application/pdf',
          },
        ],
      },
    )
    assert.equal(exe.statusCode, 400)
    assert.match(exe.body, /href="#prefill-document"/)
    assert.match(exe.body, /Bitte eine Textdatei/)
    assert.equal(inputValue(exe.body, 'licencePlate'), 'DO-XY 1')
    assert.match(exe.body, /<textarea[^>]*name="_prefillText"[^>]*>Hallo</)

    const big = await browser.post(
      vehicle,
      { action: 'detect' },
      {
        files: [
          {
            field: '_prefillDocument',
            filename: 'brief.txt',
            content: Buffer.alloc(11 * 1024 * 1024, 'a'),
            contentType: 'text/plain',
          },
        ],
      },
    )
    assert.equal(big.statusCode, 400)
    assert.match(big.body, /Das Dokument ist zu groß \(höchstens 10 MB\)/)
  })

  it('validates applied values as usual when the person continues', async () => {
    const browser = new TestBrowser(platform)
    const { vehicle } = await onVehiclePage(browser)
    const text = 'Kennzeichen DO-AB 1234, Beginn 01.03.2020'
    const detected = await browser.post(vehicle, { _prefillText: text, action: 'detect' })
    const res = await browser.post(vehicle, {
      _prefillText: text,
      _prefillApply: proposalKeys(detected.body),
      action: 'apply',
    })
    assert.equal(inputValue(res.body, 'validFrom'), '2020-03-01')
    const next = await browser.post(vehicle, {
      licencePlate: inputValue(res.body, 'licencePlate')!,
      validFrom: inputValue(res.body, 'validFrom')!,
      vehicleOwnership: 'yes',
      action: 'continue',
    })
    assert.equal(next.statusCode, 400)
    assert.match(next.body, /href="#validFrom"/)
    assert.doesNotMatch(next.body, /href="#licencePlate"/)
  })

  it('works the same in the counter form staff file on behalf of someone', async () => {
    const staff = await staffBrowser(platform, 'strassenverkehrsamt')
    await staff.get('/backoffice/counter')
    const start = await staff.post('/services/bewohnerparkausweis/applications')
    assert.equal(start.statusCode, 303)
    const location = String(start.headers.location)
    await staff.get(location)
    const res = await staff.post(location, { _prefillText: LETTER, action: 'detect' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(proposedFields(res.body), ['address'])
  })

  it('speaks English', async () => {
    const browser = new TestBrowser(platform, 'en')
    const { vehicle } = await onVehiclePage(browser)
    const res = await browser.post(vehicle, { _prefillText: LETTER, action: 'detect' })
    assert.match(res.body, /Take details from a text/)
    assert.match(res.body, /Take “DO-AB 1234” for: Licence plate number/)
    assert.match(res.body, /Apply selected/)
  })
})

describe('random input to the section', () => {
  it('never answers 5xx: random texts, ticks, damaged PDFs and binary files', async () => {
    const browser = new TestBrowser(platform)
    const { vehicle } = await onVehiclePage(browser)
    const failures: string[] = []
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom(LETTER, '\u0000', 'DE89 3704 0044 0532 0130 00', 'x'.repeat(20_001)),
    )
    const file = fc.option(
      fc.oneof(
        fc.uint8Array({ maxLength: 400 }).map(b => Buffer.from(b)),
        fc.uint8Array({ maxLength: 400 }).map(b => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(b)])),
      ),
      { nil: undefined },
    )
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.array(fc.string({ maxLength: 30 }), { maxLength: 3 }),
        file,
        fc.constantFrom('detect', 'apply'),
        async (typed, ticks, content, action) => {
          const form = { _prefillText: typed, _prefillApply: ticks, licencePlate: typed.slice(0, 20), action }
          const res = await browser.post(
            vehicle,
            form,
            content ? { files: [{ field: '_prefillDocument', filename: 'x.pdf', content }] } : {},
          )
          if (res.statusCode >= 500)
            failures.push(`${action} ${JSON.stringify(typed).slice(0, 60)} → ${res.statusCode}`)
          return res.statusCode < 500
        },
      ),
      { numRuns: 150, seed: 20261126 },
    )
    assert.deepEqual(failures, [])
  })
})

describe('the matching rules', () => {
  const field = (f: Record<string, unknown>) => ({ label: { de: 'Feld', en: 'Field' }, ...f }) as never
  it('match by type, pattern and hints, and never offer a value the pattern refuses', () => {
    const text =
      'Am 3.4.2026 für DO-AB 123 eine Rechnung über 45,50 € (Tel. 0231 50-12345), Aktenzeichen DO-2026-000123.'
    const fields = [
      field({ id: 'start', type: 'date' }),
      field({ id: 'plate', type: 'text', pattern: '^[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} [1-9][0-9]{0,3}[EH]?$' }),
      field({
        id: 'wish',
        type: 'text',
        pattern: '^HH-[A-Z]{1,2} [1-9][0-9]{0,3}$',
        label: { de: 'Wunschkennzeichen', en: 'Plate' },
      }),
      field({ id: 'costs', type: 'number', decimals: true, label: { de: 'Kosten in Euro', en: 'Costs in euros' } }),
      field({ id: 'trees', type: 'number', label: { de: 'Anzahl der Bäume', en: 'Number of trees' } }),
      field({ id: 'phone', type: 'phone' }),
      field({
        id: 'previousFileNumber',
        type: 'text',
        label: { de: 'Bisheriges Aktenzeichen', en: 'Previous file number' },
      }),
      field({ id: 'name', type: 'text' }),
    ]
    const proposals = proposeValues(fields, text, 'de')
    assert.deepEqual(
      proposals.map(p => [p.field.id, p.value]),
      [
        ['start', '2026-04-03'],
        ['plate', 'DO-AB 123'],
        ['costs', '45,50'],
        ['phone', '+492315012345'],
        ['previousFileNumber', 'DO-2026-000123'],
      ],
    )
    assert.ok(PREFILL_RULES.length > 0)
  })
})

describe('detected details in the case view', () => {
  it('lists facts from free-text answers for the caseworker, read only', async () => {
    const citizen = new TestBrowser(platform)
    const { caseId } = await submitCase(platform, citizen, 'hundesteuer-anmeldung', {
      previousKeeper: 'Frau Muster, Kaiserstraße 12, 44135 Dortmund, Tel. 0231 1234567 <script>x</script>',
    })
    const staff = await staffBrowser(platform, 'stadtkasse-steueramt')
    const page = await staff.get(`/backoffice/cases/${caseId}`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Erkannte Angaben \(2\)/)
    assert.match(page.body, /Kaiserstraße 12, 44135 Dortmund/)
    assert.match(page.body, /\+492311234567/)
    assert.ok(!page.body.includes('<script>x</script>'))
  })
})
