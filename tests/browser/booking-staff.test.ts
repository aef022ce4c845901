import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, BrowserContext } from 'playwright-core'
import type { TestPlatform } from '../support/test-platform.js'
import { DEMO_COUNTER, demoStaffEmail } from '../../src/seed.js'
import { cityInstant, reserve } from '../../src/modules/booking/index.js'
import { addDays, dayInCity, isWorkingDay } from '../../src/platform/calendar/index.js'
import { assertAccessible, newNoScriptContext, signInStaff, startBrowserSuite, stopBrowserSuite } from './support.js'

let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const RESOURCE = 'buergerbuero-mitte'

before(async () => {
  ;({ platform, browser, baseUrl } = await startBrowserSuite())
})
after(async () => {
  await stopBrowserSuite({ platform, browser }, audited)
})

function openDay(ahead: number): string {
  let day = addDays(dayInCity(platform.clock.now()), ahead)
  while (!isWorkingDay(day) || ![1, 2, 4].includes(new Date(`${day}T12:00:00Z`).getUTCDay())) day = addDays(day, 1)
  return day
}

async function book(day: string, minute: number, name: string) {
  return (
    await reserve(
      platform.database.db,
      platform.app.resources,
      {
        resourceId: RESOURCE,
        purpose: 'appointment',
        start: cityInstant(day, minute)!,
        minutes: 20,
        concern: 'reisepass',
        person: { name, email: 'browser.person@example.org' },
      },
      platform.clock.now(),
    )
  ).booking
}

async function contextFor(javaScript: boolean, phone: boolean): Promise<BrowserContext> {
  const options = phone ? { viewport: { width: 390, height: 844 } } : { viewport: { width: 1280, height: 900 } }
  return javaScript ? browser.newContext(options) : newNoScriptContext(browser, options)
}

describe('the staff calendar in the browser', () => {
  for (const mode of [
    { javaScript: true, phone: false, ahead: 2 },
    { javaScript: false, phone: true, ahead: 9 },
  ]) {
    it(`shows the week, moves an appointment and blocks a time, accessibly (JavaScript ${mode.javaScript ? 'on' : 'off'}, ${mode.phone ? 'phone' : 'desktop'})`, async () => {
      const day = openDay(mode.ahead)
      const booking = await book(day, 9 * 60, `Browser Berta ${mode.ahead}`)
      const context = await contextFor(mode.javaScript, mode.phone)
      const page = await context.newPage()
      await page.goto(`${baseUrl}/backoffice/login`)
      await signInStaff(page, demoStaffEmail('buergerdienste', 'caseworker'))
      await page.goto(`${baseUrl}/backoffice/termine?resource=${RESOURCE}&view=week&day=${day}`)
      await assertAccessible(page, audited)
      assert.match((await page.content()) ?? '', new RegExp(`Browser Berta ${mode.ahead}`))
      if (mode.phone) {
        // The week stays one column of tables: nothing wider than the screen but the tables' own scroll boxes.
        const width = await page.evaluate(() => document.documentElement.scrollWidth)
        assert.ok(width <= 390, `page ${width}px wide`)
      }

      await page.getByRole('link', { name: booking.reference }).first().click()
      await page.waitForLoadState()
      await assertAccessible(page, audited)
      // A wrong time: the message at the field, the typed text kept.
      await page.locator('#time').fill('07:00')
      await page.getByRole('button', { name: 'Verlegen und benachrichtigen' }).click()
      await page.waitForLoadState()
      await assertAccessible(page, audited)
      assert.match((await page.locator('.error-summary').textContent()) ?? '', /Öffnungszeiten/)
      await page.locator('#time').fill('10:30')
      await page.locator('#note').fill('Bitte entschuldigen Sie.')
      await page.getByRole('button', { name: 'Verlegen und benachrichtigen' }).click()
      await page.waitForLoadState()
      assert.match(page.url(), /notice=moved/)
      await assertAccessible(page, audited)

      await page.goto(`${baseUrl}/backoffice/termine/sperren?resource=${RESOURCE}&day=${day}`)
      await assertAccessible(page, audited)
      await page.locator('#from').fill('10:00')
      await page.locator('#to').fill('11:00')
      await page.locator('#reason').fill('Schulung')
      await page.getByRole('button', { name: 'Zeit sperren' }).click()
      await page.waitForLoadState()
      await assertAccessible(page, audited)
      assert.match((await page.content()) ?? '', new RegExp(booking.reference), 'the moved booking is in the way')
      await page.locator('#from').fill('11:00')
      await page.locator('#to').fill('12:00')
      await page.getByRole('button', { name: 'Zeit sperren' }).click()
      await page.waitForLoadState()
      assert.match(page.url(), /notice=blocked/)
      await assertAccessible(page, audited)

      await page.goto(`${baseUrl}/backoffice/termine/kalender-abos`)
      await assertAccessible(page, audited)
      await page.locator('#label').fill(`Abo ${mode.ahead}`)
      await page.getByRole('button', { name: 'Abo anlegen' }).click()
      await page.waitForLoadState()
      await assertAccessible(page, audited)
      assert.match((await page.content()) ?? '', /\/kalender\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{43}\.ics/)
      await context.close()
    })
  }

  it('lets the counter check a person in from today’s list, without JavaScript, on a phone', async () => {
    // The clock goes to an open day's morning, so "today" has appointments whatever day the test runs.
    const day = openDay(12)
    const expected = await book(day, 10 * 60, 'Counter Carla')
    platform.clock.advance(cityInstant(day, 9 * 60)!.getTime() - platform.clock.now().getTime())
    const context = await contextFor(false, true)
    const page = await context.newPage()
    await page.goto(`${baseUrl}/backoffice/login`)
    await signInStaff(page, DEMO_COUNTER)
    await page.goto(`${baseUrl}/backoffice/termine/heute?resource=${RESOURCE}`)
    await assertAccessible(page, audited)
    assert.match((await page.content()) ?? '', /Counter Carla/)
    await page.getByRole('button', { name: `${expected.reference} anmelden` }).click()
    await page.waitForLoadState()
    assert.match(page.url(), /notice=checked_in/)
    await assertAccessible(page, audited)
    assert.match((await page.content()) ?? '', /angemeldet/)
    await context.close()
  })
})
