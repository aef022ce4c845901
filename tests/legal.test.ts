import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { loadCityConfig } from '../src/modules/legal/index.js'
import { formatDate, translator } from '../src/platform/i18n/i18n.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

const db = () => platform.database.db
const cityFile = path.resolve('config/city.yaml')

async function feedbackMails() {
  return db()
    .selectFrom('mail_outbox')
    .select(['recipient', 'subject', 'body_text'])
    .where('recipient', '=', 'barrierefreiheit@stadtdo.de')
    .execute()
}

describe('the legal pages', () => {
  it('shows the Impressum with the city, its representation and supervision, without an empty VAT id', async () => {
    for (const [locale, texts] of [
      [
        'de',
        [
          'Stadt Dortmund',
          'Friedensplatz 1',
          '44135 Dortmund',
          'Oberbürgermeister',
          'Bezirksregierung Arnsberg',
          '§ 5',
        ],
      ],
      ['en', ['City of Dortmund', 'Friedensplatz 1', 'Lord Mayor', 'section 5']],
    ] as const) {
      const res = await new TestBrowser(platform, locale).get('/impressum')
      assert.equal(res.statusCode, 200)
      assert.match(res.body, new RegExp(`<html lang="${locale}"`))
      for (const text of texts) assert.ok(res.body.includes(text), `${locale}: ${text}`)
      assert.ok(!res.body.includes(translator(locale).text('legal.imprint.vatId', { vatId: '' }).slice(0, 20)))
    }
  })

  it('shows the privacy policy with the officer, the supervisory authority and the rights, in both languages', async () => {
    const de = await new TestBrowser(platform, 'de').get('/datenschutz')
    assert.equal(de.statusCode, 200)
    for (const text of ['Datenschutzerklärung', 'datenschutz@stadtdo.de', 'Kavalleriestraße 2-4', 'Art. 15 DSGVO'])
      assert.ok(de.body.includes(text), text)
    const en = await new TestBrowser(platform, 'en').get('/datenschutz')
    for (const text of ['Privacy policy', 'State Commissioner for Data Protection', 'Art. 15 GDPR'])
      assert.ok(en.body.includes(text), text)
  })

  it('states conformity, known barriers, the date, the feedback route and the enforcement body', async () => {
    const de = await new TestBrowser(platform, 'de').get('/barrierefreiheit')
    assert.equal(de.statusCode, 200)
    for (const text of [
      'teilweise vereinbar',
      'Karte des Mängelmelders',
      '1. Dezember 2026',
      'barrierefreiheit@stadtdo.de',
      'Ombudsstelle für barrierefreie Informationstechnik',
      'action="/barrierefreiheit"',
    ])
      assert.ok(de.body.includes(text), text)
    const en = await new TestBrowser(platform, 'en').get('/barrierefreiheit')
    for (const text of ['partially compliant', formatDate('2026-12-01', 'en'), 'Enforcement procedure'])
      assert.ok(en.body.includes(text), text)
  })

  it('links all three from the footer of every kind of page', async () => {
    for (const url of ['/', '/kontakt', '/maengel/melden', '/backoffice/login', '/gibt-es-nicht']) {
      const res = await new TestBrowser(platform).get(url)
      for (const href of ['/impressum', '/datenschutz', '/barrierefreiheit'])
        assert.match(res.body, new RegExp(`<footer[\\s\\S]*href="${href}"`), `${url} links ${href}`)
    }
  })
})

describe('accessibility feedback', () => {
  it('mails the responsible office in German and confirms it to the visitor', async () => {
    const browser = new TestBrowser(platform, 'en')
    await browser.get('/barrierefreiheit')
    const res = await browser.post('/barrierefreiheit', {
      message: 'The map cannot be used with a keyboard.',
      page: '/maengel/melden',
      email: 'feedback-sender@example.org',
    })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/barrierefreiheit/gesendet')
    const thanks = await browser.follow(res)
    assert.ok(thanks.body.includes(translator('en').text('legal.feedback.sent')))
    const mail = (await feedbackMails()).find(m => m.body_text.includes('The map cannot be used with a keyboard.'))
    assert.ok(mail, 'queued to the office the statement names')
    assert.equal(mail.subject, 'Rückmeldung zur Barrierefreiheit')
    assert.match(mail.body_text, /Betroffene Seite: \/maengel\/melden/)
    assert.match(mail.body_text, /Antwort an: feedback-sender@example\.org/)
  })

  it('refuses an empty message and a malformed address with 400 at the fields, keeping what was typed', async () => {
    const browser = new TestBrowser(platform, 'de')
    await browser.get('/barrierefreiheit')
    const before = (await feedbackMails()).length
    const res = await browser.post('/barrierefreiheit', { message: '  ', page: 'Startseite-Probe', email: 'kein-at' })
    assert.equal(res.statusCode, 400)
    assert.ok(res.body.includes(translator('de').text('legal.feedback.errors.messageMissing')))
    assert.ok(res.body.includes('href="#email"'), 'the summary links to the e-mail field')
    assert.ok(res.body.includes('value="Startseite-Probe"'))
    assert.ok(res.body.includes('value="kein-at"'))
    const tooLong = await browser.post('/barrierefreiheit', { message: 'x'.repeat(5001) })
    assert.equal(tooLong.statusCode, 400)
    assert.match(tooLong.body, /höchstens 5000 Zeichen/)
    assert.equal((await feedbackMails()).length, before, 'nothing sent')
  })

  it('refuses a post without the CSRF token', async () => {
    const res = await new TestBrowser(platform).post('/barrierefreiheit', { message: 'x' }, { csrf: false })
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, String(res.statusCode))
  })
})

describe('the city file', () => {
  const writeCity = (mutate: (text: string) => string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-city-'))
    const file = path.join(dir, 'city.yaml')
    fs.writeFileSync(file, mutate(fs.readFileSync(cityFile, 'utf8')))
    return file
  }

  it('loads the shipped Dortmund file', () => {
    const city = loadCityConfig(cityFile)
    assert.equal(city.name.de, 'Stadt Dortmund')
    assert.equal(city.imprint.vatId, '')
  })

  it('names the file and the path of a missing translation and of a wrong value', () => {
    const file = writeCity(text =>
      text
        .replace('    en: The City of Dortmund is represented by the Lord Mayor (Oberbürgermeister).\n', '')
        .replace('conformity: partial', 'conformity: mostly'),
    )
    assert.throws(
      () => loadCityConfig(file),
      (error: Error) =>
        error.message.includes(`${file}: /imprint/representedBy/en`) &&
        error.message.includes(`${file}: /accessibility/conformity`),
    )
  })

  it('names the file of a YAML syntax error or a missing file', () => {
    const broken = writeCity(text => `${text}\n  : [`)
    assert.throws(
      () => loadCityConfig(broken),
      (error: Error) => error.message.includes(`${broken}: YAML syntax error`),
    )
    assert.throws(() => loadCityConfig('/nonexistent/city.yaml'), /\/nonexistent\/city\.yaml: cannot be read/)
  })

  it('stops the start when the city file is broken', async () => {
    const file = writeCity(text => text.replace("statementDate: '2026-12-01'", "statementDate: 'bald'"))
    await assert.rejects(startTestPlatform({ cityConfigFile: file }), /accessibility\/statementDate/)
  })
})
