import fs from 'node:fs'
import { createRequire } from 'node:module'
import assert from 'node:assert/strict'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'
import type { AxeResults } from 'axe-core'
import type { Field, Page as FormPage, ServiceDefinition } from '../../src/modules/catalogue/definition.schema.js'
import { isConditionMet, type Answers } from '../../src/modules/forms/forms.answers.js'
import { validValue } from '../support/autofill.js'
import { DEMO_PASSWORD, startTestPlatform, type TestPlatform } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import type { Config } from '../../src/platform/config.js'
import { freePort } from '../support/app-process.js'

const require = createRequire(import.meta.url)
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Every Content-Security-Policy violation seen by any page of any browser launched here: a page that the policy breaks
 * (a blocked script, style or image) fails the test that looks at it (assertAccessible) and the file (stopBrowserSuite).
 */
const cspViolations: string[] = []

/** Chrome reports a blocked resource or inline code as a console error "Refused to …" naming the directive. */
const isCspViolation = (text: string) => /Refused to|Content[- ]Security[- ]Policy/i.test(text)

function watchForCspViolations(context: BrowserContext) {
  context.on('console', message => {
    if (isCspViolation(message.text())) cspViolations.push(`${message.page()?.url() ?? '?'}: ${message.text()}`)
  })
  // The DOM event catches what the console might word differently; an init script is not subject to the policy.
  void context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', event => {
      console.error(`Refused by Content-Security-Policy: ${event.effectiveDirective} ${event.blockedURI}`)
    })
  })
}

/** The violations seen on this page so far; assertAccessible fails on any. */
function cspViolationsOn(page: Page): string[] {
  return cspViolations.filter(violation => violation.startsWith(`${page.url()}: `))
}

/** `extraArgs`: switches one file's browser needs besides the usual ones (fake camera and microphone for the video tests). */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const browser = await launchChromiumProcess(extraArgs)
  // Every context, however a test makes it (browser.newContext or browser.newPage), reports CSP violations.
  const newContext = browser.newContext.bind(browser)
  browser.newContext = async (options?: BrowserContextOptions) => {
    const context = await newContext(options)
    watchForCspViolations(context)
    return context
  }
  return browser
}

function launchChromiumProcess(extraArgs: string[]): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  })
}

export interface BrowserSuite {
  platform: TestPlatform
  browser: Browser
  baseUrl: string
}

/**
 * What every browser test file starts with: a platform listening on a port of its own (mail links carry the base
 * URL, so the port is chosen before the platform starts) and Chromium.
 */
export async function startBrowserSuite(
  overrides: Partial<Config> = {},
  { chromiumArgs = [] }: { chromiumArgs?: string[] } = {},
): Promise<BrowserSuite> {
  // Free now; files running at the same time each get another.
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const platform = await startTestPlatform({ baseUrl, ...overrides })
  await platform.app.listen({ port, host: '127.0.0.1' })
  return { platform, baseUrl, browser: await launchChromium(chromiumArgs) }
}

/** Closes what startBrowserSuite opened (as far as it got) and lists the pages axe checked. */
export async function stopBrowserSuite(suite: Partial<BrowserSuite>, audited: Set<string>, what = 'pages') {
  await suite.browser?.close()
  await suite.platform?.close()
  process.stdout.write(`# ${what} checked with axe: ${[...audited].sort().join(', ')}
`)
  assert.deepEqual(cspViolations, [], 'Content-Security-Policy violations in this file')
}

/** A new page of the context at `url`, checked with axe. */
export async function openAudited(context: BrowserContext, url: string, audited: Set<string>): Promise<Page> {
  const page = await context.newPage()
  await page.goto(url)
  await assertAccessible(page, audited)
  return page
}

/** On the back-office sign-in page: signs a demo member of staff in, as a person would, and waits for the next page. */
export async function signInStaff(page: Page, email: string) {
  await page.locator('#email').fill(email)
  await page.locator('#password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: translator('de').text('staff.login.submit') }).click()
  await page.waitForLoadState()
}

const noScriptContexts = new WeakSet<BrowserContext>()

/** A browser context with JavaScript turned off, as some people browse; assertAccessible knows to check its pages apart. */
export async function newNoScriptContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ ...options, javaScriptEnabled: false })
  noScriptContexts.add(context)
  return context
}

/** One context per browser for the script-free copies axe checks: a page in it costs less than a context of its own. */
const copyContexts = new WeakMap<Browser, Promise<BrowserContext>>()
function copyContext(browser: Browser): Promise<BrowserContext> {
  let context = copyContexts.get(browser)
  if (!context) {
    context = browser.newContext()
    copyContexts.set(browser, context)
  }
  return context
}

/** Runs axe-core (WCAG 2.0–2.2 A and AA rules and axe's best practices) on the page and fails with every violation found. */
export async function assertAccessible(page: Page, audited: Set<string>) {
  // axe needs a running event loop: a page without JavaScript is checked as a copy of what it shows, scripts left out,
  // in a page of its own at the same address.
  // A click on a link returns once the next page has begun to arrive; checked before its styles apply, a busy machine
  // would see unstyled targets (target-size). Waiting for the load makes the check the same however fast the machine.
  await page.waitForLoadState()
  const noScript = noScriptContexts.has(page.context())
  const target = noScript ? await (await copyContext(page.context().browser()!)).newPage() : page
  try {
    if (noScript) {
      // Served at the page's own address, so its styles load as same-origin (Cross-Origin-Resource-Policy).
      const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
      const url = page.url()
      await target.route(
        requested => requested.href === url,
        route => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }),
      )
      await target.goto(url, { waitUntil: 'load' })
    }
    // Evaluated through the DevTools protocol, which the page's CSP does not govern (a <script> tag would be refused).
    await target.evaluate(axeSource)
    const results = await target.evaluate(() =>
      (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResults> } }).axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
        // Only violations are asserted; axe then skips collecting every element that passed, which is most of its time.
        resultTypes: ['violations'],
      }),
    )
    const violations = results.violations.map(
      v =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map(n => n.target.join(' '))
          .join(' | ')}`,
    )
    assert.deepEqual(violations, [], `axe violations on ${page.url()}${noScript ? ' (JavaScript off)' : ''}`)
    assert.deepEqual(cspViolationsOn(page), [], `Content-Security-Policy violations on ${page.url()}`)
  } finally {
    if (noScript) await target.close()
  }
  audited.add(new URL(page.url()).pathname.replace(/[0-9a-f-]{36}/g, ':id'))
}

/** Fills one form page in the browser the way a person would, by label-bound ids; skips account-prefilled fields. */
export async function fillFormPage(
  page: Page,
  formPage: FormPage,
  answers: Answers,
  files: Record<string, string>,
  overrides: Record<string, string> = {},
) {
  for (const field of formPage.fields) {
    if (!isConditionMet(field.showIf, answers)) continue
    const id = field.id
    // Prefilled fields have no input; follow-up questions not yet revealed are hidden.
    const input = page.locator(field.type === 'address' ? `[name="${id}.street"]` : `[name="${id}"]`).first()
    if (!(await input.count()) || !(await page.locator(`[data-field-id="${id}"]`).isVisible())) continue
    const v = await fillField(page, field, overrides[id] ?? null, files)
    if (v !== null) answers[id] = v as Answers[string]
  }
}

/** Fills one field by its label-bound ids with the given answer, or else the first valid one; returns what was given. */
export async function fillField(
  page: Page,
  field: Field,
  given: string | string[] | null,
  files: Record<string, string>,
) {
  const value = given ?? validValue(field)
  const byId = (id: string) => page.locator(`[id="${id}"]`)
  switch (field.type) {
    case 'select':
      await byId(field.id).selectOption(String(value))
      break
    case 'radio':
      await byId(`${field.id}-${value}`).check()
      break
    case 'checkbox':
      if (field.options) {
        for (const v of value as string[]) await byId(`${field.id}-${v}`).check()
      } else await byId(field.id).check()
      break
    case 'address':
      for (const [part, v] of Object.entries(value as Record<string, string>)) await byId(`${field.id}.${part}`).fill(v)
      break
    case 'file': {
      const pdfAllowed = !field.accept || field.accept.includes('application/pdf')
      await byId(field.id).setInputFiles(pdfAllowed ? files.pdf! : files.png!)
      break
    }
    default:
      await byId(field.id).fill(String(value))
  }
  return value
}

/** Goes through every page of a service's form until the check page. */
export async function fillWholeForm(
  page: Page,
  definition: ServiceDefinition,
  files: Record<string, string>,
  audited: Set<string>,
  overrides: Record<string, string> = {},
) {
  const answers: Answers = {}
  for (let step = 0; step < 30 && page.url().includes('/pages/'); step++) {
    await assertAccessible(page, audited)
    const pageId = new URL(page.url()).pathname.split('/pages/')[1]!
    const formPage = definition.form.pages.find(p => p.id === pageId)!
    await fillFormPage(page, formPage, answers, files, overrides)
    await page.getByRole('button', { name: /^(Weiter|Continue)$/ }).click()
    await page.waitForLoadState()
  }
  assert.match(
    page.url(),
    /\/check$/,
    `stuck at ${page.url()}: ${await page
      .locator('.error-summary')
      .textContent()
      .catch(() => '')}`,
  )
}
