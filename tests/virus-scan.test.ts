import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { pino } from 'pino'
import { startTestPlatform, samplePdf, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { apiAnswers, pageForm } from './support/autofill.js'
import { caseVersion, citizenBrowser, staffBrowser, submitCase } from './support/casework.js'
import { EICAR, startClamd, type TestClamd } from './support/clamd.js'
import { clamdScanner, parseClamdAddress } from '../src/platform/files/virus-scan.js'
import { ConfigError, loadConfig } from '../src/platform/config.js'
import { PRODUCTION_ENV } from './support/production-env.js'

let clamd: TestClamd
let platform: TestPlatform
before(async () => {
  clamd = await startClamd()
  platform = await startTestPlatform({ virusScan: 'clamd', clamdSocket: clamd.socket })
})
after(async () => {
  await platform?.close()
  await clamd?.stop()
})

const db = () => platform.database.db
const dogTax = () => platform.app.services.get('hundesteuer-anmeldung')
const DOG_NAME = 'Bello-Virusprobe'

async function countFiles(): Promise<number> {
  const row = await db()
    .selectFrom('files')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** A draft of the dog tax standing on its second page, which asks for a permit (a file field). */
async function draftAtPermitPage(browser: TestBrowser) {
  await browser.get('/services/hundesteuer-anmeldung')
  const started = await browser.post('/services/hundesteuer-anmeldung/applications')
  const draftId = /\/applications\/([^/]+)\//.exec(String(started.headers.location))![1]!
  const definition = dogTax()
  const keeper = pageForm(definition.form.pages[0]!, {})
  await browser.post(`/applications/${draftId}/pages/keeper`, { ...keeper.form, action: 'continue' })
  await browser.get(`/applications/${draftId}/pages/dog`)
  const dog = pageForm(definition.form.pages[1]!, keeper.answers, { dangerousDog: 'section3', dogName: DOG_NAME })
  return { draftId, form: { ...dog.form, action: 'continue' } }
}

async function draftFiles(draftId: string) {
  return db().selectFrom('files').select(['id', 'filename']).where('draft_id', '=', draftId).execute()
}

describe('virus scanning with a real clamd', () => {
  it('streams content to clamd: EICAR is found by name, a PDF is clean', async () => {
    const scanner = clamdScanner({ path: clamd.socket }, 10_000, platform.app.log)
    assert.deepEqual(await scanner.scan(EICAR), { verdict: 'infected', signature: 'eicar.com.UNOFFICIAL' })
    assert.deepEqual(await scanner.scan(samplePdf), { verdict: 'clean' })
    // Larger than one 64 KiB chunk: the stream is sent in pieces.
    assert.deepEqual(await scanner.scan(Buffer.concat([samplePdf, Buffer.alloc(300_000, 32)])), { verdict: 'clean' })
  })

  it('logs a found virus with its signature and size only, nothing about the person or the file', async () => {
    const lines: string[] = []
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) })
    await clamdScanner({ path: clamd.socket }, 10_000, log).scan(EICAR)
    const entries = lines.map(line => JSON.parse(line) as Record<string, unknown>)
    const found = entries.find(entry => entry.msg === 'virus found: upload refused')
    assert.ok(found, lines.join(''))
    assert.equal(found.signature, 'eicar.com.UNOFFICIAL')
    assert.equal(found.sizeBytes, EICAR.length)
    const { level: _level, time: _time, pid: _pid, hostname: _hostname, msg: _msg, ...rest } = found
    assert.deepEqual(Object.keys(rest).sort(), ['signature', 'sizeBytes'])
  })

  it('talks to clamd over TCP the same way (CLAMD_SOCKET=tcp://host:port)', async () => {
    const address = parseClamdAddress(`tcp://127.0.0.1:${clamd.tcpPort}`)
    assert.deepEqual(address, { host: '127.0.0.1', port: clamd.tcpPort })
    const scanner = clamdScanner(address!, 10_000, platform.app.log)
    assert.equal((await scanner.scan(EICAR)).verdict, 'infected')
    assert.deepEqual(await scanner.scan(samplePdf), { verdict: 'clean' })
  })

  it('gives no verdict when the scanner does not answer within the timeout', async () => {
    // A socket that accepts and stays silent, as a hung clamd would.
    const silent = net.createServer(() => {})
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = silent.address() as net.AddressInfo
      const scanner = clamdScanner({ host: '127.0.0.1', port }, 300, platform.app.log)
      const result = await scanner.scan(samplePdf)
      assert.equal(result.verdict, 'unavailable')
      assert.match((result as { reason: string }).reason, /no answer from clamd within 300 ms/)
    } finally {
      silent.close()
    }
  })

  it('refuses EICAR at an application field, keeps what was typed and stores no file', async () => {
    const browser = new TestBrowser(platform)
    const { draftId, form } = await draftAtPermitPage(browser)
    const before = await countFiles()
    const res = await browser.post(`/applications/${draftId}/pages/dog`, form, {
      files: [{ field: 'dangerousDogPermit', filename: 'erlaubnis.pdf', content: EICAR }],
    })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /enthält Schadsoftware und wurde nicht angenommen/)
    assert.match(res.body, /href="#dangerousDogPermit"/, 'the error summary links to the field')
    assert.ok(res.body.includes(DOG_NAME), 'the dog name typed on the same page is kept')
    assert.deepEqual(await draftFiles(draftId), [])
    assert.equal(await countFiles(), before, 'no file row and no bytes stored')
  })

  it('accepts a clean file at the same field', async () => {
    const browser = new TestBrowser(platform)
    const { draftId, form } = await draftAtPermitPage(browser)
    const res = await browser.post(`/applications/${draftId}/pages/dog`, form, {
      files: [{ field: 'dangerousDogPermit', filename: 'erlaubnis.pdf', content: samplePdf }],
    })
    assert.equal(res.statusCode, 303, res.body.slice(0, 500))
    assert.deepEqual(
      (await draftFiles(draftId)).map(f => f.filename),
      ['erlaubnis.pdf'],
    )
  })

  it('refuses EICAR as a defect-report photo in English, keeps the description and files no report', async () => {
    const browser = new TestBrowser(platform, 'en')
    browser.extraHeaders['x-forwarded-for'] = '198.51.100.201'
    await browser.get('/maengel/melden')
    const description = 'Virusprobe: die Laterne am Friedensplatz ist dunkel.'
    const before = await countFiles()
    const res = await browser.post(
      '/maengel/melden',
      {
        description,
        category: 'street-light',
        address: 'Friedensplatz 1',
        lat: '51.513600',
        lon: '7.465300',
        action: 'submit',
      },
      { files: [{ field: 'photos', filename: 'laterne.jpg', content: EICAR, contentType: 'image/jpeg' }] },
    )
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /contains malware and was not accepted/)
    assert.ok(res.body.includes(description), 'the description is kept')
    const reports = await db().selectFrom('reports').select('id').where('description', '=', description).execute()
    assert.deepEqual(reports, [])
    assert.equal(await countFiles(), before)
  })

  it('refuses EICAR in an API submission with 422 at the field and opens no case', async () => {
    const definition = platform.app.services.get('bewohnerparkausweis')
    const answers = apiAnswers(definition, { email: 'api-virus@example.org' })
    const fileField = Object.keys(answers).find(id => {
      const answer = answers[id]
      return typeof answer === 'object' && answer !== null && 'contentBase64' in answer
    })!
    const before = await countFiles()
    const res = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/services/bewohnerparkausweis/applications',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        answers: { ...answers, [fileField]: { filename: 'ausweis.pdf', contentBase64: EICAR.toString('base64') } },
        lang: 'en',
      }),
    })
    assert.equal(res.statusCode, 422, res.body)
    const [error] = res.json().errors
    assert.equal(error.field, fileField)
    assert.match(error.message, /contains malware/)
    const cases = await db()
      .selectFrom('cases')
      .select('id')
      .where('applicant_email', '=', 'api-virus@example.org')
      .execute()
    assert.deepEqual(cases, [])
    assert.equal(await countFiles(), before)
  })

  it('refuses EICAR in a postbox reply to a request for documents, keeping the typed text', async () => {
    const citizen = await citizenBrowser(platform)
    const { caseId } = await submitCase(platform, citizen, 'fuehrungszeugnis')
    const staff = await staffBrowser(platform, 'buergerdienste')
    await staff.get(`/backoffice/cases/${caseId}`)
    const sent = await staff.post(`/backoffice/cases/${caseId}/messages`, {
      subject: 'Ausweiskopie fehlt',
      body: 'Bitte laden Sie eine Kopie Ihres Ausweises hoch.',
      requestsDocuments: 'yes',
      version: await caseVersion(staff, caseId),
    })
    assert.equal(sent.statusCode, 303)
    const message = await db()
      .selectFrom('messages')
      .select('id')
      .where('case_id', '=', caseId)
      .where('direction', '=', 'to_applicant')
      .executeTakeFirstOrThrow()
    await citizen.get(`/account/postbox/${message.id}`)
    const filesOfCase = () => db().selectFrom('files').select('id').where('case_id', '=', caseId).execute()
    const before = (await filesOfCase()).length
    const res = await citizen.post(
      `/account/postbox/${message.id}/reply`,
      { body: 'Anbei mein Ausweis-Virusprobe' },
      { files: [{ field: 'documents', filename: 'ausweis.pdf', content: EICAR }] },
    )
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /ausweis\.pdf: Die Datei enthält Schadsoftware/)
    assert.ok(res.body.includes('Anbei mein Ausweis-Virusprobe'))
    assert.equal((await filesOfCase()).length, before, 'nothing stored on the case')
  })

  it('scans documents that are only read, never stored, before they are parsed: pre-filling and pre-sorting', async () => {
    const browser = new TestBrowser(platform)
    const { draftId } = await draftAtPermitPage(browser)
    const prefill = await browser.post(
      `/applications/${draftId}/pages/dog`,
      { _prefillText: 'Hund Bello', action: 'detect' },
      { files: [{ field: '_prefillDocument', filename: 'brief.pdf', content: EICAR }] },
    )
    assert.equal(prefill.statusCode, 400)
    assert.match(prefill.body, /enthält Schadsoftware/)
    assert.match(prefill.body, /href="#prefill-document"/)

    const staff = await staffBrowser(platform, 'tiefbauamt')
    await staff.get('/backoffice/triage')
    const typed = 'Straßenlaterne kaputt vor Hohe Straße 12'
    const triage = await staff.post(
      '/backoffice/triage',
      { kind: 'report', text: typed },
      { files: [{ field: 'document', filename: 'meldung.pdf', content: EICAR }] },
    )
    assert.equal(triage.statusCode, 400)
    assert.match(triage.body, /enthält Schadsoftware/)
    assert.ok(triage.body.includes(typed), 'the typed text is kept')
  })

  it('refuses uploads while clamd is down, saying so at the field, and keeps what was typed', async () => {
    const browser = new TestBrowser(platform)
    const { draftId, form } = await draftAtPermitPage(browser)
    await clamd.stop()
    const res = await browser.post(`/applications/${draftId}/pages/dog`, form, {
      files: [{ field: 'dangerousDogPermit', filename: 'erlaubnis.pdf', content: samplePdf }],
    })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /Virenprüfung für hochgeladene Dateien ist gerade nicht erreichbar/)
    assert.ok(res.body.includes(DOG_NAME))
    assert.deepEqual(await draftFiles(draftId), [], 'never stored unscanned')
  })
})

describe('virus-scan settings', () => {
  const { CLAMD_SOCKET: _, ...productionEnv } = PRODUCTION_ENV

  it('stops a production start without CLAMD_SOCKET, naming the variable, unless VIRUS_SCAN=off says so', () => {
    assert.throws(
      () => loadConfig(productionEnv),
      (error: unknown) => error instanceof ConfigError && error.variable === 'CLAMD_SOCKET',
    )
    assert.equal(loadConfig({ ...productionEnv, VIRUS_SCAN: 'off' }).virusScan, 'off')
    const scanning = loadConfig({ ...productionEnv, CLAMD_SOCKET: 'tcp://127.0.0.1:3310' })
    assert.equal(scanning.virusScan, 'clamd')
  })

  it('scans in development only when CLAMD_SOCKET is set, and refuses an address that is none', () => {
    assert.equal(loadConfig({}).virusScan, 'off')
    assert.equal(loadConfig({ CLAMD_SOCKET: '/run/clamav/clamd.ctl' }).virusScan, 'clamd')
    assert.throws(
      () => loadConfig({ CLAMD_SOCKET: 'tcp://clamd' }),
      (error: unknown) => error instanceof ConfigError && error.variable === 'CLAMD_SOCKET',
    )
    assert.throws(
      () => loadConfig({ VIRUS_SCAN: 'clamd' }),
      (error: unknown) => error instanceof ConfigError && error.variable === 'CLAMD_SOCKET',
    )
  })
})
