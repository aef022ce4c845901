import crypto from 'node:crypto'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import { SamlStatusError, type Profile } from '@node-saml/node-saml'
import { extractXml } from './identity.saml.xml.js'
import { meetsAssurance, type AssuranceLevel } from '../../platform/auth/assurance.js'
import { endProviderSessions } from '../../platform/auth/sessions.js'
import { NotFound } from '../../platform/http/errors.js'
import { isLocale, translator } from '../../platform/i18n/i18n.js'
import type { ExternalIdentity } from './identity.types.js'
import { accountOfSamlSubject, answerSamlRequest, pendingSamlRequest, sha256 } from './identity.saml.queries.js'
import { assuranceOf, mapSamlAttributes, samlEndpoints, type SamlProvider } from './identity.saml.settings.js'
import { samlFor, samlProblem } from './identity.saml.sp.js'

const ProviderParams = Type.Object({ providerId: Type.String({ maxLength: 40 }) })
/** Loose on purpose: a missing or wrong field gets the sign-in's own page, not the generic 400. */
const AcsBody = Type.Object({
  SAMLResponse: Type.Optional(Type.String({ maxLength: 1_000_000 })),
  RelayState: Type.Optional(Type.String({ maxLength: 2000 })),
})
const LogoutMessage = Type.Object({
  SAMLRequest: Type.Optional(Type.String({ maxLength: 200_000 })),
  SAMLResponse: Type.Optional(Type.String({ maxLength: 200_000 })),
  RelayState: Type.Optional(Type.String({ maxLength: 2000 })),
  SigAlg: Type.Optional(Type.String({ maxLength: 200 })),
  Signature: Type.Optional(Type.String({ maxLength: 2000 })),
})
type LogoutFields = { SAMLRequest?: string; SAMLResponse?: string; RelayState?: string }

const BASE64 = /^[A-Za-z0-9+/=\r\n ]+$/

/** What the response's envelope says before anything is verified: whom it answers and where it was sent. */
function envelopeOf(xml: string): { inResponseTo?: string; destination?: string } | undefined {
  if (!/^\s*(<\?xml[^>]*\?>\s*)?<([A-Za-z_][\w.-]*:)?Response[\s>]/.test(xml)) return undefined
  try {
    const found = extractXml(xml, [
      { key: 'response', localPath: ['Response'], attributes: ['InResponseTo', 'Destination'] },
    ]) as { response?: { inResponseTo?: string; destination?: string } }
    return found.response ?? {}
  } catch {
    // Not well-formed XML: the caller answers "malformed".
    return undefined
  }
}

/** The verified assertion's own word on whom it answers, where it was meant to go and how the person signed in. */
function assertionFacts(assertionXml: string) {
  const found = extractXml(assertionXml, [
    {
      key: 'confirmation',
      localPath: ['Assertion', 'Subject', 'SubjectConfirmation', 'SubjectConfirmationData'],
      attributes: ['InResponseTo', 'Recipient'],
    },
    {
      key: 'classRef',
      localPath: ['Assertion', 'AuthnStatement', 'AuthnContext', 'AuthnContextClassRef'],
      attributes: [],
    },
  ]) as { confirmation?: { inResponseTo?: string; recipient?: string }; classRef?: unknown }
  return {
    inResponseTo: found.confirmation?.inResponseTo,
    recipient: found.confirmation?.recipient,
    classRef: typeof found.classRef === 'string' ? found.classRef : undefined,
  }
}

/** Why node-saml refused a response, as a problem page and a reason for the log. */
function refusalOf(error: unknown): { problem: string; reason: string } {
  if (error instanceof SamlStatusError) {
    // BundID answers a cancel (and a failed eID) with Responder / AuthnFailed; RequestDenied is the same to the person.
    const cancelled = /AuthnFailed|RequestDenied|NoAuthnContext/.test(error.xmlStatus)
    return cancelled
      ? { problem: 'samlCancelled', reason: 'provider status: cancelled or failed' }
      : { problem: 'samlProviderError', reason: 'provider status: error' }
  }
  const message = error instanceof Error ? error.message : String(error)
  if (/not yet valid/i.test(message)) return { problem: 'samlNotYetValid', reason: 'not yet valid' }
  if (/expired/i.test(message)) return { problem: 'samlExpired', reason: 'expired' }
  if (/audience/i.test(message)) return { problem: 'samlRejected', reason: 'wrong audience' }
  if (/signature|signed/i.test(message)) return { problem: 'samlRejected', reason: 'signature invalid or missing' }
  if (/decrypt|EncryptedAssertion/i.test(message)) return { problem: 'samlRejected', reason: 'cannot decrypt' }
  if (/xml|parse|non-whitespace|element|attribute|tag/i.test(message))
    return { problem: 'samlMalformed', reason: 'malformed XML' }
  return { problem: 'samlRejected', reason: `refused: ${message.slice(0, 80)}` }
}

type Checked = { identity: ExternalIdentity } | { problem: string; reason: string }

/** Everything a verified assertion must say before a person is let in; the identity in our terms. */
function checkAssertion(
  provider: SamlProvider,
  profile: Profile,
  responseXml: string,
  acsUrl: string,
  inResponseTo: string,
): Checked {
  if (profile.issuer !== provider.settings.idpEntityId) return { problem: 'samlRejected', reason: 'wrong issuer' }
  if (provider.settings.requireEncryptedAssertions && !/<([\w.-]+:)?EncryptedAssertion[\s>]/.test(responseXml))
    return { problem: 'samlRejected', reason: 'assertion not encrypted' }
  const facts = assertionFacts(profile.getAssertionXml?.() ?? '')
  if (facts.recipient && facts.recipient !== acsUrl) return { problem: 'samlRejected', reason: 'wrong recipient' }
  if (facts.inResponseTo && facts.inResponseTo !== inResponseTo)
    return { problem: 'samlRejected', reason: 'assertion answers another request' }
  const mapped = mapSamlAttributes(provider.settings, (profile.attributes ?? {}) as Record<string, unknown>)
  const nameId = profile.nameIDFormat === 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' && profile.nameID
  const subject = mapped.subject ?? (nameId || undefined)
  if (!subject) return { problem: 'samlMissingAttributes', reason: 'missing: subject' }
  if (mapped.missing.length)
    return { problem: 'samlMissingAttributes', reason: `missing: ${mapped.missing.join(', ')}` }
  const reported: AssuranceLevel = mapped.level ?? assuranceOf(facts.classRef) ?? 'low'
  // A provider is trusted up to the level the city configured for it, never above.
  const assurance = meetsAssurance(provider.maxAssurance, reported) ? reported : provider.maxAssurance
  return {
    identity: {
      providerId: provider.id,
      subject,
      kind: provider.audience,
      assurance,
      email: mapped.email,
      // BundID confirms the address of its accounts; any other provider is trusted alike once the city chose it.
      emailVerified: Boolean(mapped.email),
      attributes: mapped.attributes,
      providerSession: profile.sessionIndex,
    },
  }
}

/** The ACS and Single Logout: what the identity provider posts to us from its own site. */
export function samlCrossSiteRoutes(providers: SamlProvider[]): FastifyPluginAsync {
  const providerOf = (id: string) => {
    const provider = providers.find(p => p.id === id)
    if (!provider) throw new NotFound()
    return provider
  }
  return async app => {
    app.post<{ Params: { providerId: string }; Body: { SAMLResponse?: string } }>(
      '/identity/saml/:providerId/acs',
      { schema: { params: ProviderParams, body: AcsBody } },
      async (req, reply) => {
        const provider = providerOf(req.params.providerId)
        const problem = (name: string, reason: string) => samlProblem(req, reply, provider.id, name, reason)
        const encoded = req.body?.SAMLResponse
        if (!encoded || !BASE64.test(encoded)) return problem('samlMalformed', 'SAMLResponse missing or not base64')
        const xml = Buffer.from(encoded, 'base64').toString('utf8')
        const envelope = envelopeOf(xml)
        if (!envelope) return problem('samlMalformed', 'not a SAML Response')
        const ends = samlEndpoints(app.config, provider)
        if (!envelope.inResponseTo) return problem('samlUnsolicited', 'unsolicited response (no InResponseTo)')
        const pending = await pendingSamlRequest(app.db, provider.id, envelope.inResponseTo)
        // The provider posts cross-site, so no language cookie arrives: the page speaks the language the sign-in began in.
        if (pending && isLocale(pending.locale)) {
          req.locale = pending.locale
          req.t = translator(pending.locale)
        }
        let checked: Checked
        if (envelope.destination && envelope.destination !== ends.acs)
          checked = { problem: 'samlRejected', reason: 'wrong destination' }
        else
          try {
            const { profile } = await samlFor(app.config, provider).validatePostResponseAsync({ SAMLResponse: encoded })
            checked = profile
              ? checkAssertion(provider, profile, xml, ends.acs, envelope.inResponseTo)
              : { problem: 'samlRejected', reason: 'no assertion' }
          } catch (error) {
            checked = refusalOf(error)
          }
        if (
          'identity' in checked &&
          pending?.assurance &&
          !meetsAssurance(checked.identity.assurance, pending.assurance)
        )
          checked = { problem: 'samlLevelTooLow', reason: `level ${checked.identity.assurance} < ${pending.assurance}` }

        // One answer per request, whatever it says: a replayed or late response finds nothing to answer.
        const code = crypto.randomBytes(32).toString('base64url')
        const request = await answerSamlRequest(
          app.db,
          provider.id,
          envelope.inResponseTo,
          app.clock.now(),
          'identity' in checked ? { codeHash: sha256(code), identity: checked.identity } : null,
        )
        if (!request) return problem('samlReplayed', 'InResponseTo unknown, used or expired')
        if (!('identity' in checked)) return problem(checked.problem, checked.reason)
        return reply.redirect(`/identity/saml/${provider.id}/complete?code=${code}`, 303)
      },
    )

    /**
     * Single Logout, either binding. A LogoutRequest from the provider ends the sessions signed in through it (by
     * SessionIndex, else every session of the account it names) and is answered with a LogoutResponse; a
     * LogoutResponse to our own request ends at the start page.
     */
    const logout = async (req: FastifyRequest<{ Params: { providerId: string } }>, reply: FastifyReply) => {
      const provider = providerOf(req.params.providerId)
      const fields = (req.method === 'GET' ? req.query : req.body) as LogoutFields | undefined
      const saml = samlFor(app.config, provider)
      const problem = (reason: string) => samlProblem(req, reply, provider.id, 'samlLogoutRefused', reason)
      if (!fields?.SAMLRequest && !fields?.SAMLResponse) return problem('no logout message')
      let result: { profile: Profile | null; loggedOut: boolean }
      try {
        if (req.method === 'GET') {
          // node-saml takes a redirect-binding message without a signature as valid: we do not.
          const signed = fields as { Signature?: string; SigAlg?: string }
          if (!signed.Signature || !signed.SigAlg) return problem('unsigned redirect message')
          const rawQuery = req.url.slice(req.url.indexOf('?') + 1)
          result = await saml.validateRedirectAsync(fields as Record<string, string>, rawQuery)
        } else if (fields.SAMLRequest) result = await saml.validatePostRequestAsync({ SAMLRequest: fields.SAMLRequest })
        else result = await saml.validatePostResponseAsync({ SAMLResponse: fields.SAMLResponse ?? '' })
      } catch (error) {
        return problem(refusalOf(error).reason)
      }
      if (result.loggedOut && !result.profile) return reply.redirect('/', 303)
      const profile = result.profile
      if (!profile || profile.issuer !== provider.settings.idpEntityId) return problem('wrong issuer')
      let ended = 0
      if (profile.sessionIndex)
        ended = await endProviderSessions(app.db, provider.id, { providerSession: profile.sessionIndex })
      else {
        const accountId = await accountOfSamlSubject(app.db, provider.id, profile.nameID)
        if (accountId) ended = await endProviderSessions(app.db, provider.id, { accountIds: [accountId] })
      }
      req.log.info({ provider: provider.id, ended }, 'SAML single logout')
      const url = await saml.getLogoutResponseUrlAsync(profile, fields.RelayState ?? '', {}, true)
      return reply.redirect(url, 303)
    }
    app.get(
      '/identity/saml/:providerId/logout',
      { schema: { params: ProviderParams, querystring: LogoutMessage } },
      logout,
    )
    app.post('/identity/saml/:providerId/logout', { schema: { params: ProviderParams, body: LogoutMessage } }, logout)
  }
}
