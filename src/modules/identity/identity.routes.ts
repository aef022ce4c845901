import type { FastifyPluginAsync } from 'fastify'
import { Type } from '@sinclair/typebox'
import { ASSURANCE_LEVELS, type AssuranceLevel } from '../../platform/auth/assurance.js'
import { NotFound } from '../../platform/http/errors.js'
import { safeReturnPath } from '../../platform/http/return-path.js'
import type { Locale } from '../../platform/i18n/i18n.js'
import type { IdentityProtocol, IdentityProviderConfig } from './identity.types.js'
import { identityLinkRoutes } from './identity.links.js'

/** Where a provider sign-in goes when the page that started it named no place to come back to. */
export const DEFAULT_AFTER_PROVIDER_SIGN_IN = '/account/applications'

export interface IdentityRoutesOptions {
  protocols: IdentityProtocol[]
  providers: IdentityProviderConfig[]
}

const ProviderParams = Type.Object({ providerId: Type.String({ maxLength: 40 }) })
const BeginQuery = Type.Object({
  return: Type.Optional(Type.String({ maxLength: 2000 })),
  assurance: Type.Optional(Type.Union(ASSURANCE_LEVELS.map(level => Type.Literal(level)))),
  link: Type.Optional(Type.Literal('1')),
})

/**
 * `GET /login/with/<provider>` sends the browser to the provider (to sign in, to reach a higher level with
 * `assurance=`, or to link it to the signed-in account with `link=1`); each protocol brings the routes that take the
 * provider's answer.
 */
export const identityRoutes: FastifyPluginAsync<IdentityRoutesOptions> = async (app, { protocols, providers }) => {
  app.get<{ Params: { providerId: string }; Querystring: { return?: string; assurance?: AssuranceLevel; link?: '1' } }>(
    '/login/with/:providerId',
    { schema: { params: ProviderParams, querystring: BeginQuery } },
    async (req, reply) => {
      const provider = providers.find(p => p.id === req.params.providerId)
      const protocol = provider && protocols.find(p => p.protocol === provider.protocol)
      if (!provider || !protocol) throw new NotFound()
      const link = req.query.link === '1'
      if (link && !req.session?.account) return reply.redirect(`/login?return=${encodeURIComponent(req.url)}`, 303)
      const returnTo = safeReturnPath(req.query.return) ?? DEFAULT_AFTER_PROVIDER_SIGN_IN
      return protocol.begin(provider, req, reply, { returnTo, assurance: req.query.assurance, link })
    },
  )
  await app.register(identityLinkRoutes, { providers })
  for (const protocol of protocols)
    await app.register(protocol.routes(providers.filter(p => p.protocol === protocol.protocol)))
}

/** A provider as a button on a sign-in page: "Mit BundID anmelden". */
export interface SignInOption {
  id: string
  label: string
  href: string
  audience: 'citizen' | 'business'
  maxAssurance: AssuranceLevel
}

/** The providers a sign-in page offers, in the reader's language, each coming back to `returnTo`. */
export function signInOptions(
  providers: IdentityProviderConfig[],
  locale: Locale,
  returnTo?: string,
  assurance?: AssuranceLevel,
): SignInOption[] {
  return providers.map(provider => {
    const query = new URLSearchParams()
    if (returnTo) query.set('return', returnTo)
    if (assurance) query.set('assurance', assurance)
    const search = query.toString()
    return {
      id: provider.id,
      label: provider.label[locale],
      href: `/login/with/${provider.id}${search ? `?${search}` : ''}`,
      audience: provider.audience,
      maxAssurance: provider.maxAssurance,
    }
  })
}
