import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { samplePdf, type TestPlatform } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { DEMO_BUSINESS, DEMO_CITIZEN, DEMO_PASSWORD, demoStaffEmail } from '../../src/seed.js'
import { assertAccessible, newNoScriptContext, signInStaff, startBrowserSuite, stopBrowserSuite } from './support.js'

let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const proofFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mandates-')), 'geburtsurkunde.pdf')

before(async () => {
  ;({ platform, browser, baseUrl } = await startBrowserSuite())
  fs.writeFileSync(proofFile, samplePdf)
})
after(async () => {
  await stopBrowserSuite({ platform, browser }, audited)
})

async function signIn(page: Page, email: string, locale: 'de' | 'en') {
  await page.goto(`${baseUrl}/login`)
  await page.locator('#email').fill(email)
  await page.locator('#password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: translator(locale).text('accounts.login.submit') }).click()
  await page.waitForLoadState()
}

async function contextFor(locale: 'de' | 'en', javaScript: boolean): Promise<BrowserContext> {
  const context = javaScript ? await browser.newContext() : await newNoScriptContext(browser)
  await context.addCookies([{ name: 'bauhaus_lang', value: locale, url: baseUrl }])
  return context
}

describe('acting on behalf in the browser', () => {
  for (const mode of [
    { locale: 'de', javaScript: true, child: 'Max' },
    { locale: 'en', javaScript: false, child: 'Mia' },
  ] as const) {
    it(`asks for a mandate, has it checked, and applies for the child, accessibly (${mode.locale}, JavaScript ${mode.javaScript ? 'on' : 'off'})`, async () => {
      const t = translator(mode.locale)
      const citizenContext = await contextFor(mode.locale, mode.javaScript)
      const page = await citizenContext.newPage()
      await signIn(page, DEMO_CITIZEN, mode.locale)
      await page.goto(`${baseUrl}/account/mandates`)
      await assertAccessible(page, audited)
      await page.getByRole('link', { name: t.text('mandates.list.add') }).click()
      await page.waitForLoadState()
      await assertAccessible(page, audited)

      // Sent without a proof and with an impossible date: every message, the name kept.
      await page.locator(`#kind-parent`).check()
      await page.locator('#givenName').fill(mode.child)
      await page.locator('#familyName').fill('Mustermann')
      await page.locator('#birthDate').fill('2099-01-01')
      await page.getByRole('button', { name: t.text('mandates.new.submit') }).click()
      await page.waitForLoadState()
      await assertAccessible(page, audited)
      assert.equal(await page.locator('#givenName').inputValue(), mode.child)
      assert.match(
        (await page.locator('.error-summary').textContent()) ?? '',
        new RegExp(t.text('mandates.errors.proofMissing')),
      )

      await page.locator('#birthDate').fill('2016-05-20')
      await page.locator('#proof').setInputFiles(proofFile)
      await page.getByRole('button', { name: t.text('mandates.new.submit') }).click()
      await page.waitForLoadState()
      assert.match(page.url(), /\/account\/mandates\?notice=requested$/)
      await assertAccessible(page, audited)

      // The checking office: its list, the mandate, a rejection without reason, then the approval.
      // The back office in German: signInStaff presses the German button.
      const staffContext = await contextFor('de', mode.javaScript)
      const staff = await staffContext.newPage()
      await staff.goto(`${baseUrl}/backoffice/login`)
      await signInStaff(staff, demoStaffEmail('buergerdienste', 'caseworker'))
      await staff.goto(`${baseUrl}/backoffice/mandates`)
      await assertAccessible(staff, audited)
      await staff
        .locator('section[aria-labelledby="pending-title"]')
        .getByRole('link', { name: 'Erika Mustermann' })
        .click()
      await staff.waitForLoadState()
      await assertAccessible(staff, audited)
      const de = translator('de')
      await staff.getByRole('button', { name: de.text('mandates.office.reject') }).click()
      await staff.waitForLoadState()
      await assertAccessible(staff, audited)
      await staff.getByRole('button', { name: de.text('mandates.office.approve') }).click()
      await staff.waitForLoadState()
      assert.match(staff.url(), /notice=approved/)

      // Applying: for whom, then the form prefilled from the mandate.
      await page.goto(`${baseUrl}/services/meldebescheinigung`)
      await page.getByRole('button', { name: t.text('catalogue.service.start') }).click()
      await page.waitForLoadState()
      await assertAccessible(page, audited)
      await page.getByRole('button', { name: t.text('applications.forWhom.continue') }).click()
      await page.waitForLoadState()
      await assertAccessible(page, audited)
      assert.match(
        (await page.locator('.error-summary').textContent()) ?? '',
        new RegExp(t.text('applications.forWhom.error')),
      )
      await page.getByLabel(`${mode.child} Mustermann`).check()
      await page.getByRole('button', { name: t.text('applications.forWhom.continue') }).click()
      await page.waitForLoadState()
      assert.match(page.url(), /\/applications\/[0-9a-f-]{36}\/pages\//)
      const draftId = /\/applications\/([0-9a-f-]{36})\//.exec(page.url())![1]!
      const draft = await platform.database.db
        .selectFrom('drafts')
        .select(['answers', 'mandate_id'])
        .where('id', '=', draftId)
        .executeTakeFirstOrThrow()
      assert.ok(draft.mandate_id)
      assert.equal((draft.answers as Record<string, unknown>).givenName, mode.child)
      await citizenContext.close()
      await staffContext.close()
    })
  }

  it('lets the company manage its members, accessibly, with and without JavaScript', async () => {
    for (const javaScript of [true, false]) {
      const t = translator('de')
      const context = await contextFor('de', javaScript)
      const page = await context.newPage()
      await signIn(page, DEMO_BUSINESS, 'de')
      await page.goto(`${baseUrl}/account/mandates`)
      await assertAccessible(page, audited)
      await page.getByRole('link', { name: t.text('mandates.company.manage') }).click()
      await page.waitForLoadState()
      await assertAccessible(page, audited)
      await page.locator('#email').fill('kein-at-zeichen')
      await page.getByRole('button', { name: t.text('mandates.members.send') }).click()
      await page.waitForLoadState()
      await assertAccessible(page, audited)
      assert.equal(await page.locator('#email').inputValue(), 'kein-at-zeichen')
      await page.locator('#email').fill(`neu.${javaScript ? 'js' : 'nojs'}@example.org`)
      await page.getByRole('button', { name: t.text('mandates.members.send') }).click()
      await page.waitForLoadState()
      assert.match(page.url(), /notice=invited/)
      await assertAccessible(page, audited)
      await context.close()
    }
  })
})
