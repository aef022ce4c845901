import assert from 'node:assert/strict'
import { TestBrowser, DEMO_PASSWORD, type TestPlatform } from './test-platform.js'
import { applyFor } from './autofill.js'
import { demoStaffEmail, DEMO_CITIZEN } from '../../src/seed.js'

/** A browser signed in at the back office with the demo person of that office and role (or any e-mail). */
export async function staffBrowser(platform: TestPlatform, officeId: string, role: 'caseworker' | 'team_lead' = 'caseworker', email = demoStaffEmail(officeId, role)) {
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
export async function submitCase(platform: TestPlatform, browser: TestBrowser, serviceId: string, overrides: Record<string, string | string[]> = {}) {
  const { reference } = await applyFor(browser, platform.app.services.get(serviceId), overrides)
  const row = await platform.database.db.selectFrom('cases').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()
  return { caseId: row.id, reference }
}
