import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { TestPlatform } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { demoStaffEmail } from '../../src/seed.js'
import { cityInstant, reserve, type NewBooking } from '../../src/modules/booking/index.js'
import { addDays, dayInCity, isWorkingDay } from '../../src/platform/calendar/index.js'
import {
  assertAccessible,
  newNoScriptContext,
  openAudited,
  signInStaff,
  startBrowserSuite,
  stopBrowserSuite,
} from './support.js'

/**
 * A video consultation between two Chromium pages with fake camera and microphone: the person waits, the caseworker
 * lets them in, the browsers connect by WebRTC over this machine's addresses, chat, hang up; axe on every page.
 */
let platform: TestPlatform
let browser: Browser
let baseUrl = ''
let booking: NewBooking
const audited = new Set<string>()
const de = translator('de')

before(async () => {
  ;({ platform, browser, baseUrl } = await startBrowserSuite(
    {},
    {
      chromiumArgs: [
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        // Host candidates with real addresses instead of mDNS names, which a machine without mDNS cannot resolve.
        '--disable-features=WebRtcHideLocalIpsWithMdns',
      ],
    },
  ))
  let day = addDays(dayInCity(platform.clock.now()), 1)
  while (!isWorkingDay(day) || ![1, 2, 4].includes(new Date(`${day}T12:00:00Z`).getUTCDay())) day = addDays(day, 1)
  const start = cityInstant(day, 10 * 60)!
  booking = await reserve(
    platform.database.db,
    platform.app.resources,
    {
      resourceId: 'video-wohnen',
      purpose: 'video',
      start,
      minutes: 30,
      concern: 'wohngeld-beratung',
      person: { name: 'Ida Video', email: 'ida@example.org' },
    },
    platform.clock.now(),
  )
  platform.clock.advance(start.getTime() - 5 * 60_000 - platform.clock.now().getTime())
})
after(() => stopBrowserSuite({ platform, browser }, audited, 'video pages'))

const personPath = () => `/video/${booking.booking.id}?k=${booking.manageToken}`
const call = (page: Page) => page.locator('#video-call')

async function waitForAttribute(page: Page, name: string, value: string) {
  await page.waitForFunction(
    ([attribute, expected]) => document.getElementById('video-call')?.getAttribute(attribute!) === expected,
    [name, value],
    { timeout: 20_000 },
  )
}

describe('a video consultation in Chromium', () => {
  let office: BrowserContext
  let home: BrowserContext

  it('connects the person and the caseworker by WebRTC, carries a chat line and ends with the hang-up', async () => {
    office = await browser.newContext()
    const staff = await openAudited(office, `${baseUrl}/backoffice/login`, audited)
    await signInStaff(staff, demoStaffEmail('amt-fuer-wohnen', 'caseworker'))
    await staff.goto(`${baseUrl}/backoffice/video`)
    await assertAccessible(staff, audited)
    await staff.getByRole('link', { name: booking.booking.reference }).click()
    await staff.waitForLoadState()
    await waitForAttribute(staff, 'data-stream', 'ready')
    await assertAccessible(staff, audited)

    home = await browser.newContext()
    const person = await openAudited(home, `${baseUrl}${personPath()}`, audited)
    await waitForAttribute(person, 'data-stream', 'ready')
    assert.equal(await call(person).isVisible(), true, 'the script reveals the call')
    await staff.locator('#video-status', { hasText: de.text('video.script.staff.personWaiting') }).waitFor()
    await assertAccessible(person, audited)

    // Letting in is a form; the script sends it without leaving the page, then offers the connection.
    await staff.getByRole('button', { name: de.text('video.staff.admit') }).click()
    await waitForAttribute(staff, 'data-connection', 'connected')
    await waitForAttribute(person, 'data-connection', 'connected')
    for (const page of [staff, person]) {
      await page.waitForFunction(() => {
        const remote = document.getElementById('video-remote') as HTMLVideoElement | null
        const stream = remote?.srcObject as MediaStream | null
        return !!stream && stream.getVideoTracks().length > 0 && stream.getAudioTracks().length > 0
      })
    }
    await person.locator('#video-status', { hasText: de.text('video.script.person.connected') }).waitFor()

    // The controls are buttons with names and a pressed state, usable by keyboard.
    await person.locator('#video-mute').focus()
    await person.keyboard.press('Enter')
    assert.equal(await person.locator('#video-mute').getAttribute('aria-pressed'), 'true')
    assert.equal(
      await person.evaluate(() => (document.getElementById('video-local') as HTMLVideoElement).srcObject !== null),
      true,
    )
    await person.locator('#video-status', { hasText: de.text('video.script.person.muted') }).waitFor()

    await person.locator('#video-chat-input').fill('Guten Tag, hören Sie mich?')
    await person.locator('#video-chat-input').press('Enter')
    await staff.locator('#video-chat-log p', { hasText: 'Guten Tag, hören Sie mich?' }).waitFor()
    await person.locator('#video-chat-log p', { hasText: 'Guten Tag, hören Sie mich?' }).waitFor()
    await staff.locator('#video-chat-input').fill('Ja, sehr gut.')
    await staff.getByRole('button', { name: de.text('video.chat.send') }).click()
    await person.locator('#video-chat-log p', { hasText: 'Ja, sehr gut.' }).waitFor()
    await assertAccessible(person, audited)
    await assertAccessible(staff, audited)

    await staff.getByRole('button', { name: de.text('video.call.hangUp') }).click()
    await waitForAttribute(staff, 'data-connection', 'closed')
    await waitForAttribute(person, 'data-connection', 'closed')
    await person.locator('#video-status', { hasText: de.text('video.script.person.endedByOther') }).waitFor()
    const state = await platform.database.db
      .selectFrom('video_calls')
      .select(['state', 'ended_by'])
      .where('booking_id', '=', booking.booking.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(state, { state: 'ended', ended_by: 'staff' })
    await office.close()
    await home.close()
  })

  it('tells a person without JavaScript what the call needs and how to reach the office, beside the booking', async () => {
    const context = await newNoScriptContext(browser)
    const page = await openAudited(context, `${baseUrl}${personPath()}`, audited)
    assert.match((await page.locator('main').textContent()) ?? '', /Für das Videogespräch brauchen Sie JavaScript/)
    assert.match((await page.locator('main').textContent()) ?? '', new RegExp(booking.booking.reference))
    assert.equal(await call(page).isVisible(), false)
    await context.close()
  })
})
