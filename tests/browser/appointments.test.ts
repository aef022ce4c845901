import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { TestPlatform } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { DEMO_CITIZEN } from '../../src/seed.js'
import { DEMO_PASSWORD } from '../support/test-platform.js'
import { assertAccessible, newNoScriptContext, openAudited, startBrowserSuite, stopBrowserSuite } from './support.js'

/** /termine in Chromium: every page through axe, with and without JavaScript, at desktop and phone width. */
let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const de = translator('de')
const en = translator('en')

before(async () => ({ platform, browser, baseUrl } = await startBrowserSuite()))
after(() => stopBrowserSuite({ platform, browser }, audited, 'appointment pages'))

async function click(page: Page, locator: ReturnType<Page['locator']>) {
  await locator.click()
  await page.waitForLoadState()
  await assertAccessible(page, audited)
}

/** Books through every step as a person clicks; returns the confirmation page. */
async function bookThrough(context: BrowserContext, name: string, email: string) {
  const page = await openAudited(context, `${baseUrl}/termine`, audited)
  await click(page, page.locator('a[href*="ort=buergerbuero-hoerde&anliegen=personalausweis"]'))
  assert.match(page.url(), /\/termine\/tage/)
  let freeDay = page.locator('a.appointment-day--free').first()
  if (!(await freeDay.count())) {
    await click(page, page.getByRole('link', { name: de.text('appointments.days.next') }))
    freeDay = page.locator('a.appointment-day--free').first()
  }
  await click(page, freeDay)
  assert.match(page.url(), /\/termine\/zeiten/)
  await click(page, page.locator('.appointment-times__list a').nth(2))
  // Nothing typed: the error state.
  await page.locator('#name').fill('')
  await page.locator('#email').fill('')
  await click(page, page.getByRole('button', { name: de.text('appointments.details.submit') }))
  assert.match(await page.title(), /^Fehler:/)
  await page.locator('#name').fill(name)
  await page.locator('#email').fill(email)
  await click(page, page.getByRole('button', { name: de.text('appointments.details.submit') }))
  assert.match(page.url(), /\/bestaetigt\?token=/)
  return page
}

describe('booking an appointment in Chromium', () => {
  it('books with JavaScript, then manages it: rebook and cancel pages pass axe', async () => {
    const context = await browser.newContext()
    const page = await bookThrough(context, 'Ida Beispiel', 'ida.browser@example.org')
    assert.match((await page.locator('.case-reference').textContent()) ?? '', /^T-/)
    await click(page, page.getByRole('link', { name: de.text('appointments.confirmed.manage') }))
    await click(page, page.getByRole('link', { name: de.text('appointments.manage.rebook') }))
    await click(page, page.locator('a.appointment-day--free').first())
    await click(page, page.locator('.appointment-times__list button').last())
    assert.ok((await page.locator('h1').textContent())?.includes('T-'))
    await click(page, page.getByRole('link', { name: de.text('appointments.manage.cancel') }))
    await click(page, page.getByRole('button', { name: de.text('appointments.cancel.submit') }))
    assert.ok((await page.locator('h1').textContent())?.includes('abgesagt'))
    await context.close()
  })

  it('books without JavaScript at phone width, and the waiting list works as plain forms', async () => {
    const context = await newNoScriptContext(browser, { viewport: { width: 390, height: 844 } })
    await bookThrough(context, 'Nora Ohne', 'nora@example.org')
    const page = await openAudited(
      context,
      `${baseUrl}/termine/warteliste?ort=buergerbuero-mitte&anliegen=reisepass`,
      audited,
    )
    await page.locator('#name').fill('Nora Ohne')
    await page.locator('#email').fill('nora@example.org')
    await click(page, page.getByRole('button', { name: de.text('appointments.waitlist.submit') }))
    assert.equal(await page.locator('h1').textContent(), de.text('appointments.waitlist.joined'))
    await context.close()
  })

  it('shows "Meine Termine" to a signed-in person, in English too', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${baseUrl}/login`)
    await page.locator('#email').fill(DEMO_CITIZEN)
    await page.locator('#password').fill(DEMO_PASSWORD)
    await page.locator('form button[type="submit"]').first().click()
    await page.waitForLoadState()
    await page.goto(`${baseUrl}/language/en?return=/account/termine`)
    await page.waitForLoadState()
    await assertAccessible(page, audited)
    assert.equal(await page.locator('h1').textContent(), en.text('appointments.account.title'))
    await context.close()
  })
})
