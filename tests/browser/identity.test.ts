import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import type { TestPlatform } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { DEMO_ACR } from '../../src/modules/identity/index.js'
import { startOidcTestProvider, type TestOidcProvider } from '../support/oidc-provider.js'
import { assertAccessible, openAudited, startBrowserSuite, stopBrowserSuite } from './support.js'

/**
 * Signing in through identity providers in Chromium: the development demo "Mein Unternehmenskonto" the platform
 * serves itself, and an OpenID provider of its own on another port — every page on the way axe-clean, no CSP breach.
 */
let platform: TestPlatform
let browser: Browser
let baseUrl = ''
let provider: TestOidcProvider
let dir = ''
const audited = new Set<string>()
const de = translator('de')

before(async () => {
  let platformUrl = 'http://127.0.0.1'
  provider = await startOidcTestProvider({
    identities: [
      {
        sub: 'lena',
        label: 'Lena Fischer',
        acr: DEMO_ACR.high,
        claims: {
          given_name: 'Lena',
          family_name: 'Fischer',
          birthdate: '1991-02-03',
          email: 'lena.fischer@oidc.example',
          email_verified: true,
          address: { street_address: 'Goethestraße 5', postal_code: '99423', locality: 'Weimar' },
        },
      },
    ],
    clients: () => [
      {
        client_id: 'bauhaus-browser',
        token_endpoint_auth_method: 'none',
        redirect_uris: [`${platformUrl}/identity/oidc/buergerkonto-test/callback`],
        post_logout_redirect_uris: [`${platformUrl}/`],
      },
    ],
    get assetsOrigin() {
      return platformUrl
    },
  })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-oidc-browser-'))
  const file = path.join(dir, 'identity.yaml')
  fs.writeFileSync(
    file,
    `providers:
  - id: buergerkonto-test
    protocol: oidc
    label: { de: Mit Bürgerkonto (Test) anmelden, en: Sign in with citizen account (test) }
    name: { de: Bürgerkonto (Test), en: Citizen account (test) }
    audience: citizen
    maxAssurance: high
    settings:
      issuer: ${provider.issuer}
      clientId: bauhaus-browser
      acr: { substantial: [${DEMO_ACR.substantial}], high: [${DEMO_ACR.high}] }
`,
  )
  ;({ platform, browser, baseUrl } = await startBrowserSuite({ identityConfigFile: file, identityDemo: true }))
  platformUrl = baseUrl
  provider.rebuild()
})

after(async () => {
  await stopBrowserSuite({ platform, browser }, audited)
  await provider?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('signing in with an identity provider in Chromium', () => {
  it('signs a company in through the demo Mein Unternehmenskonto and out again at the provider', async () => {
    const context = await browser.newContext()
    const page = await openAudited(context, `${baseUrl}/login`, audited)
    await page.getByRole('link', { name: 'Mit Mein Unternehmenskonto (Demo) anmelden' }).click()
    await page.waitForURL(/\/dev\/identity\/oidc\/interaction\//)
    await assertAccessible(page, audited)
    await page.getByLabel(/Musterbau GmbH/).check()
    await page.getByRole('button', { name: de.text('identity.demo.signIn') }).click()
    await page.waitForURL(`${baseUrl}/account/applications`)
    await page.goto(`${baseUrl}/account/profile`)
    await assertAccessible(page, audited)
    assert.match(await page.content(), /Musterbau GmbH/)
    assert.match(await page.content(), /Bestätigt durch Mein Unternehmenskonto \(Demo\)/)
    await page.goto(`${baseUrl}/account/identities`)
    await assertAccessible(page, audited)
    await page
      .getByRole('button', { name: de.text('layout.nav.logout') })
      .first()
      .click()
    await page.waitForURL(/\/dev\/identity\/oidc\/session\/end/)
    await assertAccessible(page, audited)
    await page.getByRole('button', { name: de.text('identity.demo.logoutYes') }).click()
    await page.waitForURL(`${baseUrl}/`)
    await context.close()
  })

  it('signs a person in through an OpenID provider of its own, and shows a clear page for a stale answer', async () => {
    const context = await browser.newContext()
    const page = await openAudited(context, `${baseUrl}/register`, audited)
    await page.getByRole('link', { name: 'Mit Bürgerkonto (Test) anmelden' }).click()
    await page.waitForURL(new RegExp(`^${provider.issuer}/interaction/`))
    await assertAccessible(page, audited)
    await page.getByRole('button', { name: de.text('identity.demo.signIn') }).click()
    await page.waitForURL(`${baseUrl}/account/applications`)
    await page.goto(`${baseUrl}/account/profile`)
    assert.match(await page.content(), /Bestätigt durch Bürgerkonto \(Test\)/)
    await page.goto(`${baseUrl}/identity/oidc/buergerkonto-test/callback?code=x&state=stale`)
    await assertAccessible(page, audited)
    assert.match(await page.content(), /Diese Anmeldung ist nicht mehr gültig/)
    await context.close()
  })
})
