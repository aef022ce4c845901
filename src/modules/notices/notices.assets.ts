import crypto from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyPluginAsync } from 'fastify'

const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'client', 'notice-editor.ts')
export const EDITOR_PATH = '/assets/notice-editor.js'

export interface Bundle {
  code: string
  hash: string
  url: string
}
let bundle: Promise<Bundle> | undefined

/**
 * The co-editing script (Yjs and our binding), bundled by esbuild once per process into memory. Its URL carries
 * the content hash, so browsers may keep it for a year and still get a new one after a change.
 */
export function noticeEditorBundle(): Promise<Bundle> {
  // esbuild is loaded with the first notice editor, not at start.
  bundle ??= import('esbuild')
    .then(({ build }) =>
      build({
        entryPoints: [entry],
        bundle: true,
        write: false,
        format: 'iife',
        platform: 'browser',
        target: ['es2020'],
        minify: true,
        legalComments: 'none',
        logLevel: 'silent',
      }),
    )
    .then(result => {
      const code = result.outputFiles[0]!.text
      const hash = crypto.createHash('sha256').update(code).digest('hex').slice(0, 16)
      return { code, hash, url: `${EDITOR_PATH}?v=${hash}` }
    })
  // A failed build is tried again by the next request rather than remembered.
  bundle.catch(() => {
    bundle = undefined
  })
  return bundle
}

/** Serves the bundle; public like every asset (it holds no data). */
export const noticeAssetRoutes: FastifyPluginAsync = async app => {
  app.get<{ Querystring: { v?: string } }>(EDITOR_PATH, async (req, reply) => {
    const { code, hash } = await noticeEditorBundle()
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', req.query.v === hash ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .send(code)
  })
}
