import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { DEMO_PASSWORD, type TestPlatform } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { DEMO_ADMIN } from '../../src/seed.js'
import { assertAccessible, startBrowserSuite, stopBrowserSuite } from './support.js'

let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const de = translator('de')
const en = translator('en')

before(async () => ({ platform, browser, baseUrl } = await startBrowserSuite()))
after(() => stopBrowserSuite({ platform, browser }, audited))

async function click(page: Page, name: string) {
  await page.getByRole('button', { name }).first().click()
  await page.waitForLoadState()
  await assertAccessible(page, audited)
}

describe('Open311 API keys in Chromium, axe on every state of the page', () => {
  it('a platform admin creates a key (shown once), meets a form error, revokes the key; in German and English', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${baseUrl}/backoffice/login`)
    await page.locator('#email').fill(DEMO_ADMIN)
    await page.locator('#password').fill(DEMO_PASSWORD)
    await click(page, de.text('staff.login.submit'))
    await page.goto(`${baseUrl}/backoffice/admin/api-keys`)
    await assertAccessible(page, audited)

    await click(page, de.text('staff.admin.apiKeys.create.submit'))
    assert.match(
      await page.locator('.error-summary').innerText(),
      new RegExp(de.text('staff.admin.apiKeys.create.error.nameMissing').slice(0, 20)),
    )

    await page.locator('#name').fill('Stadtwerke-App')
    await click(page, de.text('staff.admin.apiKeys.create.submit'))
    const key = await page.locator('#new-api-key').inputValue()
    assert.match(key, /^o311_/)

    await page.goto(`${baseUrl}/language/en?return=/backoffice/admin/api-keys`)
    await page.waitForLoadState()
    await assertAccessible(page, audited)
    assert.equal(await page.locator('#new-api-key').count(), 0, 'the key is not shown again')
    await click(page, en.text('staff.admin.apiKeys.revokeKey', { name: 'Stadtwerke-App' }))
    assert.match(
      await page.locator('body').innerText(),
      new RegExp(en.text('staff.admin.apiKeys.notice.revoked').slice(0, 20)),
    )
    await context.close()
  })
})
