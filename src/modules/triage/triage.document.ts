/**
 * The text of an uploaded document for pre-structuring: a PDF's text layer (via unpdf, no OCR) or a plain UTF-8
 * text file. Judged by content, never by the file name: a program named ".pdf" is neither and is refused.
 */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

export type DocumentText = { ok: true; text: string } | { ok: false; reason: 'type' | 'size' }

export async function readDocumentText(content: Buffer): Promise<DocumentText> {
  if (content.length > MAX_DOCUMENT_BYTES) return { ok: false, reason: 'size' }
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') {
    const { extractText, getDocumentProxy } = await import('unpdf')
    // No eval: uploaded PDFs are untrusted. A damaged PDF has no readable text, which is what the person is told.
    const pdf = await getDocumentProxy(new Uint8Array(content), { isEvalSupported: false, verbosity: 0 }).catch(
      () => null,
    )
    if (!pdf) return { ok: false, reason: 'type' }
    try {
      const { text } = await extractText(pdf, { mergePages: true })
      return { ok: true, text: String(text).replace(/\u0000/g, ' ') }
    } finally {
      await pdf.destroy()
    }
  }
  const text = content.toString('utf8')
  // A text file: valid UTF-8 without control characters other than line breaks and tabs.
  if (text.includes('\uFFFD') || /[\u0000-\u0008\u000e-\u001f]/.test(text)) return { ok: false, reason: 'type' }
  return { ok: true, text }
}
