import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startTestPlatform, samplePdf, samplePng, DEMO_PASSWORD, type TestPlatform } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { demoStaffEmail } from '../../src/seed.js'
import { assertAccessible, fillWholeForm, launchChromium } from './support.js'

let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-browser-'))
const files = { pdf: path.join(tmp, 'wohnungsgeberbestaetigung.pdf'), png: path.join(tmp, 'foto.png') }
fs.writeFileSync(files.pdf, samplePdf)
fs.writeFileSync(files.png, samplePng)
const de = translator('de')

before(async () => {
  // Mail links carry the base URL, so the port is chosen before the platform starts.
  const port = 20000 + (process.pid % 20000)
  baseUrl = `http://127.0.0.1:${port}`
  platform = await startTestPlatform({ baseUrl })
  await platform.app.listen({ port, host: '127.0.0.1' })
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
  await platform?.close()
  process.stdout.write(`# pages checked with axe: ${[...audited].sort().join(', ')}\n`)
})

async function open(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${baseUrl}${url}`)
  await assertAccessible(page, audited)
  return page
}

async function submitAndCheck(page: Page, buttonName: string | RegExp) {
  await page.getByRole('button', { name: buttonName }).first().click()
  await page.waitForLoadState()
  await assertAccessible(page, audited)
}

describe('the whole loop in Chromium, keyboard-usable pages, axe on every page', () => {
  it('a citizen registers, verifies, applies for residence registration with an upload and gets a case number', async () => {
    const citizen = await browser.newContext()
    const email = `lea.beispiel.${Date.now()}@example.org`
    const home = await open(citizen, '/')
    await home.getByRole('link', { name: de.text('layout.nav.register') }).click()
    await assertAccessible(home, audited)
    await home.locator('#givenName').fill('Lea')
    await home.locator('#familyName').fill('Beispiel')
    await home.locator('#email').fill(email)
    await home.locator('#password').fill('ein-langes-Passwort-1')
    await home.locator('#passwordConfirm').fill('ein-langes-Passwort-1')
    await submitAndCheck(home, de.text('accounts.register.submit'))

    const mailbox = await open(citizen, '/dev/mail')
    await mailbox.getByRole('link', { name: new RegExp(de.text('accounts.mail.verify.subject')) }).first().click()
    await assertAccessible(mailbox, audited)
    await mailbox.locator('a[href*="/verify-email?token="]').first().click()
    await mailbox.waitForLoadState()
    await assertAccessible(mailbox, audited)

    const login = await open(citizen, '/login')
    await login.locator('#email').fill(email)
    await login.locator('#password').fill('ein-langes-Passwort-1')
    await submitAndCheck(login, de.text('accounts.login.submit'))

    const search = await open(citizen, '/')
    await search.locator('#q').fill('Ummeldung')
    await submitAndCheck(search, de.text('catalogue.search.submit'))
    await search.getByRole('link', { name: /Wohnsitz anmelden|Anmeldung/ }).first().click()
    await assertAccessible(search, audited)
    await submitAndCheck(search, de.text('catalogue.service.start'))
    const definition = platform.app.services.get('wohnsitz-anmeldung')
    await fillWholeForm(search, definition, files, audited)
    await assertAccessible(search, audited)
    await submitAndCheck(search, de.text('applications.check.submit'))
    const reference = (await search.locator('.case-reference').textContent())?.trim()
    assert.match(reference ?? '', /^DO-\d{4}-\d{6}$/)
    await citizen.close()
  })
})

export { DEMO_PASSWORD, demoStaffEmail }
