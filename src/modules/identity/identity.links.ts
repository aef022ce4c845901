import type { FastifyPluginAsync } from 'fastify'
import { Type } from '@sinclair/typebox'
import type { Db, Trx } from '../../platform/db/database.js'
import type { AssuranceLevel } from '../../platform/auth/assurance.js'
import { audit } from '../../platform/audit/audit.js'
import { Conflict, NotFound } from '../../platform/http/errors.js'
import { sendHtml } from '../../platform/views/page-context.js'
import type { PersonalDataHolder } from '../../platform/privacy/index.js'
import { accountOf, dropVerifiedMarks, hasPassword, requireAccount } from '../accounts/index.js'
import type { IdentityProviderConfig } from './identity.types.js'
import { IdentitiesPage } from './views/identities.js'

export interface LinkedIdentity {
  providerId: string
  assurance: AssuranceLevel
  linkedAt: Date
  lastUsedAt: Date
}

/** The identities linked to an account, oldest first. */
export function linkedIdentities(db: Db, accountId: string): Promise<LinkedIdentity[]> {
  return db
    .selectFrom('account_identities')
    .select(['provider_id as providerId', 'assurance', 'linked_at as linkedAt', 'last_used_at as lastUsedAt'])
    .where('account_id', '=', accountId)
    .orderBy('linked_at')
    .orderBy('provider_id')
    .execute()
}

/**
 * Unlinks a provider's identity from the account, unless it is the last way in (no password, no other identity):
 * then 409 with what to do instead. The provider's confirmations go with it.
 */
export async function unlinkIdentity(db: Db, accountId: string, providerId: string): Promise<void> {
  const withPassword = await hasPassword(db, accountId)
  await db.transaction().execute(async (trx: Trx) => {
    const linked = await trx
      .selectFrom('account_identities')
      .select(['provider_id', 'subject'])
      .where('account_id', '=', accountId)
      .forUpdate()
      .execute()
    if (!linked.some(row => row.provider_id === providerId)) throw new NotFound('identity.links.notLinked')
    if (!withPassword && linked.length === 1) throw new Conflict('identity.links.lastWay')
    await trx
      .deleteFrom('account_identities')
      .where('account_id', '=', accountId)
      .where('provider_id', '=', providerId)
      .execute()
    await dropVerifiedMarks(trx, accountId, providerId)
    await audit(trx, {
      actor: { accountId },
      action: 'account.identity.unlink',
      subjectType: 'account',
      subjectId: accountId,
      details: { provider: providerId },
    })
  })
}

const UnlinkBody = Type.Object({ provider: Type.String({ minLength: 1, maxLength: 40 }) })
const NoticeQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 20 })) })

/** `/account/identities`: the linked identities, "link …" for the others, and unlinking. */
export const identityLinkRoutes: FastifyPluginAsync<{ providers: IdentityProviderConfig[] }> = async (
  app,
  { providers },
) => {
  app.addHook('preHandler', requireAccount)

  const render = async (req: Parameters<typeof accountOf>[0], notice?: 'unlinked' | 'linked', error?: string) => {
    const account = accountOf(req)
    const linked = await linkedIdentities(app.db, account.id)
    const nameOf = (id: string) => {
      const provider = providers.find(p => p.id === id)
      return provider ? (provider.name?.[req.locale] ?? provider.label[req.locale]) : id
    }
    const back = encodeURIComponent('/account/identities?notice=linked')
    const linkable = providers
      .filter(p => p.audience === account.kind && !linked.some(l => l.providerId === p.id))
      .map(p => ({ id: p.id, name: nameOf(p.id), href: `/login/with/${p.id}?link=1&return=${back}` }))
    return IdentitiesPage({
      ctx: await app.pageContext(req),
      linked: linked.map(l => ({ ...l, name: nameOf(l.providerId) })),
      linkable,
      notice,
      error,
    })
  }

  app.get<{ Querystring: { notice?: string } }>(
    '/account/identities',
    { schema: { querystring: NoticeQuery } },
    async (req, reply) => {
      const notice = req.query.notice === 'unlinked' || req.query.notice === 'linked' ? req.query.notice : undefined
      return sendHtml(reply, await render(req, notice))
    },
  )

  app.post<{ Body: { provider: string } }>(
    '/account/identities/unlink',
    { schema: { body: UnlinkBody } },
    async (req, reply) => {
      try {
        await unlinkIdentity(app.db, accountOf(req).id, req.body.provider)
      } catch (error) {
        // The refusal is shown on the page itself, with the list as it is.
        if (error instanceof Conflict || error instanceof NotFound)
          return sendHtml(reply, await render(req, undefined, error.messageKey), error.statusCode)
        throw error
      }
      return reply.redirect('/account/identities?notice=unlinked', 303)
    },
  )
}

/** What the identity module holds about a person: the identities linked to the account (export and erasure). */
export const identityHolder: PersonalDataHolder = {
  id: 'identities',
  async exportFor(db, accountId) {
    const linked = await db
      .selectFrom('account_identities')
      .select([
        'provider_id as provider',
        'subject',
        'assurance',
        'linked_at as linkedAt',
        'last_used_at as lastUsedAt',
      ])
      .where('account_id', '=', accountId)
      .orderBy('linked_at')
      .execute()
    return { data: linked }
  },
  async eraseFor(trx, accountId) {
    const identities = await trx.deleteFrom('account_identities').where('account_id', '=', accountId).executeTakeFirst()
    const logins = await trx.deleteFrom('oidc_logins').where('account_id', '=', accountId).executeTakeFirst()
    return [
      { subjectType: 'account_identity', outcome: 'deleted', count: Number(identities.numDeletedRows) },
      { subjectType: 'oidc_login', outcome: 'deleted', count: Number(logins.numDeletedRows) },
    ]
  },
}
