import { Type, type Static, type TSchema, Kind } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import path from 'node:path'
import net from 'node:net'

/** What a default depends on: the mode, and the values of the variables declared before it. */
interface DefaultContext {
  production: boolean
  earlier: Readonly<Record<string, unknown>>
}

/**
 * One environment variable: its name, its key in `Config`, its schema, its default and what it means. `loadConfig`
 * reads the environment from this list and `scripts/configuration-doc.ts` writes docs/configuration.md from it.
 */
export interface Setting<S extends TSchema = TSchema> {
  env: string
  schema: S
  /** One value, or one for development and one for production. */
  default: Static<S> | { development: Static<S>; production: Static<S> } | DerivedDefault<Static<S>>
  /** English, for docs/configuration.md. */
  description: string
  /** Set but empty counts as unset (the default applies); otherwise the empty string is the value and must fit. */
  emptyIsUnset?: boolean
  /** What a valid value looks like, where the schema alone says it poorly (a pattern). */
  expected?: string
  /** Checks beyond the schema; returns what is wrong. */
  check?: (value: Static<S>, context: { production: boolean }) => string | undefined
}

/** A default computed from the mode or earlier variables; `text` is how the documentation shows it. */
interface DerivedDefault<T> {
  derive: (context: DefaultContext) => T
  text: string
}

const setting = <S extends TSchema>(declaration: Setting<S>): Setting<S> => declaration

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** The address groups proxy-addr (Fastify's trustProxy) knows by name. */
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal']

/** An IPv4 or IPv6 address, optionally with a prefix length that fits it (10.0.0.0/8, 2001:db8::/32). */
export function isCidr(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/')
  const version = net.isIP(address)
  if (!version || rest.length) return false
  if (prefix === undefined) return true
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128)
}

/** Every environment variable the platform reads, in the order of docs/configuration.md. */
export const SETTINGS = {
  port: setting({
    env: 'PORT',
    schema: Type.Integer({ minimum: 0, maximum: 65535 }),
    default: 3000,
    description: 'TCP port to listen on.',
  }),
  host: setting({
    env: 'HOST',
    schema: Type.String({ minLength: 1 }),
    // A laptop's `npm start` answers only this machine: demo data brings a published password (platform admin
    // included) and /dev/mail shows every mail. Production listens on every interface, as a container behind the
    // city's reverse proxy must, and has neither.
    default: { development: '127.0.0.1', production: '0.0.0.0' },
    emptyIsUnset: true,
    description:
      "Address to listen on: a laptop answers only itself (demo accounts, `/dev/mail`); production listens on every interface, as a container behind the city's reverse proxy must.",
  }),
  databaseUrl: setting({
    env: 'DATABASE_URL',
    schema: Type.String({ pattern: '^$|^postgres(ql)?://' }),
    default: '',
    expected: 'empty or a URL starting with postgres:// or postgresql://',
    description: '`postgres://…` runs on a PostgreSQL server; empty runs the embedded PGlite.',
  }),
  dataDir: setting({
    env: 'DATA_DIR',
    schema: Type.String(),
    default: { derive: () => path.resolve('data/pglite'), text: '`./data/pglite`' },
    description: 'Folder of the embedded database; `memory://` keeps it in memory (tests).',
  }),
  servicesDir: setting({
    env: 'SERVICES_DIR',
    schema: Type.String(),
    default: { derive: () => path.resolve('services'), text: '`./services`' },
    description: 'Folder of the service definitions.',
  }),
  baseUrl: setting({
    env: 'BASE_URL',
    schema: Type.String({ pattern: '^https?://' }),
    default: { derive: ({ earlier }) => `http://localhost:${earlier.port}`, text: '`http://localhost:$PORT`' },
    expected: 'a URL starting with http:// or https://',
    description: 'Public base URL, used in links inside e-mails.',
  }),
  cookieSecure: setting({
    env: 'COOKIE_SECURE',
    schema: Type.Boolean(),
    default: { development: false, production: true },
    emptyIsUnset: true,
    description: '`Secure` flag on cookies (set behind HTTPS).',
  }),
  devMail: setting({
    env: 'DEV_MAIL',
    schema: Type.Boolean(),
    default: { development: true, production: false },
    emptyIsUnset: true,
    description: 'Shows the mail outbox at `/dev/mail`; never enable in production.',
  }),
  seedDemoData: setting({
    env: 'SEED_DEMO_DATA',
    schema: Type.Boolean(),
    default: { development: true, production: false },
    emptyIsUnset: true,
    description: 'Loads the demo people (their password is published in the README).',
  }),
  seedDemoCases: setting({
    env: 'SEED_DEMO_CASES',
    schema: Type.Boolean(),
    default: { derive: ({ earlier }) => earlier.seedDemoData === true, text: 'as `SEED_DEMO_DATA`' },
    emptyIsUnset: true,
    description: 'With the demo people, two cases per service on first start, so the inbox and postbox are not empty.',
  }),
  smtpUrl: setting({
    env: 'SMTP_URL',
    schema: Type.String({ pattern: '^$|^smtps?://' }),
    default: '',
    expected: 'empty or a URL starting with smtp:// or smtps://',
    description:
      'Sends the outbox over SMTP (e.g. `smtp://user:pass@mail.example:587`), checked every 5 s; several instances never send a mail twice. Empty: mails stay in the outbox.',
  }),
  mailFrom: setting({
    env: 'MAIL_FROM',
    schema: Type.String(),
    default: 'Stadt Dortmund <noreply@bauhaus.localhost>',
    description: 'Sender of the mails.',
  }),
  maxUploadBytes: setting({
    env: 'MAX_UPLOAD_BYTES',
    schema: Type.Integer({ minimum: 1024 }),
    // Above the largest per-field limit (50 MB), which each form field narrows further.
    default: { derive: () => 51 * 1024 * 1024, text: '`53477376` (51 MiB)' },
    description: 'Hard cap per uploaded file in bytes; each form field sets its own lower limit.',
  }),
  logLevel: setting({
    env: 'LOG_LEVEL',
    schema: Type.Union(LOG_LEVELS.map(level => Type.Literal(level))),
    default: 'info',
    description: 'pino log level.',
  }),
  cityName: setting({
    env: 'CITY_NAME',
    schema: Type.String(),
    default: 'Stadt Dortmund',
    description: 'Shown in the official-site header.',
  }),
  paymentProvider: setting({
    env: 'PAYMENT_PROVIDER',
    schema: Type.Union([Type.Literal('sandbox'), Type.Literal('stripe')]),
    default: 'sandbox',
    description:
      'Which payment provider takes online payments: `sandbox` is the built-in test provider, no real money; `stripe` is Stripe Checkout (see README, "Payment providers").',
  }),
  paymentSandboxSecret: setting({
    env: 'PAYMENT_SANDBOX_SECRET',
    schema: Type.String({ minLength: 16 }),
    default: 'bauhaus-sandbox-development-secret',
    description: 'Key the sandbox provider signs its notifications with (HMAC-SHA256).',
  }),
  stripeApiBase: setting({
    env: 'STRIPE_API_BASE',
    schema: Type.String({ pattern: '^https?://' }),
    default: 'https://api.stripe.com',
    emptyIsUnset: true,
    expected: 'a URL starting with http:// or https://',
    description: "Stripe's API address (another only for a local server that speaks its protocol).",
  }),
  stripeSecretKey: setting({
    env: 'STRIPE_SECRET_KEY',
    schema: Type.String(),
    default: '',
    description:
      'Stripe secret key (`sk_live_…`/`sk_test_…`, or a restricted key that may write Checkout Sessions and Refunds); required with `PAYMENT_PROVIDER=stripe`.',
  }),
  stripeWebhookSecret: setting({
    env: 'STRIPE_WEBHOOK_SECRET',
    schema: Type.String(),
    default: '',
    description:
      'Signing secret (`whsec_…`) of the webhook endpoint registered at Stripe; required with `PAYMENT_PROVIDER=stripe`.',
  }),
  refundApprovalAboveCents: setting({
    env: 'REFUND_APPROVAL_ABOVE_CENTS',
    schema: Type.Integer({ minimum: 0 }),
    default: 10000,
    emptyIsUnset: true,
    description:
      "A refund above this many cents needs a second person's approval (four-eyes principle; 10000 = 100,00 €); `0`: every refund does.",
  }),
  runWorker: setting({
    env: 'RUN_WORKER',
    schema: Type.Boolean(),
    default: true,
    emptyIsUnset: true,
    description:
      'Runs the background-job worker inside `npm start`; `false` for web-only processes when separate `bauhaus worker` processes run the jobs.',
  }),
  letterheadFile: setting({
    env: 'LETTERHEAD_FILE',
    schema: Type.String(),
    default: { derive: () => path.resolve('config/letterhead.yaml'), text: '`./config/letterhead.yaml`' },
    description: "The city's letterhead (sender, address, bank details) on PDF letters; checked when loaded.",
  }),
  metricsToken: setting({
    env: 'METRICS_TOKEN',
    schema: Type.String(),
    default: '',
    description:
      'Bearer token a Prometheus scraper sends to `GET /metrics`; empty answers only direct requests from this machine.',
  }),
  signingConfigFile: setting({
    env: 'SIGNING_CONFIG_FILE',
    schema: Type.String(),
    default: { derive: () => path.resolve('config/signing.yaml'), text: '`./config/signing.yaml`' },
    description:
      'Which certificate signs the PDF letters of which office; empty: demo certificates (refused in production).',
  }),
  mapTileUrl: setting({
    env: 'MAP_TILE_URL',
    schema: Type.String({ pattern: '^$|^(https?://|/)' }),
    // OpenStreetMap's tiles only for development; production asks no tile server unless told which (docs/maps.md).
    default: { development: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', production: '' },
    expected: 'empty, a path starting with / or a URL starting with http:// or https://',
    description:
      'Map tiles of the defect-report maps (`{z}/{x}/{y}`, optionally `{s}`): best a path on this site such as `/tiles/{z}/{x}/{y}.png`; tiles from another server load only after the visitor clicks "Karte laden". Empty: no map, the place is given by address or coordinates (see [maps.md](maps.md)).',
  }),
  mapAttribution: setting({
    env: 'MAP_ATTRIBUTION',
    schema: Type.String(),
    default: '© OpenStreetMap contributors',
    description: "The tiles' attribution shown on the maps (HTML allowed: it is the operator's text).",
  }),
  open311JurisdictionId: setting({
    env: 'OPEN311_JURISDICTION_ID',
    schema: Type.String({ pattern: '^[a-z0-9][a-z0-9.-]*$', maxLength: 100 }),
    default: 'dortmund.de',
    emptyIsUnset: true,
    expected: 'lower-case letters, digits, dots and dashes (a web domain), at most 100 characters',
    description: "The city's `jurisdiction_id` in the Open311 GeoReport v2 API (its web domain, as the spec suggests).",
  }),
  triageMinConfidence: setting({
    env: 'TRIAGE_MIN_CONFIDENCE',
    schema: Type.Number({ minimum: 0, maximum: 1 }),
    default: 0.6,
    emptyIsUnset: true,
    description:
      'Pre-sorting routes a text only when its top suggestion is at least this probable; below, a person decides.',
  }),
  triageRetrainAfter: setting({
    env: 'TRIAGE_RETRAIN_AFTER',
    schema: Type.Integer({ minimum: 1 }),
    default: 50,
    emptyIsUnset: true,
    description: 'After this many new confirmed or corrected routing decisions the pre-sorting model is retrained.',
  }),
  triageFallbackOffice: setting({
    env: 'TRIAGE_FALLBACK_OFFICE',
    schema: Type.String({ pattern: '^[a-z][a-zA-Z0-9_-]*$', maxLength: 80 }),
    default: 'buergerdienste',
    emptyIsUnset: true,
    expected: 'an office id from services/_offices.yaml',
    description: 'Office that receives the contact requests the pre-sorting model is not confident about.',
  }),
  requestLimitPerMinute: setting({
    env: 'REQUEST_LIMIT_PER_MINUTE',
    schema: Type.Integer({ minimum: 0 }),
    default: 600,
    emptyIsUnset: true,
    description:
      'Requests per client (a signed-in person, otherwise an address) and minute, across all instances; `0` turns the limit off.',
  }),
  requestLimitExempt: setting({
    env: 'REQUEST_LIMIT_EXEMPT',
    schema: Type.Array(Type.String()),
    default: [],
    expected: 'comma-separated address ranges (CIDR)',
    description:
      "Comma-separated address ranges (CIDR, e.g. `10.20.0.0/16,192.0.2.7,2001:db8::/32`) the request limit does not count: monitoring, the city's own network.",
    check: ranges => {
      const wrong = ranges.find(cidr => !isCidr(cidr))
      return wrong === undefined
        ? undefined
        : `"${wrong}" is not an address range; give comma-separated CIDRs like 10.20.0.0/16, 192.0.2.7 or 2001:db8::/32`
    },
  }),
  trustedProxies: setting({
    env: 'TRUST_PROXY',
    schema: Type.Array(Type.String()),
    default: ['loopback', 'uniquelocal'],
    expected: 'comma-separated address ranges (CIDR) or loopback, linklocal, uniquelocal',
    description:
      'Proxies whose `X-Forwarded-For` is believed (CIDRs, or `loopback`, `linklocal`, `uniquelocal`): the client address that sign-in pauses and request limits count. A header from anyone else is ignored, so a client cannot pick its address.',
    check: entries => {
      const wrong = entries.find(entry => !PROXY_NAMES.includes(entry) && !isCidr(entry))
      return wrong === undefined
        ? undefined
        : `"${wrong}" is neither an address range nor one of ${PROXY_NAMES.join(', ')}; give comma-separated entries like loopback, 10.0.0.0/8`
    },
  }),
  altchaHmacKey: setting({
    env: 'ALTCHA_HMAC_KEY',
    schema: Type.String(),
    // A development key only outside production: a known key lets anyone sign their own challenges.
    default: {
      derive: ({ production }) => (production ? '' : 'bauhaus-altcha-development-key'),
      text: 'a development key; none in production, where it is required',
    },
    emptyIsUnset: true,
    description:
      'HMAC key that signs the proof-of-work challenges of anonymous forms and the submission API; **required in production** (at least 16 characters, e.g. `openssl rand -hex 32`; the same on every instance).',
    expected: 'at least 16 characters',
    check: key => {
      if (key === '')
        return 'required in production (a random secret of at least 16 characters, e.g. openssl rand -hex 32)'
      return key.length < 16 ? `expected at least 16 characters, got ${key.length}` : undefined
    },
  }),
  unverifiedSubmissionsPerHour: setting({
    env: 'UNVERIFIED_SUBMISSIONS_PER_HOUR',
    schema: Type.Integer({ minimum: 0 }),
    default: 5,
    emptyIsUnset: true,
    description:
      'Anonymous submissions without a solved challenge (no JavaScript) per address and hour; `0` turns this limit off.',
  }),
  passwordHashCost: setting({
    env: 'PASSWORD_HASH_COST',
    schema: Type.Union([Type.Literal('standard'), Type.Literal('test')]),
    default: 'standard',
    emptyIsUnset: true,
    description:
      'How costly new password hashes are: `standard` (argon2id defaults) everywhere but the test suite, which sets `test` (cheap, for thousands of sign-ins). A hash carries its parameters, so verifying works whichever cost made it.',
  }),
  draftRetentionDays: setting({
    env: 'DRAFT_RETENTION_DAYS',
    schema: Type.Integer({ minimum: 1 }),
    default: 90,
    emptyIsUnset: true,
    description:
      'Days after its last change that an application never submitted is deleted by the daily retention run, with its uploads ([retention.md](retention.md)).',
  }),
  mailRetentionDays: setting({
    env: 'MAIL_RETENTION_DAYS',
    schema: Type.Integer({ minimum: 1 }),
    default: 30,
    emptyIsUnset: true,
    description: 'Days a mail stays in the outbox (recipient and text) before the daily retention run deletes it.',
  }),
  auditRetentionDays: setting({
    env: 'AUDIT_RETENTION_DAYS',
    schema: Type.Integer({ minimum: 1 }),
    default: 730,
    emptyIsUnset: true,
    description:
      'Days an audit-log entry (who read or changed whose data) is kept before the daily retention run deletes it.',
  }),
  archiveTransferRetentionDays: setting({
    env: 'ARCHIVE_TRANSFER_RETENTION_DAYS',
    schema: Type.Integer({ minimum: 1 }),
    default: 30,
    emptyIsUnset: true,
    description:
      'Days a package handed over to the archive (xdomea, Aussonderung) stays downloadable in the back office before it is deleted.',
  }),
}

type Settings = typeof SETTINGS
export type Config = { [K in keyof Settings]: Static<Settings[K]['schema']> }

/** A configuration that cannot start the platform; the message names the variable and what is wrong. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Configuration error in ${variable}: ${problem}`)
  }
}

const TRUE_WORDS = ['1', 'true', 'yes', 'on']
const FALSE_WORDS = ['0', 'false', 'no', 'off']

/** How a valid value of this setting looks, for error messages and the documentation. */
export function describeExpected(declaration: Setting): string {
  if (declaration.expected) return declaration.expected
  const schema = declaration.schema
  const range = (noun: string) => {
    const { minimum, maximum } = schema as { minimum?: number; maximum?: number }
    if (minimum !== undefined && maximum !== undefined) return `${noun} ${minimum}–${maximum}`
    if (minimum !== undefined) return `${noun} ≥ ${minimum}`
    return noun
  }
  switch (schema[Kind]) {
    case 'Integer':
      return range('an integer')
    case 'Number':
      return range('a number')
    case 'Boolean':
      return 'true or false (also 1/0, yes/no, on/off)'
    case 'Union':
      return `one of ${(schema.anyOf as { const: string }[]).map(literal => literal.const).join(', ')}`
    case 'Array':
      return 'a comma-separated list'
    default:
      if (schema.minLength === 1) return 'any text but empty'
      return schema.minLength ? `at least ${schema.minLength} characters` : 'text'
  }
}

/** Turns the variable's text into the setting's type; undefined when it is no value of that type. */
function parseValue(declaration: Setting, raw: string): unknown {
  const text = raw.trim()
  switch (declaration.schema[Kind]) {
    case 'Integer':
      return /^-?\d+$/.test(text) ? Number(text) : undefined
    case 'Number':
      return /^-?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : undefined
    case 'Boolean':
      if (TRUE_WORDS.includes(text.toLowerCase())) return true
      if (FALSE_WORDS.includes(text.toLowerCase())) return false
      return undefined
    case 'Array':
      return raw
        .split(',')
        .map(item => item.trim())
        .filter(Boolean)
    default:
      return raw
  }
}

function defaultValue(declaration: Setting, context: DefaultContext): unknown {
  const fallback = declaration.default as unknown
  if (fallback && typeof fallback === 'object' && 'derive' in fallback)
    return (fallback as DerivedDefault<unknown>).derive(context)
  if (fallback && typeof fallback === 'object' && 'production' in fallback) {
    const modes = fallback as { development: unknown; production: unknown }
    return context.production ? modes.production : modes.development
  }
  return fallback
}

const shown = (value: unknown) => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value))

/**
 * Reads the environment once, from SETTINGS; stops with a ConfigError naming the variable when a value is wrong.
 * `overrides` (tests, the CLI) replace values after reading and are checked like them.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const production = env.NODE_ENV === 'production'
  const config: Record<string, unknown> = {}
  for (const [key, declaration] of Object.entries(SETTINGS) as unknown as [keyof Config, Setting][]) {
    const raw = env[declaration.env]
    if (key in overrides) {
      config[key] = overrides[key]
    } else if (raw === undefined || (raw === '' && declaration.emptyIsUnset)) {
      config[key] = defaultValue(declaration, { production, earlier: config })
    } else {
      const value = parseValue(declaration, raw)
      if (value === undefined)
        throw new ConfigError(declaration.env, `expected ${describeExpected(declaration)}, got '${raw}'`)
      config[key] = value
    }
    const value = config[key]
    if (!Value.Check(declaration.schema, value))
      throw new ConfigError(declaration.env, `expected ${describeExpected(declaration)}, got ${shown(value)}`)
    const problem = declaration.check?.(value as never, { production })
    if (problem) throw new ConfigError(declaration.env, problem)
  }
  const checked = config as Config
  if (checked.paymentProvider === 'stripe') {
    // Without them every payment would fail at the first citizen, not at the start.
    if (!checked.stripeSecretKey) throw new ConfigError('STRIPE_SECRET_KEY', 'required when PAYMENT_PROVIDER=stripe')
    if (!checked.stripeWebhookSecret)
      throw new ConfigError('STRIPE_WEBHOOK_SECRET', 'required when PAYMENT_PROVIDER=stripe')
  }
  return checked
}
