import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { DEMO_PASSWORD, type TestPlatform } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { DEMO_BUSINESS, DEMO_CITIZEN } from '../../src/seed.js'
import { assertAccessible, newNoScriptContext, openAudited, startBrowserSuite, stopBrowserSuite } from './support.js'

let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const de = translator('de')
const MINUTE = 60_000

before(async () => ({ platform, browser, baseUrl } = await startBrowserSuite()))
after(() => stopBrowserSuite({ platform, browser }, audited, 'session pages'))

const open = (context: BrowserContext, url: string) => openAudited(context, `${baseUrl}${url}`, audited)

async function signIn(page: Page, email: string) {
  await page.locator('#email').fill(email)
  await page.locator('#password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: de.text('accounts.login.submit') }).click()
  await page.waitForLoadState()
}

const streetOf = async (email: string) =>
  (
    await platform.database.db
      .selectFrom('accounts')
      .select('street')
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
  ).street

describe('the end of a session keeps what was typed, in Chromium, axe clean', () => {
  it('with JavaScript: warns before the idle timeout; "stay signed in" keeps the session and the page as typed', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    // The page's timers run on a clock the test moves; the server's clock moves with it below.
    await page.clock.install()
    await page.goto(`${baseUrl}/login`)
    await signIn(page, DEMO_BUSINESS)
    await page.goto(`${baseUrl}/account/profile`)
    await page.locator('#street').fill('Warnweg 1')
    const dialog = page.locator('#session-expiry')
    assert.equal(await dialog.isVisible(), false, 'no warning while there is time')

    await page.clock.fastForward(56 * MINUTE)
    platform.clock.advance(56 * MINUTE)
    await dialog.waitFor({ state: 'visible' })
    assert.match((await dialog.textContent()) ?? '', /Ihre Sitzung endet in 5 Min\./)
    await assertAccessible(page, audited)
    await page.getByRole('button', { name: de.text('session.warning.stay') }).click()
    await dialog.waitFor({ state: 'hidden' })
    assert.equal(await page.locator('#street').inputValue(), 'Warnweg 1', 'the page and what was typed stay')

    // 86 minutes after the page was loaded, the refreshed session still holds.
    platform.clock.advance(30 * MINUTE)
    await page.getByRole('button', { name: de.text('accounts.profile.submit') }).click()
    await page.waitForLoadState()
    assert.match(page.url(), /\/account\/profile\?saved=1$/)
    assert.equal(await streetOf(DEMO_BUSINESS), 'Warnweg 1')

    // Left alone, the warning comes again and then says the session has ended.
    await page.clock.fastForward(61 * MINUTE)
    await dialog.waitFor({ state: 'visible' })
    assert.match((await dialog.textContent()) ?? '', /Ihre Sitzung ist abgelaufen/)
    await assertAccessible(page, audited)
    await page.getByRole('button', { name: de.text('session.warning.close') }).click()
    await dialog.waitFor({ state: 'hidden' })
    await context.close()
  })

  it('without JavaScript: a form sent after the timeout survives signing in again', async () => {
    const context = await newNoScriptContext(browser)
    const page = await open(context, '/login')
    await signIn(page, DEMO_CITIZEN)
    await page.goto(`${baseUrl}/account/profile`)
    await page.locator('#street').fill('Nachmittagsweg 7')
    platform.clock.advance(61 * MINUTE)
    await page.getByRole('button', { name: de.text('accounts.profile.submit') }).click()
    await page.waitForLoadState()
    assert.equal(await page.locator('h1').textContent(), de.text('session.expired.title'))
    await assertAccessible(page, audited)
    assert.notEqual(await streetOf(DEMO_CITIZEN), 'Nachmittagsweg 7', 'nothing saved by the expired session')

    await page.getByRole('link', { name: de.text('session.expired.signIn') }).click()
    await page.waitForLoadState()
    await assertAccessible(page, audited)
    await signIn(page, DEMO_CITIZEN)
    assert.match(new URL(page.url()).pathname, /^\/session\/resume\//)
    assert.equal(await page.locator('h1').textContent(), de.text('session.resume.title'))
    await assertAccessible(page, audited)
    await page.getByRole('button', { name: de.text('session.resume.send') }).click()
    await page.waitForLoadState()
    assert.match(page.url(), /\/account\/profile\?saved=1$/)
    assert.equal(await page.locator('#street').inputValue(), 'Nachmittagsweg 7')
    assert.equal(await streetOf(DEMO_CITIZEN), 'Nachmittagsweg 7')
    await context.close()
  })
})
