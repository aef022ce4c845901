import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { DEMO_PASSWORD, type TestPlatform } from '../support/test-platform.js'
import { citizenBrowser, staffBrowser, submitCase } from '../support/casework.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { buildJobRegistry } from '../../src/jobs.js'
import { RETENTION_JOB } from '../../src/modules/retention/index.js'
import type { JobLogger } from '../../src/platform/jobs/index.js'
import { DEMO_ADMIN } from '../../src/seed.js'
import { assertAccessible, startBrowserSuite, stopBrowserSuite } from './support.js'

let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const de = translator('de')
const en = translator('en')
const silent: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined }

before(async () => ({ platform, browser, baseUrl } = await startBrowserSuite()))
after(() => stopBrowserSuite({ platform, browser }, audited))

async function click(page: Page, name: string) {
  await page.getByRole('button', { name }).first().click()
  await page.waitForLoadState()
  await assertAccessible(page, audited)
}

/** Two closed munitions checks (a service kept for the archive), ten years and a few days later: both offered. */
async function offerTwoCases() {
  const cases = []
  for (let i = 0; i < 2; i++) {
    const made = await submitCase(platform, await citizenBrowser(platform), 'kampfmittel-luftbildauswertung')
    const staff = await staffBrowser(platform, 'ordnungsamt')
    for (const transitionId of ['start', 'approve']) {
      const page = await staff.get(`/backoffice/cases/${made.caseId}`)
      const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? ''
      const res = await staff.post(`/backoffice/cases/${made.caseId}/transitions`, { transitionId, version })
      assert.equal(res.statusCode, 303)
    }
    cases.push(made)
  }
  platform.clock.advance((10 * 366 + 5) * 86_400_000)
  const db = platform.database.db
  const job = buildJobRegistry({ db, config: platform.config, services: platform.app.services, log: silent })
  await job.handlers.get(RETENTION_JOB)!({}, { db, log: silent, attempt: 1, jobId: 1, clock: platform.clock })
  return cases
}

describe('Aussonderung and the records of processing in Chromium, axe on every state of the pages', () => {
  it('a platform admin takes one case over, releases the other, carries out the transfer; then reads the register', async () => {
    const [taken, released] = await offerTwoCases()
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${baseUrl}/backoffice/login`)
    await page.locator('#email').fill(DEMO_ADMIN)
    await page.locator('#password').fill(DEMO_PASSWORD)
    await click(page, de.text('staff.login.submit'))
    await page.goto(`${baseUrl}/backoffice/admin/archive`)
    await assertAccessible(page, audited)
    assert.match(await page.locator('main').innerText(), new RegExp(taken!.reference))

    await click(page, de.text('retention.archive.takeOverCase', { reference: taken!.reference }))
    assert.match(await page.locator('body').innerText(), new RegExp(de.text('retention.archive.notice.decided')))
    await click(page, de.text('retention.archive.releaseCase', { reference: released!.reference }))
    await click(page, de.text('retention.archive.transfer'))
    const after = await page.locator('body').innerText()
    assert.match(after, new RegExp(de.text('retention.archive.offers.empty')))
    assert.match(after, /_Aussonderung\.Aussonderung\.0503\.zip/)

    await page.goto(`${baseUrl}/language/en?return=/backoffice/admin/data-protection`)
    await page.waitForLoadState()
    await assertAccessible(page, audited)
    assert.match(await page.locator('h1').innerText(), new RegExp(en.text('retention.register.title')))
    assert.match(await page.locator('main').innerText(), /archive-transfer/)
    await context.close()
  })
})
