import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { TSchema } from '@sinclair/typebox'
import type { AssuranceLevel } from '../../platform/auth/assurance.js'
import type { AccountKind } from '../../platform/db/schema.js'
import type { Config } from '../../platform/config.js'
import type { Locale } from '../../platform/i18n/i18n.js'
import type { VerifiedAttributes } from '../accounts/index.js'

/** Who a provider says signed in, after the protocol's checks (signature, issuer, audience, nonce, time) passed. */
export interface ExternalIdentity {
  providerId: string
  /** The provider's stable id of the person or company (OIDC `sub`, SAML NameID / BundID bPK2). */
  subject: string
  kind: AccountKind
  assurance: AssuranceLevel
  email?: string
  /** Whether the provider confirmed the address. */
  emailVerified: boolean
  attributes: VerifiedAttributes
  /** For a company (Mein Unternehmenskonto): the signed-in person's role in it, as the provider names it. */
  companyRole?: string
  /** The provider's session (OIDC sid, SAML SessionIndex), so that its logout can end ours. */
  providerSession?: string
}

/** Why someone is signing in with a provider: to sign in (or up), to reach a higher level, or to link to their account. */
export interface SignInIntent {
  returnTo: string
  /** The level the person needs (a service asks for it); the provider is asked for at least this. */
  assurance?: AssuranceLevel
  /** Link the identity to the signed-in account instead of signing in. */
  link: boolean
}

/** A provider as config/identity.yaml describes it; `settings` are the protocol's own (validated by its schema). */
export interface IdentityProviderConfig<Settings = unknown> {
  id: string
  protocol: 'oidc' | 'saml'
  /** The button text per language, e.g. "Mit BundID anmelden". */
  label: Record<Locale, string>
  /** The provider's name ("BundID"), for "confirmed by …" and the list of linked identities; the label if left out. */
  name?: Record<Locale, string>
  /** Whom the provider identifies: people (BundID) or companies (Mein Unternehmenskonto). */
  audience: AccountKind
  /** The highest level this provider can give. */
  maxAssurance: AssuranceLevel
  settings: Settings
}

/**
 * A protocol (OpenID Connect, SAML 2.0): how to send the browser to a provider and the routes that take its answer.
 * The routes end in completeExternalSignIn (identity.sign-in.ts) and answer its problems with identityProblemPage.
 */
export interface IdentityProtocol<Settings = unknown> {
  protocol: 'oidc' | 'saml'
  /** Validates a provider's `settings` in config/identity.yaml. */
  settingsSchema: TSchema
  begin(
    provider: IdentityProviderConfig<Settings>,
    req: FastifyRequest,
    reply: FastifyReply,
    intent: SignInIntent,
  ): Promise<unknown>
  /** Callback, metadata and logout routes for the configured providers of this protocol. */
  routes(providers: IdentityProviderConfig<Settings>[]): FastifyPluginAsync
  /**
   * Routes the provider reaches by a cross-site form post (SAML's ACS and Single Logout with the POST binding): the
   * web context's CSRF and Origin checks would refuse them, and the session cookie (SameSite=lax) does not come
   * along. Registered at the root, outside both contexts; each authenticates the provider's message itself.
   */
  crossSiteRoutes?(providers: IdentityProviderConfig<Settings>[]): FastifyPluginAsync
  /**
   * Routes the provider's server calls (OIDC back-channel logout): registered in the machine context, with no session
   * and no CSRF token of ours; they authenticate the provider by its signature.
   */
  machineRoutes?(providers: IdentityProviderConfig<Settings>[]): FastifyPluginAsync
  /**
   * Our /logout of a session signed in through one of these providers: where to send the browser afterwards (the
   * provider's logout, RP-initiated), or undefined. Called before our session ends; it ends anyway.
   */
  logoutRedirect?(providers: IdentityProviderConfig<Settings>[]): (req: FastifyRequest) => Promise<string | undefined>
  /**
   * The origins a form of ours may end at through redirects (the provider's logout after our /logout), for the CSP's
   * form-action, which browsers apply to the redirects of a form's submission too.
   */
  formActionOrigins?(providers: IdentityProviderConfig<Settings>[]): string[]
  /**
   * Development only (IDENTITY_DEMO): a provider of this protocol that the platform serves itself under
   * `/dev/identity/<protocol>/` (outside the web context: no sessions, no CSRF of ours), and its entry.
   */
  demo?: {
    providers(config: Config): IdentityProviderConfig<Settings>[]
    routes: FastifyPluginAsync<{ config: Config }>
  }
}
