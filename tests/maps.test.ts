import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig } from '../src/platform/config.js'
import { startTestPlatform } from './support/test-platform.js'
import { PRODUCTION_ENV } from './support/production-env.js'

describe('map tiles', () => {
  it('asks no tile server in production unless MAP_TILE_URL names one; development uses OpenStreetMap', () => {
    const production = PRODUCTION_ENV
    assert.equal(loadConfig(production).mapTileUrl, '')
    assert.equal(
      loadConfig({ ...production, MAP_TILE_URL: '/tiles/{z}/{x}/{y}.png' }).mapTileUrl,
      '/tiles/{z}/{x}/{y}.png',
    )
    assert.equal(loadConfig({}).mapTileUrl, 'https://tile.openstreetmap.org/{z}/{x}/{y}.png')
    assert.equal(loadConfig({ MAP_TILE_URL: '' }).mapTileUrl, '', 'development can turn the map off too')
    assert.throws(
      () => loadConfig({ MAP_TILE_URL: 'tiles.example/{z}/{x}/{y}.png' }),
      /Configuration error in MAP_TILE_URL/,
    )
  })

  it('without a tile server, the report form has no map and says to give the place by address or coordinates', async () => {
    const platform = await startTestPlatform({ mapTileUrl: '' })
    try {
      const form = await platform.app.inject({ method: 'GET', url: '/maengel/melden' })
      assert.equal(form.statusCode, 200)
      assert.doesNotMatch(form.body, /data-tile-url/)
      assert.match(form.body, /id="map-off">Eine Karte bietet dieses Formular nicht an/)
      assert.match(form.body, /id="address"/)
      assert.doesNotMatch((await platform.app.inject({ method: 'GET', url: '/maengel/karte' })).body, /data-tile-url/)
    } finally {
      await platform.close()
    }
  })

  it('with tiles from another server, the map waits for the visitor to ask for it; tiles from this site need no asking', async () => {
    const platform = await startTestPlatform({ mapTileUrl: 'https://{s}.tiles.example.org/{z}/{x}/{y}.png' })
    try {
      const form = (await platform.app.inject({ method: 'GET', url: '/maengel/melden' })).body
      assert.match(
        form,
        /<p class="kern-body" id="report-map-consent" hidden><button type="button"[^>]*><span class="kern-label">Karte laden \(Kacheln von tiles\.example\.org\)<\/span>/,
      )
      assert.match(form, /data-consent="report-map-consent"/)
      assert.match(form, /id="map-hint" hidden/)
    } finally {
      await platform.close()
    }
    const own = await startTestPlatform({ mapTileUrl: '/tiles/{z}/{x}/{y}.png' })
    try {
      const form = (await own.app.inject({ method: 'GET', url: '/maengel/melden' })).body
      assert.match(form, /data-tile-url="\/tiles\/\{z\}\/\{x\}\/\{y\}\.png"/)
      assert.doesNotMatch(form, /data-consent|Karte laden/)
    } finally {
      await own.close()
    }
  })
})
