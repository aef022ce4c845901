import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { loadCatalog, translator } from '../src/platform/i18n/i18n.js'

describe('translations', () => {
  it('has every key in German and in English', () => {
    const catalog = loadCatalog()
    const onlyDe = Object.keys(catalog.de).filter(k => !(k in catalog.en))
    const onlyEn = Object.keys(catalog.en).filter(k => !(k in catalog.de))
    assert.deepEqual(onlyDe, [], `missing in en.json: ${onlyDe.join(', ')}`)
    assert.deepEqual(onlyEn, [], `missing in de.json: ${onlyEn.join(', ')}`)
  })

  it('uses the same placeholders in both languages', () => {
    const catalog = loadCatalog()
    const placeholders = (s: string) =>
      [...s.matchAll(/\{(\w+)\}/g)]
        .map(m => m[1])
        .sort()
        .join(',')
    for (const key of Object.keys(catalog.de)) {
      if (catalog.en[key] === undefined) continue
      assert.equal(placeholders(catalog.en[key]!), placeholders(catalog.de[key]!), `placeholders differ for ${key}`)
    }
  })

  it('escapes interpolated values in markup and leaves them raw in text', () => {
    const t = translator('de')
    assert.equal(t('catalogue.list.resultsFor', { q: '<script>' }), 'Suchergebnisse für „&lt;script>“')
    assert.equal(t.text('catalogue.list.resultsFor', { q: '<b>' }), 'Suchergebnisse für „<b>“')
  })
})
