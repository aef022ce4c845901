import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser } from './support/casework.js'
import { resign, startOidcTestProvider, throughProvider, type TestOidcProvider } from './support/oidc-provider.js'
import {
  createOidcProtocol,
  DEMO_ACR,
  generateSigningKey,
  loadIdentityProviders,
  type DemoIdentity,
} from '../src/modules/identity/index.js'
import { DEMO_CITIZEN } from '../src/seed.js'

/**
 * Sign-in through an OpenID Connect provider, against a real oidc-provider on this machine: accounts made and found,
 * linking, and every way the provider's answer can be wrong — each a clear page, nothing half-created.
 */
const PROVIDER = 'buergerkonto-test'
const OFFLINE = 'offline-test'
const CLIENT_ID = 'bauhaus-test'
const SECRET_ENV = 'BAUHAUS_TEST_OIDC_SECRET'
const SECRET = crypto.randomBytes(24).toString('base64url')
const BASE = 'http://localhost:3000'

const person = (sub: string, claims: Record<string, unknown>, acr: string = DEMO_ACR.substantial): DemoIdentity => ({
  sub,
  label: sub,
  acr,
  claims: { email_verified: true, birthdate: '1980-04-12', ...claims },
})
const identities = [
  person('max', {
    given_name: 'Max',
    family_name: 'Weber',
    email: 'max.weber@oidc.example',
    address: { street_address: 'Schillerstraße 7a', postal_code: '99423', locality: 'Weimar' },
  }),
  person('anna', { given_name: 'Anna', family_name: 'Schulz', email: 'anna.schulz@oidc.example' }, DEMO_ACR.high),
  person('linker', { given_name: 'Erika', family_name: 'Mustermann', email: 'erika.linked@oidc.example' }),
  person('second', { given_name: 'Emil', family_name: 'Zweit', email: 'emil.zweit@oidc.example' }),
  person('taken', { given_name: 'Erika', family_name: 'Anders', email: DEMO_CITIZEN }),
  person('noname', { given_name: 'Ohne', email: 'ohne.name@oidc.example' }),
  ...Array.from({ length: 20 }, (_, i) =>
    person(`fresh${i}`, { given_name: 'Frieda', family_name: `Neu${i}`, email: `frieda.neu${i}@oidc.example` }),
  ),
]

let platform: TestPlatform
let provider: TestOidcProvider
let dir: string
let fresh = 0
const nextFresh = () => `fresh${fresh++}`

before(async () => {
  process.env[SECRET_ENV] = SECRET
  provider = await startOidcTestProvider({
    identities,
    clients: () => [
      {
        client_id: CLIENT_ID,
        client_secret: SECRET,
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: [`${BASE}/identity/oidc/${PROVIDER}/callback`],
        post_logout_redirect_uris: [`${BASE}/`],
        backchannel_logout_uri: `${BASE}/identity/oidc/${PROVIDER}/backchannel-logout`,
        backchannel_logout_session_required: true,
      },
    ],
  })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-oidc-'))
  const file = path.join(dir, 'identity.yaml')
  fs.writeFileSync(
    file,
    `providers:
  - id: ${PROVIDER}
    protocol: oidc
    label: { de: Mit Bürgerkonto (Test) anmelden, en: Sign in with citizen account (test) }
    name: { de: Bürgerkonto (Test), en: Citizen account (test) }
    audience: citizen
    maxAssurance: high
    settings:
      issuer: ${provider.issuer}
      clientId: ${CLIENT_ID}
      clientSecretEnv: ${SECRET_ENV}
      acr: { low: [${DEMO_ACR.low}], substantial: [${DEMO_ACR.substantial}], high: [${DEMO_ACR.high}] }
  - id: ${OFFLINE}
    protocol: oidc
    label: { de: Mit Offline-Konto anmelden, en: Sign in with offline account }
    audience: citizen
    maxAssurance: substantial
    settings: { issuer: 'http://127.0.0.1:9', clientId: nobody }
`,
  )
  platform = await startTestPlatform({ identityConfigFile: file, identityDemo: false })
})

after(async () => {
  await platform?.close()
  await provider?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const db = () => platform.database.db

/** Starts the sign-in in the browser and comes back to the platform's callback as the provider sends it. */
async function signIn(
  browser: TestBrowser,
  identity: string,
  query = '',
): Promise<{ callback: string; res: Awaited<ReturnType<TestBrowser['get']>> }> {
  const begin = await browser.get(`/login/with/${PROVIDER}${query}`)
  assert.equal(begin.statusCode, 303, begin.body.slice(0, 300))
  const callback = await throughProvider(String(begin.headers.location), { identity })
  return { callback, res: await browser.get(callback) }
}

const count = async (table: 'accounts' | 'sessions' | 'account_identities') =>
  Number(
    (
      await db()
        .selectFrom(table)
        .select(eb => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('signing in with an OpenID Connect provider', () => {
  it('offers the provider on the login and registration pages, grouped for private persons', async () => {
    const browser = new TestBrowser(platform)
    for (const page of ['/login', '/register']) {
      const res = await browser.get(page)
      assert.match(res.body, /Für Privatpersonen/)
      assert.match(res.body, new RegExp(`href="/login/with/${PROVIDER}"`))
      assert.match(res.body, /Mit Bürgerkonto \(Test\) anmelden/)
    }
  })

  it('sends the browser to the provider with PKCE (S256), state, nonce and the level asked as acr_values', async () => {
    const browser = new TestBrowser(platform)
    const res = await browser.get(`/login/with/${PROVIDER}?assurance=high`)
    const url = new URL(String(res.headers.location))
    assert.equal(url.origin, provider.issuer)
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256')
    assert.ok(url.searchParams.get('code_challenge'))
    assert.ok(url.searchParams.get('state'))
    assert.ok(url.searchParams.get('nonce'))
    assert.equal(url.searchParams.get('acr_values'), DEMO_ACR.high)
    assert.equal(url.searchParams.get('redirect_uri'), `${BASE}/identity/oidc/${PROVIDER}/callback`)
  })

  it('creates the account at the first sign-in, with what the provider vouches for marked verified', async () => {
    const browser = new TestBrowser(platform)
    const { res } = await signIn(browser, 'max', '?return=/account/profile')
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/account/profile')
    const account = await db()
      .selectFrom('accounts')
      .selectAll()
      .where('email', '=', 'max.weber@oidc.example')
      .executeTakeFirstOrThrow()
    assert.equal(account.given_name, 'Max')
    assert.equal(account.family_name, 'Weber')
    assert.equal(account.street, 'Schillerstraße')
    assert.equal(account.house_number, '7a')
    assert.equal(account.city, 'Weimar')
    assert.equal(account.password_hash, '!')
    assert.ok(account.email_verified_at)
    assert.equal(account.verified_fields.givenName?.provider, PROVIDER)
    const session = await db()
      .selectFrom('sessions')
      .select(['assurance', 'identity_provider', 'provider_session'])
      .where('account_id', '=', account.id)
      .executeTakeFirstOrThrow()
    assert.equal(session.assurance, 'substantial')
    assert.equal(session.identity_provider, PROVIDER)
    assert.ok(session.provider_session)
    const profile = await browser.get('/account/profile')
    assert.equal(profile.statusCode, 200)
  })

  it('finds the same account at the next sign-in instead of making another', async () => {
    const before = await count('accounts')
    const browser = new TestBrowser(platform)
    const { res } = await signIn(browser, 'max')
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/account/applications')
    assert.equal(await count('accounts'), before)
  })

  it('links the identity to a signed-in account; either way in then opens the same account', async () => {
    const browser = await citizenBrowser(platform)
    const { res } = await signIn(browser, 'linker', '?link=1&return=/account/profile')
    assert.equal(res.statusCode, 303)
    const demo = await db()
      .selectFrom('accounts')
      .select(['id', 'given_name'])
      .where('email', '=', DEMO_CITIZEN)
      .executeTakeFirstOrThrow()
    const link = await db()
      .selectFrom('account_identities')
      .select('account_id')
      .where('provider_id', '=', PROVIDER)
      .where('subject', '=', 'linker')
      .executeTakeFirstOrThrow()
    assert.equal(link.account_id, demo.id)
    const other = new TestBrowser(platform)
    await signIn(other, 'linker')
    const session = await db()
      .selectFrom('sessions')
      .select('account_id')
      .where('identity_provider', '=', PROVIDER)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    assert.equal(session.account_id, demo.id)
  })

  it('refuses a second account with the same verified identity', async () => {
    const browser = await citizenBrowser(platform, 'info@baeckerei-beispiel.example').catch(() => undefined)
    // A second person account: register one through the provider, then try to link an identity taken already.
    const second = new TestBrowser(platform)
    await signIn(second, 'second')
    const before = await count('account_identities')
    const { res } = await signIn(second, 'max', '?link=1')
    assert.equal(res.statusCode, 409)
    assert.match(res.body, /Diese Identität gehört zu einem anderen Konto/)
    assert.equal(await count('account_identities'), before)
    assert.ok(browser === undefined || browser)
  })

  it('does not take over an account whose address the provider names: sign in with the password and link', async () => {
    const accounts = await count('accounts')
    const sessions = await count('sessions')
    const browser = new TestBrowser(platform, 'en')
    const { res } = await signIn(browser, 'taken')
    assert.equal(res.statusCode, 409)
    assert.match(res.body, /There is already an account for this e-mail address/)
    assert.equal(await count('accounts'), accounts)
    assert.equal(await count('sessions'), sessions)
  })

  it('refuses a sign-in whose provider sent too little (no family name), saying so', async () => {
    const accounts = await count('accounts')
    const { res } = await signIn(new TestBrowser(platform), 'noname')
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /Es fehlen Angaben des Identitätsanbieters/)
    assert.equal(await count('accounts'), accounts)
  })

  it('refuses a sign-in below the level the service asked for', async () => {
    const { res } = await signIn(new TestBrowser(platform), nextFresh(), '?assurance=high')
    assert.equal(res.statusCode, 403)
    assert.match(res.body, /Das Vertrauensniveau reicht nicht aus/)
    const high = await signIn(new TestBrowser(platform), 'anna', '?assurance=high')
    assert.equal(high.res.statusCode, 303)
  })
})

describe('a wrong answer from the provider', () => {
  const faults: [string, (token: string) => Promise<string>][] = [
    [
      'a tampered ID token',
      async token => {
        const [h, p, s] = token.split('.')
        const payload = JSON.parse(Buffer.from(p!, 'base64url').toString())
        payload.sub = 'someone-else'
        return [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.')
      },
    ],
    ['an ID token signed with another key', token => resign(token, p => p, { ...generateSigningKey() })],
    [
      'an expired ID token',
      token => {
        const now = Math.floor(Date.now() / 1000)
        return resign(token, p => ({ ...p, iat: now - 7200, exp: now - 3600 }), provider.signingKey())
      },
    ],
    [
      'an ID token for another client',
      token => resign(token, p => ({ ...p, aud: 'another-client' }), provider.signingKey()),
    ],
    [
      'an ID token of another issuer',
      token => resign(token, p => ({ ...p, iss: 'https://evil.example' }), provider.signingKey()),
    ],
    [
      'an ID token with another nonce',
      token => resign(token, p => ({ ...p, nonce: 'replayed-nonce' }), provider.signingKey()),
    ],
  ]
  for (const [what, tamper] of faults) {
    it(`refuses ${what}: a clear page, no account, no session`, async () => {
      const accounts = await count('accounts')
      const sessions = await count('sessions')
      provider.tamper = tamper
      try {
        const de = await signIn(new TestBrowser(platform), nextFresh())
        assert.equal(de.res.statusCode, 400)
        assert.match(de.res.body, /Die Anmeldung konnte nicht bestätigt werden/)
        const en = await signIn(new TestBrowser(platform, 'en'), nextFresh())
        assert.equal(en.res.statusCode, 400)
        assert.match(en.res.body, /The sign-in could not be confirmed/)
      } finally {
        provider.tamper = undefined
      }
      assert.equal(await count('accounts'), accounts)
      assert.equal(await count('sessions'), sessions)
    })
  }

  it('refuses a replayed answer (the state is used once)', async () => {
    const browser = new TestBrowser(platform)
    const { callback, res } = await signIn(browser, 'max')
    assert.equal(res.statusCode, 303)
    const again = await new TestBrowser(platform).get(callback)
    assert.equal(again.statusCode, 400)
    assert.match(again.body, /Diese Anmeldung ist nicht mehr gültig/)
    const same = await browser.get(callback)
    assert.equal(same.statusCode, 400)
  })

  it('refuses an answer that arrives in another browser than the one that started', async () => {
    const starter = new TestBrowser(platform)
    const begin = await starter.get(`/login/with/${PROVIDER}`)
    const callback = await throughProvider(String(begin.headers.location), { identity: 'max' })
    const res = await new TestBrowser(platform, 'en').get(callback)
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /This sign-in is no longer valid/)
  })

  it('refuses an answer with an unknown state and one without any', async () => {
    const browser = new TestBrowser(platform)
    const unknown = await browser.get(`/identity/oidc/${PROVIDER}/callback?code=x&state=made-up`)
    assert.equal(unknown.statusCode, 400)
    const none = await browser.get(`/identity/oidc/${PROVIDER}/callback?code=x`)
    assert.equal(none.statusCode, 400)
    const nowhere = await browser.get('/identity/oidc/no-such-provider/callback?code=x&state=y')
    assert.equal(nowhere.statusCode, 404)
  })

  it('says "you cancelled" when the person cancels at the provider', async () => {
    const browser = new TestBrowser(platform)
    const begin = await browser.get(`/login/with/${PROVIDER}`)
    const callback = await throughProvider(String(begin.headers.location), { cancel: true })
    const res = await browser.get(callback)
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /Anmeldung abgebrochen/)
  })

  it('answers 503 with a clear page when the provider is down, before and during the sign-in', async () => {
    const offline = await new TestBrowser(platform).get(`/login/with/${OFFLINE}`)
    assert.equal(offline.statusCode, 503)
    assert.match(offline.body, /Der Identitätsanbieter ist gerade nicht erreichbar/)
    const browser = new TestBrowser(platform, 'en')
    const begin = await browser.get(`/login/with/${PROVIDER}`)
    const callback = await throughProvider(String(begin.headers.location), { identity: 'max' })
    const sessions = await count('sessions')
    await provider.down()
    try {
      const res = await browser.get(callback)
      assert.equal(res.statusCode, 503)
      assert.match(res.body, /The identity provider cannot be reached right now/)
    } finally {
      await provider.up()
    }
    assert.equal(await count('sessions'), sessions)
  })

  it('follows a key rotation at the provider: a token signed with the new key is accepted at once', async () => {
    assert.equal((await signIn(new TestBrowser(platform), 'max')).res.statusCode, 303)
    provider.rotateKeys()
    assert.equal((await signIn(new TestBrowser(platform), 'max')).res.statusCode, 303)
  })
})

describe('signing out of a provider session', () => {
  const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout'

  async function signedInSession() {
    const browser = new TestBrowser(platform)
    await signIn(browser, 'anna')
    const row = await db()
      .selectFrom('sessions')
      .select(['id_hash', 'provider_session', 'account_id'])
      .where('identity_provider', '=', PROVIDER)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    return { browser, row }
  }

  const logoutToken = (claims: Record<string, unknown>) =>
    provider.sign(
      {
        iss: provider.issuer,
        aud: CLIENT_ID,
        iat: Math.floor(Date.now() / 1000),
        jti: crypto.randomUUID(),
        events: { [LOGOUT_EVENT]: {} },
        ...claims,
      },
      { typ: 'logout+jwt' },
    )

  const postLogout = (token: string) =>
    platform.app.inject({
      method: 'POST',
      url: `/identity/oidc/${PROVIDER}/backchannel-logout`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ logout_token: token }).toString(),
    })

  it('ends the session the provider names by its sid (back-channel logout), once per token', async () => {
    const { browser, row } = await signedInSession()
    assert.equal((await browser.get('/account/profile')).statusCode, 200)
    const token = await logoutToken({ sid: row.provider_session })
    const res = await postLogout(token)
    assert.equal(res.statusCode, 200)
    assert.equal((await browser.get('/account/profile')).statusCode, 303)
    const replay = await postLogout(token)
    assert.equal(replay.statusCode, 400)
  })

  it('ends every session of the subject when the token names only the sub', async () => {
    const { browser } = await signedInSession()
    assert.equal((await postLogout(await logoutToken({ sub: 'anna' }))).statusCode, 200)
    assert.equal((await browser.get('/account/profile')).statusCode, 303)
  })

  it('refuses logout tokens that are not: wrong signature, a nonce, no event, wrong audience, neither sid nor sub', async () => {
    const { browser, row } = await signedInSession()
    const sid = row.provider_session
    const foreign = await resign(await logoutToken({ sid }), p => p, { ...generateSigningKey() })
    for (const token of [
      foreign,
      await logoutToken({ sid, nonce: 'n' }),
      await logoutToken({ sid, events: {} }),
      await logoutToken({ sid, aud: 'another-client' }),
      await logoutToken({}),
      'not-a-jwt',
    ]) {
      const res = await postLogout(token)
      assert.equal(res.statusCode, 400, token.slice(0, 40))
    }
    assert.equal((await browser.get('/account/profile')).statusCode, 200)
    const malformed = await platform.app.inject({
      method: 'POST',
      url: `/identity/oidc/${PROVIDER}/backchannel-logout`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'nothing=here',
    })
    assert.equal(malformed.statusCode, 400)
  })

  it('sends the browser on to the provider to sign out there too (RP-initiated logout)', async () => {
    const { browser } = await signedInSession()
    await browser.get('/account/profile')
    const res = await browser.post('/logout')
    assert.equal(res.statusCode, 303)
    const to = new URL(String(res.headers.location))
    assert.equal(to.origin, provider.issuer)
    assert.ok(to.searchParams.get('id_token_hint'))
    assert.equal(to.searchParams.get('post_logout_redirect_uri'), `${BASE}/`)
    assert.equal((await browser.get('/account/profile')).statusCode, 303)
  })

  it('still signs out here when the provider is down', async () => {
    const { browser } = await signedInSession()
    await browser.get('/account/profile')
    await provider.down()
    try {
      const res = await browser.post('/logout')
      assert.equal(res.statusCode, 303)
    } finally {
      await provider.up()
    }
    assert.equal((await browser.get('/account/profile')).statusCode, 303)
  })
})

describe('verified data and linked identities in the account', () => {
  it('shows verified fields as confirmed and not editable, self-entered ones as such', async () => {
    const browser = new TestBrowser(platform)
    await signIn(browser, 'max')
    const res = await browser.get('/account/profile')
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /Bestätigt durch Bürgerkonto \(Test\) am/)
    assert.doesNotMatch(res.body, /name="givenName"/)
    assert.doesNotMatch(res.body, /name="familyName"/)
    assert.match(res.body, /name="phone"/)
  })

  it('refuses a forged form that changes a verified field, keeping what was typed in the others', async () => {
    const browser = new TestBrowser(platform)
    await signIn(browser, 'max')
    await browser.get('/account/profile')
    const res = await browser.post('/account/profile', { givenName: 'Moritz', phone: '+49 3643 123456' })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /Diese Angabe ist durch .* bestätigt und kann hier nicht geändert werden/)
    assert.match(res.body, /\+49 3643 123456/)
    const account = await db()
      .selectFrom('accounts')
      .select(['given_name', 'phone'])
      .where('email', '=', 'max.weber@oidc.example')
      .executeTakeFirstOrThrow()
    assert.equal(account.given_name, 'Max')
    // Without the verified field the same form saves the rest.
    const saved = await browser.post('/account/profile', { phone: '+49 3643 123456' })
    assert.equal(saved.statusCode, 303)
    const after = await db()
      .selectFrom('accounts')
      .select(['given_name', 'phone'])
      .where('email', '=', 'max.weber@oidc.example')
      .executeTakeFirstOrThrow()
    assert.equal(after.given_name, 'Max')
    assert.equal(after.phone, '+49 3643 123456')
  })

  it('lists the linked identities with level and date, and offers linking the others', async () => {
    const browser = new TestBrowser(platform)
    await signIn(browser, 'max')
    const res = await browser.get('/account/identities')
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /Bürgerkonto \(Test\)/)
    assert.match(res.body, /substanziell/)
    const other = await citizenBrowser(platform, 'info@baeckerei-beispiel.example')
    const theirs = await other.get('/account/identities')
    assert.doesNotMatch(theirs.body, /substanziell/)
  })

  it('refuses to unlink the last way into an account without a password', async () => {
    const browser = new TestBrowser(platform)
    await signIn(browser, 'max')
    await browser.get('/account/identities')
    const res = await browser.post('/account/identities/unlink', { provider: PROVIDER })
    assert.equal(res.statusCode, 409)
    assert.match(res.body, /Diese Verbindung ist Ihr einziger Weg, sich anzumelden/)
    assert.equal(
      (await db().selectFrom('account_identities').select('subject').where('subject', '=', 'max').execute()).length,
      1,
    )
  })

  it('unlinks an identity from an account with a password; its fields become self-entered', async () => {
    const browser = await citizenBrowser(platform)
    await browser.get('/account/identities')
    const res = await browser.post('/account/identities/unlink', { provider: PROVIDER })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/account/identities?notice=unlinked')
    const demo = await db()
      .selectFrom('accounts')
      .select(['id', 'verified_fields'])
      .where('email', '=', DEMO_CITIZEN)
      .executeTakeFirstOrThrow()
    assert.deepEqual(demo.verified_fields, {})
    assert.equal(
      (await db().selectFrom('account_identities').select('subject').where('account_id', '=', demo.id).execute())
        .length,
      0,
    )
    const again = await browser.post('/account/identities/unlink', { provider: PROVIDER })
    assert.equal(again.statusCode, 404)
  })
})

describe('the settings of an OpenID Connect provider', () => {
  it('are checked at start: every wrong setting named with its file and path; a secret in the file is refused', () => {
    const file = path.join(dir, 'wrong.yaml')
    fs.writeFileSync(
      file,
      `providers:
  - id: wrong
    protocol: oidc
    label: { de: Falsch, en: Wrong }
    audience: citizen
    maxAssurance: low
    settings: { issuer: 'ftp://x', clientId: '', clientSecret: 'in-the-file', acr: { medium: [x] } }
`,
    )
    const oidc = createOidcProtocol({})
    assert.throws(
      () => loadIdentityProviders(file, [oidc]),
      (error: Error) =>
        error.message.includes(file) &&
        error.message.includes('/providers/0/settings/issuer') &&
        error.message.includes('/providers/0/settings/clientId') &&
        error.message.includes('/providers/0/settings/clientSecret') &&
        error.message.includes('/providers/0/settings/acr/medium'),
    )
  })

  it('stop the start when the environment variable with the client secret is not set', () => {
    const oidc = createOidcProtocol({})
    const entry = {
      id: 'secretless',
      protocol: 'oidc' as const,
      label: { de: 'X', en: 'X' },
      audience: 'citizen' as const,
      maxAssurance: 'low' as const,
      settings: { issuer: 'https://id.example', clientId: 'x', clientSecretEnv: 'NOT_SET_ANYWHERE' },
    }
    assert.throws(() => oidc.routes([entry]), /NOT_SET_ANYWHERE is not set/)
    assert.throws(
      () => oidc.routes([{ ...entry, settings: { issuer: 'http://id.example', clientId: 'x' } }]),
      /must be an https:\/\/ URL/,
    )
  })
})

describe('once-only with verified data', () => {
  it('prefills an application form from what the provider vouched for', async () => {
    const browser = new TestBrowser(platform)
    await signIn(browser, 'max')
    await browser.get('/services/bewohnerparkausweis')
    const draft = await browser.post('/services/bewohnerparkausweis/applications')
    assert.equal(draft.statusCode, 303)
    const page = await browser.get(String(draft.headers.location))
    assert.equal(page.statusCode, 200)
    // Taken from the account and shown, not typed again: the application carries what the provider vouched for.
    assert.match(page.body, /<strong>Max<\/strong>/)
    assert.match(page.body, /<strong>Weber<\/strong>/)
    assert.match(page.body, /<strong>Schillerstraße 7a, 99423 Weimar<\/strong>/)
  })
})
