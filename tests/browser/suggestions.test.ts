import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, BrowserContext } from 'playwright-core'
import { TestBrowser, type TestPlatform } from '../support/test-platform.js'
import { submitCase } from '../support/casework.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { assertAccessible, newNoScriptContext, startBrowserSuite, stopBrowserSuite } from './support.js'

let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const PASSWORD = 'Vorschlag-Browser-2026'

before(async () => {
  ;({ platform, browser, baseUrl } = await startBrowserSuite())
})
after(async () => {
  await stopBrowserSuite({ platform, browser }, audited)
})

/** A person registered, confirmed and with a move-in with children, all over HTTP; the browser starts at the sign-in. */
async function personWhoMovedInWithChildren(email: string) {
  const http = new TestBrowser(platform)
  await http.get('/register')
  await http.post('/register', {
    kind: 'citizen',
    email,
    password: PASSWORD,
    passwordConfirm: PASSWORD,
    givenName: 'Paula',
    familyName: 'Plan',
  })
  const mail = await platform.database.db
    .selectFrom('mail_outbox')
    .select('body_text')
    .where('recipient', '=', email)
    .executeTakeFirstOrThrow()
  const link = /http:\/\/127\.0\.0\.1:\d+(\/verify-email\?token=[A-Za-z0-9_-]+)/.exec(mail.body_text)?.[1]
  assert.ok(link, mail.body_text)
  assert.equal((await http.get(link)).statusCode, 303)
  await http.get('/login')
  assert.equal((await http.post('/login', { email, password: PASSWORD })).statusCode, 303)
  await submitCase(platform, http, 'wohnsitz-anmeldung', { childrenMovingIn: 'yes' })
}

describe('suggestions on "Meine Anträge" in the browser', () => {
  for (const mode of [
    { locale: 'de', javaScript: true },
    { locale: 'en', javaScript: false },
  ] as const) {
    it(`switches them on, shows why, dismisses one and switches them off, accessibly (${mode.locale}, JavaScript ${mode.javaScript ? 'on' : 'off'})`, async () => {
      const t = translator(mode.locale)
      const email = `paula.plan.${mode.locale}.${Date.now()}@example.org`
      await personWhoMovedInWithChildren(email)
      const context: BrowserContext = mode.javaScript ? await browser.newContext() : await newNoScriptContext(browser)
      await context.addCookies([{ name: 'bauhaus_lang', value: mode.locale, url: baseUrl }])
      const page = await context.newPage()
      await page.goto(`${baseUrl}/login?return=/account/applications`)
      await page.locator('#email').fill(email)
      await page.locator('#password').fill(PASSWORD)
      await page.getByRole('button', { name: t.text('accounts.login.submit') }).click()
      await page.waitForLoadState()
      assert.match(page.url(), /\/account\/applications/)
      const section = page.locator('#suggestions')
      assert.equal(await section.getByRole('heading', { level: 2 }).textContent(), t.text('suggestions.section.title'))
      await assertAccessible(page, audited)

      await section.getByRole('button', { name: t.text('suggestions.offer.switchOn') }).click()
      await page.waitForLoadState()
      const cards = section.locator('article.kern-card')
      assert.equal(await cards.count(), 2)
      const school = mode.locale === 'de' ? 'Kind an einer Schule anmelden' : 'Register a child at a school'
      const reason = await cards.filter({ hasText: school }).locator('p.kern-body').textContent()
      assert.match(reason ?? '', mode.locale === 'de' ? /^Weil Sie am .* \(Az\. DO-/ : /^Because you .* \(ref\. DO-/)
      await assertAccessible(page, audited)

      await cards
        .filter({ hasText: school })
        .getByRole('button', { name: new RegExp(`${t.text('suggestions.item.dismiss')}.*${school}`) })
        .click()
      await page.waitForLoadState()
      assert.equal(await cards.count(), 1)
      assert.equal(await cards.filter({ hasText: school }).count(), 0)
      await assertAccessible(page, audited)

      // The start button leads to the way to apply (an offline service: its page says how and where).
      await cards.first().getByRole('link').click()
      await page.waitForLoadState()
      assert.match(page.url(), /\/services\/kita-anmeldung$/)
      await assertAccessible(page, audited)
      await page.goBack()

      await page.goto(`${baseUrl}/account/applications`)
      await section.getByRole('button', { name: t.text('suggestions.section.switchOff') }).click()
      await page.waitForLoadState()
      assert.equal(await cards.count(), 0)
      assert.equal(await section.getByRole('button', { name: t.text('suggestions.offer.switchOn') }).count(), 1)
      await context.close()
    })
  }
})
