import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { translator } from '../../src/platform/i18n/i18n.js'
import { assertAccessible, openAudited, startBrowserSuite, stopBrowserSuite, type BrowserSuite } from './support.js'

/**
 * Staff single sign-on in Chromium through the demo directory the platform serves itself (a real oidc-provider at
 * /dev/identity/directory): the button on the sign-in page, the directory's page to pick a person, back in the back
 * office with the roles the groups give; a person in no mapped group gets the refusal page. axe on every page.
 */
let suite: BrowserSuite
const audited = new Set<string>()
const de = translator('de')

before(async () => {
  suite = await startBrowserSuite()
})
after(() => stopBrowserSuite(suite, audited))

async function clickAndWait(page: Page, name: string) {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name }).click()])
  await page.waitForLoadState('load')
}

async function throughDirectory(page: Page, person: string) {
  await Promise.all([
    page.waitForURL(/\/dev\/identity\/directory\/interaction\//),
    page.getByRole('link', { name: 'Mit dem Verzeichnis der Stadt anmelden (Demo)' }).click(),
  ])
  await assertAccessible(page, audited)
  await clickAndWait(page, de.text('staff.directory.demo.signInAs', { name: person }))
}

describe('staff sign-in through the demo directory', () => {
  it('signs a caseworker in with the roles of their groups', async () => {
    const context = await suite.browser.newContext()
    const page = await openAudited(context, `${suite.baseUrl}/backoffice/login`, audited)
    await throughDirectory(page, 'Lena Hoffmann')
    await page.waitForURL(`${suite.baseUrl}/backoffice`)
    await assertAccessible(page, audited)
    assert.match(await page.content(), /Lena Hoffmann/)
    await context.close()
  })

  it('refuses a person in no mapped group with a clear page', async () => {
    const context = await suite.browser.newContext()
    const page = await openAudited(context, `${suite.baseUrl}/backoffice/login`, audited)
    await throughDirectory(page, 'Kai Wagner')
    await page.waitForURL(/\/backoffice\/login\/directory\/callback/)
    await assertAccessible(page, audited)
    assert.match(await page.content(), /Kein Zugang zum Verwaltungsbereich/)
    await context.close()
  })
})
