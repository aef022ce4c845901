import forge from 'node-forge'

// Just enough DER to build a CMS signature around certificates byte for byte: re-encoding a parsed
// certificate could change its bytes, and the signing-certificate-v2 attribute carries their hash.

export const TAG = {
  integer: 0x02,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
  set: 0x31,
  /** [n] IMPLICIT or EXPLICIT, constructed. */
  context: (n: number) => 0xa0 + n,
} as const

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length])
  const bytes: number[] = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

/** One element: tag, length, content (the content's parts are concatenated). */
export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content)
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body])
}

export const sequence = (...items: Buffer[]) => tlv(TAG.sequence, ...items)
/** DER sorts the elements of a SET OF by their encoding (X.690 11.6). */
export const setOf = (...items: Buffer[]) => tlv(TAG.set, ...[...items].sort(Buffer.compare))
export const octetString = (bytes: Buffer) => tlv(TAG.octetString, bytes)
export const derNull = () => tlv(TAG.null)
export const integer = (value: number) => tlv(TAG.integer, Buffer.from([value]))
export const oid = (dotted: string) => tlv(TAG.oid, Buffer.from(forge.asn1.oidToDer(dotted).getBytes(), 'binary'))

interface Element {
  tag: number /** The whole element, header included. */
  bytes: Buffer
  content: Buffer
}

function readElement(der: Buffer, offset: number): Element {
  if (offset + 2 > der.length) throw new Error('DER: truncated element')
  const tag = der[offset]
  let length = der[offset + 1]
  let header = 2
  if (length & 0x80) {
    const count = length & 0x7f
    if (count === 0 || count > 4 || offset + 2 + count > der.length) throw new Error('DER: unsupported length')
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + der[offset + 2 + i]
    header += count
  }
  const end = offset + header + length
  if (end > der.length) throw new Error('DER: element longer than its container')
  return { tag, bytes: der.subarray(offset, end), content: der.subarray(offset + header, end) }
}

/** The elements inside a constructed element (a SEQUENCE's fields), each with its original bytes. */
export function childrenOf(der: Buffer): Element[] {
  const { content } = readElement(der, 0)
  const children: Element[] = []
  for (let offset = 0; offset < content.length; ) {
    const child = readElement(content, offset)
    children.push(child)
    offset += child.bytes.length
  }
  return children
}

/** Issuer and serial number of an X.509 certificate, as the DER they have in it (RFC 5280 4.1). */
export function issuerAndSerialOf(certificateDer: Buffer): { issuer: Buffer; serialNumber: Buffer } {
  const [tbsCertificate] = childrenOf(certificateDer)
  const fields = childrenOf(tbsCertificate.bytes)
  // version is [0] EXPLICIT and absent in v1 certificates.
  const first = fields[0]?.tag === TAG.context(0) ? 1 : 0
  const serialNumber = fields[first]
  const issuer = fields[first + 2]
  if (serialNumber?.tag !== TAG.integer || issuer?.tag !== TAG.sequence) throw new Error('not an X.509 certificate')
  return { issuer: issuer.bytes, serialNumber: serialNumber.bytes }
}
