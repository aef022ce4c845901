import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import SwaggerParser from '@apidevtools/swagger-parser'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser } from './support/casework.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

const get = (url: string, headers: Record<string, string> = {}) => platform.app.inject({ method: 'GET', url, headers })
const setsSession = (res: { cookies: { name: string }[] }) => res.cookies.some(c => c.name === 'bauhaus_session')
/** A route pattern with its parameters filled in (the value does not matter to the context). */
const concrete = (url: string) => url.replace(/:(\w+)/g, 'x').replace('*', 'x')

describe('the machine context', () => {
  it('answers every API, Open311, probe and notification route without making a session', async () => {
    const machine = platform.app.routeList.filter(r =>
      /^\/(api|open311)\/|^\/(healthz|readyz|metrics|favicon\.ico|altcha\/challenge)$|^\/payments\/notify\//.test(
        r.url,
      ),
    )
    assert.ok(machine.length >= 12, `only ${machine.length} machine routes`)
    for (const route of machine) {
      const res = await platform.app.inject({ method: route.method as 'GET' | 'POST', url: concrete(route.url) })
      assert.equal(setsSession(res), false, `${route.method} ${route.url} made a session`)
      assert.notEqual(res.statusCode, 500, `${route.method} ${route.url}`)
    }
  })

  it('takes a POST without a CSRF token and refuses in JSON, in the language of the cookie', async () => {
    const missing = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/services/gibt-es-nicht/applications',
      payload: { answers: {} },
      headers: { cookie: 'bauhaus_lang=en' },
    })
    assert.equal(missing.statusCode, 404)
    assert.match(String(missing.headers['content-type']), /application\/json/)
    assert.equal(missing.json().message, 'This service does not exist.')
    const invalid = await get('/api/v1/services?limit=0', { cookie: 'bauhaus_lang=en' })
    assert.equal(invalid.statusCode, 400)
    assert.equal(invalid.json().code, 'FST_ERR_VALIDATION')
    assert.match(invalid.json().message, /^The request is invalid: querystring\/limit/)
  })

  it('answers an unknown URL under /api/ with JSON 404, any method, and makes no session', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const res = await platform.app.inject({ method, url: '/api/v2/nothing' })
      assert.equal(res.statusCode, 404)
      assert.deepEqual(res.json(), {
        code: 'errors.notFound',
        message: 'Die Seite oder der Eintrag wurde nicht gefunden. Prüfen Sie die Adresse.',
      })
      assert.equal(setsSession(res), false)
    }
  })
})

describe('the web context', () => {
  it('gives a page a session and refuses a POST without its CSRF token with a page', async () => {
    const page = await get('/services')
    assert.equal(page.statusCode, 200)
    assert.ok(setsSession(page))
    const post = await platform.app.inject({
      method: 'POST',
      url: '/login',
      payload: 'email=a%40example.org&password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    assert.equal(post.statusCode, 403)
    assert.match(String(post.headers['content-type']), /text\/html/)
  })

  it('answers an unknown URL with a 404 page that knows who is signed in', async () => {
    const stranger = await new TestBrowser(platform, 'en').get('/no/such/page')
    assert.equal(stranger.statusCode, 404)
    assert.match(String(stranger.headers['content-type']), /text\/html/)
    assert.match(stranger.body, /The page or item was not found/)
    const citizen = await citizenBrowser(platform)
    const res = await citizen.get('/no/such/page')
    assert.equal(res.statusCode, 404)
    assert.match(res.body, /action="\/logout"/, 'the header offers to sign out')
    const asset = await get('/assets/no-such-file.css')
    assert.equal(asset.statusCode, 404)
    assert.match(String(asset.headers['content-type']), /text\/html/)
    assert.equal(setsSession(asset), false, 'static files stay outside the sessions')
  })
})

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1, valid, and describes every /api/v1 operation with its error answers, and nothing else', async () => {
    const res = await get('/api/openapi.json')
    assert.equal(res.statusCode, 200)
    const doc = res.json()
    assert.equal(doc.openapi, '3.1.0')
    // validate() dereferences in place: it gets a copy.
    await SwaggerParser.validate(structuredClone(doc))

    const operations = platform.app.routeList
      .filter(r => r.url.startsWith('/api/v1/'))
      .map(r => `${r.method.toLowerCase()} ${r.url.replace(/:(\w+)/g, '{$1}')}`)
      .sort()
    assert.ok(operations.length >= 3, operations.join(', '))
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, methods]) => Object.keys(methods).map(method => `${method} ${path}`))
      .sort()
    assert.deepEqual(documented, operations)

    const operationIds = new Set<string>()
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
      for (const [method, operation] of Object.entries(methods)) {
        const name = `${method} ${path}`
        assert.ok(operation.operationId && !operationIds.has(operation.operationId), `${name}: a unique operationId`)
        operationIds.add(operation.operationId)
        assert.match(operation.summary ?? '', /^[A-Z][a-z]/, `${name}: a summary`)
        assert.ok(operation.tags?.length, `${name}: a tag`)
        for (const tag of operation.tags ?? [])
          assert.ok(
            doc.tags.some((t: { name: string }) => t.name === tag),
            `${name}: tag ${tag} is described`,
          )
        for (const status of ['4XX', '5XX']) {
          const answer = operation.responses[status]
          assert.ok(answer?.description, `${name}: ${status} answer`)
          assert.equal(answer.content?.['application/json']?.schema?.$ref, '#/components/schemas/Error', name)
        }
      }
    }
    assert.deepEqual(Object.keys(doc.components.schemas.Error.properties).sort(), ['code', 'message'])
  })
})

interface Operation {
  operationId: string
  summary?: string
  tags?: string[]
  responses: Record<string, { description?: string; content?: Record<string, { schema?: { $ref?: string } }> }>
}
