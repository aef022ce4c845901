import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { TestPlatform } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { addDays, dayInCity, isWorkingDay } from '../../src/platform/calendar/index.js'
import { DEMO_CLUB_CLERK, DEMO_PASSWORD, demoStaffEmail } from '../../src/seed.js'
import { assertAccessible, newNoScriptContext, signInStaff, startBrowserSuite, stopBrowserSuite } from './support.js'

/** Facility booking in the browser: public week view, booking with errors, the sports office's pages; axe on each. */
let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const HALL = 'sporthalle-brackel'

before(async () => {
  ;({ platform, browser, baseUrl } = await startBrowserSuite())
})
after(async () => {
  await stopBrowserSuite({ platform, browser }, audited)
})

function nextTuesday(): string {
  let day = addDays(dayInCity(platform.clock.now()), 4)
  while (!isWorkingDay(day) || new Date(`${day}T12:00:00Z`).getUTCDay() !== 2) day = addDays(day, 1)
  return day
}

async function contextFor(locale: 'de' | 'en', javaScript: boolean, phone: boolean): Promise<BrowserContext> {
  const options = phone ? { viewport: { width: 390, height: 844 } } : { viewport: { width: 1280, height: 900 } }
  const context = javaScript ? await browser.newContext(options) : await newNoScriptContext(browser, options)
  await context.addCookies([{ name: 'bauhaus_lang', value: locale, url: baseUrl }])
  return context
}

async function signIn(page: Page, email: string, locale: 'de' | 'en') {
  await page.goto(`${baseUrl}/login`)
  await page.locator('#email').fill(email)
  await page.locator('#password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: translator(locale).text('accounts.login.submit') }).click()
  await page.waitForLoadState()
}

describe('facility booking in the browser', () => {
  for (const mode of [
    { locale: 'de', javaScript: true, phone: false, start: '10:00' },
    { locale: 'en', javaScript: false, phone: true, start: '14:00' },
  ] as const) {
    it(`shows the week, books a third for the club after fixing the errors (${mode.locale}, JavaScript ${mode.javaScript ? 'on' : 'off'}, ${mode.phone ? 'phone' : 'desktop'})`, async () => {
      const t = translator(mode.locale)
      const context = await contextFor(mode.locale, mode.javaScript, mode.phone)
      const page = await context.newPage()
      await page.goto(`${baseUrl}/buchung`)
      await assertAccessible(page, audited)
      await page.getByRole('link', { name: /Brackel/ }).click()
      await page.waitForLoadState()
      await assertAccessible(page, audited)
      await page.getByRole('link', { name: t.text('facilities.week.next') }).click()
      await page.waitForLoadState()
      assert.match(page.url(), /week=/)

      await signIn(page, DEMO_CLUB_CLERK, mode.locale)
      await page.goto(`${baseUrl}/account/buchungen/neu?hall=${HALL}`)
      await assertAccessible(page, audited)
      // Sent with nothing chosen: a message per field, the purpose kept.
      await page.locator('#purpose').fill('Volleyball')
      await page.getByRole('button', { name: t.text('facilities.book.submit') }).click()
      await page.waitForLoadState()
      await assertAccessible(page, audited)
      assert.match(
        await page.locator('#error-summary').innerText(),
        new RegExp(t.text('facilities.errors.partsMissing')),
      )
      assert.equal(await page.locator('#purpose').inputValue(), 'Volleyball')

      await page.locator('#parts-a').check()
      await page.locator('#day').fill(nextTuesday())
      await page.locator('#start').selectOption(mode.start)
      await page.locator('#minutes').selectOption('90')
      await page.locator('#owner').selectOption({ label: 'TuS Eving-Lindenhorst 1910 e. V.' })
      await page.getByRole('button', { name: t.text('facilities.book.submit') }).click()
      await page.waitForLoadState()
      assert.match(page.url(), /\/account\/buchungen\?notice=booked/)
      await assertAccessible(page, audited)
      assert.match(await page.content(), /12,00|12\.00/, 'a third for 90 minutes: 24 € × 1.5 ÷ 3')

      await page.goto(`${baseUrl}/account/buchungen/saison`)
      await assertAccessible(page, audited)
      await context.close()
    })
  }

  it('gives the sports office its claims, seasons and plan pages, accessibly', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${baseUrl}/backoffice/login`)
    await signInStaff(page, demoStaffEmail('sport-und-freizeit', 'caseworker'))
    await page.goto(`${baseUrl}/backoffice/buchung`)
    await assertAccessible(page, audited)
    const first = addDays(nextTuesday(), 7)
    await page.locator('#name').fill('Wintersaison')
    await page.locator('#firstDay').fill(first)
    await page.locator('#lastDay').fill(addDays(first, 60))
    await page.locator('#excluded').fill(`${addDays(first, 14)} – ${addDays(first, 20)}`)
    await page.getByRole('button', { name: translator('de').text('facilities.office.createSeason') }).click()
    await page.waitForLoadState()
    await assertAccessible(page, audited)
    await page.getByRole('link', { name: 'Wintersaison' }).click()
    await page.waitForLoadState()
    await assertAccessible(page, audited)
    await context.close()
  })
})
