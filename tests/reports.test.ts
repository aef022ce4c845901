import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import sharp from 'sharp'
import { samplePdf, startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { caseVersion, citizenBrowser, staffBrowser } from './support/casework.js'
import {
  findNearbyReports,
  listPublicReports,
  listReportCategories,
  submitReport,
  ReportInvalid,
  type NewReport,
} from '../src/modules/reports/index.js'
import { checkDefinitionText, loadOffices } from '../src/modules/catalogue/definitions.load.js'
import { suggestByKeywords } from '../src/modules/reports/reports.suggest.js'
import { gridCellOf } from '../src/modules/reports/reports.grid.js'
import { maskContactDetails, streetOnly } from '../src/modules/reports/reports.redact.js'
import fs from 'node:fs'
import path from 'node:path'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

const db = () => platform.database.db
let ipCounter = 10
/** A visitor from an address of their own, so the rate limit of one test does not touch another. */
async function visitor(): Promise<TestBrowser> {
  const browser = new TestBrowser(platform)
  browser.extraHeaders['x-forwarded-for'] = `198.51.100.${ipCounter++}`
  await browser.get('/maengel/melden')
  return browser
}

/** A real JPEG with EXIF: camera make and a GPS position, as a phone writes it. */
async function jpegWithGps(width = 2400, height = 1800): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 60 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'GPS-Cam' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 4923/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '7/1 27/1 5508/100',
      },
    })
    .toBuffer()
}

const place = { lat: '51.513600', lon: '7.465300' }
const reportForm = (overrides: Record<string, string> = {}) => ({
  description: 'Die Straßenlaterne vor dem Rathaus ist seit Tagen dunkel.',
  category: 'street-light',
  address: 'Friedensplatz 1',
  ...place,
  action: 'submit',
  ...overrides,
})

async function submitted(res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  assert.equal(res.statusCode, 303, res.body.slice(0, 2000))
  const reference = /\/maengel\/danke\/(DO-\d{4}-\d{6})/.exec(String(res.headers.location))?.[1]
  assert.ok(reference, String(res.headers.location))
  const row = await db()
    .selectFrom('cases')
    .innerJoin('reports', 'reports.case_id', 'cases.id')
    .select([
      'cases.id as caseId',
      'cases.office_id as officeId',
      'cases.applicant_name as applicantName',
      'cases.applicant_email as applicantEmail',
      'reports.id as reportId',
      'reports.lat',
      'reports.lon',
    ])
    .where('cases.reference', '=', reference)
    .executeTakeFirstOrThrow()
  return { reference, ...row }
}

async function storedPhotos(caseId: string) {
  return db()
    .selectFrom('report_photos')
    .innerJoin('reports', 'reports.id', 'report_photos.report_id')
    .innerJoin('files', 'files.id', 'report_photos.file_id')
    .select(['files.content', 'files.media_type as mediaType'])
    .where('reports.case_id', '=', caseId)
    .orderBy('report_photos.position')
    .execute()
}

describe('reporting a defect', () => {
  it("files a report with map coordinates and a photo into the inbox of the category's office, the photo resized and without EXIF/GPS", async () => {
    const browser = await visitor()
    const res = await browser.post(
      '/maengel/melden',
      reportForm({ contactEmail: 'melderin@example.org', contactName: 'Mia Melder' }),
      {
        files: [{ field: 'photos', filename: 'IMG_0001.jpg', content: await jpegWithGps(), contentType: 'image/jpeg' }],
      },
    )
    const r = await submitted(res)
    assert.equal(r.officeId, 'tiefbauamt', 'a street light goes to the Tiefbauamt')
    assert.equal(r.lat, 51.5136)
    assert.equal(r.applicantEmail, 'melderin@example.org')
    const [photo] = await storedPhotos(r.caseId)
    assert.ok(photo)
    assert.equal(photo.mediaType, 'image/jpeg')
    const meta = await sharp(Buffer.from(photo.content)).metadata()
    assert.equal(meta.exif, undefined, 'no EXIF block (GPS, camera) is stored')
    assert.ok(Math.max(meta.width!, meta.height!) <= 1600, `resized to ${meta.width}×${meta.height}`)
    const thanks = await browser.follow(res)
    assert.equal(thanks.statusCode, 200)
    assert.ok(thanks.body.includes(r.reference))
    assert.match(thanks.body, /Tiefbauamt/)
    const inbox = await (await staffBrowser(platform, 'tiefbauamt')).get('/backoffice')
    assert.ok(inbox.body.includes(r.reference), "in the Tiefbauamt's inbox")
    const other = await (await staffBrowser(platform, 'ordnungsamt')).get('/backoffice')
    assert.ok(!other.body.includes(r.reference), "not in the service office's inbox")
    const mail = await db()
      .selectFrom('mail_outbox')
      .select(['subject', 'body_text'])
      .where('recipient', '=', 'melderin@example.org')
      .execute()
    assert.ok(
      mail.some(m => m.subject.includes(r.reference)),
      'receipt mailed',
    )
    const efile = await db().selectFrom('file_documents').select('kind').where('case_id', '=', r.caseId).execute()
    assert.ok(
      efile.some(d => d.kind === 'attachment'),
      'the photo is a document of the e-file',
    )
  })

  it("keeps the photo's location data only when the reporter agrees", async () => {
    const browser = await visitor()
    const res = await browser.post('/maengel/melden', reportForm({ keepPhotoMetadata: 'yes' }), {
      files: [
        { field: 'photos', filename: 'IMG_0002.jpg', content: await jpegWithGps(800, 600), contentType: 'image/jpeg' },
      ],
    })
    const r = await submitted(res)
    const [photo] = await storedPhotos(r.caseId)
    const meta = await sharp(Buffer.from(photo!.content)).metadata()
    assert.ok(meta.exif, 'EXIF kept')
    assert.ok(meta.exif.includes(Buffer.from('TestPhone')), 'camera make kept')
    const flag = await db()
      .selectFrom('reports')
      .select('photo_metadata_kept')
      .where('case_id', '=', r.caseId)
      .executeTakeFirstOrThrow()
    assert.equal(flag.photo_metadata_kept, true)
  })

  it('files an anonymous report with an address only; no mail goes anywhere', async () => {
    const before = (await db().selectFrom('mail_outbox').select('id').execute()).length
    const browser = await visitor()
    const r = await submitted(
      await browser.post(
        '/maengel/melden',
        reportForm({
          lat: '',
          lon: '',
          address: 'Rombergpark, Hauptweg',
          category: 'tree',
          description: 'Ast liegt quer über dem Weg.',
        }),
      ),
    )
    assert.equal(r.officeId, 'gruenflaechenamt')
    assert.equal(r.lat, null)
    assert.equal(r.applicantEmail, null)
    assert.equal(r.applicantName, 'Anonym')
    assert.equal((await db().selectFrom('mail_outbox').select('id').execute()).length, before)
  })

  it('suggests a category from the text without JavaScript, preselected, with the words that drove it', async () => {
    const browser = await visitor()
    const res = await browser.post('/maengel/melden', {
      description: 'Im Park ist die Schaukel auf dem Spielplatz kaputt',
      action: 'suggest',
    })
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /<option value="playground" selected/)
    assert.match(res.body, /Ausschlaggebend waren: [^<]*spielplatz/i)
    assert.match(res.body, /Im Park ist die Schaukel auf dem Spielplatz kaputt/, 'typed text kept')
    const json = await platform.app.inject({
      method: 'GET',
      url: `/maengel/vorschlag?text=${encodeURIComponent('Laterne flackert')}`,
    })
    assert.equal(json.statusCode, 200)
    assert.equal(json.json().suggestions[0].code, 'street-light')
  })

  it('uses keywords as whole words when they are short, so "Pflaster" does not mean a branch', () => {
    const categories = listReportCategories(platform.app.services)
    assert.equal(
      suggestByKeywords(categories, 'Das Pflaster ist locker').suggestions.some(s => s.label === 'tree'),
      false,
    )
    assert.equal(suggestByKeywords(categories, 'Ein Ast ist abgebrochen').suggestions[0]?.label, 'tree')
  })
})

describe('already reported nearby', () => {
  it('offers open reports of the same category near the place, and following one subscribes instead of filing a new one', async () => {
    const first = await submitted(
      await (await visitor()).post(
        '/maengel/melden',
        reportForm({
          category: 'litter-bin',
          description: 'Papierkorb quillt über',
          lat: '51.520000',
          lon: '7.450000',
        }),
      ),
    )
    const casesBefore = (await db().selectFrom('cases').select('id').execute()).length
    const browser = await visitor()
    const look = await browser.post('/maengel/melden', {
      category: 'litter-bin',
      description: 'Mülleimer voll',
      lat: '51.520300',
      lon: '7.450200',
      action: 'nearby',
    })
    assert.equal(look.statusCode, 200)
    assert.ok(look.body.includes(first.reference), 'the report 40 m away is offered')
    assert.match(look.body, /name="follow" value="DO-/)
    const elsewhere = await browser.post('/maengel/melden', {
      category: 'litter-bin',
      description: 'x',
      lat: '51.530000',
      lon: '7.450000',
      action: 'nearby',
    })
    assert.ok(!elsewhere.body.includes(first.reference), 'not one a kilometre away')
    const otherCategory = await browser.post('/maengel/melden', {
      category: 'graffiti',
      description: 'x',
      lat: '51.520300',
      lon: '7.450200',
      action: 'nearby',
    })
    assert.ok(!otherCategory.body.includes(first.reference), 'not one of another category')

    const noEmail = await browser.post('/maengel/melden', {
      category: 'litter-bin',
      description: 'Mülleimer voll',
      lat: '51.520300',
      lon: '7.450200',
      follow: first.reference,
    })
    assert.equal(noEmail.statusCode, 400, 'following needs an address to write to')
    assert.match(noEmail.body, /E-Mail-Adresse an/)
    const follow = await browser.post('/maengel/melden', {
      category: 'litter-bin',
      description: 'Mülleimer voll',
      lat: '51.520300',
      lon: '7.450200',
      contactEmail: 'nachbar@example.org',
      follow: first.reference,
    })
    assert.equal(follow.statusCode, 303)
    assert.equal(follow.headers.location, `/maengel/${first.reference}?gefolgt=neu`)
    assert.equal((await db().selectFrom('cases').select('id').execute()).length, casesBefore, 'no new case')
    const followers = await db()
      .selectFrom('report_followers')
      .select('email')
      .where('report_id', '=', first.reportId)
      .execute()
    assert.deepEqual(
      followers.map(f => f.email),
      ['nachbar@example.org'],
    )
    const again = await browser.post(`/maengel/${first.reference}/folgen`, { email: 'NACHBAR@example.org' })
    assert.equal(again.headers.location, `/maengel/${first.reference}?gefolgt=schon`)

    // The office fixes it: the reporter has no address, the follower gets the message.
    const office = await staffBrowser(platform, 'edg')
    const done = await office.post(`/backoffice/cases/${first.caseId}/transitions`, {
      transitionId: 'fix',
      version: await caseVersion(office, first.caseId),
    })
    assert.equal(done.statusCode, 303)
    const mails = await db()
      .selectFrom('mail_outbox')
      .select(['subject', 'body_text'])
      .where('recipient', '=', 'nachbar@example.org')
      .execute()
    const status = mails.find(m => m.subject.includes('Erledigt'))
    assert.ok(status, mails.map(m => m.subject).join(' | '))
    assert.match(status.body_text, /behoben/)
    const token = /token=([\w-]+)/.exec(status.body_text)![1]!
    const unsubscribe = await browser.get(`/maengel/abbestellen?token=${token}`)
    assert.equal(unsubscribe.statusCode, 200)
    assert.equal((await browser.post('/maengel/abbestellen', { token })).statusCode, 200)
    assert.equal(
      (await db().selectFrom('report_followers').select('id').where('report_id', '=', first.reportId).execute()).length,
      0,
    )
    const closed = await listPublicReports(db(), { ids: [first.reference], limit: 1 })
    assert.equal(closed[0]!.status, 'closed')
    assert.ok(
      (await findNearbyReports(db(), { categoryCode: 'litter-bin', lat: 51.52, lon: 7.45 })).every(
        r => r.reference !== first.reference,
      ),
      'a closed report is no duplicate',
    )
  })

  it('finds neighbours through a few grid cells, nearest first, within the radius', async () => {
    const deps = {
      db: db(),
      services: platform.app.services,
      config: platform.config,
      scanner: platform.app.virusScanner,
    }
    const base: Omit<NewReport, 'lat' | 'lon'> = {
      categoryCode: 'dog-waste',
      description: 'Hundekot',
      photos: [],
      locale: 'de',
      source: 'web',
      clientIp: '192.0.2.77',
    }
    const far = await submitReport(deps, { ...base, lat: 51.44, lon: 7.6 + 0.003 })
    const near = await submitReport(deps, { ...base, lat: 51.44, lon: 7.6 + 0.0005 })
    const found = await findNearbyReports(db(), { categoryCode: 'dog-waste', lat: 51.44, lon: 7.6 })
    assert.deepEqual(
      found.map(r => r.id),
      [near.reportId],
      'about 35 m is near, about 210 m is not',
    )
    const wider = await findNearbyReports(db(), { categoryCode: 'dog-waste', lat: 51.44, lon: 7.6, radiusMetres: 500 })
    assert.deepEqual(
      wider.map(r => r.id),
      [near.reportId, far.reportId],
    )
    assert.notEqual(gridCellOf(51.44, 7.6), gridCellOf(51.44, 7.603))
  })
})

describe('bad input', () => {
  const cases: {
    name: string
    form: Record<string, string>
    files?: { field: string; filename: string; content: Buffer; contentType?: string }[]
    message: RegExp
    kept?: string
  }[] = [
    {
      name: 'no text',
      form: reportForm({ description: '   ' }),
      message: /Beschreiben Sie, was nicht in Ordnung ist/,
      kept: 'Friedensplatz 1',
    },
    {
      name: '20,000 characters',
      form: reportForm({ description: 'a'.repeat(20_000) }),
      message: /20000 Zeichen lang; höchstens 5000/,
    },
    {
      name: 'no place at all',
      form: reportForm({ address: '', lat: '', lon: '' }),
      message: /Geben Sie an, wo der Mangel ist/,
    },
    {
      name: 'latitude "abc"',
      form: reportForm({ lat: 'abc' }),
      message: /Breitengrad muss eine Zahl sein/,
      kept: 'value="abc"',
    },
    { name: 'only a longitude', form: reportForm({ lat: '' }), message: /Breiten- und Längengrad an, oder keinen/ },
    {
      name: 'coordinates outside Dortmund',
      form: reportForm({ lat: '52.520008', lon: '13.404954' }),
      message: /liegt nicht in Dortmund/,
      kept: 'value="52.520008"',
    },
    { name: 'an unknown category', form: reportForm({ category: 'ufo' }), message: /Diese Kategorie gibt es nicht/ },
    {
      name: 'a wrong e-mail address',
      form: reportForm({ contactEmail: 'kein-at' }),
      message: /E-Mail-Adresse wie name@example.org/,
      kept: 'value="kein-at"',
    },
    {
      name: 'a PDF disguised as .jpg',
      form: reportForm(),
      files: [{ field: 'photos', filename: 'foto.jpg', content: samplePdf, contentType: 'image/jpeg' }],
      message: /„foto.jpg“ ist kein Foto/,
    },
  ]
  for (const c of cases) {
    it(`answers ${c.name} with 400, a message at the field and the typed input kept`, async () => {
      const browser = await visitor()
      const before = (await db().selectFrom('cases').select('id').execute()).length
      const res = await browser.post('/maengel/melden', c.form, c.files ? { files: c.files } : {})
      assert.equal(res.statusCode, 400)
      assert.match(res.body, c.message)
      assert.match(res.body, /class="kern-alert kern-alert--danger error-summary"/)
      assert.match(res.body, /<title>Fehler:/)
      if (c.kept) assert.ok(res.body.includes(c.kept), `keeps ${c.kept}`)
      assert.equal((await db().selectFrom('cases').select('id').execute()).length, before, 'no case made')
    })
  }

  it('shows script in the text escaped, never as markup', async () => {
    const browser = await visitor()
    const res = await browser.post(
      '/maengel/melden',
      reportForm({ description: '<script>alert("x")</script> Laterne', category: '' }),
    )
    assert.equal(res.statusCode, 400)
    assert.ok(!res.body.includes('<script>alert("x")</script>'))
    assert.match(res.body, /&lt;script>alert\(&#34;x&#34;\)&lt;\/script> Laterne|&lt;script&gt;alert/)
    // Filed, it is shown escaped on the public page too.
    const r = await submitted(
      await browser.post('/maengel/melden', reportForm({ description: '<script>alert("x")</script> Laterne' })),
    )
    const page = await browser.get(`/maengel/${r.reference}`)
    assert.equal(page.statusCode, 200)
    assert.ok(!page.body.includes('<script>alert("x")</script>'))
  })

  it('refuses four photos, and a photo over 10 MB', async () => {
    const photo = await jpegWithGps(200, 100)
    const four = await (await visitor()).post('/maengel/melden', reportForm(), {
      files: [1, 2, 3, 4].map(n => ({
        field: 'photos',
        filename: `f${n}.jpg`,
        content: photo,
        contentType: 'image/jpeg',
      })),
    })
    assert.equal(four.statusCode, 400)
    assert.match(four.body, /4 Fotos gewählt; höchstens 3/)
    const huge = Buffer.concat([photo, Buffer.alloc(11 * 1024 * 1024)])
    const big = await (await visitor()).post('/maengel/melden', reportForm(), {
      files: [{ field: 'photos', filename: 'riesig.jpg', content: huge, contentType: 'image/jpeg' }],
    })
    assert.equal(big.statusCode, 400)
    assert.match(big.body, /„riesig.jpg“ ist größer als 10 MB/)
  })

  it('answers a flood from one address with 429, a clear message and the typed text kept', async () => {
    const browser = await visitor()
    for (let i = 0; i < 5; i++)
      await submitted(
        await browser.post(
          '/maengel/melden',
          reportForm({ description: `Meldung ${i}`, idempotencyKey: `flood-${i}` }),
        ),
      )
    const res = await browser.post(
      '/maengel/melden',
      reportForm({ description: 'Die sechste Meldung', idempotencyKey: 'flood-6' }),
    )
    assert.equal(res.statusCode, 429)
    assert.match(res.body, /Zu viele Meldungen in kurzer Zeit/)
    assert.match(res.body, /in \d+ Minuten noch einmal/)
    assert.match(res.body, /Die sechste Meldung/)
    const english = new TestBrowser(platform, 'en')
    english.extraHeaders = browser.extraHeaders
    await english.get('/maengel/melden')
    const en = await english.post('/maengel/melden', reportForm({ idempotencyKey: 'flood-7' }))
    assert.equal(en.statusCode, 429)
    assert.match(en.body, /Too many reports in a short time/)
  })

  it('returns the first report for a retried submission with the same key', async () => {
    const deps = {
      db: db(),
      services: platform.app.services,
      config: platform.config,
      scanner: platform.app.virusScanner,
    }
    const input: NewReport = {
      categoryCode: 'graffiti',
      description: 'Graffiti',
      address: 'Westenhellweg',
      photos: [],
      locale: 'en',
      source: 'open311',
      apiKeyId: null,
      clientIp: '192.0.2.80',
      idempotencyKey: 'abc-1',
    }
    const a = await submitReport(deps, input)
    const b = await submitReport(deps, input)
    assert.deepEqual(a, b)
    await assert.rejects(
      submitReport(deps, { ...input, idempotencyKey: 'abc-2', lat: Number.NaN, lon: 7.4 }),
      (e: unknown) =>
        e instanceof ReportInvalid &&
        e.statusCode === 400 &&
        e.errors.some(f => f.field === 'lat' && f.messageKey === 'reports.errors.latInvalid'),
    )
  })
})

describe('what the public sees', () => {
  it('never shows names, e-mail addresses or phone numbers, nor photos nobody reviewed', async () => {
    const browser = await visitor()
    const r = await submitted(
      await browser.post(
        '/maengel/melden',
        reportForm({
          category: 'pothole',
          contactName: 'Hannelore Geheim',
          contactEmail: 'hannelore.geheim@example.org',
          contactPhone: '0231 9876543',
          description:
            'Schlagloch. Rückfragen gern an hannelore.geheim@example.org oder 0231 / 98 76 543, am 12.03.2026 gesehen.',
        }),
        {
          files: [
            { field: 'photos', filename: 'a.jpg', content: await jpegWithGps(300, 200), contentType: 'image/jpeg' },
          ],
        },
      ),
    )
    const anonymous = new TestBrowser(platform)
    const pages = [
      await anonymous.get('/maengel/karte'),
      await anonymous.get(`/maengel/${r.reference}`),
      await anonymous.get(`/maengel/in-der-naehe?category=pothole&lat=51.5136&lon=7.4653`),
    ]
    for (const page of pages) {
      assert.equal(page.statusCode, 200)
      for (const secret of ['Hannelore', 'Geheim', 'hannelore.geheim', '9876543', '98 76 543'])
        assert.ok(!page.body.includes(secret), `${secret} shown`)
    }
    assert.ok(pages[1]!.body.includes('12.03.2026'), 'a date is not a phone number')
    const [report] = await listPublicReports(db(), { ids: [r.reference], limit: 1 })
    assert.equal(report!.photoUrl, null)
    assert.ok(!JSON.stringify(report).includes('Hannelore'))
    assert.equal((await anonymous.get(`/maengel/${r.reference}/fotos/1`)).statusCode, 404, 'unreviewed photo')

    const office = await staffBrowser(platform, 'tiefbauamt')
    const view = await office.get(`/backoffice/cases/${r.caseId}`)
    assert.match(view.body, /Hannelore Geheim/, 'the office sees the contact')
    assert.equal(
      (
        await office.post(`/backoffice/cases/${r.caseId}/report/photos`, {
          publish: 'yes',
          version: await caseVersion(office, r.caseId),
        })
      ).statusCode,
      303,
    )
    const [reviewed] = await listPublicReports(db(), { ids: [r.reference], limit: 1 })
    assert.equal(reviewed!.photoUrl, `/maengel/${r.reference}/fotos/1`)
    const photo = await anonymous.get(`/maengel/${r.reference}/fotos/1`)
    assert.equal(photo.statusCode, 200)
    assert.equal((await sharp(photo.rawPayload).metadata()).exif, undefined)
  })

  it('shows a sensitive report only roughly: no exact coordinates, no house number, no photos', async () => {
    const browser = await visitor()
    const r = await submitted(
      await browser.post(
        '/maengel/melden',
        reportForm({
          category: 'abandoned-vehicle',
          lat: '51.531234',
          lon: '7.439876',
          address: 'Mallinckrodtstraße 210a, 44147 Dortmund',
          description: 'Auto ohne Kennzeichen',
        }),
        {
          files: [
            { field: 'photos', filename: 'auto.jpg', content: await jpegWithGps(300, 200), contentType: 'image/jpeg' },
          ],
        },
      ),
    )
    assert.equal(r.officeId, 'ordnungsamt')
    const [report] = await listPublicReports(db(), { ids: [r.reportId], limit: 1 })
    assert.equal(report!.sensitive, true)
    assert.notEqual(report!.lat, 51.531234)
    assert.ok(
      Math.abs(report!.lat! - 51.531234) < 0.0025 && Math.abs(report!.lon! - 7.439876) < 0.004,
      'within about 250 m',
    )
    assert.equal(report!.address, 'Mallinckrodtstraße')
    assert.equal(report!.photoUrl, null)
    const page = await new TestBrowser(platform).get(`/maengel/${r.reference}`)
    for (const exact of ['51.531234', '7.439876', '210a', '51.5312', '7.4398'])
      assert.ok(!page.body.includes(exact), `${exact} shown`)
    const map = await new TestBrowser(platform).get('/maengel/karte')
    assert.ok(map.body.includes(r.reference))
    assert.ok(!map.body.includes('51.531234'))
    assert.equal(streetOnly('Hansastraße 3-5, 44137 Dortmund'), 'Hansastraße')
    assert.equal(maskContactDetails('Mail a.b@c.de, Tel. +49 231 1234567'), 'Mail […], Tel. […]')
  })

  it('lists open reports and those fixed in the last 30 days, filtered by category, in German and English', async () => {
    const anonymous = new TestBrowser(platform, 'en')
    const open = await anonymous.get('/maengel/karte?status=open&category=street-light')
    assert.equal(open.statusCode, 200)
    assert.match(open.body, /Reports on the map/)
    assert.match(open.body, /Street light out/)
    assert.ok(!/Pothole or road damage<\/td>/.test(open.body))
    const closed = await anonymous.get('/maengel/karte?status=closed')
    assert.equal(closed.statusCode, 200)
    assert.match(closed.body, /Fixed/)
    assert.equal((await anonymous.get('/maengel/DO-2000-999999')).statusCode, 404)
    assert.equal((await anonymous.get('/maengel')).statusCode, 200)
  })
})

describe('the office at work', () => {
  it('tells a reporter with an account in the postbox and by e-mail when the defect is fixed', async () => {
    const citizen = await citizenBrowser(platform)
    citizen.extraHeaders['x-forwarded-for'] = '198.51.100.200'
    await citizen.get('/maengel/melden')
    const r = await submitted(
      await citizen.post(
        '/maengel/melden',
        reportForm({ category: 'park-bench', description: 'Parkbank im Fredenbaumpark ist zerbrochen.' }),
      ),
    )
    assert.equal(r.officeId, 'gruenflaechenamt')
    const office = await staffBrowser(platform, 'gruenflaechenamt')
    assert.equal(
      (
        await office.post(`/backoffice/cases/${r.caseId}/transitions`, {
          transitionId: 'fix',
          version: await caseVersion(office, r.caseId),
        })
      ).statusCode,
      303,
    )
    const messages = await db()
      .selectFrom('messages')
      .select(['subject', 'body'])
      .where('case_id', '=', r.caseId)
      .where('direction', '=', 'to_applicant')
      .execute()
    assert.ok(
      messages.some(m => /behoben/.test(m.body)),
      messages.map(m => m.subject).join(' | '),
    )
    const postbox = await citizen.get('/account/postbox')
    assert.match(postbox.body, /Erledigt/)
    const mails = await db()
      .selectFrom('mail_outbox')
      .select('subject')
      .where('recipient', '=', 'erika.mustermann@example.org')
      .execute()
    assert.ok(mails.some(m => m.subject.includes(r.reference)))
    const [report] = await listPublicReports(db(), { ids: [r.reference], limit: 1 })
    assert.equal(report!.status, 'closed')
    assert.equal(report!.state, 'fixed')
  })

  it("changes the category, which hands the case to the new category's office and records the decision", async () => {
    const r = await submitted(
      await (await visitor()).post(
        '/maengel/melden',
        reportForm({ category: 'graffiti', description: 'Sperrmüll und Sofa an der Wand abgeladen' }),
      ),
    )
    assert.equal(r.officeId, 'ordnungsamt')
    const office = await staffBrowser(platform, 'ordnungsamt')
    const page = await office.get(`/backoffice/cases/${r.caseId}`)
    assert.match(page.body, /Kategorie ändern/)
    const stale = await office.post(`/backoffice/cases/${r.caseId}/report/category`, {
      categoryCode: 'illegal-dumping',
      action: 'change',
      version: '999',
    })
    assert.equal(stale.statusCode, 409)
    const res = await office.post(`/backoffice/cases/${r.caseId}/report/category`, {
      categoryCode: 'illegal-dumping',
      action: 'change',
      version: await caseVersion(office, r.caseId),
    })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/backoffice', "back to the inbox: the case is no longer this office's")
    const moved = await db()
      .selectFrom('cases')
      .innerJoin('reports', 'reports.case_id', 'cases.id')
      .select(['cases.office_id', 'cases.assignee_id', 'reports.category_code', 'reports.category_confirmed_at'])
      .where('cases.id', '=', r.caseId)
      .executeTakeFirstOrThrow()
    assert.equal(moved.office_id, 'edg')
    assert.equal(moved.category_code, 'illegal-dumping')
    assert.ok(moved.category_confirmed_at)
    assert.equal(
      (await office.get(`/backoffice/cases/${r.caseId}`)).statusCode,
      404,
      'the old office no longer sees it',
    )
    const edg = await staffBrowser(platform, 'edg')
    assert.ok((await edg.get('/backoffice')).body.includes(r.reference))
    const view = await edg.get(`/backoffice/cases/${r.caseId}`)
    assert.match(view.body, /Kategorie auf „Wilder Müll“ geändert/)
    const audits = await db().selectFrom('audit_log').select('action').where('subject_id', '=', r.caseId).execute()
    assert.ok(audits.some(a => a.action === 'report.category.change'))
    const decisions = (await db()
      .selectFrom('triage_examples' as never)
      .selectAll()
      .execute()
      .catch(() => null)) as unknown[] | null
    if (decisions) assert.ok(decisions.length > 0, 'the decision is a training example of the triage')
    // Confirming keeps the office.
    const confirm = await edg.post(`/backoffice/cases/${r.caseId}/report/category`, {
      action: 'confirm',
      categoryCode: '',
      version: await caseVersion(edg, r.caseId),
    })
    assert.equal(confirm.statusCode, 303)
    assert.equal(
      (await db().selectFrom('cases').select('office_id').where('id', '=', r.caseId).executeTakeFirstOrThrow())
        .office_id,
      'edg',
    )
  })

  it('lets no other office and no citizen change a report', async () => {
    const r = await submitted(await (await visitor()).post('/maengel/melden', reportForm({ category: 'pothole' })))
    for (const browser of [
      await staffBrowser(platform, 'ordnungsamt'),
      await citizenBrowser(platform),
      new TestBrowser(platform),
    ]) {
      await browser.get('/maengel/melden')
      const res = await browser.post(`/backoffice/cases/${r.caseId}/report/category`, {
        categoryCode: 'graffiti',
        action: 'change',
        version: '1',
      })
      assert.ok([303, 403, 404].includes(res.statusCode), String(res.statusCode))
      const photos = await browser.post(`/backoffice/cases/${r.caseId}/report/photos`, { publish: 'yes', version: '1' })
      assert.ok([303, 403, 404].includes(photos.statusCode))
      if (photos.statusCode === 303) assert.match(String(photos.headers.location), /login/)
    }
    const row = await db()
      .selectFrom('reports')
      .select(['category_code', 'photos_reviewed_at'])
      .where('case_id', '=', r.caseId)
      .executeTakeFirstOrThrow()
    assert.equal(row.category_code, 'pothole')
    assert.equal(row.photos_reviewed_at, null)
  })
})

describe('the categories are data', () => {
  const offices = loadOffices(path.resolve('services'))
  const yaml = fs.readFileSync(path.resolve('services/maengelmelder.yaml'), 'utf8')
  it('refuses a repeated code, an unknown office and a box that is no box, naming file and path', () => {
    const broken = yaml
      .replace('code: pothole', 'code: street-light')
      .replace('office: edg', 'office: atlantis')
      .replace('south: 51.41', 'south: 51.9')
    const problems = checkDefinitionText(broken, 'services/maengelmelder.yaml', offices)
    assert.ok(
      problems.some(p =>
        /^services\/maengelmelder\.yaml: \/report\/categories\/1\/code \(line \d+\): category code "street-light" is used twice/.test(
          p,
        ),
      ),
      problems.join('\n'),
    )
    assert.ok(problems.some(p => /\/report\/categories\/\d+\/office \(line \d+\): unknown office "atlantis"/.test(p)))
    assert.ok(problems.some(p => /\/report\/cityBounds\/south .*must be below north/.test(p)))
  })

  it('sends the generic application start of the report service to the report form', async () => {
    const browser = new TestBrowser(platform)
    assert.match((await browser.get('/services/maengelmelder')).body, /href="\/maengel\/melden"/)
    await browser.get('/maengel/melden')
    const res = await browser.post('/services/maengelmelder/applications')
    assert.equal(res.headers.location, '/maengel/melden')
  })
})
