import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import { uuidParams } from '../../platform/http/ids.js'
import { requirePlatformAdmin, staffOf } from '../staff/index.js'
import { API_KEY_NAME_MAX, createApiKey, listApiKeys, revokeApiKey } from './open311.keys.js'
import { ApiKeysAdminPage, type ApiKeyNotice, type ApiKeysPageProps } from './views/admin-api-keys.js'

const KeyParams = uuidParams('keyId')
const KeysQuery = { type: 'object', properties: { notice: { type: 'string', enum: ['revoked'] } } } as const

/**
 * API keys of Open311 clients: a key lets an app file reports for the whole city, so only platform admins issue
 * and revoke them (office admins 403, other staff 404, as for background jobs). Creating and revoking are audited.
 */
export const apiKeyAdminRoutes: FastifyPluginAsync = async app => {
  app.addHook('onRequest', requirePlatformAdmin)

  async function render(
    req: FastifyRequest,
    reply: FastifyReply,
    props: Omit<ApiKeysPageProps, 'ctx' | 'keys'>,
    status = 200,
  ) {
    const keys = await listApiKeys(app.db)
    const ctx = await app.pageContext(req)
    // The page holding a fresh key must not stay in any cache (browser back button, proxies).
    reply.header('cache-control', 'no-store')
    return sendHtml(reply, ApiKeysAdminPage({ ctx, keys, ...props }), status)
  }

  app.get<{ Querystring: { notice?: ApiKeyNotice } }>(
    '/backoffice/admin/api-keys',
    { schema: { querystring: KeysQuery } },
    async (req, reply) => render(req, reply, { notice: req.query.notice }),
  )

  app.post('/backoffice/admin/api-keys', async (req, reply) => {
    const { values } = await readFormInput(req)
    const name = formText(values, 'name')
    const error = !name
      ? req.t.text('staff.admin.apiKeys.create.error.nameMissing')
      : name.length > API_KEY_NAME_MAX
        ? req.t.text('staff.admin.create.error.tooLong', { max: API_KEY_NAME_MAX })
        : undefined
    if (error) return render(req, reply, { form: { name, errors: [{ fieldId: 'name', message: error }] } }, 400)
    // Shown on this page, not after a redirect: the key exists in plain text only in this one response.
    const { key } = await createApiKey(app.db, staffOf(req), name)
    return render(req, reply, { created: { name, key } }, 201)
  })

  app.post<{ Params: { keyId: string } }>(
    '/backoffice/admin/api-keys/:keyId/revoke',
    { schema: { params: KeyParams } },
    async (req, reply) => {
      await revokeApiKey(app.db, staffOf(req), req.params.keyId)
      return reply.redirect('/backoffice/admin/api-keys?notice=revoked', 303)
    },
  )
}
