import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { unzipSync } from 'fflate'
import type { Browser, BrowserContext } from 'playwright-core'
import { TestBrowser, type TestPlatform } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { startJobWorker, type JobWorker } from '../../src/platform/jobs/index.js'
import { buildJobRegistry } from '../../src/jobs.js'
import { assertAccessible, newNoScriptContext, startBrowserSuite, stopBrowserSuite } from './support.js'

let platform: TestPlatform
let browser: Browser
let baseUrl = ''
let worker: JobWorker
const audited = new Set<string>()
const silent = { info() {}, warn() {}, error() {} }
const PASSWORD = 'Meine-Daten-Browser-2026'

before(async () => {
  ;({ platform, browser, baseUrl } = await startBrowserSuite())
  const db = platform.database.db
  worker = await startJobWorker(
    db,
    buildJobRegistry({ db, config: platform.config, services: platform.app.services, log: silent }),
    { log: silent, polling: false, clock: platform.clock },
  )
})
after(async () => {
  await worker?.stop()
  await stopBrowserSuite({ platform, browser }, audited)
})

/** A person registered and confirmed over HTTP, so the browser starts at the sign-in. */
async function registeredPerson(email: string) {
  const http = new TestBrowser(platform)
  await http.get('/register')
  await http.post('/register', {
    kind: 'citizen',
    email,
    password: PASSWORD,
    passwordConfirm: PASSWORD,
    givenName: 'Bea',
    familyName: 'Browser',
  })
  const mail = await platform.database.db
    .selectFrom('mail_outbox')
    .select('body_text')
    .where('recipient', '=', email)
    .executeTakeFirstOrThrow()
  const link = /http:\/\/127\.0\.0\.1:\d+(\/verify-email\?token=[A-Za-z0-9_-]+)/.exec(mail.body_text)?.[1]
  assert.ok(link, mail.body_text)
  assert.equal((await http.get(link)).statusCode, 303)
}

describe('"Meine Daten" in the browser', () => {
  for (const mode of [
    { locale: 'de', javaScript: true },
    { locale: 'en', javaScript: false },
  ] as const) {
    it(`requests the export, downloads the ZIP and deletes the account, accessibly (${mode.locale}, JavaScript ${mode.javaScript ? 'on' : 'off'})`, async () => {
      const t = translator(mode.locale)
      const email = `bea.browser.${mode.locale}.${Date.now()}@example.org`
      await registeredPerson(email)
      const context: BrowserContext = mode.javaScript
        ? await browser.newContext({ acceptDownloads: true })
        : await newNoScriptContext(browser, { acceptDownloads: true })
      await context.addCookies([{ name: 'bauhaus_lang', value: mode.locale, url: baseUrl }])
      const page = await context.newPage()
      await page.goto(`${baseUrl}/login?return=/account/profile`)
      await page.locator('#email').fill(email)
      await page.locator('#password').fill(PASSWORD)
      await page.getByRole('button', { name: t.text('accounts.login.submit') }).click()
      await page.waitForLoadState()
      await page.getByRole('link', { name: t.text('accounts.profile.myData') }).click()
      await page.waitForLoadState()
      assert.match(page.url(), /\/account\/privacy$/)
      await assertAccessible(page, audited)

      // The export: requested, prepared by the job, shown ready (by the script, or after a reload without it).
      await page.getByRole('button', { name: t.text('privacy.export.request') }).click()
      await page.waitForLoadState()
      assert.match(page.url(), /\/account\/privacy\/exports\/[0-9a-f-]{36}$/)
      await page.getByText(t.text('privacy.progress.queued')).waitFor()
      await assertAccessible(page, audited)
      assert.ok((await worker.runDueJobs()) >= 1)
      if (mode.javaScript) {
        await page.locator('[data-export-status="ready"]').waitFor({ timeout: 15_000 })
      } else {
        await page.getByRole('link', { name: t.text('privacy.progress.refresh') }).click()
        await page.waitForLoadState()
      }
      await page.getByText(t.text('privacy.progress.ready')).waitFor()
      await assertAccessible(page, audited)
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: t.text('privacy.export.download') }).click(),
      ])
      assert.match(download.suggestedFilename(), /^meine-daten-\d{4}-\d{2}-\d{2}\.zip$/)
      const zip = unzipSync(new Uint8Array(fs.readFileSync(await download.path())))
      const account = JSON.parse(new TextDecoder().decode(zip['account.json']))
      assert.equal(account.profile.email, email)
      assert.ok(zip['summary.pdf'], 'with the readable summary')

      // A consent withdrawn on the same page.
      await page.goto(`${baseUrl}/account/privacy`)
      await page.getByRole('button', { name: new RegExp(t.text('privacy.consents.withdraw')) }).click()
      await page.waitForLoadState()
      await page.getByText(t.text('privacy.notice.withdrawn')).waitFor()
      await assertAccessible(page, audited)

      // Deleting the account: the explanation, a forgotten password, then the real one.
      await page.getByRole('link', { name: t.text('privacy.delete.link') }).click()
      await page.waitForLoadState()
      await assertAccessible(page, audited)
      await page.getByRole('button', { name: t.text('privacy.delete.submit') }).click()
      await page.waitForLoadState()
      await page.getByRole('link', { name: t.text('privacy.errors.passwordMissing') }).waitFor()
      await assertAccessible(page, audited)
      await page.locator('#password').fill(PASSWORD)
      await page.getByRole('button', { name: t.text('privacy.delete.submit') }).click()
      await page.waitForLoadState()
      assert.match(page.url(), /\/account\/deleted$/)
      await page.getByRole('heading', { name: t.text('privacy.deleted.title') }).waitFor()
      await assertAccessible(page, audited)
      const gone = await platform.database.db
        .selectFrom('accounts')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirst()
      assert.equal(gone, undefined)
      await context.close()
    })
  }
})
