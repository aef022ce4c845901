import crypto from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError, loadConfig, SETTINGS } from '../src/platform/config.js'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser } from './support/casework.js'
import { PRODUCTION_ENV } from './support/production-env.js'

const PRODUCTION = PRODUCTION_ENV

const without = (...names: string[]) =>
  Object.fromEntries(Object.entries(PRODUCTION).filter(([name]) => !names.includes(name)))

function assertStopsNaming(env: Record<string, string>, variable: string, problem: RegExp) {
  assert.throws(
    () => loadConfig(env),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.variable === variable &&
      error.message.startsWith(`Configuration error in ${variable}: `) &&
      problem.test(error.message),
  )
}

describe('a production start has no built-in secrets and no fake payments', () => {
  it('starts with every required value given, on Stripe, with HSTS and without /dev/mail or demo people', () => {
    const config = loadConfig(PRODUCTION)
    assert.equal(config.paymentProvider, 'stripe')
    assert.equal(config.devMail, false)
    assert.equal(config.seedDemoData, false)
    assert.equal(config.hstsMaxAge, 31_536_000)
    assert.deepEqual(config.metricsAllowedAddresses, [])
  })

  it('stops naming each required variable that is missing or empty', () => {
    for (const variable of ['BASE_URL', 'PAYMENT_PROVIDER', 'ALTCHA_HMAC_KEY'] as const) {
      assertStopsNaming(without(variable), variable, /required in production/)
      assertStopsNaming({ ...PRODUCTION, [variable]: '' }, variable, /required in production/)
    }
  })

  it('has no production default for PAYMENT_PROVIDER, while development keeps the sandbox', () => {
    assertStopsNaming(without('PAYMENT_PROVIDER'), 'PAYMENT_PROVIDER', /required in production \(stripe;/)
    assert.equal(loadConfig({}).paymentProvider, 'sandbox')
  })

  it('refuses the sandbox in production without the second opt-in, and then wants its own secret', () => {
    const sandbox = { ...PRODUCTION, PAYMENT_PROVIDER: 'sandbox' }
    assertStopsNaming(sandbox, 'PAYMENT_SANDBOX_SECRET', /required in production/)
    const withSecret = { ...sandbox, PAYMENT_SANDBOX_SECRET: 'a-staging-sandbox-secret-0123456789' }
    assertStopsNaming(withSecret, 'PAYMENT_SANDBOX_IN_PRODUCTION', /fake payments/)
    assertStopsNaming(
      { ...withSecret, PAYMENT_SANDBOX_IN_PRODUCTION: 'no' },
      'PAYMENT_SANDBOX_IN_PRODUCTION',
      /fake payments/,
    )
    const allowed = loadConfig({ ...withSecret, PAYMENT_SANDBOX_IN_PRODUCTION: 'true' })
    assert.equal(allowed.paymentProvider, 'sandbox')
    assert.equal(allowed.paymentSandboxSecret, 'a-staging-sandbox-secret-0123456789')
  })

  it('refuses the development secrets published in the source code', () => {
    const sandbox = { ...PRODUCTION, PAYMENT_PROVIDER: 'sandbox', PAYMENT_SANDBOX_IN_PRODUCTION: 'true' }
    assertStopsNaming(
      { ...sandbox, PAYMENT_SANDBOX_SECRET: 'bauhaus-sandbox-development-secret' },
      'PAYMENT_SANDBOX_SECRET',
      /development secret/,
    )
    assertStopsNaming(
      { ...PRODUCTION, ALTCHA_HMAC_KEY: 'bauhaus-altcha-development-key' },
      'ALTCHA_HMAC_KEY',
      /development key/,
    )
  })

  it('wants a real sender with SMTP, a metrics token of some length, standard password hashes and no demo people', () => {
    assertStopsNaming(
      { ...PRODUCTION, SMTP_URL: 'smtp://mail.stadt.example:587' },
      'MAIL_FROM',
      /required in production/,
    )
    const mail = loadConfig({
      ...PRODUCTION,
      SMTP_URL: 'smtp://mail.stadt.example:587',
      MAIL_FROM: 'Stadt Dortmund <noreply@stadt.example>',
    })
    assert.equal(mail.mailFrom, 'Stadt Dortmund <noreply@stadt.example>')
    assertStopsNaming({ ...PRODUCTION, METRICS_TOKEN: 'short' }, 'METRICS_TOKEN', /at least 16 characters/)
    assertStopsNaming({ ...PRODUCTION, PASSWORD_HASH_COST: 'test' }, 'PASSWORD_HASH_COST', /refused in production/)
    assertStopsNaming({ ...PRODUCTION, SEED_DEMO_DATA: 'true' }, 'SEED_DEMO_DATA', /refused in production/)
  })

  it('leaves no secret with a built-in production default: each is required where used, otherwise empty', () => {
    const secrets = Object.entries(SETTINGS).filter(([, declaration]) => /SECRET|_KEY$|TOKEN/.test(declaration.env))
    assert.ok(secrets.length >= 5, 'the sandbox, Stripe, ALTCHA and metrics secrets')
    const sandbox = {
      ...PRODUCTION,
      PAYMENT_PROVIDER: 'sandbox',
      PAYMENT_SANDBOX_IN_PRODUCTION: 'true',
      PAYMENT_SANDBOX_SECRET: 'a-staging-sandbox-secret-0123456789',
    }
    for (const base of [PRODUCTION, sandbox] as Record<string, string>[]) {
      for (const [key, declaration] of secrets) {
        const env = Object.fromEntries(Object.entries(base).filter(([name]) => name !== declaration.env))
        let value: unknown
        try {
          value = loadConfig(env)[key as keyof typeof SETTINGS]
        } catch (error) {
          assert.ok(error instanceof ConfigError && error.variable === declaration.env, String(error))
          continue
        }
        assert.equal(value, '', `${declaration.env} has no built-in value with ${base.PAYMENT_PROVIDER}`)
      }
    }
  })
})

describe('/dev/mail only when explicitly enabled', () => {
  it('is on by itself only in development on a loopback address', () => {
    assert.equal(loadConfig({}).devMail, true)
    assert.equal(loadConfig({ HOST: '0.0.0.0' }).devMail, false)
    assert.equal(loadConfig({ HOST: '0.0.0.0', DEV_MAIL: 'true' }).devMail, true)
    assert.equal(loadConfig(PRODUCTION).devMail, false)
    assert.equal(loadConfig({ ...PRODUCTION, DEV_MAIL: 'true' }).devMail, true)
  })

  it('does not exist when off: /dev/mail and a mail of it answer 404', async () => {
    const platform = await startTestPlatform({ devMail: false })
    try {
      const visitor = new TestBrowser(platform)
      assert.equal((await visitor.get('/dev/mail')).statusCode, 404)
      const mail = await platform.database.db.selectFrom('mail_outbox').select('id').executeTakeFirst()
      assert.equal((await visitor.get(`/dev/mail/${mail?.id ?? crypto.randomUUID()}`)).statusCode, 404)
      assert.ok(!platform.app.routeList.some(route => route.url.startsWith('/dev/mail')))
    } finally {
      await platform.close()
    }
  })
})

describe("a platform started with the production configuration (the review's probes)", () => {
  let platform: TestPlatform
  before(async () => {
    // What loadConfig gives for production, on the test database (address and database settings stay the test's).
    const production = loadConfig(PRODUCTION_ENV)
    platform = await startTestPlatform({
      paymentProvider: production.paymentProvider,
      paymentSandboxSecret: production.paymentSandboxSecret,
      stripeApiBase: 'http://127.0.0.1:9',
      stripeSecretKey: production.stripeSecretKey,
      stripeWebhookSecret: production.stripeWebhookSecret,
      devMail: production.devMail,
      hstsMaxAge: production.hstsMaxAge,
      metricsAllowedAddresses: production.metricsAllowedAddresses,
    })
  })
  after(async () => {
    await platform.close()
  })

  it('has no sandbox payment pages: GET and POST answer 404, and so does a forged sandbox notification', async () => {
    assert.ok(!platform.app.routeList.some(route => route.url.startsWith('/payments/sandbox')))
    const citizen = await citizenBrowser(platform)
    const id = crypto.randomUUID()
    assert.equal((await citizen.get(`/payments/sandbox/${id}`)).statusCode, 404)
    assert.equal((await citizen.post(`/payments/sandbox/${id}`, { action: 'pay' })).statusCode, 404)
    const forged = await platform.app.inject({
      method: 'POST',
      url: '/payments/notify/sandbox',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ providerPaymentId: id, status: 'paid' }),
    })
    assert.equal(forged.statusCode, 404)
  })

  it('has no /dev/mail, answers /metrics to nobody without the token, and sends HSTS', async () => {
    const visitor = new TestBrowser(platform)
    assert.equal((await visitor.get('/dev/mail')).statusCode, 404)
    assert.equal((await platform.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 403)
    assert.equal((await visitor.get('/')).headers['strict-transport-security'], 'max-age=31536000')
  })
})

describe('the sandbox in production with both opt-ins (a staging copy)', () => {
  it('has its pages', async () => {
    const staging = loadConfig({
      ...PRODUCTION_ENV,
      PAYMENT_PROVIDER: 'sandbox',
      PAYMENT_SANDBOX_IN_PRODUCTION: 'true',
      PAYMENT_SANDBOX_SECRET: 'a-staging-sandbox-secret-0123456789',
    })
    const platform = await startTestPlatform({
      paymentProvider: staging.paymentProvider,
      paymentSandboxSecret: staging.paymentSandboxSecret,
    })
    try {
      assert.ok(platform.app.routeList.some(route => route.url === '/payments/sandbox/:providerPaymentId'))
    } finally {
      await platform.close()
    }
  })
})

describe('/metrics without a token', () => {
  const scrape = (platform: TestPlatform, remoteAddress: string, headers: Record<string, string> = {}) =>
    platform.app.inject({ method: 'GET', url: '/metrics', remoteAddress, headers })

  it('answers only addresses in METRICS_ALLOWED_ADDRESSES, judged by the connection, never by a header', async () => {
    const platform = await startTestPlatform({ metricsAllowedAddresses: ['192.0.2.0/24', '2001:db8::/32'] })
    try {
      assert.equal((await scrape(platform, '192.0.2.7')).statusCode, 200)
      assert.equal((await scrape(platform, '::ffff:192.0.2.7')).statusCode, 200, 'IPv4 on a dual-stack socket')
      assert.equal((await scrape(platform, '2001:db8::5')).statusCode, 200)
      assert.equal((await scrape(platform, '198.51.100.4')).statusCode, 403)
      assert.equal((await scrape(platform, '127.0.0.1')).statusCode, 403, 'this machine is not listed')
      // A client that is no trusted proxy cannot name an allowed address.
      assert.equal((await scrape(platform, '198.51.100.4', { 'x-forwarded-for': '192.0.2.7' })).statusCode, 403)
      // A trusted proxy (TRUST_PROXY: loopback) forwarding an outsider does not open it either.
      assert.equal((await scrape(platform, '127.0.0.1', { 'x-forwarded-for': '198.51.100.4' })).statusCode, 403)
      // Only a trusted proxy's word counts: it forwards an allowed scraper.
      assert.equal((await scrape(platform, '127.0.0.1', { 'x-forwarded-for': '192.0.2.7' })).statusCode, 200)
    } finally {
      await platform.close()
    }
  })

  it('believes no forwarded address without trusted proxies, and answers nobody with an empty list', async () => {
    const direct = await startTestPlatform({ metricsAllowedAddresses: ['192.0.2.0/24'], trustedProxies: [] })
    try {
      assert.equal((await scrape(direct, '127.0.0.1', { 'x-forwarded-for': '192.0.2.7' })).statusCode, 403)
      assert.equal((await scrape(direct, '192.0.2.9', { 'x-forwarded-for': '198.51.100.4' })).statusCode, 200)
    } finally {
      await direct.close()
    }
    const none = await startTestPlatform({ metricsAllowedAddresses: [] })
    try {
      assert.equal((await scrape(none, '127.0.0.1')).statusCode, 403)
    } finally {
      await none.close()
    }
  })

  it('rejects a list entry that is no address range at the start', () => {
    assertStopsNaming(
      { METRICS_ALLOWED_ADDRESSES: '10.0.0.0/8,monitoring' },
      'METRICS_ALLOWED_ADDRESSES',
      /"monitoring"/,
    )
  })
})
