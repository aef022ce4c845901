import net from 'node:net'
import type { FastifyBaseLogger } from 'fastify'

/** What the scanner says about one upload. */
export type ScanResult =
  | { verdict: 'clean' }
  | { verdict: 'infected'; signature: string }
  /** No verdict (scanner down, timeout, refused stream): the upload must not be accepted. */
  | { verdict: 'unavailable'; reason: string }

export interface VirusScanner {
  /** `off` only where VIRUS_SCAN=off says so explicitly; every upload is then accepted unscanned. */
  readonly mode: 'clamd' | 'off'
  scan(content: Buffer): Promise<ScanResult>
}

/** Where clamd listens: a unix socket path, or `tcp://host:port`. */
export type ClamdAddress = { path: string } | { host: string; port: number }

// clamd refuses a stream chunk larger than its StreamMaxLength; 64 KiB chunks stay far below any setting.
const CHUNK_BYTES = 64 * 1024

/** The message key that refuses an upload with this result (files.error.*), or undefined when it is clean. */
export function scanRefusalKey(result: ScanResult): string | undefined {
  if (result.verdict === 'infected') return 'files.error.virusFound'
  if (result.verdict === 'unavailable') return 'files.error.scannerUnavailable'
  return undefined
}

/** Reads CLAMD_SOCKET: an absolute socket path or tcp://host:port; undefined when it is neither. */
export function parseClamdAddress(value: string): ClamdAddress | undefined {
  if (value.startsWith('/')) return { path: value }
  const tcp = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})$/.exec(value)
  if (!tcp) return undefined
  const port = Number(tcp[2])
  if (port < 1 || port > 65535) return undefined
  return { host: tcp[1]!.replace(/^\[|\]$/g, ''), port }
}

/**
 * Sends one command (and optionally a stream) to clamd and reads its NUL-terminated reply. The z-prefixed commands
 * end in NUL; INSTREAM sends chunks each led by its length (4 bytes, big-endian) and a zero-length chunk at the end.
 */
function talkToClamd(address: ClamdAddress, command: string, timeoutMs: number, content?: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(address)
    const received: Buffer[] = []
    let settled = false
    const finish = (error: Error | undefined, reply?: string) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      if (error) reject(error)
      else resolve(reply ?? '')
    }
    const timer = setTimeout(() => finish(new Error(`no answer from clamd within ${timeoutMs} ms`)), timeoutMs)
    socket.on('error', error => finish(error))
    socket.on('data', data => {
      received.push(data)
      const all = Buffer.concat(received)
      const end = all.indexOf(0)
      if (end >= 0) finish(undefined, all.subarray(0, end).toString('utf8'))
    })
    socket.on('end', () => finish(undefined, Buffer.concat(received).toString('utf8').replace(/\0$/, '')))
    socket.on('connect', () => {
      socket.write(`z${command}\0`)
      if (!content) return
      for (let offset = 0; offset < content.length; offset += CHUNK_BYTES) {
        const chunk = content.subarray(offset, offset + CHUNK_BYTES)
        const length = Buffer.alloc(4)
        length.writeUInt32BE(chunk.length)
        socket.write(length)
        socket.write(chunk)
      }
      socket.write(Buffer.alloc(4))
    })
  })
}

/** Whether clamd answers PING with PONG. */
export async function pingClamd(address: ClamdAddress, timeoutMs: number): Promise<boolean> {
  try {
    return (await talkToClamd(address, 'PING', timeoutMs)) === 'PONG'
  } catch {
    // Not listening yet (or any more) is the answer asked for.
    return false
  }
}

/** A scanner that streams each upload to clamd (INSTREAM); any reply but OK or FOUND counts as no verdict. */
export function clamdScanner(address: ClamdAddress, timeoutMs: number, log: FastifyBaseLogger): VirusScanner {
  return {
    mode: 'clamd',
    async scan(content) {
      let reply: string
      try {
        reply = await talkToClamd(address, 'INSTREAM', timeoutMs, content)
      } catch (error) {
        log.error({ err: error }, 'virus scanner unavailable: upload refused')
        return { verdict: 'unavailable', reason: (error as Error).message }
      }
      if (reply === 'stream: OK') return { verdict: 'clean' }
      const found = /^stream: (.+) FOUND$/.exec(reply)
      // Only the signature's name and the size: no file name, no content, nothing about the person.
      if (found) {
        log.warn({ signature: found[1], sizeBytes: content.length }, 'virus found: upload refused')
        return { verdict: 'infected', signature: found[1]! }
      }
      log.error({ reply }, 'virus scanner gave no verdict: upload refused')
      return { verdict: 'unavailable', reason: reply }
    },
  }
}

/** VIRUS_SCAN=off: a development machine without clamd; the start warns, docs/security.md says what it means. */
const unscannedUploads: VirusScanner = {
  mode: 'off',
  async scan() {
    return { verdict: 'clean' }
  },
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Scans every upload before it is stored (checkUpload). */
    virusScanner: VirusScanner
  }
}

/** The scanner VIRUS_SCAN and CLAMD_SOCKET ask for; config has checked that `clamd` comes with an address. */
export function createVirusScanner(
  settings: { virusScan: 'clamd' | 'off'; clamdSocket: string; clamdTimeoutMs: number },
  log: FastifyBaseLogger,
): VirusScanner {
  if (settings.virusScan === 'off') {
    log.warn('VIRUS_SCAN=off: uploads are accepted without a virus scan (development only, see docs/security.md)')
    return unscannedUploads
  }
  const address = parseClamdAddress(settings.clamdSocket)
  if (!address) throw new Error(`CLAMD_SOCKET "${settings.clamdSocket}" is no clamd address`)
  return clamdScanner(address, settings.clamdTimeoutMs, log)
}
