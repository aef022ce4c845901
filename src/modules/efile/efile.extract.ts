import type { Db } from '../../platform/db/database.js'
import type { JobLogger } from '../../platform/jobs/index.js'
import { findVersionForExtraction, setExtractedText } from './efile.queries.js'

/** Finds the text of a filed PDF for the full-text search. */
export const EXTRACT_TEXT_JOB = 'efile.extractText'

/** More text than this is not searched: a tsvector holds at most 1 MB. */
const MAX_TEXT = 200_000

/** The text of a PDF, pages joined by blank lines; no OCR: a scan without a text layer yields nothing. */
export async function pdfText(content: Buffer): Promise<string> {
  // Loaded on first use: pdf.js is large and only the worker needs it.
  const { extractText, getDocumentProxy } = await import('unpdf')
  // A copy: pdf.js takes over the buffer it is given. No eval: uploaded PDFs are untrusted.
  const pdf = await getDocumentProxy(new Uint8Array(content), { isEvalSupported: false, verbosity: 0 })
  try {
    const { text } = await extractText(pdf, { mergePages: false })
    // NUL cannot be stored in a text column; the markers of search hits must not come from the document.
    return text
      .join('\n\n')
      .replace(/[\u0000-\u0002]/g, ' ')
      .replace(/[ \t]+/g, ' ')
      .slice(0, MAX_TEXT)
  } finally {
    await pdf.destroy()
  }
}

/**
 * The job: stores the text found in one version's PDF. Idempotent: a version already done is left alone.
 * A PDF that cannot be read (damaged, encrypted) is recorded as done without text, since trying again will not help.
 */
export async function extractVersionText(db: Db, payload: Record<string, unknown>, log: JobLogger): Promise<void> {
  const documentId = String(payload.documentId)
  const version = Number(payload.version)
  const found = await findVersionForExtraction(db, documentId, version)
  if (!found || found.extractedAt) return
  if (found.mediaType !== 'application/pdf') {
    // Images: no OCR.
    await setExtractedText(db, documentId, version, null)
    return
  }
  let text: string | null
  try {
    text = await pdfText(Buffer.from(found.content))
  } catch (error) {
    log.warn(
      { documentId, version, err: error instanceof Error ? error.message : String(error) },
      'no text could be read from the PDF',
    )
    text = null
  }
  await setExtractedText(db, documentId, version, text)
}
