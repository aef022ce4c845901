import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { CONFIGURATION_DOC, renderConfigurationDoc } from '../scripts/configuration-doc.js'
import { SETTINGS } from '../src/platform/config.js'

describe('docs/configuration.md', () => {
  it('is what `npm run docs:config` writes from the declarations in src/platform/config.ts', () => {
    assert.equal(
      fs.readFileSync(CONFIGURATION_DOC, 'utf8'),
      renderConfigurationDoc(),
      'docs/configuration.md is out of date: run `npm run docs:config` and commit the result',
    )
  })

  it('names every declared variable once', () => {
    const doc = renderConfigurationDoc()
    for (const { env } of Object.values(SETTINGS)) {
      assert.equal(doc.split(`| \`${env}\` |`).length - 1, 1, env)
    }
  })
})
