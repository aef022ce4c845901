import fs from 'node:fs'
import path from 'node:path'
import { loadSigningConfig, SigningConfigError, type P12Entry } from './config.js'
import { createDemoCredentials, readP12Credentials, type SigningCredentials } from './credentials.js'
import { createPdfSigner, type PdfSigner } from './pdf-signer.js'

export interface PdfSigners {
  /** The signer of an office: its own certificate, else the default one; in demo mode a demo certificate named after it. */
  signerFor(officeId: string, officeName: string): PdfSigner
  /** True when letters are signed with self-signed demo certificates, which no validator trusts. */
  demo: boolean
}

export interface PdfSignersOptions {
  /** config.signingConfigFile (SIGNING_CONFIG_FILE); '' means none: demo certificates. */
  file: string
  /** config.cityName, for the demo certificates' names. */
  cityName: string
  /** The process environment: the passphrase variables the file names, and NODE_ENV. */
  env: NodeJS.ProcessEnv
  /** The offices that exist; an entry for any other id is refused, as a typo would sign with the default certificate. */
  officeIds?: readonly string[]
  /** Clock for the signing time (/M) and the certificates' validity; tests fix it. */
  now?: () => Date
}

/**
 * Reads the signing configuration and opens every PKCS#12 it names, so that a missing passphrase, a
 * wrong one or an expired certificate stops the start, not the first notice. Demo certificates are made
 * when an office first signs; with NODE_ENV=production they are refused here.
 */
export function loadPdfSigners(options: PdfSignersOptions): PdfSigners {
  const now = options.now ?? (() => new Date())
  const production = options.env.NODE_ENV === 'production'
  if (!options.file) {
    if (production)
      throw new Error(
        "Configuration error in SIGNING_CONFIG_FILE: empty, which means demo signing certificates, refused with NODE_ENV=production; point it to the signing.yaml with the offices' certificates",
      )
    return demoSigners(options.cityName, now)
  }

  const config = loadSigningConfig(options.file)
  if (config.demo) {
    if (production)
      throw new SigningConfigError(options.file, [
        "/demo: demo certificates are refused with NODE_ENV=production; configure the offices' PKCS#12 certificates (see the comment in the file)",
      ])
    return demoSigners(options.cityName, now)
  }

  const problems: string[] = []
  const known = options.officeIds ? new Set(options.officeIds) : undefined
  for (const officeId of Object.keys(config.offices ?? {})) {
    if (known && !known.has(officeId))
      problems.push(`/offices/${officeId}: no office has this id (services/_offices.yaml)`)
  }
  const opened = new Map<string, PdfSigner>()
  const open = (entry: P12Entry, at: string): PdfSigner | undefined => {
    const credentials = openP12(options.file, entry, at, options.env, now(), problems)
    return credentials && createPdfSigner(credentials, { now })
  }
  const fallback = config.default && open(config.default, '/default')
  for (const [officeId, entry] of Object.entries(config.offices ?? {})) {
    const signer = open(entry, `/offices/${officeId}`)
    if (signer) opened.set(officeId, signer)
  }
  if (problems.length || !fallback) throw new SigningConfigError(options.file, problems)

  return { demo: false, signerFor: officeId => opened.get(officeId) ?? fallback }
}

function openP12(
  file: string,
  entry: P12Entry,
  at: string,
  env: NodeJS.ProcessEnv,
  now: Date,
  problems: string[],
): SigningCredentials | undefined {
  const passphrase = env[entry.passphraseEnv]
  if (passphrase === undefined) {
    problems.push(`${at}/passphraseEnv: environment variable ${entry.passphraseEnv} is not set`)
    return undefined
  }
  const p12File = path.resolve(path.dirname(file), entry.p12File)
  let p12: Buffer
  try {
    p12 = fs.readFileSync(p12File)
  } catch (error) {
    problems.push(`${at}/p12File: cannot read ${p12File} (${error instanceof Error ? error.message : String(error)})`)
    return undefined
  }
  try {
    return readP12Credentials(p12, passphrase, now)
  } catch (error) {
    problems.push(
      `${at}/p12File: ${p12File} with the passphrase from ${entry.passphraseEnv}: ${error instanceof Error ? error.message : String(error)}`,
    )
    return undefined
  }
}

// Per process, not per app: tests and restarts of the app in one process reuse them. Kept in memory only,
// so no private key is ever written to disk; a demo signature convinces no validator anyway, so a new
// certificate after a restart costs nothing.
const demoCredentials = new Map<string, SigningCredentials>()

function demoSigners(cityName: string, now: () => Date): PdfSigners {
  const signers = new Map<string, PdfSigner>()
  return {
    demo: true,
    signerFor(officeId, officeName) {
      let signer = signers.get(officeId)
      if (!signer) {
        const key = JSON.stringify([cityName, officeId, officeName])
        let credentials = demoCredentials.get(key)
        if (!credentials) {
          credentials = createDemoCredentials(cityName, officeName, now())
          demoCredentials.set(key, credentials)
        }
        signer = createPdfSigner(credentials, { now })
        signers.set(officeId, signer)
      }
      return signer
    },
  }
}
