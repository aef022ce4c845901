import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { TestPlatform } from '../support/test-platform.js'
import { translator, type Locale } from '../../src/platform/i18n/i18n.js'
import { assertAccessible, newNoScriptContext, startBrowserSuite, stopBrowserSuite } from './support.js'

let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()

before(async () => ({ platform, browser, baseUrl } = await startBrowserSuite()))
after(() => stopBrowserSuite({ platform, browser }, audited, 'SAML sign-in pages'))

async function startAtBundId(context: BrowserContext, locale: Locale): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${baseUrl}/language/${locale}?return=/`)
  await page.goto(`${baseUrl}/login/with/bundid-demo?return=/account/profile`)
  assert.equal(new URL(page.url()).pathname, '/dev/identity/saml/sso')
  assert.equal((await page.locator('h1').textContent())?.trim(), translator(locale).text('identity.samlDemo.title'))
  await assertAccessible(page, audited)
  return page
}

describe('signing in with the demo BundID in Chromium, axe on each page', () => {
  for (const locale of ['de', 'en'] as const) {
    it(`signs Erika in with the online ID card, the answer posted by script (${locale})`, async () => {
      const t = translator(locale)
      const context = await browser.newContext()
      const page = await startAtBundId(context, locale)
      await page.getByLabel(/Erika Mustermann/).check()
      await page.getByLabel(t.text('identity.samlDemo.method.eid')).check()
      await Promise.all([
        page.waitForURL(url => url.pathname === '/account/profile'),
        page.getByRole('button', { name: t.text('identity.samlDemo.signIn'), exact: true }).click(),
      ])
      assert.match(await page.content(), /Mustermann/)
      await assertAccessible(page, audited)
      await context.close()
    })
  }

  it('works without JavaScript: the answer goes back with the visible button', async () => {
    const t = translator('de')
    const context = await newNoScriptContext(browser)
    const page = await startAtBundId(context, 'de')
    await page.getByLabel(/Jonas Beispiel/).check()
    await page.getByLabel(t.text('identity.samlDemo.method.elster')).check()
    await page.getByRole('button', { name: t.text('identity.samlDemo.signIn'), exact: true }).click()
    await page.waitForLoadState()
    assert.equal((await page.locator('h1').textContent())?.trim(), t.text('identity.samlDemo.returnTitle'))
    await assertAccessible(page, audited)
    await page.getByRole('button', { name: t.text('identity.samlDemo.continue') }).click()
    await page.waitForURL(url => url.pathname === '/account/profile')
    assert.match(await page.content(), /Beispiel/)
    await assertAccessible(page, audited)
    // Signing out goes through the demo BundID's logout and back to the start page.
    await page
      .getByRole('button', { name: t.text('layout.nav.logout') })
      .first()
      .click()
    await page.waitForURL(url => url.pathname === '/')
    await page.goto(`${baseUrl}/account/profile`)
    assert.equal(new URL(page.url()).pathname, '/login')
    await context.close()
  })

  it('says so in the person’s language when they cancel at BundID', async () => {
    const t = translator('en')
    const context = await browser.newContext()
    const page = await startAtBundId(context, 'en')
    await Promise.all([
      page.waitForURL(url => url.pathname === '/identity/saml/bundid-demo/acs'),
      page.getByRole('button', { name: t.text('identity.samlDemo.cancel'), exact: true }).click(),
    ])
    assert.equal((await page.locator('h1').textContent())?.trim(), t.text('identity.problem.samlCancelled.title'))
    await assertAccessible(page, audited)
    await context.close()
  })
})
