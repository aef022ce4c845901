import crypto from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { SAML, type SamlConfig } from '@node-saml/node-saml'
import type { AssuranceLevel } from '../../platform/auth/assurance.js'
import type { Config } from '../../platform/config.js'
import { sendHtml } from '../../platform/views/page-context.js'
import { IdentityProblemPage } from './views/problem.js'
import {
  attributeNames,
  readPem,
  requestedAuthnContext,
  samlEndpoints,
  type SamlProvider,
  type SamlSettings,
} from './identity.saml.settings.js'

const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'

/** node-saml for one provider (and, when sending a request, the level it asks for and the request's id). */
export function samlFor(
  config: Config,
  provider: SamlProvider,
  request: { assurance?: AssuranceLevel; id?: string } = {},
): SAML {
  const s = provider.settings
  const ends = samlEndpoints(config, provider)
  const options: SamlConfig = {
    callbackUrl: ends.acs,
    entryPoint: s.idpSsoUrl,
    issuer: ends.entityId,
    audience: ends.entityId,
    idpCert: s.idpCertificateFiles.map(readPem),
    idpIssuer: s.idpEntityId,
    privateKey: readPem(s.spSigningKeyFile),
    publicCert: readPem(s.spSigningCertificateFile),
    decryptionPvk: s.spDecryptionKeyFile ? readPem(s.spDecryptionKeyFile) : undefined,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    // BundID signs the assertion; a signed response around it is welcome but not needed.
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: (s.clockSkewSeconds ?? 60) * 1000,
    // InResponseTo is checked against saml_sign_ins (one-time, bound to the browser), not node-saml's memory.
    validateInResponseTo: 'never' as SamlConfig['validateInResponseTo'],
    identifierFormat: PERSISTENT,
    authnContext: [requestedAuthnContext(s.levelStyle, request.assurance ?? 'low')],
    racComparison: 'minimum',
    logoutUrl: s.idpSloUrl ?? s.idpSsoUrl,
    logoutCallbackUrl: ends.logout,
    samlAuthnRequestExtensions: s.requestAttributesExtension === false ? undefined : akdbExtension(s),
  }
  if (request.id) {
    const id = request.id
    options.generateUniqueId = () => id
  }
  return new SAML(options)
}

/** BundID's (AKDB) request extension: which attributes the service needs, and which of them it cannot do without. */
function akdbExtension(settings: SamlSettings) {
  const names = attributeNames(settings)
  const required = new Set(settings.requiredAttributes ?? ['givenName', 'familyName'])
  return {
    'akdb:AuthenticationRequest': {
      '@xmlns:akdb': 'https://www.akdb.de/request/2018/09',
      '@Version': '2',
      'akdb:RequestedAttributes': {
        'akdb:RequestedAttribute': Object.entries(names).map(([key, name]) => ({
          '@Name': name,
          '@RequiredAttribute': String(key === 'subject' || required.has(key as never)),
        })),
      },
    },
  }
}

/** Our metadata for the provider: entity id, ACS, logout, certificates, NameID format, the attributes we ask for. */
export function samlMetadata(config: Config, provider: SamlProvider): string {
  const s = provider.settings
  // A stable document: its ID derives from our entity id instead of being drawn anew each time.
  const id = `_${crypto.createHash('sha256').update(samlEndpoints(config, provider).entityId).digest('hex').slice(0, 40)}`
  const xml = samlFor(config, provider, { id }).generateServiceProviderMetadata(
    s.spEncryptionCertificateFile ? readPem(s.spEncryptionCertificateFile) : null,
    readPem(s.spSigningCertificateFile),
  )
  const names = attributeNames(s)
  const required = new Set(s.requiredAttributes ?? ['givenName', 'familyName'])
  const escapeXml = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')
  const requested = Object.entries(names)
    .map(
      ([key, name]) =>
        `<RequestedAttribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" isRequired="${key === 'subject' || required.has(key as never)}"/>`,
    )
    .join('')
  const service = `<AttributeConsumingService index="1" isDefault="true"><ServiceName xml:lang="de">${escapeXml(config.cityName)}</ServiceName>${requested}</AttributeConsumingService>`
  return xml.replace('</SPSSODescriptor>', `${service}</SPSSODescriptor>`)
}

/** Answers a refused sign-in with its page (in the person's language) and a line for operators: provider, reason. */
export async function samlProblem(
  req: FastifyRequest,
  reply: FastifyReply,
  providerId: string,
  problem: string,
  reason: string,
  status = 400,
) {
  req.log.warn({ provider: providerId, reason }, 'SAML sign-in refused')
  return sendHtml(reply, IdentityProblemPage({ ctx: await req.server.pageContext(req), problem }), status)
}
