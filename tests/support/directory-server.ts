import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { createDirectoryProvider, type DirectoryUser } from '../../src/modules/staff/index.js'

/**
 * A city directory on a free port of this machine: a real OpenID provider (oidc-provider) speaking over HTTP, with
 * people whose groups and status the test changes. Its sign-in page picks `nextUser` at once (the directory's own
 * password check is not what is tested). `tamper` changes the ID token of the next token answers, re-signed with the
 * directory's own key where the test wants a valid signature.
 */
export interface DirectoryServer {
  issuer: string
  clientId: string
  clientSecret: string
  users: DirectoryUser[]
  nextUser: string
  tamper: ((payload: Record<string, unknown>) => Record<string, unknown>) | 'signature' | undefined
  /** Writes a directory file for the platform (mapping as given) and returns its path. */
  writeConfig(extra?: string): string
  close(): Promise<void>
}

export const TEST_MAPPING = `mapping:
  - { group: sb-buergerdienste, office: buergerdienste, role: caseworker }
  - { group: tl-bauamt, office: bauordnungsamt, role: team_lead }
  - { group: sb-bauamt, office: bauordnungsamt, role: caseworker }
`

export async function startDirectoryServer(
  opts: { baseUrl?: string; users?: DirectoryUser[] } = {},
): Promise<DirectoryServer> {
  const baseUrl = opts.baseUrl ?? 'http://localhost:3000'
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  const kid = crypto.randomUUID()
  const clientSecret = crypto.randomBytes(24).toString('base64url')
  const server = http.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const state: DirectoryServer = {
    issuer,
    clientId: 'bauhaus-test',
    clientSecret,
    users: opts.users ?? [],
    nextUser: '',
    tamper: undefined,
    writeConfig(extra = '') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-directory-'))
      const file = path.join(dir, 'staff-directory.yaml')
      process.env.BAUHAUS_TEST_DIRECTORY_SECRET = clientSecret
      fs.writeFileSync(
        file,
        `issuer: ${issuer}\nclientId: bauhaus-test\nclientSecretEnv: BAUHAUS_TEST_DIRECTORY_SECRET\n${TEST_MAPPING}${extra}`,
      )
      return file
    },
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
  const provider = await createDirectoryProvider({
    issuer,
    clientId: state.clientId,
    clientSecret,
    redirectUris: [`${baseUrl}/backoffice/login/directory/callback`],
    users: () => state.users,
    interactionUrl: uid => `/interaction/${uid}`,
    signingKey: { privateKey, kid },
  })
  provider.use(async (ctx, next) => {
    await next()
    const body = ctx.body as { id_token?: string } | undefined
    if (ctx.path !== '/token' || !state.tamper || !body?.id_token) return
    const [header = '', payload = '', signature = ''] = body.id_token.split('.')
    if (state.tamper === 'signature') {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
      claims.groups = ['tl-bauamt', 'sb-buergerdienste']
      body.id_token = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`
      return
    }
    const claims = state.tamper(JSON.parse(Buffer.from(payload, 'base64url').toString()))
    const signed = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`
    body.id_token = `${signed}.${crypto.sign('sha256', Buffer.from(signed), privateKey).toString('base64url')}`
  })
  const toProvider = provider.callback()
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!req.url?.startsWith('/interaction/')) return toProvider(req, res)
    provider
      .interactionResult(
        req,
        res,
        { login: { accountId: state.nextUser, amr: ['pwd'] } },
        { mergeWithLastSubmission: false },
      )
      .then(target => {
        res.writeHead(303, { location: target }).end()
      })
      .catch((error: Error) => {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(error.message)
      })
  })
  return state
}

/** A browser at the directory: keeps its cookies, follows its redirects until it is sent back to the platform. */
export class DirectoryBrowser {
  private readonly cookies = new Map<string, string>()

  /** Goes to the directory's authorization URL; returns where the directory sends the browser back (path + query). */
  async signIn(authorizationUrl: string, platformBase = 'http://localhost:3000'): Promise<string> {
    let url = authorizationUrl
    for (let i = 0; i < 10; i++) {
      if (url.startsWith(platformBase)) return url.slice(platformBase.length)
      const res = await fetch(url, {
        redirect: 'manual',
        headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      })
      for (const line of res.headers.getSetCookie()) {
        const [pair = ''] = line.split(';')
        const at = pair.indexOf('=')
        this.cookies.set(pair.slice(0, at), pair.slice(at + 1))
      }
      const location = res.headers.get('location')
      if (!location) throw new Error(`directory answered ${res.status} without a redirect: ${await res.text()}`)
      url = new URL(location, url).href
    }
    throw new Error('too many redirects at the directory')
  }
}
