import crypto from 'node:crypto'
import { plainAddPlaceholder } from '@signpdf/placeholder-plain'
import { SignPdf } from '@signpdf/signpdf'
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils'
import { CadesDetachedSigner } from './cms.js'
import type { CertificateSummary, SigningCredentials } from './credentials.js'

/** What the signature dictionary says about a signature; viewers show it in their signature panel. */
export interface SignatureInfo {
  /** /Reason, e.g. "Gebührenbescheid GB-2026-000123". */
  reason: string
  /** /Location, e.g. "Dortmund". */
  location: string
  /** /Name: who signs, e.g. "Stadt Dortmund – Ordnungsamt". */
  signerName: string
  /** /ContactInfo, e.g. a phone number or an e-mail address. */
  contactInfo?: string
}

export interface PdfSigner {
  /**
   * Signs a PDF made by `renderLetterPdf` (PAdES B-B: a CMS detached signature, SubFilter
   * ETSI.CAdES.detached, added as an incremental update). The returned bytes are final: any change to
   * them, and anything appended, shows in a validator. PDFs with cross-reference streams are not supported.
   */
  sign(pdf: Buffer, info: SignatureInfo): Promise<Buffer>
  certificate: CertificateSummary
}

export interface PdfSignerOptions {
  /** The signing time written to /M; the clock unless a test fixes it. */
  now?: () => Date
}

// Room for the signature attributes, the RSA-4096 or ECDSA value and DER overhead, on top of the certificates.
const SIGNATURE_OVERHEAD_BYTES = 4096

export function createPdfSigner(credentials: SigningCredentials, options: PdfSignerOptions = {}): PdfSigner {
  const cmsSigner = new CadesDetachedSigner(credentials)
  const chainBytes = [credentials.certificate, ...credentials.chain].reduce((sum, der) => sum + der.length, 0)
  const signatureLength = chainBytes + SIGNATURE_OVERHEAD_BYTES
  const now = options.now ?? (() => new Date())

  return {
    certificate: credentials.summary,
    async sign(pdf, info) {
      const signingTime = now()
      // Checked at the start too, but a process may outlive its certificate.
      if (signingTime > credentials.summary.notAfter)
        throw new Error(
          `Signing certificate "${credentials.summary.subject}" expired on ${credentials.summary.notAfter.toISOString()}: renew it in the signing configuration`,
        )
      const texts = new TextStrings()
      const withPlaceholder = plainAddPlaceholder({
        pdfBuffer: pdf,
        reason: texts.add(info.reason),
        location: texts.add(info.location),
        name: texts.add(info.signerName),
        contactInfo: texts.add(info.contactInfo ?? ''),
        signingTime,
        signatureLength,
        subFilter: SUBFILTER_ETSI_CADES_DETACHED,
        appName: 'Bauhaus',
      })
      const prepared = keepDocumentId(pdf, texts.write(withPlaceholder, pdf.length))
      return new SignPdf().sign(prepared, cmsSigner)
    },
  }
}

/**
 * @signpdf/placeholder-plain writes non-ASCII strings as UTF-16 but then encodes them once more as UTF-8,
 * which garbles "Grünflächenamt". So it gets a placeholder of the right length, which is then overwritten
 * in place by the text as a UTF-16BE hex string: same length, so no offset in the file moves.
 */
class TextStrings {
  private readonly pending = new Map<string, string>()

  add(text: string): string {
    if (text === '') return ''
    const hex = `<FEFF${Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase()}>`
    // Letters g–z only: never hex digits, dates or names, so the placeholder is unique in the update.
    const token = Array.from(crypto.randomBytes(hex.length - 2), byte => String.fromCharCode(103 + (byte % 20))).join(
      '',
    )
    this.pending.set(`(${token})`, hex)
    return token
  }

  write(pdf: Buffer, updateStart: number): Buffer {
    const out = Buffer.from(pdf)
    for (const [placeholder, hex] of this.pending) {
      const at = out.indexOf(placeholder, updateStart, 'latin1')
      if (at < 0) throw new Error('signature placeholder: text not found in the signature dictionary')
      out.write(hex, at, 'latin1')
    }
    return out
  }
}

/**
 * The update's trailer must repeat the previous trailer's /ID (ISO 32000-1 7.5.6); the placeholder library
 * leaves it out. It goes at the end of the trailer, after every object, so no offset changes.
 */
function keepDocumentId(original: Buffer, updated: Buffer): Buffer {
  const id = /\/ID\s*\[[^\]]*\]/.exec(original.subarray(original.lastIndexOf('trailer')).toString('latin1'))?.[0]
  if (!id) return updated
  const trailerEnd = updated.lastIndexOf('>>\nstartxref')
  if (trailerEnd < original.length) throw new Error('signature placeholder: no trailer in the update')
  return Buffer.concat([updated.subarray(0, trailerEnd), Buffer.from(`${id}\n`), updated.subarray(trailerEnd)])
}
