import crypto, { type KeyObject } from 'node:crypto'
import forge from 'node-forge'

/** What a signer shows of its certificate (for logs, the admin view, a check at boot). */
export interface CertificateSummary {
  /** RFC 4514 order, e.g. "CN=Stadt Dortmund – Ordnungsamt (DEMO), OU=Ordnungsamt, O=Stadt Dortmund, C=DE". */
  subject: string
  issuer: string
  notAfter: Date
  /** SHA-256 of the DER certificate, upper-case hex pairs joined by ":" (as openssl and browsers show it). */
  fingerprintSha256: string
  selfSigned: boolean
}

/** A private key with its certificate and the chain that goes into every signature. */
export interface SigningCredentials {
  privateKey: KeyObject
  /** The signer's certificate, DER. */
  certificate: Buffer
  /** Further certificates from the same PKCS#12 (intermediate and root CAs), DER. */
  chain: Buffer[]
  summary: CertificateSummary
  demo: boolean
}

const derOfAsn1 = (node: forge.asn1.Asn1) => Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary')
const spkiOf = (key: KeyObject) =>
  (key.type === 'private' ? crypto.createPublicKey(key) : key).export({ type: 'spki', format: 'der' })

function distinguishedName(multiline: string): string {
  // Node prints one attribute per line, most general first; RFC 4514 strings list the most specific first.
  return multiline.split('\n').filter(Boolean).reverse().join(', ')
}

export function summarizeCertificate(der: Buffer): CertificateSummary {
  const x509 = new crypto.X509Certificate(der)
  return {
    subject: distinguishedName(x509.subject),
    issuer: distinguishedName(x509.issuer),
    notAfter: new Date(x509.validTo),
    fingerprintSha256: x509.fingerprint256,
    // Not checkIssued(): it also wants keyCertSign, which a signing-only certificate rightly lacks.
    selfSigned: x509.subject === x509.issuer && x509.verify(x509.publicKey),
  }
}

/**
 * Reads a PKCS#12 file (.p12/.pfx): the private key, the certificate that belongs to it and the other
 * certificates as its chain. Throws with the reason (wrong passphrase, no key, no matching certificate).
 */
export function readP12Credentials(p12: Buffer, passphrase: string, now = new Date()): SigningCredentials {
  let pfx: forge.pkcs12.Pkcs12Pfx
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), false, passphrase)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    // forge says "PKCS#12 MAC could not be verified. Invalid password?" or fails to decrypt the key bag.
    throw new Error(
      /password|MAC|decrypt/i.test(reason)
        ? `wrong passphrase or damaged file (${reason})`
        : `not a readable PKCS#12 file (${reason})`,
    )
  }
  const bags = pfx.safeContents.flatMap(contents => contents.safeBags)
  const keyBags = bags.filter(
    bag => bag.type === forge.pki.oids.pkcs8ShroudedKeyBag || bag.type === forge.pki.oids.keyBag,
  )
  if (keyBags.length !== 1) throw new Error(`expected one private key, found ${keyBags.length}`)
  const keyBag = keyBags[0]
  // forge reads RSA keys; other keys (EC) come back as the PrivateKeyInfo it could not read, which Node can.
  const keyInfo = keyBag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(keyBag.key)) : keyBag.asn1
  const privateKey = crypto.createPrivateKey({ key: derOfAsn1(keyInfo), format: 'der', type: 'pkcs8' })
  if (privateKey.asymmetricKeyType !== 'rsa' && privateKey.asymmetricKeyType !== 'ec') {
    throw new Error(`unsupported key type ${privateKey.asymmetricKeyType}; use RSA or ECDSA`)
  }

  // forge re-encodes certificates it could parse (RSA) from their cached parts; others it hands over as read.
  const certificates = bags
    .filter(bag => bag.type === forge.pki.oids.certBag)
    .map(bag => (bag.cert ? derOfAsn1(forge.pki.certificateToAsn1(bag.cert)) : derOfAsn1(bag.asn1)))
  const publicKey = spkiOf(privateKey)
  const certificate = certificates.find(der => spkiOf(new crypto.X509Certificate(der).publicKey).equals(publicKey))
  if (!certificate) throw new Error('no certificate in the file belongs to its private key')
  const chain = certificates.filter(der => der !== certificate)

  const x509 = new crypto.X509Certificate(certificate)
  // The signing-certificate-v2 attribute hashes these bytes: they must be the issuer-signed ones.
  const issuer = [certificate, ...chain]
    .map(der => new crypto.X509Certificate(der))
    .find(candidate => candidate.subject === x509.issuer)
  if (issuer && !x509.verify(issuer.publicKey)) throw new Error('the certificate could not be read back unchanged')
  const subject = distinguishedName(x509.subject)
  if (new Date(x509.validTo) < now)
    throw new Error(`the certificate "${subject}" expired on ${new Date(x509.validTo).toISOString()}`)
  if (new Date(x509.validFrom) > now)
    throw new Error(`the certificate "${subject}" is valid only from ${new Date(x509.validFrom).toISOString()}`)
  return { privateKey, certificate, chain, summary: summarizeCertificate(certificate), demo: false }
}

// RFC 5280 upper bound for a common name.
const MAX_COMMON_NAME = 64

/**
 * A self-signed certificate for development: RSA 2048, SHA-256, valid for a year, usable for document
 * signatures only (digitalSignature, nonRepudiation). No validator trusts it, which is the point.
 */
export function createDemoCredentials(cityName: string, officeName: string, now = new Date()): SigningCredentials {
  // forge hands key generation to Node's native RSA when it can: milliseconds, not the ~1 s of pure JavaScript.
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 })
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  // A positive serial of 16 random bytes (RFC 5280 4.1.2.2: at most 20 octets, unique per issuer).
  cert.serialNumber = `01${crypto.randomBytes(15).toString('hex')}`
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000)
  cert.validity.notAfter = new Date(now.getTime() + 365 * 24 * 60 * 60 * 1000)
  const utf8 = forge.asn1.Type.UTF8
  const commonName = `${cityName} – ${officeName} (DEMO)`
  const name = [
    { shortName: 'C', value: 'DE' },
    { shortName: 'O', value: cityName, valueTagClass: utf8 },
    { shortName: 'OU', value: officeName, valueTagClass: utf8 },
    {
      shortName: 'CN',
      value: commonName.length > MAX_COMMON_NAME ? `${commonName.slice(0, MAX_COMMON_NAME - 9)}… (DEMO)` : commonName,
      valueTagClass: utf8,
    },
  ] as forge.pki.CertificateField[]
  cert.setSubject(name)
  cert.setIssuer(name)
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ])
  cert.sign(keys.privateKey, forge.md.sha256.create())
  const certificate = derOfAsn1(forge.pki.certificateToAsn1(cert))
  const privateKey = crypto.createPrivateKey(forge.pki.privateKeyToPem(keys.privateKey))
  return { privateKey, certificate, chain: [], summary: summarizeCertificate(certificate), demo: true }
}
