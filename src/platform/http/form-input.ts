import type { FastifyRequest } from 'fastify'
import type { UploadedFile } from '../files/files.js'
import { DomainError } from './errors.js'

export interface FormInput {
  values: Record<string, string | string[]>
  files: UploadedFile[]
  /** Files cut off at the upload limit (MAX_UPLOAD_BYTES), only with { tooLarge: 'report' }; they are not in files. */
  tooLarge: { fieldName: string; filename: string }[]
}

interface MultipartPart {
  type?: 'file' | 'field'
  value?: unknown
  filename?: string
  _buf?: Buffer
  toBuffer?: () => Promise<Buffer>
  file?: { truncated?: boolean }
}

/**
 * One shape for url-encoded and multipart posts: text values (repeated names become arrays) and uploaded files.
 * Anything else (JSON, garbage) yields no values, so the page validates it as empty input.
 * A file larger than the upload limit refuses the request with 413, unless the page says it shows that at the
 * field itself ({ tooLarge: 'report' }), keeping what was typed.
 */
export async function readFormInput(
  req: FastifyRequest,
  opts: { tooLarge?: 'refuse' | 'report' } = {},
): Promise<FormInput> {
  const body = req.body
  const values: Record<string, string | string[]> = {}
  const files: UploadedFile[] = []
  const tooLarge: FormInput['tooLarge'] = []
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { values, files, tooLarge }
  for (const [name, raw] of Object.entries(body as Record<string, unknown>)) {
    for (const item of Array.isArray(raw) ? raw : [raw]) {
      if (typeof item === 'string') {
        add(values, name, item)
        continue
      }
      const part = item as MultipartPart
      if (part && typeof part === 'object' && part.type === 'file') {
        const content = part._buf ?? (part.toBuffer ? await part.toBuffer() : Buffer.alloc(0))
        if (part.file?.truncated) {
          if (opts.tooLarge !== 'report') throw new DomainError(413, 'errors.tooLarge')
          tooLarge.push({ fieldName: name, filename: part.filename ?? 'upload' })
          continue
        }
        // An empty file input still sends a part with no name; that is "no file chosen".
        if (part.filename || content.length)
          files.push({ fieldName: name, filename: part.filename ?? 'upload', content })
      } else if (part && typeof part === 'object' && typeof part.value === 'string') {
        add(values, name, part.value)
      }
    }
  }
  return { values, files, tooLarge }
}

/** One text value of a form: the first if sent twice, trimmed unless it is a password. */
export function formText(
  values: Record<string, string | string[] | undefined>,
  name: string,
  opts: { trim?: boolean } = {},
): string {
  const raw = values[name]
  const value = Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? '')
  return opts.trim === false ? value : value.trim()
}

function add(values: Record<string, string | string[]>, rawName: string, rawValue: string) {
  // NUL cannot be stored in PostgreSQL text and is never meant by a person typing.
  const name = rawName.replace(/\u0000/g, '')
  const value = rawValue.replace(/\u0000/g, '')
  const existing = values[name]
  values[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value]
}
