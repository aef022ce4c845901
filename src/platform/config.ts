import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import path from 'node:path'
import net from 'node:net'

const ConfigSchema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  /**
   * Address to listen on. A laptop's `npm start` answers only this machine: demo data brings a published password
   * (platform admin included) and /dev/mail shows every mail. Production listens on every interface, as a container
   * behind the city's reverse proxy must, and has neither.
   */
  host: Type.String({ minLength: 1 }),
  /** postgres://… runs on a PostgreSQL server; empty runs the embedded PGlite. */
  databaseUrl: Type.String(),
  /** Directory of the embedded database; "memory://" keeps it in memory (tests). */
  dataDir: Type.String(),
  servicesDir: Type.String(),
  /** Public base URL, used in links inside e-mails. */
  baseUrl: Type.String(),
  cookieSecure: Type.Boolean(),
  /** Shows the mail outbox at /dev/mail; never enable in production. */
  devMail: Type.Boolean(),
  seedDemoData: Type.Boolean(),
  /** With the demo people, a few cases per service so the inbox and postbox are not empty. */
  seedDemoCases: Type.Boolean(),
  smtpUrl: Type.String(),
  mailFrom: Type.String(),
  maxUploadBytes: Type.Integer({ minimum: 1024 }),
  logLevel: Type.Union([
    Type.Literal('fatal'),
    Type.Literal('error'),
    Type.Literal('warn'),
    Type.Literal('info'),
    Type.Literal('debug'),
    Type.Literal('trace'),
    Type.Literal('silent'),
  ]),
  cityName: Type.String(),
  /** Which payment provider takes online payments; "sandbox" is the built-in test provider. */
  paymentProvider: Type.Union([Type.Literal('sandbox'), Type.Literal('stripe')]),
  /** Key the sandbox provider signs its notifications with (HMAC-SHA256). */
  paymentSandboxSecret: Type.String({ minLength: 16 }),
  /** Stripe's API (another address only for a local server that speaks its protocol). */
  stripeApiBase: Type.String({ pattern: '^https?://' }),
  /** Stripe secret key (sk_…/rk_…); required with PAYMENT_PROVIDER=stripe. */
  stripeSecretKey: Type.String(),
  /** Signing secret (whsec_…) of the webhook endpoint registered at Stripe; required with PAYMENT_PROVIDER=stripe. */
  stripeWebhookSecret: Type.String(),
  /** A refund above this many cents needs a second person's approval (four-eyes principle); 0: every refund does. */
  refundApprovalAboveCents: Type.Integer({ minimum: 0 }),
  /** Runs the background-job worker inside `npm start`; false when separate `bauhaus worker` processes do it. */
  runWorker: Type.Boolean(),
  /** The city's letterhead (sender, address, bank details) on PDF letters; checked when loaded. */
  letterheadFile: Type.String(),
  /** Bearer token a Prometheus scraper sends to /metrics; empty allows only direct requests from this machine. */
  metricsToken: Type.String(),
  /** Which certificate signs the PDF letters of which office (config/signing.yaml); '' for demo certificates. */
  signingConfigFile: Type.String(),
  /**
   * Map tiles of the defect-report maps ({z}/{x}/{y}, optionally {s}), and their attribution shown on the map.
   * Empty: no map, the place is given by address or coordinates (the production default: no third party is asked).
   */
  mapTileUrl: Type.String({ pattern: '^$|^(https?://|/)' }),
  mapAttribution: Type.String(),
  /** The city's jurisdiction_id in the Open311 GeoReport v2 API (its web domain, as the spec suggests). */
  open311JurisdictionId: Type.String({ pattern: '^[a-z0-9][a-z0-9.-]*$', maxLength: 100 }),
  /** Pre-sorting routes a text only when its top suggestion is at least this probable; below, a person decides. */
  triageMinConfidence: Type.Number({ minimum: 0, maximum: 1 }),
  /** After this many new confirmed or corrected routing decisions the pre-sorting model is retrained. */
  triageRetrainAfter: Type.Integer({ minimum: 1 }),
  /** Where a contact request goes when the pre-sorting model is not confident: a person there assigns it. */
  triageFallbackOffice: Type.String({ pattern: '^[a-z][a-zA-Z0-9_-]*$', maxLength: 80 }),
  /** Requests per client (a signed-in person, otherwise an address) and minute, across all instances; 0 turns the limit off. */
  requestLimitPerMinute: Type.Integer({ minimum: 0 }),
  /** Address ranges (CIDR) the request limit does not count, e.g. monitoring or the city's own network. */
  requestLimitExempt: Type.Array(Type.String()),
  /**
   * Proxies whose X-Forwarded-For is believed (CIDRs, or loopback / linklocal / uniquelocal): the client address that
   * sign-in pauses and request limits count. A header from anyone else is ignored, so a client cannot pick its address.
   */
  trustedProxies: Type.Array(Type.String()),
  /** HMAC key that signs the proof-of-work challenges of anonymous forms and the submission API. */
  altchaHmacKey: Type.String({ minLength: 16 }),
  /** Anonymous submissions without a solved challenge (no JavaScript) per address and hour; 0 turns the limit off. */
  unverifiedSubmissionsPerHour: Type.Integer({ minimum: 0 }),
  /** How costly new password hashes are: "standard" (argon2id defaults) everywhere but the test suite's "test". */
  passwordHashCost: Type.Union([Type.Literal('standard'), Type.Literal('test')]),
})
export type Config = Static<typeof ConfigSchema>

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

const truthy = (v: string | undefined, fallback: boolean) =>
  v === undefined || v === '' ? fallback : ['1', 'true', 'yes', 'on'].includes(v.toLowerCase())

/** Reads the environment once; stops with the variable's name when a value is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const production = env.NODE_ENV === 'production'
  const port = Number(env.PORT ?? 3000)
  const config: Config = {
    port,
    host: env.HOST || (production ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl: env.DATABASE_URL ?? '',
    dataDir: env.DATA_DIR ?? path.resolve('data/pglite'),
    servicesDir: env.SERVICES_DIR ?? path.resolve('services'),
    baseUrl: env.BASE_URL ?? `http://localhost:${port}`,
    cookieSecure: truthy(env.COOKIE_SECURE, production),
    devMail: truthy(env.DEV_MAIL, !production),
    seedDemoData: truthy(env.SEED_DEMO_DATA, !production),
    seedDemoCases: truthy(env.SEED_DEMO_CASES, truthy(env.SEED_DEMO_DATA, !production)),
    smtpUrl: env.SMTP_URL ?? '',
    mailFrom: env.MAIL_FROM ?? 'Stadt Dortmund <noreply@bauhaus.localhost>',
    // Above the largest per-field limit (50 MB), which each form field narrows further.
    maxUploadBytes: Number(env.MAX_UPLOAD_BYTES ?? 51 * 1024 * 1024),
    logLevel: (env.LOG_LEVEL ?? 'info') as Config['logLevel'],
    cityName: env.CITY_NAME ?? 'Stadt Dortmund',
    paymentProvider: (env.PAYMENT_PROVIDER ?? 'sandbox') as Config['paymentProvider'],
    paymentSandboxSecret: env.PAYMENT_SANDBOX_SECRET ?? 'bauhaus-sandbox-development-secret',
    stripeApiBase: env.STRIPE_API_BASE || 'https://api.stripe.com',
    stripeSecretKey: env.STRIPE_SECRET_KEY ?? '',
    stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET ?? '',
    refundApprovalAboveCents: Number(env.REFUND_APPROVAL_ABOVE_CENTS || 10000),
    runWorker: truthy(env.RUN_WORKER, true),
    letterheadFile: env.LETTERHEAD_FILE ?? path.resolve('config/letterhead.yaml'),
    metricsToken: env.METRICS_TOKEN ?? '',
    signingConfigFile: env.SIGNING_CONFIG_FILE ?? path.resolve('config/signing.yaml'),
    // OpenStreetMap's tiles only for development; production asks no tile server unless told which (docs/maps.md).
    mapTileUrl: env.MAP_TILE_URL ?? (production ? '' : 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
    mapAttribution: env.MAP_ATTRIBUTION ?? '© OpenStreetMap contributors',
    open311JurisdictionId: env.OPEN311_JURISDICTION_ID || 'dortmund.de',
    triageMinConfidence: Number(env.TRIAGE_MIN_CONFIDENCE || 0.6),
    triageRetrainAfter: Number(env.TRIAGE_RETRAIN_AFTER || 50),
    triageFallbackOffice: env.TRIAGE_FALLBACK_OFFICE || 'buergerdienste',
    requestLimitPerMinute: Number(env.REQUEST_LIMIT_PER_MINUTE || 600),
    requestLimitExempt: (env.REQUEST_LIMIT_EXEMPT ?? '')
      .split(',')
      .map(s => s.trim())
      .filter(Boolean),
    trustedProxies: (env.TRUST_PROXY ?? 'loopback,uniquelocal')
      .split(',')
      .map(s => s.trim())
      .filter(Boolean),
    // A development key only outside production (checked below): a known key lets anyone sign their own challenges.
    altchaHmacKey: env.ALTCHA_HMAC_KEY || (production ? '' : 'bauhaus-altcha-development-key'),
    unverifiedSubmissionsPerHour: Number(env.UNVERIFIED_SUBMISSIONS_PER_HOUR || 5),
    passwordHashCost: (env.PASSWORD_HASH_COST || 'standard') as Config['passwordHashCost'],
    ...overrides,
  }
  if (!config.altchaHmacKey)
    throw new Error(
      'Configuration error in ALTCHA_HMAC_KEY: required in production (a random secret of at least 16 characters, e.g. openssl rand -hex 32)',
    )
  const firstError = Value.Errors(ConfigSchema, config).First()
  if (firstError) {
    const variable = firstError.path
      .replace(/^\//, '')
      .replace(/([A-Z])/g, '_$1')
      .toUpperCase()
    throw new Error(
      `Configuration error in ${variable}: ${firstError.message} (got ${JSON.stringify(firstError.value)})`,
    )
  }
  if (config.paymentProvider === 'stripe') {
    // Without them every payment would fail at the first citizen, not at the start.
    if (!config.stripeSecretKey)
      throw new Error('Configuration error in STRIPE_SECRET_KEY: required when PAYMENT_PROVIDER=stripe')
    if (!config.stripeWebhookSecret)
      throw new Error('Configuration error in STRIPE_WEBHOOK_SECRET: required when PAYMENT_PROVIDER=stripe')
  }
  const badRange = config.requestLimitExempt.find(cidr => !isCidr(cidr))
  if (badRange !== undefined) {
    throw new Error(
      `Configuration error in REQUEST_LIMIT_EXEMPT: "${badRange}" is not an address range; give comma-separated CIDRs like 10.20.0.0/16, 192.0.2.7 or 2001:db8::/32`,
    )
  }
  const badProxy = config.trustedProxies.find(entry => !PROXY_NAMES.includes(entry) && !isCidr(entry))
  if (badProxy !== undefined) {
    throw new Error(
      `Configuration error in TRUST_PROXY: "${badProxy}" is neither an address range nor one of ${PROXY_NAMES.join(', ')}; give comma-separated entries like loopback, 10.0.0.0/8`,
    )
  }
  if (config.databaseUrl && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new Error('Configuration error in DATABASE_URL: must start with postgres:// or postgresql://')
  }
  return config
}
