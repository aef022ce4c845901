import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, BrowserContext } from 'playwright-core'
import type { TestPlatform } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { demoStaffEmail } from '../../src/seed.js'
import { assertAccessible, openAudited, signInStaff, startBrowserSuite, stopBrowserSuite } from './support.js'

let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const de = translator('de')
const en = translator('en')

before(async () => ({ platform, browser, baseUrl } = await startBrowserSuite()))
after(() => stopBrowserSuite({ platform, browser }, audited, 'contact pages'))

const open = (context: BrowserContext, url: string) => openAudited(context, `${baseUrl}${url}`, audited)

describe('the contact form in Chromium, axe on every page, German and English', () => {
  it('a visitor asks a vague question without JavaScript trouble; the fallback office forwards it', async () => {
    const visitor = await browser.newContext()
    const home = await open(visitor, '/')
    await home.getByRole('link', { name: de.text('contact.nav') }).click()
    await home.waitForLoadState()
    assert.match(new URL(home.url()).pathname, /^\/kontakt$/)
    await assertAccessible(home, audited)

    // Nothing typed: the error state.
    await home.getByRole('button', { name: de.text('contact.form.submit') }).click()
    await home.waitForLoadState()
    assert.match(await home.title(), /^Fehler:/)
    await assertAccessible(home, audited)

    await home.locator('#question').fill('Hallo, ich habe eine Frage')
    await home.locator('#email').fill('frage@example.org')
    await home.getByRole('button', { name: de.text('contact.form.submit') }).click()
    await home.waitForLoadState()
    assert.match(home.url(), /\/kontakt\/gesendet\//)
    await assertAccessible(home, audited)
    // The script solved the proof-of-work challenge before the form went: its solution is used up.
    assert.ok(
      (await platform.database.db.selectFrom('pow_solutions_used').select('signature').execute()).length > 0,
      'the form was sent with a solved challenge',
    )
    const reference = (await home.locator('.case-reference').textContent())!.trim()
    assert.match(reference, /^DO-\d{4}-\d{6}$/)

    const office = await browser.newContext()
    const staff = await open(office, '/backoffice/login')
    await signInStaff(staff, demoStaffEmail('buergerdienste', 'caseworker'))
    await staff.getByRole('link', { name: reference }).click()
    await staff.waitForLoadState()
    await assertAccessible(staff, audited)
    assert.match((await staff.locator('#contact').textContent()) ?? '', /Bitte zuordnen/)
    await staff.locator('#contactOffice').selectOption('ordnungsamt')
    await staff.getByRole('button', { name: de.text('contact.case.forward'), exact: true }).click()
    await staff.waitForLoadState()
    assert.match(new URL(staff.url()).pathname, /^\/backoffice$/)
    const row = await platform.database.db
      .selectFrom('cases')
      .select('office_id')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow()
    assert.equal(row.office_id, 'ordnungsamt')
    await visitor.close()
    await office.close()
  })

  it('passes axe in English too, with the error state', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${baseUrl}/language/en?return=/kontakt`)
    await page.waitForLoadState()
    await assertAccessible(page, audited)
    assert.equal(await page.locator('h1').textContent(), en.text('contact.form.title'))
    await page.locator('#question').fill('x'.repeat(5001))
    await page.getByRole('button', { name: en.text('contact.form.submit') }).click()
    await page.waitForLoadState()
    assert.match(await page.title(), /^Error:/)
    await assertAccessible(page, audited)
    await context.close()
  })
})
