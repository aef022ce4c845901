import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig } from '../src/platform/config.js'

// Production demands its secrets; these tests are about the address, so they give them.
const production = { NODE_ENV: 'production', ALTCHA_HMAC_KEY: 'a-production-secret-for-tests' }

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
