import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import type { TestPlatform } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { assertAccessible, newNoScriptContext, openAudited, startBrowserSuite, stopBrowserSuite } from './support.js'

let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()

before(async () => ({ platform, browser, baseUrl } = await startBrowserSuite()))
after(() => stopBrowserSuite({ platform, browser }, audited, 'legal pages'))

describe('the legal pages in Chromium, axe on each, German and English', () => {
  for (const locale of ['de', 'en'] as const) {
    it(`reaches all three from the footer and sends accessibility feedback (${locale})`, async () => {
      const t = translator(locale)
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.goto(`${baseUrl}/language/${locale}?return=/`)
      for (const [key, path, heading] of [
        ['legal.footer.imprint', '/impressum', 'legal.imprint.title'],
        ['legal.footer.privacy', '/datenschutz', 'legal.privacy.title'],
        ['legal.footer.accessibility', '/barrierefreiheit', 'legal.accessibility.title'],
      ] as const) {
        await page
          .locator('footer')
          .getByRole('link', { name: t.text(key), exact: true })
          .click()
        await page.waitForLoadState()
        assert.equal(new URL(page.url()).pathname, path)
        assert.equal((await page.locator('h1').textContent())?.trim(), t.text(heading))
        await assertAccessible(page, audited)
      }

      // Nothing typed: the error state, itself checked with axe.
      await page.getByRole('button', { name: t.text('legal.feedback.submit') }).click()
      await page.waitForLoadState()
      assert.match(await page.title(), locale === 'de' ? /^Fehler:/ : /^Error:/)
      await assertAccessible(page, audited)

      await page.locator('#message').fill(`Der Kontrast der Schaltflächen ist zu schwach (${locale}).`)
      await page.locator('#page').fill('/maengel/melden')
      await page.getByRole('button', { name: t.text('legal.feedback.submit') }).click()
      await page.waitForLoadState()
      assert.equal(new URL(page.url()).pathname, '/barrierefreiheit/gesendet')
      assert.ok((await page.content()).includes(t.text('legal.feedback.sent')))
      await assertAccessible(page, audited)
      await context.close()
    })
  }

  it('shows the legal pages the same without JavaScript', async () => {
    const context = await newNoScriptContext(browser)
    for (const path of ['/impressum', '/datenschutz', '/barrierefreiheit']) {
      const page = await openAudited(context, `${baseUrl}${path}`, audited)
      assert.ok((await page.locator('address').count()) > 0)
    }
    await context.close()
  })
})
