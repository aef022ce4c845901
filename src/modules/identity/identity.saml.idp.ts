import crypto from 'node:crypto'
import zlib from 'node:zlib'
import { SignedXml } from 'xml-crypto'
import xmlenc from 'xml-encryption'
import { extractXml } from './identity.saml.xml.js'

/**
 * The identity provider's side of SAML 2.0, as far as the development demo (and the tests) need it: read an
 * AuthnRequest, write a signed (and optionally encrypted) Response. Not for production: a real city uses BundID.
 */

export interface AuthnRequestInfo {
  id: string
  issuer: string
  acsUrl: string
  /** The AuthnContextClassRefs asked for (Comparison="minimum"). */
  authnContext: string[]
}

const SIG_RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#'

/**
 * Reads a message sent with the HTTP-Redirect binding and checks its signature with the sender's certificate (SAML
 * bindings 3.4.4.1: the signature covers the query parameters as they were sent). Undefined when anything is wrong.
 */
function readRedirectMessage(rawQuery: string, certificate: string, param: 'SAMLRequest' | 'SAMLResponse') {
  const params = new URLSearchParams(rawQuery)
  const message = params.get(param)
  const signature = params.get('Signature')
  const sigAlg = params.get('SigAlg')
  if (!message || !signature || sigAlg !== SIG_RSA_SHA256) return undefined
  const raw = (name: string) => rawQuery.split('&').find(part => part.startsWith(`${name}=`))
  const signed = [param, 'RelayState', 'SigAlg'].map(raw).filter(Boolean).join('&')
  const valid = crypto.verify('RSA-SHA256', Buffer.from(signed), certificate, Buffer.from(signature, 'base64'))
  if (!valid) return undefined
  try {
    return zlib.inflateRawSync(Buffer.from(message, 'base64')).toString('utf8')
  } catch {
    // Not deflated base64: not a message this binding can carry.
    return undefined
  }
}

/** A signed AuthnRequest of the HTTP-Redirect binding: whom to answer, where, and the level asked for. */
export function readRedirectAuthnRequest(rawQuery: string, spCertificate: string): AuthnRequestInfo | undefined {
  const xml = readRedirectMessage(rawQuery, spCertificate, 'SAMLRequest')
  if (!xml) return undefined
  const found = extractXml(xml, [
    { key: 'request', localPath: ['AuthnRequest'], attributes: ['ID', 'AssertionConsumerServiceURL'] },
    { key: 'issuer', localPath: ['AuthnRequest', 'Issuer'], attributes: [] },
    {
      key: 'authnContext',
      localPath: ['AuthnRequest', 'RequestedAuthnContext', 'AuthnContextClassRef'],
      attributes: [],
    },
  ]) as { request?: { id?: string; assertionConsumerServiceUrl?: string }; issuer?: string; authnContext?: unknown }
  const id = found.request?.id
  const acsUrl = found.request?.assertionConsumerServiceUrl
  if (!id || !acsUrl || typeof found.issuer !== 'string') return undefined
  const authnContext = [found.authnContext].flat().filter((v): v is string => typeof v === 'string')
  return { id, issuer: found.issuer, acsUrl, authnContext }
}

export interface SamlResponseOptions {
  issuer: string
  destination: string
  audience: string
  inResponseTo?: string
  nameId: string
  sessionIndex: string
  attributes: Record<string, string>
  authnContextClassRef: string
  /** When the assertion was made; NotBefore and NotOnOrAfter follow from it unless given. */
  now: Date
  notBefore?: Date
  notOnOrAfter?: Date
  signingKey: string
  signingCertificate: string
  /** Sign the assertion (default) and/or the whole response. */
  signAssertion?: boolean
  signResponse?: boolean
  /** Encrypt the assertion for this certificate (the SP's encryption certificate). */
  encryptFor?: string
}

const escapeXml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const newId = () => `_${crypto.randomBytes(20).toString('hex')}`
const iso = (date: Date) => date.toISOString()

function sign(xml: string, elementName: 'Assertion' | 'Response', key: string, certificate: string): string {
  const signer = new SignedXml({
    privateKey: key,
    publicCert: certificate,
    signatureAlgorithm: SIG_RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
  })
  signer.addReference({
    xpath: `/*[local-name(.)='${elementName}'] | /*/*[local-name(.)='${elementName}']`,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', EXC_C14N],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  })
  // The signature follows the element's Issuer (SAML core schema order).
  signer.computeSignature(xml, {
    location: { reference: `//*[local-name(.)='${elementName}']/*[local-name(.)='Issuer']`, action: 'after' },
  })
  return signer.getSignedXml()
}

function encrypt(xml: string, certificate: string): Promise<string> {
  return new Promise((resolve, reject) => {
    xmlenc.encrypt(
      xml,
      {
        rsa_pub: certificate,
        pem: certificate,
        encryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
        keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
        disallowEncryptionWithInsecureAlgorithm: true,
        warnInsecureAlgorithm: false,
      },
      (error: Error | null, result?: string) => (error || !result ? reject(error) : resolve(result)),
    )
  })
}

const NS = 'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"'

/** A Response carrying one assertion about the person, signed as asked. */
export async function buildSamlResponse(o: SamlResponseOptions): Promise<string> {
  const notBefore = o.notBefore ?? new Date(o.now.getTime() - 5_000)
  const notOnOrAfter = o.notOnOrAfter ?? new Date(o.now.getTime() + 5 * 60_000)
  const inResponseTo = o.inResponseTo ? ` InResponseTo="${escapeXml(o.inResponseTo)}"` : ''
  const attributes = Object.entries(o.attributes)
    .map(
      ([name, value]) =>
        `<saml:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml:AttributeValue>${escapeXml(value)}</saml:AttributeValue></saml:Attribute>`,
    )
    .join('')
  let assertion =
    `<saml:Assertion ${NS} ID="${newId()}" Version="2.0" IssueInstant="${iso(o.now)}">` +
    `<saml:Issuer>${escapeXml(o.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${escapeXml(o.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData${inResponseTo} NotOnOrAfter="${iso(notOnOrAfter)}" Recipient="${escapeXml(o.destination)}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(notBefore)}" NotOnOrAfter="${iso(notOnOrAfter)}"><saml:AudienceRestriction><saml:Audience>${escapeXml(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(o.now)}" SessionIndex="${escapeXml(o.sessionIndex)}"><saml:AuthnContext><saml:AuthnContextClassRef>${escapeXml(o.authnContextClassRef)}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` +
    `</saml:Assertion>`
  if (o.signAssertion !== false) assertion = sign(assertion, 'Assertion', o.signingKey, o.signingCertificate)
  if (o.encryptFor)
    assertion = `<saml:EncryptedAssertion>${await encrypt(assertion, o.encryptFor)}</saml:EncryptedAssertion>`
  const response =
    `<samlp:Response ${NS} ID="${newId()}" Version="2.0" IssueInstant="${iso(o.now)}" Destination="${escapeXml(o.destination)}"${inResponseTo}>` +
    `<saml:Issuer>${escapeXml(o.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    assertion +
    `</samlp:Response>`
  return o.signResponse ? sign(response, 'Response', o.signingKey, o.signingCertificate) : response
}

/** A Response that says the sign-in did not happen (the person cancelled: AuthnFailed). */
export function buildSamlErrorResponse(o: {
  issuer: string
  destination: string
  inResponseTo: string
  now: Date
  subStatus: string
  message?: string
}): string {
  return (
    `<samlp:Response ${NS} ID="${newId()}" Version="2.0" IssueInstant="${iso(o.now)}" Destination="${escapeXml(o.destination)}" InResponseTo="${escapeXml(o.inResponseTo)}">` +
    `<saml:Issuer>${escapeXml(o.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="${escapeXml(o.subStatus)}"/></samlp:StatusCode>` +
    (o.message ? `<samlp:StatusMessage>${escapeXml(o.message)}</samlp:StatusMessage>` : '') +
    `</samlp:Status></samlp:Response>`
  )
}

/** A LogoutRequest from the identity provider (IdP-initiated Single Logout), signed, for the HTTP-POST binding. */
export function buildSamlLogoutRequest(o: {
  issuer: string
  destination: string
  nameId: string
  sessionIndex?: string
  now: Date
  signingKey: string
  signingCertificate: string
}): string {
  const xml =
    `<samlp:LogoutRequest ${NS} ID="${newId()}" Version="2.0" IssueInstant="${iso(o.now)}" Destination="${escapeXml(o.destination)}">` +
    `<saml:Issuer>${escapeXml(o.issuer)}</saml:Issuer>` +
    `<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${escapeXml(o.nameId)}</saml:NameID>` +
    (o.sessionIndex ? `<samlp:SessionIndex>${escapeXml(o.sessionIndex)}</samlp:SessionIndex>` : '') +
    `</samlp:LogoutRequest>`
  const signer = new SignedXml({
    privateKey: o.signingKey,
    publicCert: o.signingCertificate,
    signatureAlgorithm: SIG_RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
  })
  signer.addReference({
    xpath: "/*[local-name(.)='LogoutRequest']",
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', EXC_C14N],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  })
  signer.computeSignature(xml, {
    location: { reference: "/*[local-name(.)='LogoutRequest']/*[local-name(.)='Issuer']", action: 'after' },
  })
  return signer.getSignedXml()
}

/** A signed LogoutRequest of the HTTP-Redirect binding (SP-initiated logout): its ID. */
export function readRedirectLogoutRequest(rawQuery: string, spCertificate: string): { id: string } | undefined {
  const xml = readRedirectMessage(rawQuery, spCertificate, 'SAMLRequest')
  if (!xml) return undefined
  const found = extractXml(xml, [{ key: 'request', localPath: ['LogoutRequest'], attributes: ['ID'] }]) as {
    request?: string
  }
  return typeof found.request === 'string' ? { id: found.request } : undefined
}

/** The URL that answers a LogoutRequest with a signed, successful LogoutResponse (HTTP-Redirect binding). */
export function redirectLogoutResponseUrl(o: {
  issuer: string
  destination: string
  inResponseTo: string
  relayState?: string
  now: Date
  signingKey: string
}): string {
  const xml =
    `<samlp:LogoutResponse ${NS} ID="${newId()}" Version="2.0" IssueInstant="${iso(o.now)}" Destination="${escapeXml(o.destination)}" InResponseTo="${escapeXml(o.inResponseTo)}">` +
    `<saml:Issuer>${escapeXml(o.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    `</samlp:LogoutResponse>`
  const parts = [`SAMLResponse=${encodeURIComponent(zlib.deflateRawSync(xml).toString('base64'))}`]
  if (o.relayState) parts.push(`RelayState=${encodeURIComponent(o.relayState)}`)
  parts.push(`SigAlg=${encodeURIComponent(SIG_RSA_SHA256)}`)
  const signature = crypto.sign('RSA-SHA256', Buffer.from(parts.join('&')), o.signingKey).toString('base64')
  return `${o.destination}?${parts.join('&')}&Signature=${encodeURIComponent(signature)}`
}
