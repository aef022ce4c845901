import crypto from 'node:crypto'
import { Signer } from '@signpdf/utils'
import type { SigningCredentials } from './credentials.js'
import { derNull, integer, issuerAndSerialOf, octetString, oid, sequence, setOf, tlv, TAG } from './der.js'

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const

const attribute = (type: string, value: Buffer) => sequence(oid(type), setOf(value))
const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest()

/**
 * CMS SignedData (RFC 5652), detached, as PAdES baseline B-B wants it inside the PDF (ETSI EN 319 142-1,
 * SubFilter ETSI.CAdES.detached): signed attributes content-type, message-digest and ESS
 * signing-certificate-v2 (RFC 5035), which binds the signer's certificate to the signature.
 *
 * No signing-time attribute: PAdES baseline forbids it (EN 319 142-1, cardinality 0); the claimed signing
 * time is the signature dictionary's /M. Written by hand because node-forge's PKCS#7 signer encodes no
 * attributes other than content-type, message-digest and signing-time.
 */
export class CadesDetachedSigner extends Signer {
  private readonly signerId: Buffer
  private readonly essCertId: Buffer

  constructor(private readonly credentials: SigningCredentials) {
    super()
    const { issuer, serialNumber } = issuerAndSerialOf(credentials.certificate)
    this.signerId = sequence(issuer, serialNumber)
    // ESSCertIDv2 with the default hash (SHA-256) left out, as DER wants; no issuerSerial (EN 319 122-1 6.3 g).
    this.essCertId = sequence(octetString(sha256(credentials.certificate)))
  }

  /** The CMS for the bytes the ByteRange covers; the PDF's /M is the signing time, so `signingTime` is not used. */
  override async sign(content: Buffer): Promise<Buffer> {
    const signedAttributes = [
      attribute(OID.contentType, oid(OID.data)),
      attribute(OID.messageDigest, octetString(sha256(content))),
      attribute(OID.signingCertificateV2, sequence(sequence(this.essCertId))),
    ]
    // The signature covers the attributes as a DER SET OF; in SignerInfo the same bytes carry the tag [0] IMPLICIT.
    const attributesSet = setOf(...signedAttributes)
    const signature = crypto.sign('sha256', attributesSet, this.credentials.privateKey)
    const rsa = this.credentials.privateKey.asymmetricKeyType === 'rsa'

    const signerInfo = sequence(
      integer(1), // version 1: the signer is named by issuer and serial number
      this.signerId,
      sequence(oid(OID.sha256)),
      Buffer.concat([Buffer.from([TAG.context(0)]), attributesSet.subarray(1)]),
      rsa ? sequence(oid(OID.rsaEncryption), derNull()) : sequence(oid(OID.ecdsaWithSha256)),
      octetString(signature),
    )
    const signedData = sequence(
      integer(1),
      setOf(sequence(oid(OID.sha256))),
      sequence(oid(OID.data)), // detached: the content is the PDF around this signature, not in here
      tlv(TAG.context(0), this.credentials.certificate, ...this.credentials.chain),
      setOf(signerInfo),
    )
    return sequence(oid(OID.signedData), tlv(TAG.context(0), signedData))
  }
}
