import crypto from 'node:crypto'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import { NotFound } from '../../platform/http/errors.js'
import { completeExternalSignIn } from './identity.sign-in.js'
import type { IdentityProtocol, SignInIntent } from './identity.types.js'
import { saveSamlRequest, subjectOfSamlAccount, takeSamlCode } from './identity.saml.queries.js'
import { checkSamlFiles, SamlSettingsSchema, type SamlProvider, type SamlSettings } from './identity.saml.settings.js'
import { samlFor, samlMetadata, samlProblem } from './identity.saml.sp.js'
import { samlCrossSiteRoutes } from './identity.saml.acs.js'
import { samlDemo } from './identity.saml.demo.js'

async function beginSaml(
  provider: SamlProvider,
  req: FastifyRequest,
  reply: FastifyReply,
  intent: SignInIntent,
): Promise<unknown> {
  const config = req.server.config
  const requestId = `_${crypto.randomBytes(20).toString('hex')}`
  const saml = samlFor(config, provider, { assurance: intent.assurance, id: requestId })
  const url = await saml.getAuthorizeUrlAsync('', undefined, {})
  await saveSamlRequest(
    req.server.db,
    {
      requestId,
      providerId: provider.id,
      // The web context gives every browser a session token, signed in or not.
      browserHash: req.session?.idHash ?? '',
      returnTo: intent.returnTo,
      assurance: intent.assurance ?? null,
      link: intent.link,
      locale: req.locale,
    },
    req.server.clock.now(),
  )
  return reply.redirect(url, 303)
}

const ProviderParams = Type.Object({ providerId: Type.String({ maxLength: 40 }) })
const CompleteQuery = Type.Object({ code: Type.Optional(Type.String({ maxLength: 100 })) })

/** The routes in the web context: our metadata, and the browser's return with the code from the ACS. */
function samlWebRoutes(providers: SamlProvider[]): FastifyPluginAsync {
  for (const provider of providers) checkSamlFiles(provider)
  const providerOf = (id: string) => {
    const provider = providers.find(p => p.id === id)
    if (!provider) throw new NotFound()
    return provider
  }
  return async app => {
    app.get<{ Params: { providerId: string } }>(
      '/identity/saml/:providerId/metadata',
      { schema: { params: ProviderParams } },
      async (req, reply) => {
        const provider = providerOf(req.params.providerId)
        return reply
          .type('application/samlmetadata+xml; charset=utf-8')
          .header('cache-control', 'public, max-age=3600')
          .send(samlMetadata(app.config, provider))
      },
    )

    app.get<{ Params: { providerId: string }; Querystring: { code?: string } }>(
      '/identity/saml/:providerId/complete',
      { schema: { params: ProviderParams, querystring: CompleteQuery } },
      async (req, reply) => {
        const provider = providerOf(req.params.providerId)
        const code = req.query.code
        if (!code) return samlProblem(req, reply, provider.id, 'samlReplayed', 'code missing')
        const taken = await takeSamlCode(app.db, provider.id, code, app.clock.now())
        if (!taken?.identity) return samlProblem(req, reply, provider.id, 'samlReplayed', 'code unknown or used')
        if (taken.expired) return samlProblem(req, reply, provider.id, 'samlExpired', 'code expired')
        // The code travels in a URL: only the browser that started the sign-in may use it.
        if (taken.request.browserHash !== req.session?.idHash)
          return samlProblem(req, reply, provider.id, 'samlOtherBrowser', 'code used by another browser')
        const outcome = await completeExternalSignIn(app.db, req, reply, app.config, taken.identity, {
          link: taken.request.link,
        })
        if (!outcome.ok) return samlProblem(req, reply, provider.id, outcome.problem, outcome.problem, 409)
        return reply.redirect(taken.request.returnTo, 303)
      },
    )
  }
}

/**
 * SP-initiated Single Logout: our /logout of a session signed in through a provider with an SLO URL continues to the
 * provider with a signed LogoutRequest (its SessionIndex; the NameID we know the person by), so that the provider's
 * session ends too. It comes back to our logout URL with its LogoutResponse.
 */
function samlLogoutRedirect(providers: SamlProvider[]) {
  return async (req: FastifyRequest): Promise<string | undefined> => {
    const account = req.session?.account
    const provider = account && providers.find(p => p.id === account.identityProvider)
    if (!account || !provider?.settings.idpSloUrl) return undefined
    const nameId = await subjectOfSamlAccount(req.server.db, provider.id, account.id)
    if (!nameId) return undefined
    return samlFor(req.server.config, provider).getLogoutUrlAsync(
      {
        issuer: provider.settings.idpEntityId,
        nameID: nameId,
        nameIDFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
        sessionIndex: account.providerSession ?? undefined,
      },
      '',
      {},
    )
  }
}

/** SAML 2.0 as BundID speaks it (docs/identity.md, "SAML 2.0 and BundID"). */
export const samlProtocol: IdentityProtocol<SamlSettings> = {
  protocol: 'saml',
  settingsSchema: SamlSettingsSchema,
  begin: beginSaml,
  routes: samlWebRoutes,
  crossSiteRoutes: samlCrossSiteRoutes,
  logoutRedirect: samlLogoutRedirect,
  formActionOrigins: providers =>
    providers.flatMap(p => (p.settings.idpSloUrl ? [new URL(p.settings.idpSloUrl).origin] : [])),
  demo: samlDemo,
}
