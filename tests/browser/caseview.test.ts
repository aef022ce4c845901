import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import type { TestPlatform } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { demoStaffEmail } from '../../src/seed.js'
import { assertAccessible, openAudited, signInStaff, startBrowserSuite, stopBrowserSuite } from './support.js'
import { caseVersion, citizenBrowser, staffBrowser, submitCase } from '../support/casework.js'

let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const de = translator('de')

before(async () => ({ platform, browser, baseUrl } = await startBrowserSuite()))
after(() => stopBrowserSuite({ platform, browser }, audited))

/** A parking-permit case in progress with a message and a note: its approval waits for the fee. */
async function caseInProgress() {
  const { caseId } = await submitCase(platform, await citizenBrowser(platform), 'bewohnerparkausweis')
  const staff = await staffBrowser(platform, 'strassenverkehrsamt')
  await staff.post(`/backoffice/cases/${caseId}/transitions`, {
    transitionId: 'start',
    version: await caseVersion(staff, caseId),
  })
  await staff.post(`/backoffice/cases/${caseId}/messages`, {
    subject: 'Fahrzeugschein',
    body: 'Bitte erneut hochladen.',
    version: await caseVersion(staff, caseId),
  })
  await staff.post(`/backoffice/cases/${caseId}/notes`, {
    note: 'Telefonisch erreicht.',
    version: await caseVersion(staff, caseId),
  })
  return caseId
}

/** A context where the page's own scripts never load, so the page is seen as without JavaScript; axe still runs. */
async function withoutPageScripts(viewport?: { width: number; height: number }) {
  const context = await browser.newContext(viewport ? { viewport } : {})
  await context.route('**/assets/*.js', route => route.abort())
  return context
}

const box = (page: Page, selector: string) =>
  page
    .locator(selector)
    .boundingBox()
    .then(b => {
      assert.ok(b, `${selector} is shown`)
      return b
    })

describe('the case view in Chromium, without JavaScript', () => {
  it('reads first: at 1440 px the answers start above the fold with the actions beside them; at 390 px nothing overflows', async () => {
    const caseId = await caseInProgress()
    const context = await withoutPageScripts({ width: 1440, height: 900 })
    const page = await openAudited(context, `${baseUrl}/backoffice/login`, audited)
    await signInStaff(page, demoStaffEmail('strassenverkehrsamt', 'caseworker'))
    await page.goto(`${baseUrl}/backoffice/cases/${caseId}`)
    await assertAccessible(page, audited)

    const answers = await box(page, '#answers-title')
    const actions = await box(page, '#actions-title')
    assert.ok(answers.y < 900, `answers start at ${answers.y} px`)
    assert.ok(actions.x >= answers.x + answers.width, 'the actions stand to the right of the answers')
    assert.ok(Math.abs(actions.y - answers.y) < 100, 'and at the same height')
    const reading = await box(page, '#timeline-title')
    assert.ok(reading.x < actions.x, 'the timeline is in the reading column')

    await page.setViewportSize({ width: 390, height: 844 })
    await page.reload()
    await assertAccessible(page, audited)
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      inner: window.innerWidth,
    }))
    assert.ok(widths.scroll <= widths.inner, `no horizontal scrolling at 390 px (${widths.scroll} > ${widths.inner})`)
    assert.ok(
      (await box(page, '#actions-title')).y > (await box(page, '#timeline-title')).y,
      'the actions follow below',
    )
    await context.close()
  })

  it('offers a step that waits for payment disabled, with the way to the fee notice; posted anyway, it explains instead of failing', async () => {
    const caseId = await caseInProgress()
    const context = await withoutPageScripts()
    const page = await openAudited(context, `${baseUrl}/backoffice/login`, audited)
    await signInStaff(page, demoStaffEmail('strassenverkehrsamt', 'caseworker'))
    await page.goto(`${baseUrl}/backoffice/cases/${caseId}`)
    const approve = page.getByRole('button', { name: 'Ausweis ausstellen' })
    assert.equal(await approve.isDisabled(), true)
    assert.match(
      await page.locator('#fee-blocked-approve').innerText(),
      /Gebühr noch offen – zuerst Gebührenbescheid erstellen/,
    )

    // An old page or a second tab: the refusal shows the case again, with what to do first.
    const version = await page.locator('input[name="version"]').first().inputValue()
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue()
    const refused = await context.request.post(`${baseUrl}/backoffice/cases/${caseId}/transitions`, {
      form: { _csrf: csrf, version, transitionId: 'approve' },
      maxRedirects: 0,
    })
    assert.equal(refused.status(), 409)
    await page.setContent(await refused.text())
    assert.match(await page.locator('#fees-outstanding').innerText(), /„Ausweis ausstellen“ wurde nicht ausgeführt/)

    await page.goto(`${baseUrl}/backoffice/cases/${caseId}`)
    await page
      .locator('#fee-blocked-approve')
      .getByRole('link', { name: de.text('payments.caseFees.issueLink') })
      .click()
    await page.waitForLoadState()
    assert.match(new URL(page.url()).pathname, /\/fee-notice$/)
    await assertAccessible(page, audited)
    await page.getByRole('button', { name: de.text('payments.noticeForm.submit') }).click()
    await page.waitForLoadState()
    assert.match(await page.locator('#fee-blocked-approve').innerText(), /Gebührenbescheid noch nicht bezahlt/)
    await assertAccessible(page, audited)
    await context.close()
  })
})
