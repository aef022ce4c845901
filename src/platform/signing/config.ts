import { Type, type Static } from '@sinclair/typebox'
import { ConfigFileError, readYamlConfig } from '../config-file.js'

const P12Entry = Type.Object(
  {
    /** PKCS#12 (.p12/.pfx) with the private key, the certificate and its chain; relative to the YAML file. */
    p12File: Type.String({ minLength: 1 }),
    /** Name of the environment variable that holds the passphrase; the passphrase itself never goes in the file. */
    passphraseEnv: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
  },
  { additionalProperties: false },
)
export type P12Entry = Static<typeof P12Entry>

/** config/signing.yaml: which certificate signs the letters of which office. */
export const SigningConfigSchema = Type.Object(
  {
    /** Self-signed demo certificates made at start, one per office; refused with NODE_ENV=production. */
    demo: Type.Optional(Type.Boolean()),
    /** Signs for every office without an entry of its own. */
    default: Type.Optional(P12Entry),
    /** Office id (services/_offices.yaml) → that office's own certificate. */
    offices: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' }), P12Entry)),
  },
  { additionalProperties: false },
)
export type SigningConfig = Static<typeof SigningConfigSchema>

/** A signing configuration that cannot be used; names the file, the path in it and what is wrong. */
export class SigningConfigError extends ConfigFileError {
  constructor(file: string, problems: string[]) {
    super(file, problems, 'signing configuration')
  }
}

/** Reads and checks the YAML; the certificates it names are opened by `loadPdfSigners`. */
export function loadSigningConfig(file: string): SigningConfig {
  const config = readYamlConfig(file, SigningConfigSchema, 'signing configuration')
  const hasCertificates = config.default !== undefined || Object.keys(config.offices ?? {}).length > 0
  // Either demo or real certificates: a file with both would leave open which one signs.
  if (config.demo && hasCertificates)
    throw new SigningConfigError(file, [
      '/demo: "demo: true" cannot be combined with "default" or "offices"; remove one',
    ])
  if (!config.demo && !config.default)
    throw new SigningConfigError(file, [
      '/default: required (the certificate for offices without their own), unless "demo: true"',
    ])
  return config
}
