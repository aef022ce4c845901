import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import type { Browser, BrowserContext } from 'playwright-core'
import { DEMO_PASSWORD, type TestPlatform } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { demoStaffEmail } from '../../src/seed.js'
import { assertAccessible, openAudited, startBrowserSuite, stopBrowserSuite } from './support.js'

let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-reports-'))
const photoPath = path.join(tmp, 'laterne.jpg')
const de = translator('de')
const en = translator('en')

before(async () => {
  // Tiles from this server (they 404): the test never reaches out to a tile server.
  ;({ platform, browser, baseUrl } = await startBrowserSuite({
    mapTileUrl: '/assets/test-tiles/{z}/{x}/{y}.png',
    mapAttribution: '© Testkarte',
  }))
  fs.writeFileSync(
    photoPath,
    await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#ccaa44' } })
      .jpeg()
      .withExif({ IFD0: { Make: 'TestPhone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
      .toBuffer(),
  )
})
after(() => stopBrowserSuite({ platform, browser }, audited, 'report pages'))

const open = (context: BrowserContext, url: string) => openAudited(context, `${baseUrl}${url}`, audited)

describe('defect reporting in Chromium, axe on every page, German and English', () => {
  let reference = ''

  it('a citizen reports a street light with a click on the map and a photo; the category is suggested while typing', async () => {
    const citizen = await browser.newContext()
    const start = await open(citizen, '/maengel')
    await start
      .getByRole('link', { name: de.text('reports.start.report') })
      .first()
      .click()
    await start.waitForLoadState()
    await assertAccessible(start, audited)

    // Nothing filled in: the error page.
    await start.getByRole('button', { name: de.text('reports.form.submit') }).click()
    await start.waitForLoadState()
    assert.match(await start.title(), /^Fehler:/)
    await assertAccessible(start, audited)

    await start.locator('#description').fill('Die Straßenlaterne vor dem Rathaus ist dunkel und flackert nachts.')
    await start.waitForFunction(
      () => (document.getElementById('category') as HTMLSelectElement).value === 'street-light',
      null,
      { timeout: 10_000 },
    )
    assert.match((await start.locator('#suggestion').textContent()) ?? '', /Straßenbeleuchtung/)
    const map = start.locator('#report-map')
    assert.ok(await map.isVisible(), 'the map is shown with JavaScript')
    await map.click()
    const lat = Number(await start.locator('#lat').inputValue())
    const lon = Number(await start.locator('#lon').inputValue())
    assert.ok(
      lat > 51.41 && lat < 51.6 && lon > 7.3 && lon < 7.64,
      `a click on the map fills the place: ${lat}, ${lon}`,
    )
    await start.locator('#photos').setInputFiles(photoPath)
    await start.locator('#contactEmail').fill('leuchte@example.org')
    await start.getByRole('button', { name: de.text('reports.form.submit') }).click()
    await start.waitForLoadState()
    await assertAccessible(start, audited)
    reference = /DO-\d{4}-\d{6}/.exec((await start.locator('main').textContent()) ?? '')?.[0] ?? ''
    assert.ok(reference, 'the confirmation names the reference')

    await start.getByRole('link', { name: de.text('reports.thanks.view') }).click()
    await start.waitForLoadState()
    await assertAccessible(start, audited)
    const list = await open(citizen, '/maengel/karte')
    assert.ok((await list.locator('#reports-list').textContent())?.includes(reference))
    await list.waitForSelector('#reports-map .leaflet-marker-icon')
  })

  it('every report page passes axe in English too', async () => {
    const english = await browser.newContext()
    const page = await english.newPage()
    await page.goto(`${baseUrl}/language/en?return=/maengel`)
    await assertAccessible(page, audited)
    for (const url of [
      '/maengel/melden',
      '/maengel/karte?status=closed',
      `/maengel/${reference}`,
      `/maengel/danke/${reference}?kanal=email`,
    ]) {
      await page.goto(`${baseUrl}${url}`)
      await assertAccessible(page, audited)
    }
    await page.goto(`${baseUrl}/maengel/melden`)
    await page.locator('#lat').fill('abc')
    await page.getByRole('button', { name: en.text('reports.form.submit') }).click()
    await page.waitForLoadState()
    assert.match(await page.title(), /^Error:|Fehler:/)
    assert.match((await page.locator('.error-summary').textContent()) ?? '', /latitude must be a number/)
    assert.equal(await page.locator('#lat').inputValue(), 'abc')
    await assertAccessible(page, audited)
  })

  it("the caseworker marks it fixed, and the reporter's e-mail says so in /dev/mail", async () => {
    const office = await browser.newContext()
    const staff = await open(office, '/backoffice/login')
    await staff.locator('#email').fill(demoStaffEmail('tiefbauamt', 'caseworker'))
    await staff.locator('#password').fill(DEMO_PASSWORD)
    await staff.getByRole('button', { name: de.text('staff.login.submit') }).click()
    await staff.waitForLoadState()
    await staff.getByRole('link', { name: reference }).click()
    await staff.waitForLoadState()
    await assertAccessible(staff, audited)
    assert.match((await staff.locator('#report').textContent()) ?? '', /Straßenbeleuchtung/)
    await staff.getByRole('button', { name: 'Als erledigt melden' }).click()
    await staff.waitForLoadState()
    await assertAccessible(staff, audited)

    const mail = await open(await browser.newContext(), '/dev/mail')
    // Newest first: the status message, after the receipt.
    await mail
      .locator('tr', { hasText: 'leuchte@example.org' })
      .first()
      .getByRole('link', { name: new RegExp(reference) })
      .click()
    await mail.waitForLoadState()
    assert.match(
      (await mail.locator('main').textContent()) ?? '',
      /leuchte@example\.org[\s\S]*behoben|behoben[\s\S]*leuchte@example\.org/,
    )
    const list = await open(await browser.newContext(), '/maengel/karte?status=closed')
    assert.ok((await list.locator('#reports-list').textContent())?.includes(reference), 'listed as recently fixed')
  })
})
