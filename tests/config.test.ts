import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { ConfigError, loadConfig, SETTINGS, type Config } from '../src/platform/config.js'
import { loadOffices } from '../src/modules/catalogue/index.js'
import { contactRoutingSettings } from '../src/modules/contact/index.js'
import { PRODUCTION_ENV } from './support/production-env.js'

// Production demands its secrets; these tests are about the address, so they give them.
const production = PRODUCTION_ENV

describe('where the platform listens', () => {
  it('answers only this machine in development, where demo accounts and /dev/mail are on', () => {
    const config = loadConfig({})
    assert.equal(config.host, '127.0.0.1')
    assert.equal(config.seedDemoData, true)
    assert.equal(config.devMail, true)
  })

  it('listens on every interface in production, as a container behind a proxy must, without demo accounts or /dev/mail', () => {
    const config = loadConfig(production)
    assert.equal(config.host, '0.0.0.0')
    assert.equal(config.seedDemoData, false)
    assert.equal(config.devMail, false)
  })

  it('listens where HOST says, in either mode; an empty HOST keeps the default', () => {
    assert.equal(loadConfig({ HOST: '0.0.0.0' }).host, '0.0.0.0')
    assert.equal(loadConfig({ ...production, HOST: '127.0.0.1' }).host, '127.0.0.1')
    assert.equal(loadConfig({ HOST: '' }).host, '127.0.0.1')
  })
})

describe('a malformed variable stops the start, naming the variable and what is wrong', () => {
  const fails = (env: Record<string, string>, message: string) =>
    assert.throws(
      () => loadConfig(env),
      (error: Error) => error instanceof ConfigError && error.message === `Configuration error in ${message}`,
    )

  it('an empty or non-numeric PORT, or one out of range', () => {
    fails({ PORT: '' }, "PORT: expected an integer 0–65535, got ''")
    fails({ PORT: 'http' }, "PORT: expected an integer 0–65535, got 'http'")
    fails({ PORT: '70000' }, 'PORT: expected an integer 0–65535, got 70000')
    assert.equal(loadConfig({ PORT: '8080' }).port, 8080)
  })

  it('a boolean that is neither yes nor no, instead of reading it as false', () => {
    fails({ COOKIE_SECURE: 'maybe' }, "COOKIE_SECURE: expected true or false (also 1/0, yes/no, on/off), got 'maybe'")
    assert.equal(loadConfig({ COOKIE_SECURE: 'ON' }).cookieSecure, true)
    assert.equal(loadConfig({ ...production, COOKIE_SECURE: 'no' }).cookieSecure, false)
    assert.equal(loadConfig({ COOKIE_SECURE: '' }).cookieSecure, false, 'empty keeps the default')
  })

  it('a value outside a list of choices', () => {
    fails(
      { LOG_LEVEL: 'verbose' },
      "LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got 'verbose'",
    )
    fails({ LOG_LEVEL: '' }, "LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got ''")
  })

  it('URLs of the wrong kind', () => {
    fails(
      { BASE_URL: 'bauhaus.example' },
      "BASE_URL: expected a URL starting with http:// or https://, got 'bauhaus.example'",
    )
    fails(
      { DATABASE_URL: 'mysql://db' },
      "DATABASE_URL: expected empty or a URL starting with postgres:// or postgresql://, got 'mysql://db'",
    )
    fails(
      { SMTP_URL: 'mail.example:25' },
      "SMTP_URL: expected empty or a URL starting with smtp:// or smtps://, got 'mail.example:25'",
    )
    assert.equal(
      loadConfig({ SMTP_URL: 'smtps://user:pass@mail.example:465' }).smtpUrl,
      'smtps://user:pass@mail.example:465',
    )
  })

  it('a fraction where a number between 0 and 1 belongs', () => {
    fails({ TRIAGE_MIN_CONFIDENCE: '60%' }, "TRIAGE_MIN_CONFIDENCE: expected a number 0–1, got '60%'")
    fails({ TRIAGE_MIN_CONFIDENCE: '1.5' }, 'TRIAGE_MIN_CONFIDENCE: expected a number 0–1, got 1.5')
    assert.equal(loadConfig({ TRIAGE_MIN_CONFIDENCE: '.75' }).triageMinConfidence, 0.75)
  })

  it('checks values given by the caller like those from the environment', () => {
    assert.throws(
      () => loadConfig({}, { port: -1 }),
      /Configuration error in PORT: expected an integer 0–65535, got -1/,
    )
  })
})

describe('defaults', () => {
  it('derive from other variables where the declaration says so', () => {
    assert.equal(loadConfig({ PORT: '4000' }).baseUrl, 'http://localhost:4000')
    assert.equal(loadConfig({ SEED_DEMO_DATA: 'false' }).seedDemoCases, false)
    assert.equal(loadConfig({ SEED_DEMO_DATA: 'false', SEED_DEMO_CASES: 'true' }).seedDemoCases, true)
  })

  it('give every declared key a value', () => {
    const config = loadConfig({})
    for (const key of Object.keys(SETTINGS)) assert.notEqual(config[key as keyof Config], undefined, key)
  })
})

describe('settings checked against the service definitions', () => {
  it('stops the start when TRIAGE_FALLBACK_OFFICE names no office', () => {
    const offices = loadOffices(path.resolve('services'))
    const config = loadConfig({ TRIAGE_FALLBACK_OFFICE: 'fundbuero-mars' })
    assert.throws(
      () => contactRoutingSettings(config, offices),
      (error: Error) =>
        error instanceof ConfigError &&
        error.message ===
          'Configuration error in TRIAGE_FALLBACK_OFFICE: unknown office "fundbuero-mars" (see services/_offices.yaml)',
    )
    const routing = contactRoutingSettings(loadConfig({ TRIAGE_MIN_CONFIDENCE: '0.8' }), offices)
    assert.equal(routing.fallbackOffice, 'buergerdienste')
    assert.equal(routing.triageMinConfidence, 0.8)
  })
})
