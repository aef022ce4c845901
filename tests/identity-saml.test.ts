import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { DEMO_PASSWORD, startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import {
  buildSamlErrorResponse,
  buildSamlLogoutRequest,
  buildSamlResponse,
  readRedirectAuthnRequest,
  type AuthnRequestInfo,
  type SamlResponseOptions,
} from '../src/modules/identity/identity.saml.idp.js'
import { demoAttributes, SAML_DEMO_PERSONS } from '../src/modules/identity/identity.saml.demo.js'
import { BUNDID_ATTRIBUTES } from '../src/modules/identity/identity.saml.settings.js'
import {
  forgetExpiredSamlSignIns,
  loadIdentityProviders,
  samlProtocol,
  type IdentityProtocol,
} from '../src/modules/identity/index.js'

const BASE = 'http://localhost:3000'
const demoFile = (name: string) => path.resolve('config/identity-demo', name)
const pem = (name: string) => fs.readFileSync(demoFile(name), 'utf8')
const [ERIKA, JONAS] = SAML_DEMO_PERSONS

/** The demo BundID and a second provider as a city would configure it: two IdP certificates (rotation), eIDAS levels. */
const DEMO = {
  id: 'bundid-demo',
  issuer: `${BASE}/dev/identity/saml`,
  audience: `${BASE}/identity/saml/bundid-demo/metadata`,
  acs: `${BASE}/identity/saml/bundid-demo/acs`,
}
const TEST = {
  id: 'saml-test',
  issuer: 'https://idp.test.example/saml',
  audience: `${BASE}/identity/saml/saml-test/metadata`,
  acs: `${BASE}/identity/saml/saml-test/acs`,
}

let platform: TestPlatform
let configDir: string

before(async () => {
  configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-saml-'))
  const file = path.join(configDir, 'identity.yaml')
  fs.writeFileSync(
    file,
    `providers:
  - id: saml-test
    protocol: saml
    label: { de: Test-Anbieter, en: Test provider }
    audience: citizen
    maxAssurance: substantial
    settings:
      idpEntityId: ${TEST.issuer}
      idpSsoUrl: https://idp.test.example/sso
      idpSloUrl: https://idp.test.example/slo
      idpCertificateFiles: [${demoFile('idp-next.crt')}, ${demoFile('idp.crt')}]
      spSigningKeyFile: ${demoFile('sp-signing.key')}
      spSigningCertificateFile: ${demoFile('sp-signing.crt')}
      clockSkewSeconds: 30
      levelStyle: eidas
`,
  )
  platform = await startTestPlatform({ identityConfigFile: file })
})
after(async () => {
  await platform.close()
  fs.rmSync(configDir, { recursive: true, force: true })
})

const db = () => platform.database.db

/** Starts a sign-in in this browser and reads the AuthnRequest it is sent to the provider with (checking its signature). */
async function begin(browser: TestBrowser, providerId: string, query = ''): Promise<AuthnRequestInfo & { url: URL }> {
  const res = await browser.get(`/login/with/${providerId}${query}`)
  assert.equal(res.statusCode, 303)
  const url = new URL(String(res.headers.location))
  const request = readRedirectAuthnRequest(url.search.slice(1), pem('sp-signing.crt'))
  assert.ok(request, 'a signed AuthnRequest')
  return { ...request, url }
}

function responseFor(
  target: typeof DEMO,
  request: { id: string } | undefined,
  options: Partial<SamlResponseOptions> = {},
): Promise<string> {
  return buildSamlResponse({
    issuer: target.issuer,
    destination: target.acs,
    audience: target.audience,
    inResponseTo: request?.id,
    nameId: ERIKA.bpk2,
    sessionIndex: `_session-${Math.random().toString(36).slice(2)}`,
    attributes: demoAttributes(ERIKA, 'high'),
    authnContextClassRef: 'STORK-QAA-Level-4',
    now: new Date(),
    signingKey: pem('idp.key'),
    signingCertificate: pem('idp.crt'),
    encryptFor: target === DEMO ? pem('sp-encryption.crt') : undefined,
    ...options,
  })
}

const postAcs = (browser: TestBrowser, providerId: string, samlResponse: string) =>
  browser.post(`/identity/saml/${providerId}/acs`, { SAMLResponse: samlResponse }, { csrf: false })
const encode = (xml: string) => Buffer.from(xml).toString('base64')

const countAccounts = async () =>
  Number(
    (
      await db()
        .selectFrom('accounts')
        .select(eb => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
const accountByEmail = (email: string) =>
  db().selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst()

/** Asserts a refusal: the status, the page's title in German, nothing created. */
async function assertRefused(
  res: { statusCode: number; body: string },
  status: number,
  title: RegExp,
  accountsBefore: number,
) {
  assert.equal(res.statusCode, status, res.body.slice(0, 300))
  assert.match(res.body, title)
  assert.equal(await countAccounts(), accountsBefore, 'no account was created')
}

describe('SAML service provider metadata', () => {
  it('is valid SAML metadata at a stable URL: entity id, ACS, certificates, NameID format, requested attributes', async () => {
    const first = await platform.app.inject({ method: 'GET', url: '/identity/saml/bundid-demo/metadata' })
    const second = await platform.app.inject({ method: 'GET', url: '/identity/saml/bundid-demo/metadata' })
    assert.equal(first.statusCode, 200)
    assert.match(String(first.headers['content-type']), /application\/samlmetadata\+xml/)
    assert.equal(first.body, second.body, 'the same document every time')
    const xml = first.body
    assert.match(xml, new RegExp(`<EntityDescriptor[^>]+entityID="${DEMO.audience}"`))
    assert.match(xml, /xmlns="urn:oasis:names:tc:SAML:2.0:metadata"/)
    assert.match(xml, /<SPSSODescriptor[^>]+AuthnRequestsSigned="true"[^>]+WantAssertionsSigned="true"/)
    assert.match(xml, /protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/)
    assert.match(xml, /<KeyDescriptor use="signing">/)
    assert.match(xml, /<KeyDescriptor use="encryption">/)
    const der = (name: string) =>
      pem(name)
        .replace(/-----[A-Z ]+-----/g, '')
        .replace(/\s/g, '')
    assert.ok(xml.replace(/\s/g, '').includes(der('sp-signing.crt')), 'the signing certificate')
    assert.ok(xml.replace(/\s/g, '').includes(der('sp-encryption.crt')), 'the encryption certificate')
    assert.match(
      xml,
      new RegExp(
        `<AssertionConsumerService[^>]+Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"[^>]+Location="${DEMO.acs}"`,
      ),
    )
    assert.match(
      xml,
      /<SingleLogoutService[^>]+Location="http:\/\/localhost:3000\/identity\/saml\/bundid-demo\/logout"/,
    )
    assert.match(xml, /<NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent<\/NameIDFormat>/)
    assert.match(xml, new RegExp(`<RequestedAttribute Name="${BUNDID_ATTRIBUTES.subject}"[^>]+isRequired="true"`))
    assert.match(xml, new RegExp(`<RequestedAttribute Name="${BUNDID_ATTRIBUTES.birthDate}"[^>]+isRequired="false"`))
    // Well-formed: every element that opens closes, in order.
    const stack: string[] = []
    for (const [, closing, name, selfClosing] of xml.matchAll(/<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>/g)) {
      if (closing) assert.equal(stack.pop(), name)
      else if (!selfClosing) stack.push(name)
    }
    assert.deepEqual(stack, [])
  })

  it('answers 404 for a provider that does not exist', async () => {
    const res = await platform.app.inject({ method: 'GET', url: '/identity/saml/nobody/metadata' })
    assert.equal(res.statusCode, 404)
  })
})

describe('signing in with SAML', () => {
  it('asks for the level as BundID does (STORK QAA, minimum) or as eIDAS LoA, in a signed request to the IdP', async () => {
    const browser = new TestBrowser(platform)
    const plain = await begin(browser, 'bundid-demo')
    assert.equal(plain.url.origin + plain.url.pathname, `${BASE}/dev/identity/saml/sso`)
    assert.deepEqual(plain.authnContext, ['STORK-QAA-Level-1'])
    assert.equal(plain.acsUrl, DEMO.acs)
    assert.equal(plain.issuer, DEMO.audience)
    const substantial = await begin(browser, 'bundid-demo', '?assurance=substantial')
    assert.deepEqual(substantial.authnContext, ['STORK-QAA-Level-3'])
    const eidas = await begin(browser, 'saml-test', '?assurance=high')
    assert.deepEqual(eidas.authnContext, ['http://eidas.europa.eu/LoA/high'])
    const xml = zlib
      .inflateRawSync(Buffer.from(String(new URLSearchParams(plain.url.search).get('SAMLRequest')), 'base64'))
      .toString()
    assert.match(xml, /Comparison="minimum"/)
    assert.match(xml, /akdb:RequestedAttribute Name="urn:oid:1.3.6.1.4.1.25484.494450.3" RequiredAttribute="true"/)
  })

  it('signs in through the demo BundID: the account is made with the verified attributes, the session has the level', async () => {
    const browser = new TestBrowser(platform, 'en')
    const start = await browser.get('/login/with/bundid-demo?return=/account/profile')
    const idpPage = await browser.get(String(start.headers.location).replace(BASE, ''))
    assert.equal(idpPage.statusCode, 200)
    assert.match(idpPage.body, /BundID \(demo\): sign in/)
    assert.match(idpPage.body, /online ID card/)
    const request = /name="request" value="([^"]+)"/.exec(idpPage.body)?.[1]?.replace(/&amp;/g, '&')
    assert.ok(request)
    const posted = await browser.post(
      '/dev/identity/saml/sso',
      { request, person: 'erika', method: 'eid', action: 'login' },
      { csrf: false },
    )
    assert.equal(posted.statusCode, 200)
    assert.match(posted.body, /<script src="\/assets\/saml-post.js"/)
    assert.match(posted.body, new RegExp(`action="${DEMO.acs}"`))
    const samlResponse = /name="SAMLResponse" value="([^"]+)"/.exec(posted.body)?.[1]
    assert.ok(samlResponse)
    assert.match(Buffer.from(samlResponse, 'base64').toString(), /EncryptedAssertion/, 'the demo encrypts')

    const acs = await postAcs(browser, 'bundid-demo', samlResponse)
    assert.equal(acs.statusCode, 303)
    assert.match(String(acs.headers.location), /^\/identity\/saml\/bundid-demo\/complete\?code=[\w-]{43}$/)
    const done = await browser.get(String(acs.headers.location))
    assert.equal(done.statusCode, 303)
    assert.equal(done.headers.location, '/account/profile')

    const account = await accountByEmail(ERIKA.email)
    assert.ok(account)
    assert.equal(account.given_name, 'Erika')
    assert.equal(account.family_name, 'Mustermann')
    assert.equal(String(account.birth_date).slice(0, 10) || account.birth_date, '1964-08-12')
    assert.equal(account.street, 'Heidestraße')
    assert.equal(account.house_number, '17')
    assert.equal(account.postal_code, '51147')
    assert.equal(account.city, 'Köln')
    assert.deepEqual(Object.keys(account.verified_fields).sort(), [
      'birthDate',
      'city',
      'familyName',
      'givenName',
      'houseNumber',
      'postalCode',
      'street',
    ])
    const identity = await db()
      .selectFrom('account_identities')
      .selectAll()
      .where('account_id', '=', account.id)
      .executeTakeFirstOrThrow()
    assert.equal(identity.provider_id, 'bundid-demo')
    assert.equal(identity.subject, ERIKA.bpk2)
    assert.equal(identity.assurance, 'high')
    const session = await db()
      .selectFrom('sessions')
      .selectAll()
      .where('account_id', '=', account.id)
      .executeTakeFirstOrThrow()
    assert.equal(session.assurance, 'high')
    assert.equal(session.identity_provider, 'bundid-demo')
    assert.match(String(session.provider_session), /^_demo-session-/)
    const profile = await browser.get('/account/profile')
    assert.equal(profile.statusCode, 200)
    assert.match(profile.body, /Mustermann/)
    const left = await db().selectFrom('saml_sign_ins').select('identity').where('identity', 'is not', null).execute()
    assert.equal(left.length, 0, 'the identity kept between ACS and return is gone')
  })

  it('signs the same identity in to the same account the next time, with the level of that sign-in', async () => {
    const accountsBefore = await countAccounts()
    const browser = new TestBrowser(platform)
    const request = await begin(browser, 'bundid-demo')
    const acs = await postAcs(
      browser,
      'bundid-demo',
      encode(
        await responseFor(DEMO, request, {
          attributes: demoAttributes(ERIKA, 'substantial'),
          authnContextClassRef: 'STORK-QAA-Level-3',
        }),
      ),
    )
    const done = await browser.follow(acs)
    assert.equal(done.statusCode, 200)
    assert.equal(await countAccounts(), accountsBefore)
    const account = await accountByEmail(ERIKA.email)
    const levels = await db()
      .selectFrom('sessions')
      .select('assurance')
      .where('account_id', '=', account?.id ?? '')
      .execute()
    assert.ok(levels.some(s => s.assurance === 'substantial'))
  })

  it('takes the level from the AuthnContextClassRef when no level attribute comes, and never above the provider’s maximum', async () => {
    const browser = new TestBrowser(platform)
    const request = await begin(browser, 'saml-test')
    const attributes = demoAttributes(JONAS, 'high')
    delete attributes[BUNDID_ATTRIBUTES.level]
    const acs = await postAcs(
      browser,
      'saml-test',
      encode(await responseFor(TEST, request, { attributes, authnContextClassRef: 'http://eidas.europa.eu/LoA/high' })),
    )
    assert.equal(acs.statusCode, 303)
    assert.equal((await browser.get(String(acs.headers.location))).statusCode, 303)
    const account = await accountByEmail(JONAS.email)
    assert.ok(account)
    const session = await db()
      .selectFrom('sessions')
      .select('assurance')
      .where('account_id', '=', account.id)
      .executeTakeFirstOrThrow()
    assert.equal(session.assurance, 'substantial', 'capped at the configured maxAssurance')
  })

  it('accepts assertions signed with either of two configured IdP certificates (key rotation)', async () => {
    for (const key of ['idp-next', 'idp']) {
      const browser = new TestBrowser(platform)
      const request = await begin(browser, 'saml-test')
      const acs = await postAcs(
        browser,
        'saml-test',
        encode(
          await responseFor(TEST, request, {
            attributes: demoAttributes(JONAS, 'substantial'),
            signingKey: pem(`${key}.key`),
            signingCertificate: pem(`${key}.crt`),
          }),
        ),
      )
      assert.equal(acs.statusCode, 303, key)
      assert.equal((await browser.get(String(acs.headers.location))).statusCode, 303, key)
    }
  })

  it('accepts a response signed as a whole around a signed assertion', async () => {
    const browser = new TestBrowser(platform)
    const request = await begin(browser, 'saml-test')
    const xml = await responseFor(TEST, request, { attributes: demoAttributes(JONAS, 'low'), signResponse: true })
    const acs = await postAcs(browser, 'saml-test', encode(xml))
    assert.equal(acs.statusCode, 303)
  })
})

describe('refusing bad SAML responses, each with its own page, a 4xx and nothing created', () => {
  const refusals: {
    name: string
    target: typeof DEMO
    make: (request: AuthnRequestInfo) => Promise<string>
    status?: number
    title: RegExp
  }[] = [
    {
      name: 'a tampered assertion (a signed attribute changed)',
      target: TEST,
      make: async r => (await responseFor(TEST, r)).replace('>Erika<', '>Mallory<'),
      title: /Die Anmeldung konnte nicht bestätigt werden/,
    },
    {
      name: 'a signature by another key',
      target: TEST,
      make: r => responseFor(TEST, r, { signingKey: pem('other.key'), signingCertificate: pem('other.crt') }),
      title: /Die Anmeldung konnte nicht bestätigt werden/,
    },
    {
      name: 'an unsigned assertion',
      target: TEST,
      make: r => responseFor(TEST, r, { signAssertion: false }),
      title: /Die Anmeldung konnte nicht bestätigt werden/,
    },
    {
      name: 'an unsigned assertion inside a signed response by another key',
      target: TEST,
      make: r =>
        responseFor(TEST, r, {
          signAssertion: false,
          signResponse: true,
          signingKey: pem('other.key'),
          signingCertificate: pem('other.crt'),
        }),
      title: /Die Anmeldung konnte nicht bestätigt werden/,
    },
    {
      name: 'an expired assertion (NotOnOrAfter passed, beyond the clock skew)',
      target: TEST,
      make: r =>
        responseFor(TEST, r, {
          now: new Date(Date.now() - 10 * 60_000),
          notOnOrAfter: new Date(Date.now() - 60_000),
        }),
      title: /Die Anmeldung ist abgelaufen/,
    },
    {
      name: 'an assertion not yet valid (NotBefore ahead, beyond the clock skew)',
      target: TEST,
      make: r => responseFor(TEST, r, { notBefore: new Date(Date.now() + 5 * 60_000) }),
      title: /Die Anmeldung ist noch nicht gültig/,
    },
    {
      name: 'a wrong audience',
      target: TEST,
      make: r => responseFor(TEST, r, { audience: 'https://other-sp.example/metadata' }),
      title: /Die Anmeldung konnte nicht bestätigt werden/,
    },
    {
      name: 'a wrong issuer (signed with a trusted key, but naming another IdP)',
      target: TEST,
      make: r => responseFor(TEST, r, { issuer: 'https://evil-idp.example/saml' }),
      title: /Die Anmeldung konnte nicht bestätigt werden/,
    },
    {
      name: 'a wrong destination',
      target: TEST,
      make: r => responseFor(TEST, r, { destination: 'https://other-sp.example/acs' }),
      title: /Die Anmeldung konnte nicht bestätigt werden/,
    },
    {
      name: 'missing attributes (no family name)',
      target: TEST,
      make: r => {
        const attributes = demoAttributes(JONAS, 'low')
        delete attributes[BUNDID_ATTRIBUTES.familyName]
        return responseFor(TEST, r, { attributes })
      },
      title: /Es fehlen Angaben zu Ihrer Person/,
    },
    {
      name: 'a cancel at the IdP (AuthnFailed)',
      target: TEST,
      make: async r =>
        buildSamlErrorResponse({
          issuer: TEST.issuer,
          destination: TEST.acs,
          inResponseTo: r.id,
          now: new Date(),
          subStatus: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed',
        }),
      title: /Sie haben die Anmeldung abgebrochen/,
    },
    {
      name: 'another error status of the IdP',
      target: TEST,
      make: async r =>
        buildSamlErrorResponse({
          issuer: TEST.issuer,
          destination: TEST.acs,
          inResponseTo: r.id,
          now: new Date(),
          subStatus: 'urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal',
        }),
      title: /Der Identitätsanbieter hat einen Fehler gemeldet/,
    },
    {
      name: 'an assertion not encrypted where the provider requires encryption',
      target: DEMO,
      make: r => responseFor(DEMO, r, { encryptFor: undefined }),
      title: /Die Anmeldung konnte nicht bestätigt werden/,
    },
    {
      name: 'an assertion encrypted for another key',
      target: DEMO,
      make: r => responseFor(DEMO, r, { encryptFor: pem('other.crt') }),
      title: /Die Anmeldung konnte nicht bestätigt werden/,
    },
  ]
  for (const refusal of refusals)
    it(`refuses ${refusal.name}`, async () => {
      const accountsBefore = await countAccounts()
      const browser = new TestBrowser(platform)
      const request = await begin(browser, refusal.target.id)
      const res = await postAcs(browser, refusal.target.id, encode(await refusal.make(request)))
      await assertRefused(res, refusal.status ?? 400, refusal.title, accountsBefore)
      // The request is used up: a correct answer sent afterwards is not taken either.
      const late = await postAcs(browser, refusal.target.id, encode(await responseFor(refusal.target, request)))
      await assertRefused(late, 400, /bereits verwendet oder ist abgelaufen/, accountsBefore)
    })

  it('refuses a level below the one the service asked for', async () => {
    const accountsBefore = await countAccounts()
    const browser = new TestBrowser(platform)
    const request = await begin(browser, 'bundid-demo', '?assurance=high')
    const res = await postAcs(
      browser,
      'bundid-demo',
      encode(
        await responseFor(DEMO, request, {
          attributes: demoAttributes(JONAS, 'substantial'),
          authnContextClassRef: 'STORK-QAA-Level-3',
        }),
      ),
    )
    await assertRefused(res, 400, /Diese Anmeldung reicht für diesen Dienst nicht aus/, accountsBefore)
  })

  it('refuses an unsolicited response (no InResponseTo) and one answering a request we never sent', async () => {
    const accountsBefore = await countAccounts()
    const browser = new TestBrowser(platform)
    const unsolicited = await postAcs(browser, 'saml-test', encode(await responseFor(TEST, undefined)))
    await assertRefused(unsolicited, 400, /Diese Anmeldung wurde nicht hier begonnen/, accountsBefore)
    const unknown = await postAcs(browser, 'saml-test', encode(await responseFor(TEST, { id: '_not-ours' })))
    await assertRefused(unknown, 400, /bereits verwendet oder ist abgelaufen/, accountsBefore)
  })

  it('refuses a replayed response, a code used twice, a late code and a code in another browser', async () => {
    const accountsBefore = await countAccounts()
    const browser = new TestBrowser(platform)
    const request = await begin(browser, 'saml-test')
    const samlResponse = encode(await responseFor(TEST, request, { attributes: demoAttributes(JONAS, 'low') }))
    const first = await postAcs(browser, 'saml-test', samlResponse)
    assert.equal(first.statusCode, 303)
    const replayed = await postAcs(browser, 'saml-test', samlResponse)
    await assertRefused(replayed, 400, /bereits verwendet oder ist abgelaufen/, accountsBefore)

    // Another browser with the code (leaked from a URL) gets nothing, and the code is gone for the right one too.
    const stranger = new TestBrowser(platform)
    const stolen = await stranger.get(String(first.headers.location))
    await assertRefused(stolen, 400, /Anmeldung in einem anderen Browser begonnen/, accountsBefore)
    const afterTheft = await browser.get(String(first.headers.location))
    await assertRefused(afterTheft, 400, /bereits verwendet oder ist abgelaufen/, accountsBefore)

    const again = await begin(browser, 'saml-test')
    const acs = await postAcs(
      browser,
      'saml-test',
      encode(await responseFor(TEST, again, { attributes: demoAttributes(JONAS, 'low') })),
    )
    platform.clock.advance(3 * 60_000)
    const late = await browser.get(String(acs.headers.location))
    await assertRefused(late, 400, /Die Anmeldung ist abgelaufen/, accountsBefore)
    const missing = await browser.get('/identity/saml/saml-test/complete')
    await assertRefused(missing, 400, /bereits verwendet oder ist abgelaufen/, accountsBefore)
  })

  it('refuses an answer after the request expired (30 minutes), and the sweep forgets such requests', async () => {
    const browser = new TestBrowser(platform)
    const request = await begin(browser, 'saml-test')
    const samlResponse = encode(await responseFor(TEST, request, { attributes: demoAttributes(JONAS, 'low') }))
    platform.clock.advance(31 * 60_000)
    const late = await postAcs(browser, 'saml-test', samlResponse)
    assert.equal(late.statusCode, 400)
    assert.match(late.body, /bereits verwendet oder ist abgelaufen/)
    const forgotten = await forgetExpiredSamlSignIns(db(), platform.clock.now())
    assert.ok(forgotten >= 1)
    const left = await db()
      .selectFrom('saml_sign_ins')
      .select('request_id')
      .where('expires_at', '<', platform.clock.now())
      .execute()
    assert.deepEqual(left, [])
  })

  it('answers malformed posts with a page and a 4xx, never a 5xx (fuzzed)', async () => {
    const accountsBefore = await countAccounts()
    const browser = new TestBrowser(platform, 'en')
    const valid = await responseFor(TEST, { id: '_x' })
    const bodies: string[] = [
      '',
      '%%%not base64%%%',
      encode('not xml at all'),
      encode('<samlp:Response'),
      encode('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'),
      encode('<Envelope><Response InResponseTo="_x"/></Envelope>'),
      encode(valid.slice(0, valid.length / 2)),
      Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 37) % 256)).toString('base64'),
    ]
    for (let i = 0; i < 20; i++) {
      const cut = Math.floor(Math.random() * valid.length)
      bodies.push(encode(valid.slice(0, cut) + String.fromCharCode(33 + (i % 90)) + valid.slice(cut + 1)))
    }
    for (const body of bodies) {
      const res = await postAcs(browser, 'saml-test', body)
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${res.statusCode} for ${body.slice(0, 40)}`)
      assert.match(res.headers['content-type'] as string, /text\/html/)
    }
    const noField = await browser.post('/identity/saml/saml-test/acs', {}, { csrf: false })
    assert.equal(noField.statusCode, 400)
    assert.match(noField.body, /The identity provider&#39;s answer cannot be read|answer cannot be read/)
    const json = await platform.app.inject({
      method: 'POST',
      url: '/identity/saml/saml-test/acs',
      payload: { SAMLResponse: 42 },
    })
    assert.ok(json.statusCode >= 400 && json.statusCode < 500)
    const unknownProvider = await postAcs(browser, 'nobody', encode(valid))
    assert.equal(unknownProvider.statusCode, 404)
    assert.equal(await countAccounts(), accountsBefore)
  })

  it('speaks the language the sign-in began in, although the IdP’s post brings no cookie of ours', async () => {
    const browser = new TestBrowser(platform, 'en')
    const request = await begin(browser, 'saml-test')
    const res = await platform.app.inject({
      method: 'POST',
      url: '/identity/saml/saml-test/acs',
      payload: `SAMLResponse=${encodeURIComponent(encode(await responseFor(TEST, request, { signAssertion: false })))}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://idp.test.example' },
    })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /The sign-in could not be confirmed/)
  })
})

describe('SAML Single Logout', () => {
  it('ends the sessions of a SessionIndex when the IdP sends a signed LogoutRequest, and answers it', async () => {
    const browser = new TestBrowser(platform)
    const request = await begin(browser, 'saml-test')
    const sessionIndex = '_slo-session-1'
    const acs = await postAcs(
      browser,
      'saml-test',
      encode(await responseFor(TEST, request, { attributes: demoAttributes(JONAS, 'low'), sessionIndex })),
    )
    await browser.get(String(acs.headers.location))
    assert.equal((await browser.get('/account/profile')).statusCode, 200)

    const forged = buildSamlLogoutRequest({
      issuer: TEST.issuer,
      destination: `${BASE}/identity/saml/saml-test/logout`,
      nameId: JONAS.bpk2,
      sessionIndex,
      now: new Date(),
      signingKey: pem('other.key'),
      signingCertificate: pem('other.crt'),
    })
    const refused = await browser.post(
      '/identity/saml/saml-test/logout',
      { SAMLRequest: encode(forged) },
      { csrf: false },
    )
    assert.equal(refused.statusCode, 400)
    assert.equal((await browser.get('/account/profile')).statusCode, 200, 'a forged logout ends nothing')

    const logout = buildSamlLogoutRequest({
      issuer: TEST.issuer,
      destination: `${BASE}/identity/saml/saml-test/logout`,
      nameId: JONAS.bpk2,
      sessionIndex,
      now: new Date(),
      signingKey: pem('idp.key'),
      signingCertificate: pem('idp.crt'),
    })
    const res = await browser.post(
      '/identity/saml/saml-test/logout',
      { SAMLRequest: encode(logout), RelayState: 'r1' },
      { csrf: false },
    )
    assert.equal(res.statusCode, 303)
    const answer = new URL(String(res.headers.location))
    assert.equal(answer.origin + answer.pathname, 'https://idp.test.example/slo')
    assert.ok(answer.searchParams.get('SAMLResponse'))
    assert.ok(answer.searchParams.get('Signature'), 'our LogoutResponse is signed')
    assert.equal(answer.searchParams.get('RelayState'), 'r1')
    const after = await browser.get('/account/profile')
    assert.equal(after.statusCode, 303, 'signed out')
  })

  it('continues our logout to the IdP (SP-initiated, signed LogoutRequest) and comes back with its LogoutResponse', async () => {
    const browser = new TestBrowser(platform)
    const request = await begin(browser, 'bundid-demo')
    const sessionIndex = '_sp-slo-session'
    const acs = await postAcs(browser, 'bundid-demo', encode(await responseFor(DEMO, request, { sessionIndex })))
    await browser.get(String(acs.headers.location))
    assert.equal((await browser.get('/account/profile')).statusCode, 200)

    const out = await browser.post('/logout')
    assert.equal(out.statusCode, 303)
    const toIdp = new URL(String(out.headers.location))
    assert.equal(toIdp.origin + toIdp.pathname, `${BASE}/dev/identity/saml/slo`)
    const logoutRequest = zlib
      .inflateRawSync(Buffer.from(String(toIdp.searchParams.get('SAMLRequest')), 'base64'))
      .toString()
    assert.match(logoutRequest, new RegExp(`<(\\w+:)?SessionIndex[^>]*>${sessionIndex}<`))
    assert.match(logoutRequest, new RegExp(`>${ERIKA.bpk2}</saml:NameID>`))
    assert.ok(toIdp.searchParams.get('Signature'), 'our LogoutRequest is signed')
    assert.equal((await browser.get('/account/profile')).statusCode, 303, 'our session ended at once')

    const back = await browser.get(toIdp.pathname + toIdp.search)
    assert.equal(back.statusCode, 303)
    const toUs = new URL(String(back.headers.location))
    assert.equal(toUs.pathname, '/identity/saml/bundid-demo/logout')
    const home = await browser.get(toUs.pathname + toUs.search)
    assert.equal(home.statusCode, 303)
    assert.equal(home.headers.location, '/')

    // Without its signature the same answer is refused: node-saml alone would take it.
    toUs.searchParams.delete('Signature')
    const unsigned = await browser.get(toUs.pathname + toUs.search)
    assert.equal(unsigned.statusCode, 400)
  })

  it('lets our forms be redirected to the IdPs’ logout pages (CSP form-action), and nowhere else', async () => {
    const res = await platform.app.inject({ method: 'GET', url: '/login' })
    const formAction = /form-action ([^;]+)/.exec(String(res.headers['content-security-policy']))?.[1]
    // The demo's logout is this site's own: 'self' covers it.
    assert.equal(formAction, "'self' https://idp.test.example")
  })

  it('ends a password session at /logout without going to any IdP', async () => {
    const browser = new TestBrowser(platform)
    await browser.get('/login')
    const login = await browser.post('/login', { email: 'erika.mustermann@example.org', password: DEMO_PASSWORD })
    assert.equal(login.statusCode, 303)
    await browser.get('/account/profile')
    const out = await browser.post('/logout')
    assert.equal(out.headers.location, '/')
  })

  it('answers a logout call without a message with a page and 400', async () => {
    const res = await platform.app.inject({ method: 'GET', url: '/identity/saml/saml-test/logout' })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /Die Abmeldung konnte nicht bestätigt werden/)
  })
})

describe('SAML settings', () => {
  it('stops the start naming the provider and the file when a key or certificate file is missing', () => {
    const file = path.join(configDir, 'broken.yaml')
    fs.writeFileSync(
      file,
      fs
        .readFileSync(path.join(configDir, 'identity.yaml'), 'utf8')
        .replace(demoFile('sp-signing.key'), '/nowhere/sp-signing.key'),
    )
    const providers = loadIdentityProviders(file, [samlProtocol as IdentityProtocol])
    // What the start does when it registers the protocol's routes.
    assert.throws(
      () => samlProtocol.routes(providers as never),
      /identity provider saml-test: .*\/nowhere\/sp-signing.key/,
    )
  })

  it('refuses settings that do not fit the schema, with the path of each problem', () => {
    const file = path.join(configDir, 'wrong.yaml')
    fs.writeFileSync(
      file,
      fs
        .readFileSync(path.join(configDir, 'identity.yaml'), 'utf8')
        .replace('clockSkewSeconds: 30', 'clockSkewSeconds: 3000')
        .replace('levelStyle: eidas', 'levelStyle: loa'),
    )
    assert.throws(
      () => loadIdentityProviders(file, [samlProtocol as IdentityProtocol]),
      (error: Error) => /settings\/clockSkewSeconds/.test(error.message) && /settings\/levelStyle/.test(error.message),
    )
  })
})

describe('the demo BundID', () => {
  it('refuses a request that is not a signed AuthnRequest of this platform', async () => {
    const unsigned = await platform.app.inject({ method: 'GET', url: '/dev/identity/saml/sso?SAMLRequest=abc' })
    assert.equal(unsigned.statusCode, 400)
    assert.match(unsigned.body, /Ungültige Anmeldeanfrage/)
    const browser = new TestBrowser(platform)
    const request = await begin(browser, 'bundid-demo')
    const tampered = request.url.search.replace(/SAMLRequest=[^&]{4}/, 'SAMLRequest=AAAA')
    const res = await browser.get(`/dev/identity/saml/sso${tampered}`)
    assert.equal(res.statusCode, 400)
  })

  it('offers only the methods that reach the level asked for, and posts a cancel back as AuthnFailed', async () => {
    const browser = new TestBrowser(platform)
    const request = await begin(browser, 'bundid-demo', '?assurance=substantial')
    const page = await browser.get(request.url.pathname + request.url.search)
    assert.match(page.body, /ELSTER/)
    assert.doesNotMatch(page.body, /value="password"/)
    const raw = request.url.search.slice(1)
    const wrong = await browser.post(
      '/dev/identity/saml/sso',
      { request: raw, person: 'erika', method: 'password', action: 'login' },
      { csrf: false },
    )
    assert.equal(wrong.statusCode, 400)
    assert.match(wrong.body, /Bitte wählen Sie aus/)
    const cancel = await browser.post('/dev/identity/saml/sso', { request: raw, action: 'cancel' }, { csrf: false })
    const samlResponse = /name="SAMLResponse" value="([^"]+)"/.exec(cancel.body)?.[1]
    assert.ok(samlResponse)
    const res = await postAcs(browser, 'bundid-demo', samlResponse)
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /Sie haben die Anmeldung abgebrochen/)
  })
})
