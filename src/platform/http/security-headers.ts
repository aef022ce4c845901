import helmet, { type FastifyHelmetOptions } from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'

/**
 * Browser features no page of ours uses, switched off for the pages and anything they embed. The defect report asks
 * for a place by map click or address, never by the browser's geolocation, so that stays off too.
 */
const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'payment=()',
  'usb=()',
  'interest-cohort=()',
].join(', ')

/**
 * The origin a tile template loads from, as a CSP source: "https://{s}.tile.example/{z}/{x}/{y}.png" gives
 * "https://*.tile.example". Undefined for tiles from this site or no map at all ('self' covers them).
 */
function tileSource(mapTileUrl: string): string | undefined {
  const origin = /^(https?:\/\/[^/?#]+)/i.exec(mapTileUrl)?.[1]
  return origin?.replace('{s}', '*')
}

/**
 * Security headers of every response (docs/security.md): a strict Content-Security-Policy (our own scripts and styles
 * as files only, no inline code), no framing, no MIME sniffing, no referrer to other sites, HSTS where configured.
 */
function securityHeaderOptions(config: Config, formActionOrigins: string[]): FastifyHelmetOptions {
  const tiles = tileSource(config.mapTileUrl)
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', ...(tiles ? [tiles] : [])],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        // form-action covers where a form's answer redirects to: our /logout continues to an identity provider's logout.
        formAction: ["'self'", ...formActionOrigins],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    // The pages load nothing from other origins that would need to opt in.
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity:
      config.hstsMaxAge > 0 ? { maxAge: config.hstsMaxAge, includeSubDomains: false, preload: false } : false,
    xFrameOptions: { action: 'deny' },
  }
}

/** Registered on the root, so the pages, the machine routes, the static files and every error answer carry them. */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  config: Config,
  { formActionOrigins = [] }: { formActionOrigins?: string[] } = {},
) {
  await app.register(helmet, securityHeaderOptions(config, formActionOrigins))
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('permissions-policy', PERMISSIONS_POLICY)
  })
}
