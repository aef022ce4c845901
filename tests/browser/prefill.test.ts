import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { samplePdf, samplePng, DEMO_PASSWORD, TestBrowser, type TestPlatform } from '../support/test-platform.js'
import { demoStaffEmail } from '../../src/seed.js'
import { submitCase } from '../support/casework.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { assertAccessible, fillFormPage, startBrowserSuite, stopBrowserSuite } from './support.js'
import type { Answers } from '../../src/modules/forms/index.js'

let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-prefill-'))
const files = { pdf: path.join(tmp, 'fahrzeugschein.pdf'), png: path.join(tmp, 'foto.png') }
fs.writeFileSync(files.pdf, samplePdf)
fs.writeFileSync(files.png, samplePng)

before(async () => ({ platform, browser, baseUrl } = await startBrowserSuite()))
after(() => stopBrowserSuite({ platform, browser }, audited))

describe('taking details from a text in the browser', () => {
  for (const locale of ['de', 'en'] as const) {
    it(`opens the section, detects, ticks one proposal and applies it, accessibly (${locale})`, async () => {
      const t = translator(locale)
      const context = await browser.newContext()
      await context.addCookies([{ name: 'bauhaus_lang', value: locale, url: baseUrl }])
      const page = await context.newPage()
      const definition = platform.app.services.get('bewohnerparkausweis')
      await page.goto(`${baseUrl}/services/bewohnerparkausweis`)
      await page.getByRole('button', { name: t.text('catalogue.service.start') }).click()
      await page.waitForLoadState()
      const answers: Answers = {}
      await fillFormPage(page, definition.form.pages[0]!, answers, files)
      await page.getByRole('button', { name: /^(Weiter|Continue)$/ }).click()
      await page.waitForLoadState()
      assert.match(page.url(), /\/pages\/vehicle$/)
      await assertAccessible(page, audited)

      // Collapsed until opened; then paste, detect.
      const text = page.getByLabel(t.text('applications.prefill.text'), { exact: false }).first()
      assert.equal(await text.isVisible(), false)
      await page.getByText(t.text('applications.prefill.title')).click()
      await text.fill('Mein Auto DO-AB 1234 steht in der Kaiserstraße 12, 44135 Dortmund; Beginn 01.03.2027')
      await page.getByRole('button', { name: t.text('applications.prefill.detect') }).click()
      await page.waitForLoadState()
      await assertAccessible(page, audited)
      const boxes = page.locator('input[name="_prefillApply"]')
      assert.equal(await boxes.count(), 2)
      assert.equal(await page.locator('#licencePlate').inputValue(), '')

      await page.getByLabel(/DO-AB 1234/).check()
      await page.getByRole('button', { name: t.text('applications.prefill.apply') }).click()
      await page.waitForLoadState()
      await assertAccessible(page, audited)
      assert.equal(await page.locator('#licencePlate').inputValue(), 'DO-AB 1234')
      assert.equal(await page.locator('#validFrom').inputValue(), '')
      await context.close()
    })
  }

  it('shows the caseworker the details found in free-text answers, accessibly', async () => {
    const { caseId } = await submitCase(platform, new TestBrowser(platform), 'hundesteuer-anmeldung', {
      previousKeeper: 'Frau Muster, Kaiserstraße 12, 44135 Dortmund, Tel. 0231 1234567',
    })
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${baseUrl}/backoffice/login`)
    await page.locator('#email').fill(demoStaffEmail('stadtkasse-steueramt', 'caseworker'))
    await page.locator('#password').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: translator('de').text('staff.login.submit') }).click()
    await page.waitForLoadState()
    await page.goto(`${baseUrl}/backoffice/cases/${caseId}`)
    await page.getByText(/Erkannte Angaben \(2\)/).click()
    assert.equal(await page.locator('#detected-facts mark').count(), 2)
    await assertAccessible(page, audited)
    await context.close()
  })
})
