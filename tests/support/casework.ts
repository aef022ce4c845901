import { requiredAssurance } from '../../src/modules/catalogue/index.js'
import { raiseBrowserAssurance } from './assurance.js'
import assert from 'node:assert/strict'
import { TestBrowser, DEMO_PASSWORD, type TestPlatform } from './test-platform.js'
import { applyFor, type StartOptions } from './autofill.js'
import { demoStaffEmail, DEMO_CITIZEN } from '../../src/seed.js'

/** A browser signed in at the back office with the demo person of that office and role (or any e-mail). */
export async function staffBrowser(
  platform: TestPlatform,
  officeId: string,
  role: 'caseworker' | 'team_lead' = 'caseworker',
  email = demoStaffEmail(officeId, role),
) {
  const browser = new TestBrowser(platform)
  await browser.get('/backoffice/login')
  const res = await browser.post('/backoffice/login', { email, password: DEMO_PASSWORD })
  assert.equal(res.statusCode, 303, `staff login of ${email}`)
  return browser
}

/** A browser signed in with a citizen or business account of the demo data. */
export async function citizenBrowser(platform: TestPlatform, email = DEMO_CITIZEN) {
  const browser = new TestBrowser(platform)
  await browser.get('/login')
  const res = await browser.post('/login', { email, password: DEMO_PASSWORD })
  assert.equal(res.statusCode, 303, `login of ${email}`)
  return browser
}

/** Submits an application through the real routes and returns the case's id and reference. */
export async function submitCase(
  platform: TestPlatform,
  browser: TestBrowser,
  serviceId: string,
  overrides: Record<string, string | string[]> = {},
  opts: StartOptions = {},
) {
  const definition = platform.app.services.get(serviceId)
  // As a provider sign-in (BundID, ELSTER) would have given it: a test about something else needs no second sign-in.
  await raiseBrowserAssurance(platform.database.db, browser, requiredAssurance(definition))
  const { reference } = await applyFor(browser, definition, overrides, opts)
  const row = await platform.database.db
    .selectFrom('cases')
    .select('id')
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow()
  return { caseId: row.id, reference }
}

/** The case version a page was rendered from: the hidden "version" its forms send back (versioned writes). */
export function versionOnPage(html: string): string {
  const version = /name="version" value="(\d+)"/.exec(html)?.[1]
  if (!version) throw new Error('no case version on the page')
  return version
}

/** Opens the case page as the browser's person, as someone about to act on it would, and returns its version. */
export async function caseVersion(browser: TestBrowser, caseId: string): Promise<string> {
  const page = await browser.get(`/backoffice/cases/${caseId}`)
  assert.equal(page.statusCode, 200, `case page of ${caseId}`)
  return /data-live-version="(\d+)"/.exec(page.body)?.[1] ?? versionOnPage(page.body)
}
