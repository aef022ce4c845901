import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, BrowserContext } from 'playwright-core'
import type { TestPlatform } from '../support/test-platform.js'
import { DEMO_PASSWORD } from '../support/test-platform.js'
import { setContextAssurance } from '../support/assurance.js'
import { DEMO_CITIZEN } from '../../src/seed.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { assertAccessible, newNoScriptContext, startBrowserSuite, stopBrowserSuite } from './support.js'

/** A service that needs a proof of identity, in Chromium: the service page, the page that asks for it, axe on each. */
let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()

before(async () => ({ platform, browser, baseUrl } = await startBrowserSuite()))
after(() => stopBrowserSuite({ platform, browser }, audited, 'identification pages'))

async function signInCitizen(context: BrowserContext) {
  const page = await context.newPage()
  await page.goto(`${baseUrl}/login`)
  await page.locator('#email').fill(DEMO_CITIZEN)
  await page.locator('#password').fill(DEMO_PASSWORD)
  await page.locator('main form button[type="submit"]').first().click()
  await page.waitForLoadState()
  await page.close()
}

describe('a service that needs a proof of identity, in Chromium', () => {
  for (const javaScript of [true, false])
    for (const locale of ['de', 'en'] as const) {
      it(`leads from the service page to the page that explains it, and a sign-in at the level to the form (${locale}, ${javaScript ? 'with' : 'without'} JavaScript)`, async () => {
        const t = translator(locale)
        const options = { locale: locale === 'de' ? 'de-DE' : 'en-GB' }
        const context = javaScript ? await browser.newContext(options) : await newNoScriptContext(browser, options)
        const page = await context.newPage()
        await page.goto(`${baseUrl}/language/${locale}?return=/services/bauantrag`)
        assert.ok((await page.content()).includes(t.text('catalogue.service.assuranceNeeded.substantial')))
        await assertAccessible(page, audited)
        await page.getByRole('link', { name: t.text('catalogue.service.identifyToApply') }).click()
        await page.waitForLoadState()
        assert.equal(new URL(page.url()).pathname, '/services/bauantrag/identification')
        assert.equal((await page.locator('h1').textContent())?.trim(), t.text('applications.assurance.title'))
        assert.ok((await page.content()).includes(t.text('applications.assurance.noProviderTitle')))
        await assertAccessible(page, audited)

        // Signed in with a password: still the page, now naming the level the session has.
        await signInCitizen(context)
        await page.goto(`${baseUrl}/services/bauantrag/identification`)
        assert.ok(
          (await page.content()).includes(
            t.text('applications.assurance.haveSignedIn', { level: t.text('applications.assurance.level.low') }),
          ),
        )
        await assertAccessible(page, audited)

        // At the level (as BundID gives it): the service page starts the application.
        await setContextAssurance(platform.database.db, context, 'substantial')
        await page.goto(`${baseUrl}/services/bauantrag`)
        await page.getByRole('button', { name: t.text('catalogue.service.start') }).click()
        await page.waitForLoadState()
        assert.match(new URL(page.url()).pathname, /^\/applications\/[0-9a-f-]{36}\/pages\//)
        await context.close()
      })
    }
})
