import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import type { TestPlatform } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { DEMO_ADMIN, demoStaffEmail } from '../../src/seed.js'
import { assertAccessible, openAudited, signInStaff, startBrowserSuite, stopBrowserSuite } from './support.js'

let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const de = translator('de')

// Demo cases, so the search has results to show.
before(async () => ({ platform, browser, baseUrl } = await startBrowserSuite({ seedDemoCases: true })))
after(() => stopBrowserSuite({ platform, browser }, audited))

describe('back-office start pages and search in Chromium, axe on every page', () => {
  it('lands the platform admin on the administration overview', async () => {
    const context = await browser.newContext()
    const page = await openAudited(context, `${baseUrl}/backoffice/login`, audited)
    await signInStaff(page, DEMO_ADMIN)
    assert.equal(new URL(page.url()).pathname, '/backoffice/admin')
    await assertAccessible(page, audited)
    await context.close()
  })

  it('lets a caseworker search from the inbox, with results and with a query too short', async () => {
    const context = await browser.newContext()
    const page = await openAudited(context, `${baseUrl}/backoffice/login`, audited)
    await signInStaff(page, demoStaffEmail('buergerdienste', 'caseworker'))
    await assertAccessible(page, audited)
    const name = (
      await platform.database.db
        .selectFrom('cases')
        .select('applicant_name')
        .where('office_id', '=', 'buergerdienste')
        .executeTakeFirstOrThrow()
    ).applicant_name
    await page.locator('#q').fill(name)
    await page.getByRole('button', { name: de.text('cases.search.submit') }).click()
    await page.waitForLoadState()
    assert.equal(new URL(page.url()).pathname, '/backoffice/search')
    await assertAccessible(page, audited)
    await page.locator('#q').fill('ab')
    await page.getByRole('button', { name: de.text('cases.search.submit') }).click()
    await page.waitForLoadState()
    assert.equal(await page.locator('.error-summary').count(), 1)
    await assertAccessible(page, audited)
    await context.close()
  })
})
