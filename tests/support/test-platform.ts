import crypto from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import type { Config } from '../../src/platform/config.js'
import { bootPlatform, type Platform } from '../../src/boot.js'
import type { CaseKernel } from '../../src/modules/cases/index.js'
import { DEMO_PASSWORD } from '../../src/seed.js'
import { TestClock } from './test-clock.js'
import {
  createServerDatabase,
  pgliteTemplateBlob,
  SERVER_TEMPLATE_ENV,
  startsFromTemplate,
  testConfig,
} from './template.js'

export { createServerDatabase }

export interface TestPlatform extends Platform {
  config: Config
  /** The platform's clock: a test moves it forward instead of waiting. */
  clock: TestClock
}

/**
 * A whole platform on a database of its own with the demo data loaded: embedded PGlite in memory by default, or a
 * new database on the PostgreSQL server named by DATABASE_URL (dropped again at close). Unless the overrides change
 * what the seed writes, the database is a copy of the run's migrated and seeded template (tests/support/template.ts).
 * `caseKernel` replaces the features' case sections, guards and effects (src/case-kernel.ts) with a test's own. */
export async function startTestPlatform(
  overrides: Partial<Config> = {},
  opts: { caseKernel?: CaseKernel } = {},
): Promise<TestPlatform> {
  const serverUrl = process.env.DATABASE_URL
  const fromTemplate = startsFromTemplate(overrides)
  const serverDatabase =
    serverUrl && overrides.databaseUrl === undefined
      ? await createServerDatabase(
          serverUrl,
          'bauhaus_test',
          fromTemplate ? process.env[SERVER_TEMPLATE_ENV] : undefined,
        )
      : undefined
  const config = testConfig(serverDatabase?.url ?? '', overrides)
  const pgliteTemplate = !config.databaseUrl && fromTemplate ? await pgliteTemplateBlob() : undefined
  const clock = new TestClock()
  const platform = await bootPlatform(config, {
    logger: false,
    clock,
    caseKernel: opts.caseKernel,
    pgliteTemplate,
  }).catch(async (error: unknown) => {
    await serverDatabase?.drop()
    throw error
  })
  return {
    ...platform,
    config,
    clock,
    close: async () => {
      await platform.close()
      await serverDatabase?.drop()
    },
  }
}

export interface UploadPart {
  field: string
  filename: string
  content: Buffer
  contentType?: string
}

/** What a TestBrowser sends its requests through: a platform's app.inject, or real HTTP (tests/support/http-target.ts). */
export interface RequestTarget {
  app: {
    inject(opts: {
      method: 'GET' | 'POST'
      url: string
      headers: Record<string, string>
      payload?: string | Buffer
    }): Promise<LightMyRequestResponse>
  }
}

/** A user agent on top of app.inject: keeps cookies, finds the CSRF token in the last page, posts forms. */
export class TestBrowser {
  private readonly cookies = new Map<string, string>()
  lastHtml = ''
  private lastCsrf = ''
  constructor(
    private readonly platform: RequestTarget,
    readonly acceptLanguageCookie?: 'de' | 'en',
  ) {
    if (acceptLanguageCookie) this.cookies.set('bauhaus_lang', acceptLanguageCookie)
  }

  /** Headers sent with every request besides the cookie, e.g. X-Forwarded-For to act from another address. */
  extraHeaders: Record<string, string> = {}

  /** The value of a cookie this browser holds (the session token, to put the session on a level in a test). */
  cookie(name: string): string | undefined {
    return this.cookies.get(name)
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()))
        this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    const type = String(res.headers['content-type'] ?? '')
    if (type.includes('text/html')) {
      this.lastHtml = res.body
      // The token belongs to the session, so one seen on any earlier page still serves.
      this.lastCsrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? this.lastCsrf
    }
    return res
  }

  async get(url: string) {
    return this.remember(
      await this.platform.app.inject({
        method: 'GET',
        url,
        headers: { ...this.extraHeaders, cookie: this.cookieHeader() },
      }),
    )
  }

  /** Follows redirects of a GET or POST to the final page. */
  async follow(res: LightMyRequestResponse, max = 5): Promise<LightMyRequestResponse> {
    let current = res
    for (let i = 0; i < max && current.statusCode >= 300 && current.statusCode < 400; i++) {
      current = await this.get(String(current.headers.location))
    }
    return current
  }

  csrfToken(): string {
    if (!this.lastCsrf) throw new Error('no CSRF token seen yet; GET a page with a form first')
    return this.lastCsrf
  }

  async post(
    url: string,
    form: Record<string, string | string[]> = {},
    opts: { csrf?: string | false; files?: UploadPart[] } = {},
  ) {
    const csrf = opts.csrf === false ? undefined : (opts.csrf ?? this.csrfToken())
    const fields: [string, string][] = []
    if (csrf !== undefined) fields.push(['_csrf', csrf])
    for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) fields.push([k, item])
    if (opts.files) {
      const boundary = `----bauhaus${crypto.randomBytes(8).toString('hex')}`
      const chunks: Buffer[] = []
      for (const [k, v] of fields)
        chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
      for (const f of opts.files) {
        chunks.push(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\nContent-Type: ${f.contentType ?? 'application/octet-stream'}\r\n\r\n`,
          ),
        )
        chunks.push(f.content, Buffer.from('\r\n'))
      }
      chunks.push(Buffer.from(`--${boundary}--\r\n`))
      return this.remember(
        await this.platform.app.inject({
          method: 'POST',
          url,
          payload: Buffer.concat(chunks),
          headers: {
            ...this.extraHeaders,
            cookie: this.cookieHeader(),
            'content-type': `multipart/form-data; boundary=${boundary}`,
          },
        }),
      )
    }
    return this.remember(
      await this.platform.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams(fields).toString(),
        headers: {
          ...this.extraHeaders,
          cookie: this.cookieHeader(),
          'content-type': 'application/x-www-form-urlencoded',
        },
      }),
    )
  }
}

export { DEMO_PASSWORD }

/** Smallest real files of each kind, for upload tests. */
export const samplePdf = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
)
export const samplePng = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082',
  'hex',
)
