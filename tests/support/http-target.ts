/**
 * A TestBrowser target that sends real HTTP requests to app processes (tests/support/app-process.ts). With several
 * instances, each request goes to the next one in turn, as a round-robin load balancer would send them.
 */
import type { LightMyRequestResponse } from 'fastify'
import type { RequestTarget } from './test-platform.js'

export function roundRobin(urls: () => string[]): RequestTarget & { sentTo: string[] } {
  let next = 0
  const sentTo: string[] = []
  return {
    sentTo,
    app: {
      inject: async ({ method, url, headers, payload }) => {
        const all = urls()
        const base = all[next++ % all.length]!
        sentTo.push(base)
        const res = await fetch(`${base}${url}`, {
          method,
          headers,
          body: typeof payload === 'string' || payload === undefined ? payload : new Uint8Array(payload),
          redirect: 'manual',
        })
        const body = await res.text()
        const cookies = res.headers.getSetCookie().map(line => {
          const [pair, ...attributes] = line.split(';').map(part => part.trim())
          const at = pair!.indexOf('=')
          const cookie: { name: string; value: string; maxAge?: number; expires?: Date } = {
            name: pair!.slice(0, at),
            value: pair!.slice(at + 1),
          }
          for (const attribute of attributes) {
            const [key, value = ''] = attribute.split('=')
            if (key!.toLowerCase() === 'max-age') cookie.maxAge = Number(value)
            if (key!.toLowerCase() === 'expires') cookie.expires = new Date(value)
          }
          return cookie
        })
        return {
          statusCode: res.status,
          headers: Object.fromEntries(res.headers),
          body,
          cookies,
        } as unknown as LightMyRequestResponse
      },
    },
  }
}
