import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { XMLParser } from 'fast-xml-parser'
import sharp from 'sharp'
import type { LightMyRequestResponse } from 'fastify'
import { samplePng, startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { caseVersion, staffBrowser } from './support/casework.js'
import { DEMO_ADMIN, DEMO_OFFICE_ADMIN } from '../src/seed.js'
import { createApiKey } from '../src/modules/open311/index.js'
import { listReportCategories } from '../src/modules/reports/index.js'

/**
 * Open311 GeoReport v2 conformance (http://wiki.open311.org/GeoReport_v2, source in open311/open311.github.io
 * GeoReport_v2/index.md): every endpoint in JSON and XML, every error as the spec's error array.
 */
let platform: TestPlatform
let apiKey = ''
const V2 = '/open311/v2'
// Dortmund, Friedensplatz: inside the city's box of the report service.
const HERE = { lat: '51.5116', long: '7.4660' }
const W3 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/

before(async () => {
  platform = await startTestPlatform()
  const admin = await platform.database.db
    .selectFrom('staff')
    .select(['id', 'email', 'name'])
    .where('email', '=', DEMO_ADMIN)
    .executeTakeFirstOrThrow()
  apiKey = (await createApiKey(platform.database.db, { ...admin, roles: [] }, 'Testclient')).key
})
after(async () => {
  await platform.close()
})

const SERVICE_KEYS = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']
const REQUEST_KEYS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
]
const ATTRIBUTE_KEYS = [
  'variable',
  'code',
  'datatype',
  'required',
  'datatype_description',
  'order',
  'description',
  'values',
]

const xmlParser = new XMLParser({
  parseTagValue: false,
  ignoreDeclaration: false,
  ignoreAttributes: false,
  isArray: (_name, jpath) =>
    [
      'services.service',
      'service_requests.request',
      'errors.error',
      'service_definition.attributes.attribute',
      'discovery.endpoints.endpoint',
      'discovery.endpoints.endpoint.formats.format',
    ].includes(String(jpath)),
})

function get(url: string, headers: Record<string, string> = {}) {
  return platform.app.inject({ method: 'GET', url, headers })
}
/** Each post from another address unless told: the reports module limits reports per API key and client address. */
const someIp = () => `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`
function post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return platform.app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(form).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'x-forwarded-for': someIp(),
      ...headers,
    },
  })
}
function json(res: LightMyRequestResponse) {
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  return JSON.parse(res.body)
}
function xml(res: LightMyRequestResponse) {
  assert.equal(res.headers['content-type'], 'text/xml; charset=utf-8')
  assert.match(res.body, /^<\?xml version="1\.0" encoding="utf-8"\?>/)
  return xmlParser.parse(res.body)
}
/** The spec's error array: each entry with exactly code and description, the HTTP status in the code. */
function assertErrors(res: LightMyRequestResponse, status: number, pattern: RegExp) {
  assert.equal(res.statusCode, status, res.body)
  const type = String(res.headers['content-type'])
  const errors: { code: unknown; description: string }[] = type.startsWith('text/xml')
    ? xml(res).errors.error.map((e: { code: string; description: string }) => ({
        code: Number(e.code),
        description: e.description,
      }))
    : json(res)
  assert.ok(Array.isArray(errors) && errors.length >= 1, res.body)
  for (const e of errors) {
    assert.deepEqual(Object.keys(e).sort(), ['code', 'description'])
    assert.equal(typeof e.description, 'string')
  }
  assert.ok(
    errors.some(e => pattern.test(e.description)),
    `${pattern} in ${res.body}`,
  )
  return errors
}

async function report(fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const res = await post(
    `${V2}/requests.json`,
    { api_key: apiKey, service_code: 'pothole', ...HERE, description: 'Tiefes Schlagloch vor dem Rathaus', ...fields },
    headers,
  )
  assert.equal(res.statusCode, 200, res.body)
  const [created] = json(res)
  return created.service_request_id as string
}

describe('Service Discovery and GET Service List', () => {
  it('describes the endpoint in discovery.json and discovery.xml', async () => {
    const body = json(await get(`${V2}/discovery.json`))
    assert.deepEqual(Object.keys(body).sort(), ['changeset', 'contact', 'endpoints', 'key_service'])
    assert.equal(body.endpoints[0].specification, 'http://wiki.open311.org/GeoReport_v2')
    assert.equal(body.endpoints[0].url, 'http://localhost:3000/open311/v2')
    assert.deepEqual(body.endpoints[0].formats, ['application/json', 'text/xml'])
    const doc = xml(await get(`${V2}/discovery.xml`))
    assert.deepEqual(doc.discovery.endpoints.endpoint[0].formats.format, ['application/json', 'text/xml'])
  })

  it("lists every report category as a realtime service with exactly the spec's fields, in JSON and XML", async () => {
    const categories = listReportCategories(platform.app.services)
    const res = await get(`${V2}/services.json`)
    assert.equal(res.headers['access-control-allow-origin'], '*')
    const services = json(res)
    assert.equal(services.length, categories.length)
    for (const service of services) {
      assert.deepEqual(Object.keys(service), SERVICE_KEYS)
      assert.equal(service.type, 'realtime')
      assert.equal(typeof service.metadata, 'boolean')
    }
    const pothole = services.find((s: { service_code: string }) => s.service_code === 'pothole')
    assert.equal(pothole.service_name, 'Schlagloch oder Straßenschaden')
    assert.equal(pothole.group, 'Straßen und Verkehr')
    assert.match(pothole.keywords, /^schlagloch, /)
    assert.equal(pothole.metadata, false)
    assert.equal(
      services.find((s: { service_code: string }) => s.service_code === 'noise').metadata,
      true,
      'a sensitive category has an informational attribute',
    )

    const doc = xml(await get(`${V2}/services.xml`))
    assert.deepEqual(
      Object.keys(doc).filter(k => k !== '?xml'),
      ['services'],
    )
    assert.equal(doc.services.service.length, categories.length)
    for (const service of doc.services.service) assert.deepEqual(Object.keys(service), SERVICE_KEYS)
    assert.equal(
      doc.services.service.find((s: { service_code: string }) => s.service_code === 'pothole').metadata,
      'false',
    )
  })

  it('names services in English with locale=en or Accept-Language: en', async () => {
    for (const res of [
      await get(`${V2}/services.json?locale=en_GB`),
      await get(`${V2}/services.json`, { 'accept-language': 'en-US,en;q=0.8' }),
    ]) {
      assert.equal(
        json(res).find((s: { service_code: string }) => s.service_code === 'pothole').service_name,
        'Pothole or road damage',
      )
    }
  })

  it('accepts our jurisdiction_id and answers 404 with the error array for another, in both formats', async () => {
    assert.equal((await get(`${V2}/services.json?jurisdiction_id=dortmund.de`)).statusCode, 200)
    assertErrors(await get(`${V2}/services.json?jurisdiction_id=sfgov.org`), 404, /jurisdiction_id/)
    assertErrors(await get(`${V2}/services.xml?jurisdiction_id=sfgov.org`), 404, /jurisdiction_id/)
    assertErrors(await get(`${V2}/requests.xml?jurisdiction_id=sfgov.org`), 404, /jurisdiction_id/)
    assertErrors(await get(`${V2}/services/pothole.json?jurisdiction_id=sfgov.org`), 404, /jurisdiction_id/)
  })

  it('answers an unknown format or path with a 404 error array', async () => {
    assertErrors(await get(`${V2}/services.html`), 404, /json.*xml/)
    assertErrors(await get(`${V2}/services/pothole.csv`), 404, /json.*xml/)
    assertErrors(await get(`${V2}/tokens/123.json`), 404, /discovery/)
    assertErrors(await post(`${V2}/requests.yaml`, { api_key: apiKey }), 404, /json.*xml/)
  })
})

describe('GET Service Definition', () => {
  it('gives the service_code and its attributes; a sensitive category says it is not published', async () => {
    const plain = json(await get(`${V2}/services/pothole.json`))
    assert.deepEqual(plain, { service_code: 'pothole', attributes: [] })
    const plainXml = xml(await get(`${V2}/services/pothole.xml`))
    assert.equal(plainXml.service_definition.service_code, 'pothole')
    assert.equal(plainXml.service_definition.attributes, '')

    const sensitive = json(await get(`${V2}/services/noise.json?locale=en`))
    assert.equal(sensitive.service_code, 'noise')
    assert.equal(sensitive.attributes.length, 1)
    const [attribute] = sensitive.attributes
    assert.deepEqual(Object.keys(attribute), ATTRIBUTE_KEYS)
    assert.equal(attribute.variable, false)
    assert.equal(attribute.required, false)
    assert.equal(attribute.order, 1)
    assert.match(attribute.description, /not published/)
    const doc = xml(await get(`${V2}/services/noise.xml`))
    const [xmlAttribute] = doc.service_definition.attributes.attribute
    assert.deepEqual(Object.keys(xmlAttribute), ATTRIBUTE_KEYS)
    assert.equal(xmlAttribute.variable, 'false')
  })

  it('answers an unknown service_code with 404 and the error array, in JSON and XML', async () => {
    assertErrors(
      await get(`${V2}/services/no-such-thing.json`),
      404,
      /service_code "no-such-thing"|service_code „no-such-thing“/,
    )
    const errors = assertErrors(await get(`${V2}/services/no-such-thing.xml`), 404, /no-such-thing/)
    assert.equal(errors[0]!.code, 404)
  })
})

describe('POST Service Request', () => {
  it('creates a request at once (realtime) and answers with service_request_id, service_notice and account_id', async () => {
    const res = await post(`${V2}/requests.json`, {
      api_key: apiKey,
      jurisdiction_id: 'dortmund.de',
      service_code: 'pothole',
      ...HERE,
      address_string: 'Friedensplatz 1, 44135 Dortmund',
      description: 'Schlagloch auf der Fahrbahn',
      email: 'melder@example.org',
      first_name: 'Maria',
      last_name: 'Melderin',
      phone: '0231 123456',
      device_id: 'device-1',
      account_id: 'app-user-7',
      media_url: 'https://example.org/photo.jpg',
      'attribute[NOT_PUBLIC]': 'x',
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.headers['access-control-allow-origin'], '*')
    const body = json(res)
    assert.equal(body.length, 1)
    assert.deepEqual(Object.keys(body[0]), ['service_request_id', 'service_notice', 'account_id'])
    assert.match(body[0].service_request_id, /\S/)
    assert.match(body[0].service_notice, /Tiefbauamt/)
    assert.equal(body[0].account_id, null)
    assert.equal(res.headers['set-cookie'], undefined, 'no session for API clients')
  })

  it('answers in XML as <service_requests><request>', async () => {
    const res = await post(`${V2}/requests.xml`, {
      api_key: apiKey,
      service_code: 'graffiti',
      address_string: 'Westenhellweg 1, Dortmund',
      description: 'Graffiti an der Wand',
    })
    assert.equal(res.statusCode, 200, res.body)
    const [request] = xml(res).service_requests.request
    assert.deepEqual(Object.keys(request), ['service_request_id', 'service_notice', 'account_id'])
    assert.equal(request.account_id, '')
  })

  async function postWithMedia(media: Buffer) {
    const boundary = `----open311${crypto.randomBytes(6).toString('hex')}`
    const parts = Object.entries({
      api_key: apiKey,
      service_code: 'park-bench',
      ...HERE,
      description: 'Bank zerbrochen',
    }).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    const payload = Buffer.concat([
      Buffer.from(parts.join('')),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="bank.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      media,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ])
    return platform.app.inject({
      method: 'POST',
      url: `${V2}/requests.json`,
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-forwarded-for': someIp() },
    })
  }

  it('accepts a photo as multipart "media"', async () => {
    const photo = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
      .png()
      .toBuffer()
    const res = await postWithMedia(photo)
    assert.equal(res.statusCode, 200, res.body)
    const row = await platform.database.db
      .selectFrom('reports')
      .innerJoin('cases', 'cases.id', 'reports.case_id')
      .innerJoin('report_photos', 'report_photos.report_id', 'reports.id')
      .select('report_photos.file_id')
      .where('cases.reference', '=', json(res)[0].service_request_id)
      .execute()
    assert.equal(row.length, 1)
  })

  it('reads multipart fields for the error too: no api_key, locale=en → 403 in English', async () => {
    const boundary = 'open311errors'
    const payload =
      ['service_code', 'pothole', 'locale', 'en'].reduce(
        (acc, v, i, all) =>
          i % 2 ? acc : `${acc}--${boundary}\r\nContent-Disposition: form-data; name="${v}"\r\n\r\n${all[i + 1]}\r\n`,
        '',
      ) + `--${boundary}--\r\n`
    const res = await platform.app.inject({
      method: 'POST',
      url: `${V2}/requests.xml`,
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    })
    assertErrors(res, 403, /^api_key is missing/)
  })

  it('answers a media part that is no image with 400 naming media', async () => {
    assertErrors(await postWithMedia(Buffer.from('%PDF-1.4 not an image')), 400, /^media: /)
  })

  it('answers a broken image with 400, not 500', async () => {
    assertErrors(await postWithMedia(samplePng), 400, /^media: /)
  })

  it('refuses a missing, wrong or revoked api_key with 403 and the error array, and creates nothing', async () => {
    const count = async () =>
      Number(
        (
          await platform.database.db
            .selectFrom('reports')
            .select(eb => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await count()
    const fields = { service_code: 'pothole', ...HERE, description: 'x' }
    assertErrors(await post(`${V2}/requests.json`, fields), 403, /api_key/)
    assertErrors(await post(`${V2}/requests.xml`, { ...fields, api_key: 'o311_wrong' }), 403, /api_key/)
    assertErrors(await post(`${V2}/requests.json`, { ...fields, api_key: `${apiKey}x` }), 403, /api_key/)
    const admin = await platform.database.db
      .selectFrom('staff')
      .select(['id', 'email', 'name'])
      .where('email', '=', DEMO_ADMIN)
      .executeTakeFirstOrThrow()
    const revoked = await createApiKey(platform.database.db, { ...admin, roles: [] }, 'Revoked client')
    await platform.database.db
      .updateTable('open311_api_keys')
      .set({ revoked_at: new Date() })
      .where('id', '=', revoked.id)
      .execute()
    assertErrors(await post(`${V2}/requests.json?locale=en`, { ...fields, api_key: revoked.key }), 403, /revoked/)
    assert.equal(await count(), before)
  })

  it('answers an unknown service_code with 404, a missing one with 400', async () => {
    assertErrors(
      await post(`${V2}/requests.json`, { api_key: apiKey, service_code: 'unicorns', ...HERE }),
      404,
      /unicorns/,
    )
    assertErrors(
      await post(`${V2}/requests.xml`, { api_key: apiKey, service_code: 'unicorns', ...HERE }),
      404,
      /unicorns/,
    )
    assertErrors(
      await post(`${V2}/requests.json?locale=en`, { api_key: apiKey, ...HERE }),
      400,
      /service_code was not provided/,
    )
  })

  it('answers a missing location, a lone or bad lat/long and address_id alone with 400, every problem at once', async () => {
    const base = { api_key: apiKey, service_code: 'pothole', description: 'Loch', locale: 'en' }
    assertErrors(await post(`${V2}/requests.json`, base), 400, /lat and long, or address_string/)
    assertErrors(await post(`${V2}/requests.xml`, base), 400, /lat and long, or address_string/)
    assertErrors(await post(`${V2}/requests.json`, { ...base, lat: '51.5' }), 400, /both/)
    assertErrors(await post(`${V2}/requests.json`, { ...base, lat: '100', long: '7.4' }), 400, /^lat must be/)
    assertErrors(await post(`${V2}/requests.json`, { ...base, lat: 'north', long: '7.4' }), 400, /^lat must be/)
    assertErrors(
      await post(`${V2}/requests.json`, { ...base, address_id: '545483' }),
      400,
      /address_id is not supported/,
    )
    const many = assertErrors(
      await post(`${V2}/requests.json`, { ...base, lat: '91', long: '181', description: 'x'.repeat(4001) }),
      400,
      /long must be/,
    )
    assert.equal(many.length, 3, JSON.stringify(many))
  })

  it("passes the report module's refusals on as one error per field, with Open311 field names", async () => {
    // Outside Dortmund: the report service refuses places beyond the city.
    const res = await post(`${V2}/requests.json?locale=en`, {
      api_key: apiKey,
      service_code: 'pothole',
      lat: '52.52',
      long: '13.40',
      description: 'Berlin',
    })
    const errors = assertErrors(res, 400, /lat|long|location/)
    assert.ok(
      errors.every(e => !/categoryCode|\blon\b|reports\./.test(e.description)),
      JSON.stringify(errors),
    )
  })

  it('answers a body it cannot read with 400 and the error array', async () => {
    for (const type of ['application/octet-stream', 'application/json', 'multipart/form-data; boundary=x']) {
      const res = await platform.app.inject({
        method: 'POST',
        url: `${V2}/requests.json`,
        payload: '{not json',
        headers: { 'content-type': type },
      })
      assert.ok([400, 403].includes(res.statusCode), `${type} → ${res.statusCode} ${res.body}`)
      assert.ok(Array.isArray(json(res)))
    }
  })

  it("answers the reports module's rate limit with 429, Retry-After and the error array", async () => {
    const ip = someIp()
    let res: LightMyRequestResponse | undefined
    let accepted = 0
    for (let i = 0; i < 60 && res?.statusCode !== 429; i++) {
      res = await post(
        `${V2}/requests.xml`,
        { api_key: apiKey, service_code: 'litter-bin', ...HERE, description: `Papierkorb voll ${i}` },
        { 'x-forwarded-for': ip },
      )
      if (res.statusCode === 200) accepted++
    }
    assertErrors(res!, 429, /später|later/)
    // A city app's server posts everyone's reports from one address: it is not stopped after a citizen's five.
    assert.ok(accepted > 5 && accepted <= 50, `${accepted} accepted from one address`)
    assert.match(String(res!.headers['retry-after']), /^\d+$/)
  })

  it('creates one request for one Idempotency-Key however often it is sent', async () => {
    const key = crypto.randomUUID()
    const first = await report({ description: 'Laterne aus', service_code: 'street-light' }, { 'idempotency-key': key })
    const again = await report({ description: 'Laterne aus', service_code: 'street-light' }, { 'idempotency-key': key })
    assert.equal(again, first)
    assert.notEqual(await report({ description: 'Laterne aus', service_code: 'street-light' }), first)
  })
})

describe('GET Service Requests and GET Service Request', () => {
  it("shows a new request as open, with exactly the spec's fields and no personal data, in JSON and XML", async () => {
    const id = await report({
      first_name: 'Gerda',
      last_name: 'Geheim',
      email: 'gerda.geheim@example.org',
      phone: '0170 9876543',
      address_string: 'Friedensplatz 1, 44135 Dortmund',
    })
    const res = await get(`${V2}/requests/${encodeURIComponent(id)}.json`)
    assert.equal(res.headers['access-control-allow-origin'], '*')
    const body = json(res)
    assert.equal(body.length, 1)
    const [request] = body
    assert.deepEqual(Object.keys(request), REQUEST_KEYS)
    assert.equal(request.service_request_id, id)
    assert.equal(request.status, 'open')
    assert.equal(request.service_code, 'pothole')
    assert.equal(request.service_name, 'Schlagloch oder Straßenschaden')
    assert.equal(request.zipcode, '44135')
    assert.match(request.requested_datetime, W3)
    assert.match(request.updated_datetime, W3)
    assert.equal(request.lat, 51.5116)
    assert.equal(request.long, 7.466)
    for (const secret of ['Gerda', 'Geheim', 'gerda.geheim', '9876543'])
      assert.ok(!res.body.includes(secret), `${secret} leaks`)

    const xmlRes = await get(`${V2}/requests/${encodeURIComponent(id)}.xml`)
    const [xmlRequest] = xml(xmlRes).service_requests.request
    assert.deepEqual(Object.keys(xmlRequest), REQUEST_KEYS)
    assert.equal(xmlRequest.status, 'open')
    for (const secret of ['Gerda', 'Geheim', 'gerda.geheim', '9876543'])
      assert.ok(!xmlRes.body.includes(secret), `${secret} leaks in XML`)
    const list = await get(`${V2}/requests.json`)
    for (const secret of ['Gerda', 'Geheim', 'gerda.geheim', '9876543'])
      assert.ok(!list.body.includes(secret), `${secret} leaks in the list`)
  })

  it('answers an unknown service_request_id with 404 and the error array', async () => {
    assertErrors(await get(`${V2}/requests/DO-0000-000000.json`), 404, /DO-0000-000000/)
    assertErrors(await get(`${V2}/requests/${crypto.randomUUID()}.xml`), 404, /service_request_id/)
    assertErrors(await get(`${V2}/requests/${encodeURIComponent("x' or 1=1")}.json`), 404, /service_request_id/)
  })

  it('shows closed with status_notes once a caseworker closes the case', async () => {
    const id = await report({ description: 'Gehwegplatte lose', service_code: 'pavement' })
    const db = platform.database.db
    const found = await db
      .selectFrom('reports')
      .innerJoin('cases', 'cases.id', 'reports.case_id')
      .select(['cases.id as caseId', 'cases.office_id as officeId'])
      .where(eb => eb.or([eb('cases.reference', '=', id), eb(eb.cast('reports.id', 'text'), '=', id)]))
      .executeTakeFirstOrThrow()
    const office = await staffBrowser(platform, found.officeId)
    const step = await office.post(`/backoffice/cases/${found.caseId}/transitions`, {
      transitionId: 'fix',
      version: await caseVersion(office, found.caseId),
    })
    assert.equal(step.statusCode, 303, step.body)
    const [request] = json(await get(`${V2}/requests/${encodeURIComponent(id)}.json`))
    assert.equal(request.status, 'closed')
    assert.match(String(request.status_notes), /\S/)
    const closed = json(await get(`${V2}/requests.json?status=closed`))
    assert.ok(closed.some((r: { service_request_id: string }) => r.service_request_id === id))
    assert.ok(
      json(await get(`${V2}/requests.json?status=open`)).every(
        (r: { service_request_id: string; status: string }) => r.service_request_id !== id && r.status === 'open',
      ),
    )
  })

  it('filters by service_code list, status, service_request_id list and date window', async () => {
    const light = await report({ service_code: 'street-light', description: 'Laterne flackert' })
    const bench = await report({ service_code: 'park-bench', description: 'Bank wackelt' })
    const hole = await report({ service_code: 'pothole', description: 'Noch ein Loch' })
    const codes = (res: LightMyRequestResponse) => json(res).map((r: { service_code: string }) => r.service_code)
    const ids = (res: LightMyRequestResponse) =>
      json(res).map((r: { service_request_id: string }) => r.service_request_id)

    const byCodes = await get(`${V2}/requests.json?service_code=street-light,park-bench`)
    assert.ok(ids(byCodes).includes(light) && ids(byCodes).includes(bench) && !ids(byCodes).includes(hole))
    assert.deepEqual([...new Set(codes(byCodes))].sort(), ['park-bench', 'street-light'])
    assert.deepEqual(
      ids(await get(`${V2}/requests.json?service_request_id=${light},${hole}&service_code=park-bench`)).sort(),
      [light, hole].sort(),
      'service_request_id overrides other filters',
    )
    const xmlList = xml(await get(`${V2}/requests.xml?service_code=park-bench`))
    assert.ok(
      xmlList.service_requests.request.some((r: { service_request_id: string }) => r.service_request_id === bench),
    )

    const now = Date.now()
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
    assert.ok(
      ids(await get(`${V2}/requests.json?start_date=${iso(now - 3_600_000)}&end_date=${iso(now + 60_000)}`)).includes(
        light,
      ),
    )
    assert.deepEqual(json(await get(`${V2}/requests.json?start_date=${iso(now + 3_600_000)}`)), [], 'nothing after now')
    assert.deepEqual(
      json(await get(`${V2}/requests.json?end_date=${encodeURIComponent('2020-01-01T00:00:00+01:00')}`)),
      [],
      'nothing in 2019',
    )
    assert.equal(
      xml(await get(`${V2}/requests.xml?end_date=2020-01-01`)).service_requests,
      '',
      'an empty list is an empty element',
    )
  })

  it('refuses bad dates, a window over 90 days, dates in the wrong order and an unknown status with 400', async () => {
    assertErrors(await get(`${V2}/requests.json?start_date=yesterday`), 400, /start_date/)
    assertErrors(await get(`${V2}/requests.json?end_date=2026-02-30T00:00:00Z`), 400, /end_date/)
    assertErrors(await get(`${V2}/requests.xml?start_date=2026-01-01T10:00:00`), 400, /start_date/)
    assertErrors(
      await get(`${V2}/requests.json?start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z&locale=en`),
      400,
      /90 days/,
    )
    assertErrors(
      await get(`${V2}/requests.json?start_date=2025-02-01T00:00:00Z&end_date=2025-01-01T00:00:00Z&locale=en`),
      400,
      /before end_date/,
    )
    assertErrors(await get(`${V2}/requests.json?status=pending&locale=en`), 400, /status must be open or closed/)
  })
})

describe('API keys in the administration', () => {
  const platformAdmin = () => staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_ADMIN)

  it('lets a platform admin create a key that is shown once, stored only as its hash, and audited', async () => {
    const admin = await platformAdmin()
    const page = await admin.get('/backoffice/admin/api-keys')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /API-Schlüssel/)
    const missing = await admin.post('/backoffice/admin/api-keys', { name: '  ' })
    assert.equal(missing.statusCode, 400)
    assert.match(missing.body, /error-summary/)
    const created = await admin.post('/backoffice/admin/api-keys', { name: 'Stadtwerke-App <b>' })
    assert.equal(created.statusCode, 201)
    assert.equal(created.headers['cache-control'], 'no-store')
    const key =
      /id="new-api-key"[^>]*value="(o311_[^"]+)"/.exec(created.body)?.[1] ??
      /value="(o311_[^"]+)"[^>]*id="new-api-key"/.exec(created.body)?.[1]
    assert.ok(key, 'the key is on the page')
    assert.ok(
      created.body.includes('>Stadtwerke-App &lt;b>') && !/>[^<]*Stadtwerke-App <b>/.test(created.body),
      'the name is escaped',
    )
    const row = await platform.database.db
      .selectFrom('open311_api_keys')
      .selectAll()
      .where('name', '=', 'Stadtwerke-App <b>')
      .executeTakeFirstOrThrow()
    assert.equal(row.key_hash, crypto.createHash('sha256').update(key).digest('hex'))
    assert.ok(!JSON.stringify(row).includes(key), 'the key itself is not stored')
    const later = await admin.get('/backoffice/admin/api-keys')
    assert.ok(!later.body.includes(key), 'never shown again')
    assert.ok(later.body.includes(row.key_prefix))
    const audited = await platform.database.db
      .selectFrom('audit_log')
      .select(['action', 'subject_type'])
      .where('subject_id', '=', row.id)
      .execute()
    assert.deepEqual(audited, [{ action: 'open311.key.create', subject_type: 'open311_api_key' }])

    // The new key works, then the admin revokes it and it no longer does.
    const works = await post(`${V2}/requests.json`, {
      api_key: key,
      service_code: 'pothole',
      ...HERE,
      description: 'Mit neuem Schlüssel',
    })
    assert.equal(works.statusCode, 200, works.body)
    assert.ok(
      (
        await platform.database.db
          .selectFrom('open311_api_keys')
          .select('last_used_at')
          .where('id', '=', row.id)
          .executeTakeFirstOrThrow()
      ).last_used_at,
    )
    const revoke = await admin.post(`/backoffice/admin/api-keys/${row.id}/revoke`)
    assert.equal(revoke.statusCode, 303)
    const afterRevoke = await admin.follow(revoke)
    assert.match(afterRevoke.body, /widerrufen/)
    assertErrors(
      await post(`${V2}/requests.json`, {
        api_key: key,
        service_code: 'pothole',
        ...HERE,
        description: 'Nach Widerruf',
      }),
      403,
      /widerrufen/,
    )
    const actions = await platform.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', row.id)
      .orderBy('id')
      .execute()
    assert.deepEqual(
      actions.map(a => a.action),
      ['open311.key.create', 'open311.key.revoke'],
    )
    assert.equal((await admin.post(`/backoffice/admin/api-keys/${crypto.randomUUID()}/revoke`)).statusCode, 404)
  })

  it('shows the page in English', async () => {
    const admin = await platformAdmin()
    const page = await admin.follow(await admin.get('/language/en?return=/backoffice/admin/api-keys'))
    assert.match(page.body, /API keys \(Open311\)/)
  })

  it('refuses office admins (403), other staff (404) and visitors (login), and changes nothing for them', async () => {
    const db = platform.database.db
    const admin = await db
      .selectFrom('staff')
      .select(['id', 'email', 'name'])
      .where('email', '=', DEMO_ADMIN)
      .executeTakeFirstOrThrow()
    const target = await createApiKey(db, { ...admin, roles: [] }, 'Zielscheibe')
    const officeAdmin = await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_OFFICE_ADMIN)
    assert.equal((await officeAdmin.get('/backoffice/admin/api-keys')).statusCode, 403)
    assert.equal((await officeAdmin.post('/backoffice/admin/api-keys', { name: 'X' })).statusCode, 403)
    assert.equal((await officeAdmin.post(`/backoffice/admin/api-keys/${target.id}/revoke`)).statusCode, 403)
    assert.doesNotMatch(
      (await officeAdmin.get('/backoffice/admin/staff')).body,
      /admin\/api-keys/,
      'no tab for office admins',
    )
    for (const browser of [
      await staffBrowser(platform, 'tiefbauamt'),
      await staffBrowser(platform, 'ordnungsamt', 'team_lead'),
    ]) {
      assert.equal((await browser.get('/backoffice/admin/api-keys')).statusCode, 404)
      assert.equal((await browser.post(`/backoffice/admin/api-keys/${target.id}/revoke`)).statusCode, 404)
    }
    const visitor = new TestBrowser(platform)
    const res = await visitor.get('/backoffice/admin/api-keys')
    assert.equal(res.statusCode, 303)
    assert.match(String(res.headers.location), /^\/backoffice\/login/)
    assert.equal(
      (
        await db
          .selectFrom('open311_api_keys')
          .select('revoked_at')
          .where('id', '=', target.id)
          .executeTakeFirstOrThrow()
      ).revoked_at,
      null,
    )
    assert.equal((await db.selectFrom('open311_api_keys').select('id').where('name', '=', 'X').execute()).length, 0)
    assert.equal(
      (
        await post(`${V2}/requests.json`, {
          api_key: target.key,
          service_code: 'pothole',
          ...HERE,
          description: 'Schlüssel gilt noch',
        })
      ).statusCode,
      200,
    )
  })
})
