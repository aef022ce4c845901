import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  checkOfflineText,
  DefinitionError,
  loadOfflineEntries,
  loadOffices,
  loadServiceDefinitions,
} from '../src/modules/catalogue/definitions.load.js'
import { startTestPlatform, type TestPlatform } from './support/test-platform.js'

const servicesDir = path.resolve('services')
const offices = loadOffices(servicesDir)
const shipped = fs.readFileSync(path.join(servicesDir, '_offline.yaml'), 'utf8')

describe('services offered only at the counter', () => {
  let platform: TestPlatform
  before(async () => {
    platform = await startTestPlatform()
  })
  after(async () => {
    await platform.close()
  })
  const get = (url: string) => platform.app.inject({ method: 'GET', url })

  it('finds "Personalausweis" as an offline entry, marked as not online', async () => {
    const res = await get('/services?q=Personalausweis')
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /href="\/services\/personalausweis-beantragen"/)
    assert.match(res.body, /Nicht online – so geht(&#39;|')s/)
    assert.doesNotMatch(res.body, /Zum Kontaktformular/, 'a search with results needs no way out')
  })

  it('lists offline entries in the catalogue by life situation, and in English', async () => {
    const res = await get('/services?situation=documents')
    assert.match(res.body, /href="\/services\/reisepass-beantragen"/)
    const en = await platform.app.inject({
      method: 'GET',
      url: '/services?q=passport',
      headers: { 'accept-language': 'en' },
    })
    assert.match(en.body, /href="\/services\/reisepass-beantragen"/)
  })

  it('offers the contact form and the 115 when nothing matches', async () => {
    const res = await get('/services?q=Xylophonquadrat')
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /Keine Leistung gefunden/)
    assert.match(res.body, /<a class="kern-btn kern-btn--secondary" href="\/kontakt">/)
    assert.match(res.body, /Behördennummer 115/)
  })

  it('shows the entry page with the steps and the office address and opening hours', async () => {
    const res = await get('/services/personalausweis-beantragen')
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /<h1[^>]*>Personalausweis beantragen<\/h1>/)
    assert.match(res.body, /Südwall 2–4, 44137 Dortmund/)
    assert.match(res.body, /Nur mit Termin/)
    assert.match(res.body, /href="https:\/\/www\.personalausweisportal\.de"/)
    assert.doesNotMatch(res.body, /\/applications"/, 'no form to start')
  })

  it('keeps offline entries out of the applications API catalogue, which lists what can be submitted', async () => {
    const res = await get('/api/v1/services?q=Personalausweis')
    assert.equal(res.json().total, 0)
  })
})

describe('the offline services file', () => {
  const serviceIds = loadServiceDefinitions(servicesDir, offices).map(s => s.definition.id)

  it('accepts the shipped entries', () => {
    assert.deepEqual(checkOfflineText(shipped, 'services/_offline.yaml', offices, serviceIds).problems, [])
  })

  it('names the file, the path and the line of a missing English text', () => {
    const broken = shipped.replace(
      'title: { de: Reisepass beantragen, en: Apply for a passport }',
      'title: { de: Reisepass beantragen }',
    )
    const { problems } = checkOfflineText(broken, 'services/_offline.yaml', offices, serviceIds)
    const line = broken.split('\n').findIndex(l => l.includes('title: { de: Reisepass beantragen }')) + 1
    assert.ok(
      problems.some(p => p === `services/_offline.yaml: /1/title (line ${line}): missing property "en"`),
      problems.join('\n'),
    )
  })

  it('refuses an unknown office and an id an online service has', () => {
    const broken = shipped
      .replace('office: standesamt', 'office: atlantis')
      .replace('id: geburtsurkunde', 'id: meldebescheinigung')
    const { problems } = checkOfflineText(broken, 'services/_offline.yaml', offices, serviceIds)
    assert.ok(
      problems.some(p => /^services\/_offline\.yaml: \/2\/office \(line \d+\): unknown office "atlantis"/.test(p)),
      problems.join('\n'),
    )
    assert.ok(
      problems.some(p =>
        /^services\/_offline\.yaml: \/3\/id \(line \d+\): "meldebescheinigung" is already used/.test(p),
      ),
      problems.join('\n'),
    )
  })

  it('stops loading a directory whose offline file is wrong', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-offline-'))
    fs.writeFileSync(path.join(dir, '_offline.yaml'), shipped.replace('howTo:', 'howto:'))
    assert.throws(
      () => loadOfflineEntries(dir, offices, []),
      (e: unknown) =>
        e instanceof DefinitionError &&
        /services\/_offline\.yaml: \/0 \(line \d+\): unknown property "howto"/.test(e.message),
    )
  })
})
