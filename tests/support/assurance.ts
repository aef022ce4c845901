import crypto from 'node:crypto'
import type { BrowserContext } from 'playwright-core'
import type { Db } from '../../src/platform/db/database.js'
import { ASSURANCE_LEVELS, type AssuranceLevel } from '../../src/platform/auth/assurance.js'
import { SESSION_COOKIE } from '../../src/platform/auth/sessions.js'
import type { TestBrowser } from './test-platform.js'

/** The provider a test session claims to have signed in with (none is configured until the OIDC and SAML parts are). */
export const TEST_PROVIDER = 'test-eid'

/**
 * Puts a signed-in session on a level of assurance, as a provider sign-in would have (test setup on the real
 * database): `low` takes it back to a password sign-in.
 */
export async function setSessionAssurance(db: Db, sessionToken: string, level: AssuranceLevel): Promise<void> {
  const idHash = crypto.createHash('sha256').update(sessionToken).digest('hex')
  const updated = await db
    .updateTable('sessions')
    .set({ assurance: level, identity_provider: level === 'low' ? null : TEST_PROVIDER })
    .where('id_hash', '=', idHash)
    .where('account_id', 'is not', null)
    .executeTakeFirst()
  if (updated.numUpdatedRows !== 1n) throw new Error('no signed-in session with this token')
}

/** The same for an HTTP test browser (TestBrowser over app.inject). */
export async function setBrowserAssurance(db: Db, browser: TestBrowser, level: AssuranceLevel): Promise<void> {
  const token = browser.cookie(SESSION_COOKIE)
  if (!token) throw new Error('the browser holds no session')
  await setSessionAssurance(db, token, level)
}

/** The same for a Chromium context (browser tests). */
export async function setContextAssurance(db: Db, context: BrowserContext, level: AssuranceLevel): Promise<void> {
  const token = (await context.cookies()).find(c => c.name === SESSION_COOKIE)?.value
  if (!token) throw new Error('the browser holds no session')
  await setSessionAssurance(db, token, level)
}

/**
 * Raises a signed-in account's session to `need` when it is below, as a provider sign-in would (for tests about
 * something else than the level); a session at or above it, a staff session or none is left as it is.
 */
export async function raiseBrowserAssurance(db: Db, browser: TestBrowser, need: AssuranceLevel): Promise<void> {
  const token = browser.cookie(SESSION_COOKIE)
  if (!token || need === 'low') return
  const below = ASSURANCE_LEVELS.slice(0, ASSURANCE_LEVELS.indexOf(need))
  await db
    .updateTable('sessions')
    .set({ assurance: need, identity_provider: TEST_PROVIDER })
    .where('id_hash', '=', crypto.createHash('sha256').update(token).digest('hex'))
    .where('account_id', 'is not', null)
    .where('assurance', 'in', below)
    .execute()
}
