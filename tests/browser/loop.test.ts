import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { samplePdf, samplePng, DEMO_PASSWORD, type TestPlatform } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { DEMO_ADMIN, DEMO_OFFICE_ADMIN, demoStaffEmail, DEMO_TREASURY } from '../../src/seed.js'
import {
  assertAccessible,
  openAudited,
  fillFormPage,
  fillWholeForm,
  startBrowserSuite,
  stopBrowserSuite,
} from './support.js'
import type { ServiceDefinition } from '../../src/modules/catalogue/index.js'
import { startJobWorker } from '../../src/platform/jobs/index.js'
import { buildJobRegistry } from '../../src/jobs.js'
import { citizenBrowser, submitCase } from '../support/casework.js'

let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-browser-'))
const files = { pdf: path.join(tmp, 'wohnungsgeberbestaetigung.pdf'), png: path.join(tmp, 'foto.png') }
fs.writeFileSync(files.pdf, samplePdf)
fs.writeFileSync(files.png, samplePng)
const de = translator('de')

before(async () => ({ platform, browser, baseUrl } = await startBrowserSuite()))
after(() => stopBrowserSuite({ platform, browser }, audited))

const open = (context: BrowserContext, url: string) => openAudited(context, `${baseUrl}${url}`, audited)

/** Runs the background jobs due now (receipts), as the worker inside `npm start` would. */
async function runJobs() {
  const silent = { info() {}, warn() {}, error() {} }
  const worker = await startJobWorker(
    platform.database.db,
    buildJobRegistry({
      db: platform.database.db,
      config: platform.config,
      services: platform.app.services,
      log: silent,
    }),
    { log: silent, polling: false },
  )
  await worker.runDueJobs()
  await worker.stop()
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
    await mailbox
      .getByRole('link', { name: new RegExp(de.text('accounts.mail.verify.subject')) })
      .first()
      .click()
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
    await search
      .getByRole('link', { name: /Wohnsitz anmelden|Anmeldung/ })
      .first()
      .click()
    await assertAccessible(search, audited)
    await submitAndCheck(search, de.text('catalogue.service.start'))
    const definition = platform.app.services.get('wohnsitz-anmeldung')
    await fillWholeForm(search, definition, files, audited)
    await assertAccessible(search, audited)
    await submitAndCheck(search, de.text('applications.check.submit'))
    const reference = (await search.locator('.case-reference').textContent())?.trim() ?? ''
    assert.match(reference, /^DO-\d{4}-\d{6}$/)

    // The caseworker of the responsible office claims the case and asks for a document.
    const office = await browser.newContext()
    const staffLogin = await open(office, '/backoffice/login')
    await staffLogin.locator('#email').fill(demoStaffEmail('buergerdienste', 'caseworker'))
    await staffLogin.locator('#password').fill(DEMO_PASSWORD)
    await submitAndCheck(staffLogin, de.text('staff.login.submit'))
    await staffLogin.getByRole('link', { name: reference }).click()
    await assertAccessible(staffLogin, audited)
    await submitAndCheck(staffLogin, de.text('cases.case.claim'))
    await submitAndCheck(staffLogin, 'Bearbeitung beginnen')
    await staffLogin.locator('#subject').fill('Bitte Personalausweis nachreichen')
    await staffLogin.locator('#body').fill('Bitte laden Sie eine Kopie Ihres Personalausweises hoch.')
    await staffLogin.locator('#requestsDocuments').check()
    await submitAndCheck(staffLogin, de.text('cases.case.send'))

    // The citizen sees the unread message in the postbox and uploads the document.
    const postbox = await open(citizen, '/account/postbox')
    assert.match((await postbox.locator('header.site-header').textContent()) ?? '', /1 ungelesen/)
    await postbox.getByRole('link', { name: /Personalausweis nachreichen/ }).click()
    await assertAccessible(postbox, audited)
    await postbox.locator('#documents').setInputFiles(files.pdf)
    await submitAndCheck(postbox, de.text('postbox.reply.send'))

    // The caseworker sees the document arrive and approves; the citizen reads the decision.
    await staffLogin.reload()
    await assertAccessible(staffLogin, audited)
    assert.match((await staffLogin.locator('main').textContent()) ?? '', /wohnungsgeberbestaetigung\.pdf/)
    await submitAndCheck(staffLogin, 'Anmeldung erfassen')
    assert.match((await staffLogin.locator('main').textContent()) ?? '', /Anmeldung erfasst/)

    const decision = await open(citizen, '/account/postbox')
    const newest = decision.locator('main a[href^="/account/postbox/"]').first()
    await newest.click()
    await assertAccessible(decision, audited)
    assert.match((await decision.locator('main').textContent()) ?? '', /Anmeldung/)
    const status = await open(citizen, '/account/applications')
    assert.match((await status.locator('main').textContent()) ?? '', /Anmeldung erfasst/)
    await status.getByRole('link', { name: reference }).click()
    await assertAccessible(status, audited)
    await office.close()
    await citizen.close()
  })

  it('works in English too, with the language switch remembered across pages', async () => {
    const context = await browser.newContext()
    const page = await open(context, '/services/hundesteuer-anmeldung')
    await page.getByRole('link', { name: 'English' }).click()
    await assertAccessible(page, audited)
    assert.equal(await page.locator('html').getAttribute('lang'), 'en')
    await submitAndCheck(page, translator('en').text('catalogue.service.start'))
    assert.equal(await page.locator('html').getAttribute('lang'), 'en')
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    await page.waitForLoadState()
    await assertAccessible(page, audited)
    assert.match((await page.locator('.error-summary').textContent()) ?? '', /Please correct the following/)
    // The error summary's links move focus to the field (keyboard users).
    await page.locator('.error-summary a').first().focus()
    await page.keyboard.press('Enter')
    const focusedId = await page.evaluate(() => document.activeElement?.id ?? '')
    assert.ok(focusedId.length > 0, 'a field is focused after following the error link')
    await context.close()
  })

  it('reveals a follow-up question at once with JavaScript, and after "Continue" without it', async () => {
    const definition = platform.app.services.get('hundesteuer-anmeldung')
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser.newContext({ javaScriptEnabled })
      const page = await context.newPage()
      await page.goto(`${baseUrl}/services/hundesteuer-anmeldung`)
      await page.getByRole('button', { name: de.text('catalogue.service.start') }).click()
      await fillWholeFormUntil(page, definition, 'dog')
      const permit = page.locator('[data-field-id="dangerousDogPermit"]')
      await fillFormPage(page, definition.form.pages.find(p => p.id === 'dog')!, {}, files)
      assert.equal(await permit.isVisible(), false)
      await page.locator('[id="dangerousDog-section3"]').check()
      if (javaScriptEnabled) {
        assert.equal(await permit.isVisible(), true, 'shown as soon as the answer changes')
      } else {
        await page.getByRole('button', { name: 'Weiter', exact: true }).click()
        await page.waitForLoadState()
        assert.equal(await permit.isVisible(), true, 'shown after Continue')
        assert.match(
          (await page.locator('main').textContent()) ?? '',
          new RegExp(de.text('forms.moreQuestions').slice(0, 20)),
        )
        assert.equal(await page.locator('.error-summary').count(), 0, 'a question not seen yet is not an error')
      }
      await context.close()
    }
  })
})

describe('paying at submission', () => {
  it('shows the fee, pays in the sandbox (after one failed try) and confirms the case, accessibly', async () => {
    const context = await browser.newContext()
    const page = await open(context, '/login')
    await page.locator('#email').fill('erika.mustermann@example.org')
    await page.locator('#password').fill(DEMO_PASSWORD)
    await submitAndCheck(page, de.text('accounts.login.submit'))
    await page.goto(`${baseUrl}/services/fuehrungszeugnis`)
    await assertAccessible(page, audited)
    assert.match((await page.locator('main').textContent()) ?? '', /13,00\s€/)
    await submitAndCheck(page, de.text('catalogue.service.start'))
    await fillWholeForm(page, platform.app.services.get('fuehrungszeugnis'), files, audited, { feeExemption: 'no' })
    const payButton = /13,00\s€ bezahlen und Antrag absenden/
    await submitAndCheck(page, payButton)
    assert.match(page.url(), /\/payments\/sandbox\//)
    await submitAndCheck(page, de.text('payments.sandbox.fail'))
    assert.match(page.url(), /\/check/)
    await submitAndCheck(page, payButton)
    await page.locator('[id="method-sepa"]').check()
    await submitAndCheck(page, /^13,00\s€ bezahlen$/)
    const reference = (await page.locator('.case-reference').textContent())?.trim() ?? ''
    assert.match(reference, /^DO-\d{4}-\d{6}$/)
    const status = await open(context, '/account/applications')
    await status.getByRole('link', { name: reference }).click()
    await assertAccessible(status, audited)
    assert.match((await status.locator('main').textContent()) ?? '', /13,00\s€/)
    // The receipt job puts the PDF receipt into the postbox.
    await runJobs()
    const postbox = await open(context, '/account/postbox')
    await postbox
      .getByRole('link', { name: /Zahlungsquittung/ })
      .first()
      .click()
    await assertAccessible(postbox, audited)
    const receiptLink = postbox.getByRole('link', { name: /^Zahlungsquittung-BH-.*\.pdf$/ })
    const download = await context.request.get(`${baseUrl}${await receiptLink.getAttribute('href')}`)
    assert.equal(download.headers()['content-type'], 'application/pdf')
    assert.match((await download.body()).subarray(0, 5).toString(), /%PDF-/)
    await context.close()
  })
})

describe('paying later on a fee notice, and refunds', () => {
  it('a caseworker issues a notice, the citizen pays it from the postbox, the caseworker refunds part, accessibly', async () => {
    const citizenContext = await browser.newContext()
    const citizen = await open(citizenContext, '/login')
    await citizen.locator('#email').fill('erika.mustermann@example.org')
    await citizen.locator('#password').fill(DEMO_PASSWORD)
    await submitAndCheck(citizen, de.text('accounts.login.submit'))
    // The application itself is filed over HTTP (its pages are covered above); this test is about the fee.
    const { caseId } = await submitCase(platform, await citizenBrowser(platform), 'bewohnerparkausweis')

    const staffContext = await browser.newContext()
    const staff = await open(staffContext, '/backoffice/login')
    await staff.locator('#email').fill(demoStaffEmail('strassenverkehrsamt', 'caseworker'))
    await staff.locator('#password').fill(DEMO_PASSWORD)
    await submitAndCheck(staff, de.text('staff.login.submit'))
    await staff.goto(`${baseUrl}/backoffice/cases/${caseId}`)
    await staff.getByRole('link', { name: de.text('payments.noticeForm.open') }).click()
    await assertAccessible(staff, audited)
    await staff.locator('#extraAmount').fill('abc')
    await submitAndCheck(staff, de.text('payments.noticeForm.submit'))
    assert.equal(await staff.locator('#extraAmount').inputValue(), 'abc')
    await staff.locator('#extraAmount').fill('')
    await submitAndCheck(staff, de.text('payments.noticeForm.submit'))
    assert.match((await staff.locator('main').textContent()) ?? '', /Gebührenbescheid über 30,70\s€ erlassen/)

    await citizen.goto(`${baseUrl}/account/postbox`)
    await citizen
      .getByRole('link', { name: /Gebührenbescheid: Bewohnerparkausweis/ })
      .first()
      .click()
    await assertAccessible(citizen, audited)
    await citizen.getByRole('link', { name: de.text('payments.notice.payNowLink') }).click()
    await assertAccessible(citizen, audited)
    await submitAndCheck(citizen, /30,70\s€ jetzt online bezahlen/)
    await submitAndCheck(citizen, /^30,70\s€ bezahlen$/)
    assert.match((await citizen.locator('main').textContent()) ?? '', new RegExp(de.text('payments.notice.isPaid')))

    await staff.reload()
    await staff.getByRole('link', { name: de.text('payments.list.refund') }).click()
    await assertAccessible(staff, audited)
    await staff.locator('#amount').fill('10,00')
    await staff.locator('#reason').fill('Ausweis nur für acht Monate benötigt')
    await submitAndCheck(staff, de.text('payments.refundForm.submit'))
    assert.match((await staff.locator('main').textContent()) ?? '', /davon 10,00\s€ erstattet/)
    await staff.getByRole('link', { name: de.text('cases.deadlines.nav') }).click()
    await assertAccessible(staff, audited)
    assert.equal(await staff.locator('h1').textContent(), de.text('cases.deadlines.title'))
    await citizenContext.close()
    await staffContext.close()
  })
})

describe('administration', () => {
  it('shows the staff list with roles waiting for a second admin and the audit log to an office admin, accessibly', async () => {
    // Four eyes: the office admin's own request (waiting) and the platform admin's, which the office admin decides.
    const db = platform.database.db
    const idOf = async (email: string) =>
      (await db.selectFrom('staff').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id
    for (const email of [DEMO_OFFICE_ADMIN, DEMO_ADMIN]) {
      const id = await idOf(email)
      await db
        .insertInto('staff_role_requests')
        .values({
          id: crypto.randomUUID(),
          staff_id: id,
          office_id: 'buergerdienste',
          role: 'caseworker',
          requested_by: id,
        })
        .execute()
    }
    const context = await browser.newContext()
    const page = await open(context, '/backoffice/login')
    await page.locator('#email').fill('admin.buergerdienste@stadt.example')
    await page.locator('#password').fill(DEMO_PASSWORD)
    await submitAndCheck(page, de.text('staff.login.submit'))
    for (const url of ['/backoffice/admin/staff', '/backoffice/admin/audit']) {
      await page.goto(`${baseUrl}${url}`)
      assert.equal(await page.locator('h1').count(), 1)
      await assertAccessible(page, audited)
    }
    await page.goto(`${baseUrl}/backoffice/admin/staff`)
    assert.equal(await page.locator('#role-requests tbody tr').count(), 2)
    await page
      .locator('#role-requests')
      .getByRole('button', { name: de.text('staff.admin.requests.reject') })
      .click()
    await page.waitForLoadState()
    assert.equal(await page.locator('#role-requests tbody tr').count(), 1)
    await assertAccessible(page, audited)
    await db.deleteFrom('staff_role_requests').execute()
    await context.close()
  })

  it('shows background jobs with a failed one to a platform admin, accessibly, and retries it', async () => {
    await platform.database.db
      .insertInto('jobs')
      .values({
        name: 'payments.reconcile',
        status: 'failed',
        attempts: 5,
        finished_at: new Date(),
        last_error: 'Error: payment provider unreachable\n    at reconcilePayments (payments.service.ts:1:1)',
      })
      .execute()
    const context = await browser.newContext()
    const page = await open(context, '/backoffice/login')
    await page.locator('#email').fill('admin@stadt.example')
    await page.locator('#password').fill(DEMO_PASSWORD)
    await submitAndCheck(page, de.text('staff.login.submit'))
    await page.goto(`${baseUrl}/backoffice/admin/jobs`)
    assert.equal(await page.locator('h1').count(), 1)
    await assertAccessible(page, audited)
    await submitAndCheck(page, new RegExp(`^${de.text('staff.admin.jobs.retry')}: payments\\.reconcile`))
    assert.match(
      (await page.locator('main').textContent()) ?? '',
      new RegExp(de.text('staff.admin.jobs.notice.retried')),
    )
    await context.close()
  })
})

describe('the treasury', () => {
  it('shows the payments of all offices, filtered, and the discrepancies, accessibly, in both languages', async () => {
    for (const locale of ['de', 'en'] as const) {
      const context = await browser.newContext()
      await context.addCookies([{ name: 'bauhaus_lang', value: locale, url: baseUrl }])
      const page = await open(context, '/backoffice/login')
      await page.locator('#email').fill(DEMO_TREASURY)
      await page.locator('#password').fill(DEMO_PASSWORD)
      await submitAndCheck(page, translator(locale).text('staff.login.submit'))
      await page
        .getByRole('link', { name: translator(locale).text('treasury.nav') })
        .first()
        .click()
      await page.waitForLoadState()
      await assertAccessible(page, audited)
      await page.locator('#status-paid').check()
      await submitAndCheck(page, translator(locale).text('treasury.filter.apply'))
      assert.match(page.url(), /status=paid/)
      await page.goto(`${baseUrl}/backoffice/treasury/discrepancies`)
      assert.equal(await page.locator('h1').count(), 1)
      await assertAccessible(page, audited)
      await context.close()
    }
  })
})

describe('every other page passes axe', () => {
  it('portal pages, error pages and the counter, in both languages', async () => {
    for (const locale of ['de', 'en'] as const) {
      const context = await browser.newContext()
      await context.addCookies([{ name: 'bauhaus_lang', value: locale, url: baseUrl }])
      for (const url of [
        '/password/forgot',
        '/password/reset?token=invalid',
        '/verify-email/resend',
        '/verify-email?token=invalid',
        '/services?q=Hund',
        '/services?situation=family',
        '/services/gibt-es-nicht',
        '/backoffice/login',
      ]) {
        const page = await open(context, url)
        assert.equal(await page.locator('html').getAttribute('lang'), locale)
        await page.close()
      }
      const citizen = await open(context, '/login')
      await citizen.locator('#email').fill('erika.mustermann@example.org')
      await citizen.locator('#password').fill(DEMO_PASSWORD)
      await submitAndCheck(citizen, translator(locale).text('accounts.login.submit'))
      await citizen.goto(`${baseUrl}/account/profile`)
      await assertAccessible(citizen, audited)
      await citizen.goto(`${baseUrl}/services/hundesteuer-anmeldung`)
      await submitAndCheck(citizen, translator(locale).text('catalogue.service.start'))
      await submitAndCheck(citizen, translator(locale).text('forms.saveForLater'))
      await context.close()
      const office = await browser.newContext()
      await office.addCookies([{ name: 'bauhaus_lang', value: locale, url: baseUrl }])
      const staff = await open(office, '/backoffice/login')
      await staff.locator('#email').fill(demoStaffEmail('stadtkasse-steueramt', 'team_lead'))
      await staff.locator('#password').fill(DEMO_PASSWORD)
      await submitAndCheck(staff, translator(locale).text('staff.login.submit'))
      await staff.goto(`${baseUrl}/backoffice/counter`)
      await assertAccessible(staff, audited)
      await staff.goto(`${baseUrl}/backoffice?overdue=yes`)
      await assertAccessible(staff, audited)
      await office.close()
    }
  })
})

describe('keyboard only', () => {
  it('signs in with Tab, typing and Enter, starting from the skip link', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${baseUrl}/login`)
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), de.text('layout.skipToContent'))
    await page.keyboard.press('Enter')
    // From the main landmark, Tab reaches the e-mail field before anything else that takes input.
    for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.id)) !== 'email'; i++)
      await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'email')
    await page.keyboard.type('erika.mustermann@example.org')
    await page.keyboard.press('Tab')
    await page.keyboard.type(DEMO_PASSWORD)
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/account\/applications/)
    await assertAccessible(page, audited)
    await context.close()
  })
})

/** Fills the pages before `stopAt` with valid answers. */
async function fillWholeFormUntil(page: Page, definition: ServiceDefinition, stopAt: string) {
  for (let step = 0; step < 10 && !page.url().endsWith(`/pages/${stopAt}`); step++) {
    const pageId = new URL(page.url()).pathname.split('/pages/')[1]!
    await fillFormPage(page, definition.form.pages.find(p => p.id === pageId)!, {}, files)
    await page.getByRole('button', { name: 'Weiter', exact: true }).click()
    await page.waitForLoadState()
  }
}
