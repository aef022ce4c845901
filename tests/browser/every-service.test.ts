import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import type { ServiceDefinition } from '../../src/modules/catalogue/definition.schema.js'
import { loadOffices, loadServiceDefinitions, requiredAssurance } from '../../src/modules/catalogue/index.js'
import { isConditionMet, type Answers } from '../../src/modules/forms/forms.answers.js'
import { translator, type Locale } from '../../src/platform/i18n/i18n.js'
import { DEMO_BUSINESS, DEMO_CITIZEN, demoStaffEmail } from '../../src/seed.js'
import { DEMO_PASSWORD, samplePdf, samplePng } from '../support/test-platform.js'
import { planWalks, type Walk } from '../support/walks.js'
import { setContextAssurance } from '../support/assurance.js'
import {
  assertAccessible,
  fillField,
  newNoScriptContext,
  signInStaff,
  startBrowserSuite,
  stopBrowserSuite,
  type BrowserSuite,
} from './support.js'

/*
 * Every shipped service, applied for in Chromium the way people do: with JavaScript on and off, as a citizen and at
 * the counter, each walk choosing the answers that reveal the conditional pages and follow-up questions no earlier
 * walk reached (tests/support/walks.ts). Data-driven from services/, so a new service is covered without a new test.
 * On every page the fields shown must be exactly those the server asks for, and axe must find nothing.
 */

// EVERY_SERVICE_ONLY=id,id narrows the run while working on a service; CI runs them all.
const only = (process.env.EVERY_SERVICE_ONLY ?? '').split(',').filter(Boolean)
const definitions = loadServiceDefinitions('services', loadOffices('services'))
  .map(s => s.definition)
  // A service booked on a page of its own (a hall at /buchung) has no form to walk; tests/browser/facilities.test.ts.
  .filter(d => !d.bookedAt)
  .filter(d => !only.length || only.includes(d.id))
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-every-service-'))
const files = { pdf: path.join(tmp, 'nachweis.pdf'), png: path.join(tmp, 'foto.png') }
fs.writeFileSync(files.pdf, samplePdf)
fs.writeFileSync(files.png, samplePng)

let suite: BrowserSuite
const audited = new Set<string>()
before(async () => {
  suite = await startBrowserSuite()
})
after(() => stopBrowserSuite(suite ?? {}, audited, 'pages of every service'))

type Who = 'citizen' | 'counter'
interface Mode {
  who: Who
  javaScript: boolean
  locale: Locale
}
/**
 * Every walk as a citizen with JavaScript (German) and without (English); at the counter every walk once, without
 * JavaScript and with it by turns, so the counter meets both wherever a service has two walks or more.
 */
function modesOf(walkIndex: number): Mode[] {
  return [
    { who: 'citizen', javaScript: true, locale: 'de' },
    { who: 'citizen', javaScript: false, locale: 'en' },
    { who: 'counter', javaScript: walkIndex % 2 === 1, locale: 'de' },
  ]
}

/** Who applies as a citizen: the account the service needs, or nobody where no sign-in is needed. */
function citizenAccountFor(definition: ServiceDefinition): string | null {
  if (!definition.loginRequired) return null
  return definition.audience.includes('citizen') ? DEMO_CITIZEN : DEMO_BUSINESS
}

async function newContext(mode: Mode): Promise<BrowserContext> {
  const options = { locale: mode.locale === 'de' ? 'de-DE' : 'en-GB' }
  const context = mode.javaScript
    ? await suite.browser.newContext(options)
    : await newNoScriptContext(suite.browser, options)
  context.setDefaultTimeout(15_000)
  browsing.set(context, mode.locale)
  return context
}

/**
 * axe on each kind of page once per language: the walks pass the same pages many times, the server sends the same
 * markup with JavaScript on or off, and it does not change with the answers beyond what its title says (an error,
 * more questions). The first walk to reach a page checks it, whichever way it browses.
 */
const checkedPages = new Set<string>()
const browsing = new WeakMap<BrowserContext, string>()
async function audit(page: Page) {
  const key = `${browsing.get(page.context())}|${new URL(page.url()).pathname.replace(/[0-9a-f-]{36}/g, ':id')}|${await page.title()}`
  if (checkedPages.has(key)) return
  checkedPages.add(key)
  await assertAccessible(page, audited)
}

async function goto(page: Page, url: string) {
  await page.goto(`${suite.baseUrl}${url}`)
  await audit(page)
}

async function click(page: Page, locator: ReturnType<Page['locator']>) {
  await locator.click()
  await page.waitForLoadState()
  await audit(page)
}

async function signIn(page: Page, mode: Mode, definition: ServiceDefinition) {
  if (mode.who === 'counter') {
    await goto(page, '/backoffice/login')
    await signInStaff(page, demoStaffEmail(definition.office, 'caseworker'))
    await audit(page)
    return
  }
  const account = citizenAccountFor(definition)
  if (!account) return
  await goto(page, '/login')
  await page.locator('#email').fill(account)
  await page.locator('#password').fill(DEMO_PASSWORD)
  await click(page, page.locator('main form button[type="submit"]').first())
  // The level of assurance the definition asks for, as a provider sign-in (BundID, ELSTER) would give it.
  await setContextAssurance(suite.platform.database.db, page.context(), requiredAssurance(definition))
}

/** Opens the service as its audience finds it and starts the application: on the service page, or at the counter. */
async function start(page: Page, mode: Mode, definition: ServiceDefinition) {
  // Chosen after signing in, every time: sign-in takes the account's last language, which a walk beside this one
  // on the same demo account may just have changed.
  await goto(page, `/language/${mode.locale}?return=/`)
  if (mode.who === 'counter') {
    await goto(page, '/backoffice/counter')
    const form = page.locator(`form[action="/services/${definition.id}/applications"]`)
    assert.equal(await form.count(), 1, `the counter offers ${definition.id} to its office`)
    await click(page, form.locator('button[type="submit"]'))
    return
  }
  await goto(page, `/services/${definition.id}`)
  await click(
    page,
    page
      .getByRole('main')
      .getByRole('button', { name: translator(mode.locale).text('catalogue.service.start') })
      .or(page.getByRole('main').getByRole('link', { name: translator(mode.locale).text('catalogue.service.start') }))
      .first(),
  )
}

/** The fields of the page whose wrapper the person sees. */
async function shownFieldIds(page: Page): Promise<string[]> {
  return page
    .locator('[data-field-id]')
    .evaluateAll(els =>
      els
        .filter(el => !(el as HTMLElement).hidden && (el as HTMLElement).offsetParent !== null)
        .map(el => el.getAttribute('data-field-id')!),
    )
}

async function errorSummaryText(page: Page): Promise<string> {
  const summary = page.locator('.kern-alert--danger, .error-summary')
  return (await summary.count()) ? ((await summary.first().textContent()) ?? '').replace(/\s+/g, ' ').trim() : ''
}

/** Answers every page of the form until the check page, asserting on each that the fields shown are those the server asks for. */
async function answerForm(page: Page, mode: Mode, definition: ServiceDefinition, walk: Walk) {
  const answers: Answers = {}
  const answered = new Set<string>()
  const continueButton = page.locator('button[name="action"][value="continue"]')
  for (let step = 0; step < 40 && page.url().includes('/pages/'); step++) {
    const pageId = new URL(page.url()).pathname.split('/pages/')[1]!
    const formPage = definition.form.pages.find(p => p.id === pageId)
    assert.ok(formPage, `${definition.id}: unknown page ${pageId}`)
    const onThisPage = new Set(formPage.fields.map(f => f.id))
    for (const field of formPage.fields) {
      if (answered.has(field.id)) continue
      const asked = isConditionMet(field.showIf, answers)
      const wrapper = page.locator(`[data-field-id="${field.id}"]`)
      const shown = await wrapper.isVisible()
      if (!asked) {
        assert.ok(!shown, `${definition.id}/${pageId}: "${field.id}" is shown though its condition is not met`)
        continue
      }
      if (!shown) {
        // Without JavaScript a follow-up to an answer on this page appears after "Continue"; anything else must show.
        const waitsForContinue = !mode.javaScript && !!field.showIf && onThisPage.has(field.showIf.field)
        assert.ok(
          waitsForContinue,
          `${definition.id}/${pageId}: "${field.id}" is asked for but hidden (JavaScript ${mode.javaScript ? 'on' : 'off'})`,
        )
        continue
      }
      answered.add(field.id)
      // Taken from the account: shown, not asked.
      if (!(await wrapper.locator('input, select, textarea').count())) continue
      const value = walk.overrides[field.id] ?? null
      const given = await fillField(page, field, value, files)
      if (given !== null && field.type !== 'file') answers[field.id] = given as Answers[string]
    }
    const shownIds = await shownFieldIds(page)
    const expected = formPage.fields.filter(f => isConditionMet(f.showIf, answers)).map(f => f.id)
    if (mode.javaScript)
      assert.deepEqual(
        [...shownIds].sort(),
        [...expected].sort(),
        `${definition.id}/${pageId}: the script shows exactly what the server asks for`,
      )
    await click(page, continueButton)
    const errors = await errorSummaryText(page)
    assert.equal(
      errors,
      '',
      `${definition.id}/${pageId}: the server refused the page (JavaScript ${mode.javaScript ? 'on' : 'off'})`,
    )
  }
  assert.match(page.url(), /\/check$/, `${definition.id}: stuck at ${page.url()}`)
}

/** Sends the application from the check page, paying in the sandbox where the fee is due now, and reads the reference. */
async function submit(page: Page, definition: ServiceDefinition): Promise<string> {
  await click(page, page.locator('form[action$="/submit"] button[type="submit"]'))
  if (page.url().includes('/payments/sandbox/')) await click(page, page.locator('button[name="action"][value="pay"]'))
  const reference =
    (
      await page
        .locator('.case-reference')
        .textContent()
        .catch(() => '')
    )?.trim() ?? ''
  assert.match(reference, /^DO-\d{4}-\d{6}$/, `${definition.id}: no case reference on ${page.url()}`)
  return reference
}

/** A defect report: the report form of its kind (with the map when JavaScript runs), then the thank-you page. */
async function reportDefect(page: Page, mode: Mode) {
  assert.match(page.url(), /\/maengel\/melden/)
  await page.locator('#description').fill('Die Parkbank am Spielplatz ist zerbrochen, ein Brett fehlt.')
  const category = page.locator('#category')
  if (!mode.javaScript || !(await category.inputValue())) {
    const first = await category.locator('option:not([value=""])').first().getAttribute('value')
    await category.selectOption(first!)
  }
  await page.locator('#address').fill('Friedensplatz 1')
  await click(page, page.locator('main form button[type="submit"]').last())
  assert.equal(await errorSummaryText(page), '', 'the report was refused')
  assert.match((await page.locator('main').textContent()) ?? '', /DO-\d{4}-\d{6}/)
}

/** Where the counter may file: the service's own office files applications; defect reports come in by themselves. */
const counterAllowed = (definition: ServiceDefinition) => !definition.report

for (const definition of definitions) {
  // The walks of a service run side by side, as people use the platform at the same time; each has its own context.
  describe(`${definition.id}: applied for in the browser`, { concurrency: 4 }, () => {
    const walks = definition.report ? [{ overrides: {}, reveals: [] }] : planWalks(definition)
    walks.forEach((walk, index) => {
      for (const mode of modesOf(index)) {
        if (mode.who === 'counter' && !counterAllowed(definition)) continue
        const what = walk.reveals.length ? `showing ${walk.reveals.join(', ')}` : 'the shortest way'
        it(`walk ${index + 1} (${what}) ${mode.who === 'counter' ? 'at the counter' : 'as a citizen'}, JavaScript ${mode.javaScript ? 'on' : 'off'}, ${mode.locale}`, async () => {
          const context = await newContext(mode)
          try {
            const page = await context.newPage()
            await signIn(page, mode, definition)
            await start(page, mode, definition)
            if (definition.report) return await reportDefect(page, mode)
            await answerForm(page, mode, definition, walk)
            await submit(page, definition)
          } finally {
            await context.close()
          }
        })
      }
    })
  })
}
