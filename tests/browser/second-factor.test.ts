import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { generateSync } from 'otplib'
import { DEMO_PASSWORD, startTestPlatform, type TestPlatform } from '../support/test-platform.js'
import { freePort } from '../support/app-process.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { demoStaffEmail } from '../../src/seed.js'
import { assertAccessible, launchChromium, newNoScriptContext, stopBrowserSuite } from './support.js'

/**
 * The staff second factor in Chromium: a team lead (whose role requires one here) enrols an authenticator app at
 * sign-in, signs in with its codes and with a recovery code, then adds a passkey on Chromium's virtual authenticator
 * and signs in with it; without JavaScript the passkey step offers the codes. axe on every page.
 * WebAuthn takes no IP address as relying party, so this platform's BASE_URL says localhost.
 */
let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const de = translator('de')
const teamLead = demoStaffEmail('buergerdienste', 'team_lead')
let secret = ''
let recoveryCodes: string[] = []

before(async () => {
  const port = await freePort()
  baseUrl = `http://localhost:${port}`
  platform = await startTestPlatform({ baseUrl, staffSecondFactorRoles: ['team_lead'] })
  await platform.app.listen({ port, host: '127.0.0.1' })
  browser = await launchChromium()
})
after(() => stopBrowserSuite({ platform, browser }, audited))

/** The code an authenticator app shows now, by the platform's clock; each sign-in moves on a step first. */
function nextCode(): string {
  platform.clock.advance(30_000)
  return generateSync({ secret, epoch: Math.floor(platform.clock.now().getTime() / 1000) })
}

/** Every button here leads to a new page, some only after a passkey ceremony in script: wait for that page. */
async function click(page: Page, name: string) {
  const loaded = page.waitForEvent('load')
  await page.getByRole('button', { name }).first().click()
  await loaded
  await assertAccessible(page, audited)
}

async function passwordStep(context: BrowserContext, page?: Page): Promise<Page> {
  const tab = page ?? (await context.newPage())
  await tab.goto(`${baseUrl}/backoffice/login`)
  await tab.locator('#email').fill(teamLead)
  await tab.locator('#password').fill(DEMO_PASSWORD)
  await click(tab, de.text('staff.login.submit'))
  return tab
}

describe('second factor for staff in Chromium', () => {
  it('enrols an authenticator app right after the password and shows the recovery codes once', async () => {
    const context = await browser.newContext()
    const page = await passwordStep(context)
    assert.equal(new URL(page.url()).pathname, '/backoffice/login/enrol')
    assert.equal(await page.locator('.totp-qr svg').count(), 1)
    secret = (await page.locator('.totp-secret').innerText()).replace(/\s/g, '')
    await page.locator('#code').fill('000000')
    await click(page, de.text('staff.enrol.submit'))
    assert.match(await page.locator('.error-summary').innerText(), /Dieser Code stimmt nicht/)
    await page.locator('#code').fill(nextCode())
    await click(page, de.text('staff.enrol.submit'))
    recoveryCodes = await page.locator('.recovery-codes code').allInnerTexts()
    assert.equal(recoveryCodes.length, 10)
    await page.getByRole('link', { name: de.text('staff.recovery.continue') }).click()
    await page.waitForLoadState()
    assert.equal(new URL(page.url()).pathname, '/backoffice')
    await context.close()
  })

  it('signs in with a code from the app, and with a recovery code', async () => {
    const context = await browser.newContext()
    const page = await passwordStep(context)
    assert.equal(new URL(page.url()).pathname, '/backoffice/login/second-factor')
    await page.locator('#code').fill(nextCode())
    await click(page, de.text('staff.signin.totp.submit'))
    assert.equal(new URL(page.url()).pathname, '/backoffice')
    await context.close()

    const other = await browser.newContext()
    const second = await passwordStep(other)
    await second.locator('#recoveryCode').fill(recoveryCodes[0]!)
    await click(second, de.text('staff.signin.recovery.submit'))
    assert.equal(new URL(second.url()).pathname, '/backoffice')
    await other.close()
  })

  it('adds a passkey on a virtual authenticator and signs in with it', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('WebAuthn.enable')
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    })
    await passwordStep(context, page)
    await page.locator('#code').fill(nextCode())
    await click(page, de.text('staff.signin.totp.submit'))

    await page.goto(`${baseUrl}/backoffice/security`)
    await page.waitForLoadState()
    await assertAccessible(page, audited)
    await page.locator('#passkeyName').fill('Dienstlaptop')
    await click(page, de.text('staff.security.passkeys.add'))
    assert.match(await page.locator('main').innerText(), /Der Passkey ist hinzugefügt/)
    assert.match(await page.locator('main').innerText(), /Dienstlaptop/)

    await click(page, de.text('layout.nav.logout'))
    await passwordStep(context, page)
    assert.equal(new URL(page.url()).pathname, '/backoffice/login/second-factor')
    await click(page, de.text('staff.signin.passkey.submit'))
    assert.equal(new URL(page.url()).pathname, '/backoffice')
    const used = await platform.database.db
      .selectFrom('staff_passkeys')
      .select(['name', 'last_used_at'])
      .executeTakeFirstOrThrow()
    assert.equal(used.name, 'Dienstlaptop')
    assert.ok(used.last_used_at, 'the sign-in used the passkey')
    await context.close()
  })

  it('offers the codes without JavaScript, where a passkey cannot work', async () => {
    const context = await newNoScriptContext(browser)
    const page = await passwordStep(context)
    assert.equal(await page.locator('form[data-passkey]').isVisible(), false)
    assert.match(await page.locator('main').innerText(), /Ein Passkey braucht JavaScript/)
    await page.locator('#code').fill(nextCode())
    await click(page, de.text('staff.signin.totp.submit'))
    assert.equal(new URL(page.url()).pathname, '/backoffice')
    await context.close()
  })
})
