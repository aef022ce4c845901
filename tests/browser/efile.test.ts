import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { DEMO_PASSWORD, type TestPlatform } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { demoStaffEmail } from '../../src/seed.js'
import { assertAccessible, signInStaff, startBrowserSuite, stopBrowserSuite } from './support.js'
import { citizenBrowser, submitCase } from '../support/casework.js'

let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const de = translator('de')

before(async () => ({ platform, browser, baseUrl } = await startBrowserSuite()))
after(() => stopBrowserSuite({ platform, browser }, audited))

async function submit(page: Page, name: string) {
  await page.getByRole('button', { name }).first().click()
  await page.waitForLoadState()
  await assertAccessible(page, audited)
}

describe('the case file in Chromium, axe on every page', () => {
  it('a caseworker opens the file from the case, searches it, edits a note and meets a concurrent edit', async () => {
    const { caseId, reference } = await submitCase(platform, await citizenBrowser(platform), 'hundesteuer-anmeldung', {
      dangerousDog: 'section3',
    })
    const office = await browser.newContext()
    const page = await office.newPage()
    await page.goto(`${baseUrl}/backoffice/login`)
    await page.locator('#email').fill(demoStaffEmail('stadtkasse-steueramt', 'caseworker'))
    await page.locator('#password').fill(DEMO_PASSWORD)
    await submit(page, de.text('staff.login.submit'))
    await page.goto(`${baseUrl}/backoffice/cases/${caseId}`)
    await page.locator('#note').fill('Halter telefonisch erreicht.')
    await submit(page, de.text('cases.case.addNote'))

    await page.getByRole('link', { name: de.text('efile.link.open'), exact: true }).click()
    await page.waitForLoadState()
    await assertAccessible(page, audited)
    assert.match(await page.locator('h1').innerText(), new RegExp(reference))

    await page.locator('#q').fill('telefonisch')
    await submit(page, de.text('efile.search.submit'))
    assert.equal(await page.locator('.efile-snippet mark').first().innerText(), 'telefonisch')

    await page
      .getByRole('link', { name: de.text('efile.note.editLink', { title: de.text('efile.kind.note') }) })
      .click()
    await page.waitForLoadState()
    await assertAccessible(page, audited)
    // The team lead saves a version meanwhile, in another browser.
    const other = await browser.newContext()
    const otherPage = await other.newPage()
    await otherPage.goto(`${baseUrl}/backoffice/login`)
    await signInStaff(otherPage, demoStaffEmail('stadtkasse-steueramt', 'team_lead'))
    await otherPage.goto(page.url())
    await otherPage.locator('#text').fill('Halter telefonisch erreicht, Nachweis folgt.')
    await otherPage.getByRole('button', { name: de.text('efile.note.save') }).click()
    await otherPage.waitForLoadState()

    await page.locator('#text').fill('Halter nicht erreicht.')
    await submit(page, de.text('efile.note.save'))
    assert.match(await page.locator('.efile-theirs').innerText(), /Nachweis folgt/)
    assert.equal(await page.locator('#text').inputValue(), 'Halter nicht erreicht.')
    await submit(page, de.text('efile.note.saveAnyway'))
    assert.match(page.url(), /\/file#doc-/)
    await page.getByText(/Frühere Versionen \(2\)/).click()
    await assertAccessible(page, audited)
    await other.close()
    await office.close()
  })
})
