import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, BrowserContext } from 'playwright-core'
import type { TestPlatform } from '../support/test-platform.js'
import { DEMO_PASSWORD } from '../support/test-platform.js'
import { DEMO_CITIZEN } from '../../src/seed.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { assertAccessible, newNoScriptContext, startBrowserSuite, stopBrowserSuite } from './support.js'

/** A service that needs a proof of identity, in Chromium: the service page, the page that asks for it, axe on each. */
let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
/** The demo BundID the platform serves in development (IDENTITY_DEMO), as its sign-in button reads. */
const DEMO_BUNDID = { de: 'Mit BundID (Demo) anmelden', en: 'Sign in with BundID (demo)' }

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
        assert.ok(await page.getByRole('link', { name: DEMO_BUNDID[locale] }).isVisible(), 'the demo BundID is offered')
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

        // Through the demo BundID with the ELSTER certificate (substantial): back at the service, which now starts.
        await page.getByRole('link', { name: DEMO_BUNDID[locale] }).click()
        await page.waitForLoadState()
        await assertAccessible(page, audited)
        await page.getByLabel(/Erika Mustermann/).check()
        await page.getByLabel(t.text('identity.samlDemo.method.elster')).check()
        await page.getByRole('button', { name: t.text('identity.samlDemo.signIn'), exact: true }).click()
        if (!javaScript) {
          await page.waitForLoadState()
          await page.getByRole('button', { name: t.text('identity.samlDemo.continue') }).click()
        }
        await page.waitForURL(url => url.pathname === '/services/bauantrag')
        await page.getByRole('button', { name: t.text('catalogue.service.start') }).click()
        await page.waitForLoadState()
        assert.match(new URL(page.url()).pathname, /^\/applications\/[0-9a-f-]{36}\/pages\//)
        const session = await platform.database.db
          .selectFrom('sessions')
          .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
          .select(['sessions.assurance', 'sessions.identity_provider'])
          .where('accounts.email', '=', DEMO_CITIZEN)
          .orderBy('sessions.created_at', 'desc')
          .executeTakeFirstOrThrow()
        assert.deepEqual(session, { assurance: 'substantial', identity_provider: 'bundid-demo' })
        await context.close()
      })
    }
})
