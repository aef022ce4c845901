import crypto from 'node:crypto'
import path from 'node:path'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import type { AssuranceLevel } from '../../platform/auth/assurance.js'
import type { Config } from '../../platform/config.js'
import { sendHtml } from '../../platform/views/page-context.js'
import {
  buildSamlErrorResponse,
  buildSamlResponse,
  readRedirectAuthnRequest,
  readRedirectLogoutRequest,
  redirectLogoutResponseUrl,
} from './identity.saml.idp.js'
import {
  assuranceOf,
  BUNDID_ATTRIBUTES,
  readPem,
  requestedAuthnContext,
  type SamlProvider,
  type SamlSettings,
} from './identity.saml.settings.js'
import type { IdentityProtocol } from './identity.types.js'
import { IdentityProblemPage } from './views/problem.js'
import { SamlDemoLoginPage, SamlDemoPostPage } from './views/saml-demo.js'

/**
 * "BundID (Demo)": a SAML identity provider the platform serves itself in development (IDENTITY_DEMO), so that the
 * sign-in with BundID can be tried with no outside system. It trusts anyone: pick a person and a method. Its keys
 * are demo files (config/identity-demo/), published in the repository and worth nothing.
 */
const DEMO_FILES = path.resolve('config/identity-demo')
export const demoFile = (name: string) => path.join(DEMO_FILES, name)

export const SAML_DEMO_PROVIDER_ID = 'bundid-demo'

export interface DemoPerson {
  id: string
  /** bPK2: BundID's pseudonym of the person for this service provider. */
  bpk2: string
  givenName: string
  familyName: string
  birthDate: string
  postalAddress: string
  postalCode: string
  city: string
  email: string
}

export const SAML_DEMO_PERSONS: DemoPerson[] = [
  {
    id: 'erika',
    bpk2: 'DEMO-bPK2-Erika-Mustermann-1964',
    givenName: 'Erika',
    familyName: 'Mustermann',
    birthDate: '1964-08-12',
    postalAddress: 'Heidestraße 17',
    postalCode: '51147',
    city: 'Köln',
    email: 'erika.mustermann@bundid-demo.example',
  },
  {
    id: 'jonas',
    bpk2: 'DEMO-bPK2-Jonas-Beispiel-1991',
    givenName: 'Jonas',
    familyName: 'Beispiel',
    birthDate: '1991-03-01',
    postalAddress: 'Am Markt 5a',
    postalCode: '99423',
    city: 'Weimar',
    email: 'jonas.beispiel@bundid-demo.example',
  },
]

/** The ways to sign in at BundID and the level each gives. */
export const SAML_DEMO_METHODS: { id: string; level: AssuranceLevel }[] = [
  { id: 'eid', level: 'high' },
  { id: 'elster', level: 'substantial' },
  { id: 'password', level: 'low' },
]

function demoSettings(config: Config): SamlSettings {
  return {
    idpEntityId: `${config.baseUrl}/dev/identity/saml`,
    idpSsoUrl: `${config.baseUrl}/dev/identity/saml/sso`,
    idpSloUrl: `${config.baseUrl}/dev/identity/saml/slo`,
    idpCertificateFiles: [demoFile('idp.crt')],
    spSigningKeyFile: demoFile('sp-signing.key'),
    spSigningCertificateFile: demoFile('sp-signing.crt'),
    spDecryptionKeyFile: demoFile('sp-encryption.key'),
    spEncryptionCertificateFile: demoFile('sp-encryption.crt'),
    requireEncryptedAssertions: true,
  }
}

function demoProviders(config: Config): SamlProvider[] {
  return [
    {
      id: SAML_DEMO_PROVIDER_ID,
      protocol: 'saml',
      label: { de: 'Mit BundID (Demo) anmelden', en: 'Sign in with BundID (demo)' },
      name: { de: 'BundID (Demo)', en: 'BundID (demo)' },
      audience: 'citizen',
      maxAssurance: 'high',
      settings: demoSettings(config),
    },
  ]
}

const SsoBody = Type.Object({
  request: Type.String({ maxLength: 20_000 }),
  person: Type.Optional(Type.String({ maxLength: 20 })),
  method: Type.Optional(Type.String({ maxLength: 20 })),
  action: Type.Optional(Type.Union([Type.Literal('login'), Type.Literal('cancel')])),
})

/** The request, if it is a signed AuthnRequest of this platform's demo provider; else undefined. */
function demoRequestOf(config: Config, rawQuery: string) {
  const request = readRedirectAuthnRequest(rawQuery, readPem(demoFile('sp-signing.crt')))
  const ours = `${config.baseUrl}/identity/saml/`
  if (!request?.acsUrl.startsWith(ours) || !request.issuer.startsWith(ours)) return undefined
  return request
}

/** The methods that give at least the level asked for (BundID offers only those). */
function methodsFor(authnContext: string[]) {
  const minimum = assuranceOf(authnContext[0]) ?? 'low'
  const rank = { low: 0, substantial: 1, high: 2 }
  return SAML_DEMO_METHODS.filter(m => rank[m.level] >= rank[minimum])
}

const badRequest = async (req: FastifyRequest, reply: Parameters<typeof sendHtml>[0]) => {
  req.log.warn({ provider: SAML_DEMO_PROVIDER_ID, reason: 'demo IdP: bad AuthnRequest' }, 'SAML demo refused')
  return sendHtml(
    reply,
    IdentityProblemPage({ ctx: await req.server.pageContext(req), problem: 'samlDemoBadRequest' }),
    400,
  )
}

const demoRoutes: FastifyPluginAsync<{ config: Config }> = async (app, { config }) => {
  const idpKey = readPem(demoFile('idp.key'))
  const idpCertificate = readPem(demoFile('idp.crt'))
  const settings = demoSettings(config)

  app.get('/sso', async (req, reply) => {
    const rawQuery = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : ''
    const request = demoRequestOf(config, rawQuery)
    if (!request) return badRequest(req, reply)
    const ctx = await req.server.pageContext(req)
    return sendHtml(
      reply,
      SamlDemoLoginPage({
        ctx,
        request: rawQuery,
        persons: SAML_DEMO_PERSONS,
        methods: methodsFor(request.authnContext),
      }),
    )
  })

  // SP-initiated logout: the demo keeps no sessions of its own, so it confirms at once and sends the browser back.
  app.get('/slo', async (req, reply) => {
    const rawQuery = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : ''
    const request = readRedirectLogoutRequest(rawQuery, readPem(demoFile('sp-signing.crt')))
    if (!request) return badRequest(req, reply)
    const url = redirectLogoutResponseUrl({
      issuer: settings.idpEntityId,
      destination: `${config.baseUrl}/identity/saml/${SAML_DEMO_PROVIDER_ID}/logout`,
      inResponseTo: request.id,
      relayState: new URLSearchParams(rawQuery).get('RelayState') ?? undefined,
      now: app.clock.now(),
      signingKey: idpKey,
    })
    return reply.redirect(url, 303)
  })

  app.post<{ Body: { request: string; person?: string; method?: string; action?: 'login' | 'cancel' } }>(
    '/sso',
    { schema: { body: SsoBody } },
    async (req, reply) => {
      const request = demoRequestOf(config, req.body.request)
      if (!request) return badRequest(req, reply)
      const relayState = new URLSearchParams(req.body.request).get('RelayState') ?? ''
      const ctx = await req.server.pageContext(req)
      const now = app.clock.now()
      let xml: string
      if (req.body.action === 'cancel') {
        xml = buildSamlErrorResponse({
          issuer: settings.idpEntityId,
          destination: request.acsUrl,
          inResponseTo: request.id,
          now,
          subStatus: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed',
          message: 'cancelled by the user',
        })
      } else {
        const person = SAML_DEMO_PERSONS.find(p => p.id === req.body.person)
        const methods = methodsFor(request.authnContext)
        const method = methods.find(m => m.id === req.body.method)
        if (!person || !method)
          return sendHtml(
            reply,
            SamlDemoLoginPage({
              ctx,
              request: req.body.request,
              persons: SAML_DEMO_PERSONS,
              methods,
              error: true,
              chosen: { person: req.body.person, method: req.body.method },
            }),
            400,
          )
        xml = await buildSamlResponse({
          issuer: settings.idpEntityId,
          destination: request.acsUrl,
          audience: request.issuer,
          inResponseTo: request.id,
          nameId: person.bpk2,
          sessionIndex: `_demo-session-${crypto.randomBytes(12).toString('hex')}`,
          attributes: demoAttributes(person, method.level),
          authnContextClassRef: requestedAuthnContext('stork', method.level),
          now,
          signingKey: idpKey,
          signingCertificate: idpCertificate,
          encryptFor: readPem(demoFile('sp-encryption.crt')),
        })
      }
      return sendHtml(
        reply,
        SamlDemoPostPage({
          ctx,
          acsUrl: request.acsUrl,
          samlResponse: Buffer.from(xml).toString('base64'),
          relayState,
        }),
      )
    },
  )
}

/** The attributes BundID sends about a person, under BundID's names, with the level of the method used. */
export function demoAttributes(person: DemoPerson, level: AssuranceLevel): Record<string, string> {
  return {
    [BUNDID_ATTRIBUTES.subject]: person.bpk2,
    [BUNDID_ATTRIBUTES.givenName]: person.givenName,
    [BUNDID_ATTRIBUTES.familyName]: person.familyName,
    [BUNDID_ATTRIBUTES.birthDate]: person.birthDate,
    [BUNDID_ATTRIBUTES.postalAddress]: person.postalAddress,
    [BUNDID_ATTRIBUTES.postalCode]: person.postalCode,
    [BUNDID_ATTRIBUTES.city]: person.city,
    [BUNDID_ATTRIBUTES.email]: person.email,
    [BUNDID_ATTRIBUTES.level]: requestedAuthnContext('stork', level),
  }
}

export const samlDemo: NonNullable<IdentityProtocol<SamlSettings>['demo']> = {
  providers: demoProviders,
  routes: demoRoutes,
}
