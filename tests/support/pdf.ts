import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import PDFDocument from 'pdfkit'

export const PDFSIG = '/usr/bin/pdfsig'

/** A real PDF with a text layer, as a scanner with OCR or an office program would make it. */
export function pdfWithText(text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ info: { CreationDate: new Date('2026-01-01T00:00:00Z') } })
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    doc.text(text)
    doc.end()
  })
}

let scratch: string | undefined
function scratchDir(): string {
  if (!scratch) {
    const dir = (scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-pdfsig-')))
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
  }
  return scratch
}

/**
 * What poppler's pdfsig reports on the bytes, written as `name` into `dir` (where they stay, e.g. for pdfinfo).
 * Never skipped: without pdfsig nothing proves that a reader accepts the signatures.
 */
export async function pdfsig(bytes: Buffer | Uint8Array, name: string, dir = scratchDir()): Promise<string> {
  if (!fs.existsSync(PDFSIG))
    assert.fail(`${PDFSIG} is missing: install poppler-utils (apt-get install poppler-utils), as .ci/run does`)
  const file = path.join(dir, name)
  fs.writeFileSync(file, bytes)
  try {
    return (await promisify(execFile)(PDFSIG, [file], { encoding: 'utf8' })).stdout
  } catch (error) {
    // pdfsig exits non-zero for some broken signatures; its report on stdout is what counts.
    const stdout = (error as { stdout?: string }).stdout
    if (stdout) return stdout
    throw error
  }
}
