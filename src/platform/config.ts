import { Type, type Static, type TSchema, Kind } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import path from 'node:path'
import net from 'node:net'
import { parseClamdAddress } from './files/virus-scan.js'

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
  /**
   * In production the default does not apply: an unset variable stops the start (a built-in secret is a published
   * one). `when` narrows it to the configurations that use the value; `how` tells the operator what to give.
   */
  requiredInProduction?: RequiredInProduction
}

interface RequiredInProduction {
  how: string
  when?: { test: (earlier: Readonly<Record<string, unknown>>) => boolean; text: string }
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

const SECOND_FACTOR_ROLE_WORDS = [
  'all',
  'caseworker',
  'team_lead',
  'office_admin',
  'platform_admin',
  'treasury',
  'counter',
  'triage',
]

/** 127.0.0.0/8, ::1 and the name localhost answer only this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.')
}

const DEVELOPMENT_SANDBOX_SECRET = 'bauhaus-sandbox-development-secret'
const DEVELOPMENT_DIRECTORY_TOKEN_KEY = 'bauhaus-staff-directory-development-token-key'

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
    emptyIsUnset: true,
    // Links in e-mails (sign-in, password reset) would point at localhost.
    requiredInProduction: { how: 'the public address of the site, e.g. https://service.stadt.example' },
    description: 'Public base URL, used in links inside e-mails.',
  }),
  cookieSecure: setting({
    env: 'COOKIE_SECURE',
    schema: Type.Boolean(),
    default: { development: false, production: true },
    emptyIsUnset: true,
    description: '`Secure` flag on cookies (set behind HTTPS).',
  }),
  staffSessionIdleMinutes: setting({
    env: 'STAFF_SESSION_IDLE_MINUTES',
    schema: Type.Integer({ minimum: 1 }),
    default: 30,
    emptyIsUnset: true,
    description:
      'A staff session ends after this many minutes without a request; pages warn five minutes before and offer to stay signed in.',
  }),
  staffSessionMaxHours: setting({
    env: 'STAFF_SESSION_MAX_HOURS',
    schema: Type.Integer({ minimum: 1 }),
    default: 12,
    emptyIsUnset: true,
    description: 'A staff session ends this many hours after signing in, however active.',
  }),
  citizenSessionIdleMinutes: setting({
    env: 'CITIZEN_SESSION_IDLE_MINUTES',
    schema: Type.Integer({ minimum: 1 }),
    default: 60,
    emptyIsUnset: true,
    description:
      'A citizen or business session ends after this many minutes without a request (long enough to gather documents for a form).',
  }),
  citizenSessionMaxHours: setting({
    env: 'CITIZEN_SESSION_MAX_HOURS',
    schema: Type.Integer({ minimum: 1 }),
    default: 24,
    emptyIsUnset: true,
    description: 'A citizen or business session ends this many hours after signing in, however active.',
  }),
  liveStreamsPerUser: setting({
    env: 'LIVE_STREAMS_PER_USER',
    schema: Type.Integer({ minimum: 1 }),
    default: 5,
    emptyIsUnset: true,
    description:
      'Open live-update streams (server-sent events) per signed-in person and app instance; one more is refused with 429.',
  }),
  hstsMaxAge: setting({
    env: 'HSTS_MAX_AGE',
    schema: Type.Integer({ minimum: 0 }),
    // A laptop on http://localhost must not learn "HTTPS only" for localhost; production is served over HTTPS.
    default: { development: 0, production: 31_536_000 },
    emptyIsUnset: true,
    description:
      'Seconds a browser keeps to HTTPS only for this site (`Strict-Transport-Security`); `0` sends no such header.',
  }),
  devMail: setting({
    env: 'DEV_MAIL',
    schema: Type.Boolean(),
    // /dev/mail shows every sign-in and password-reset link: on by itself only for a laptop that answers only itself.
    default: {
      derive: ({ production, earlier }) => !production && isLoopbackHost(String(earlier.host)),
      text: '`true` in development while `HOST` is a loopback address; otherwise `false`',
    },
    emptyIsUnset: true,
    description:
      'Shows the mail outbox at `/dev/mail` (every mail, sign-in links included): on by itself only in development on a laptop that answers only itself; anywhere else only with `DEV_MAIL=true`, never in production.',
  }),
  seedDemoData: setting({
    env: 'SEED_DEMO_DATA',
    schema: Type.Boolean(),
    default: { development: true, production: false },
    emptyIsUnset: true,
    description:
      'Loads the demo people (their password is published in the README, a platform admin among them); refused in production.',
    check: (seed, { production }) =>
      seed && production
        ? 'demo people with a password published in the README (a platform admin among them) are refused in production'
        : undefined,
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
    requiredInProduction: {
      how: "the sender address the city's mail server accepts, e.g. Stadt Dortmund <noreply@stadt.example>",
      when: { test: earlier => earlier.smtpUrl !== '', text: 'with `SMTP_URL`' },
    },
    description: 'Sender of the mails.',
  }),
  maxUploadBytes: setting({
    env: 'MAX_UPLOAD_BYTES',
    schema: Type.Integer({ minimum: 1024 }),
    // Above the largest per-field limit (50 MB), which each form field narrows further.
    default: { derive: () => 51 * 1024 * 1024, text: '`53477376` (51 MiB)' },
    description: 'Hard cap per uploaded file in bytes; each form field sets its own lower limit.',
  }),
  clamdSocket: setting({
    env: 'CLAMD_SOCKET',
    schema: Type.String({ pattern: '^$|^/|^tcp://' }),
    default: '',
    expected: 'empty, an absolute unix socket path or tcp://host:port',
    description:
      "Where ClamAV's `clamd` listens (`/run/clamav/clamd.ctl` or `tcp://127.0.0.1:3310`); every upload is streamed to it (INSTREAM) before anything is stored.",
    check: value =>
      value === '' || parseClamdAddress(value)
        ? undefined
        : `"${value}" is neither an absolute socket path nor tcp://host:port`,
  }),
  virusScan: setting({
    env: 'VIRUS_SCAN',
    schema: Type.Union([Type.Literal('clamd'), Type.Literal('off')]),
    // Production scans unless told otherwise in so many words; a laptop without CLAMD_SOCKET does not.
    default: {
      derive: ({ production, earlier }) => (production || earlier.clamdSocket ? 'clamd' : 'off'),
      text: '`clamd` in production or when `CLAMD_SOCKET` is set, otherwise `off`',
    },
    emptyIsUnset: true,
    description:
      '`clamd`: every upload is scanned and refused when a virus is found or the scanner does not answer (never stored unscanned); needs `CLAMD_SOCKET`. `off`: uploads are accepted unscanned (development without clamd; the start warns).',
  }),
  clamdTimeoutMs: setting({
    env: 'CLAMD_TIMEOUT_MS',
    schema: Type.Integer({ minimum: 100 }),
    default: 30000,
    emptyIsUnset: true,
    description: 'How long one scan may take before the upload is refused as "scanner unavailable".',
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
    // No production default: the sandbox books fake payments, and anyone may "pay" on its page.
    default: 'sandbox',
    emptyIsUnset: true,
    requiredInProduction: {
      how: 'stripe; sandbox takes no real money and needs PAYMENT_SANDBOX_IN_PRODUCTION=true as well',
    },
    description:
      'Which payment provider takes online payments: `sandbox` is the built-in test provider, no real money; `stripe` is Stripe Checkout (see README, "Payment providers"). In production `sandbox` needs `PAYMENT_SANDBOX_IN_PRODUCTION=true` as well.',
  }),
  paymentSandboxInProduction: setting({
    env: 'PAYMENT_SANDBOX_IN_PRODUCTION',
    schema: Type.Boolean(),
    default: false,
    emptyIsUnset: true,
    description:
      'The second, deliberate opt-in for `PAYMENT_PROVIDER=sandbox` with `NODE_ENV=production` (a staging copy that must take no real money): anyone can then "pay" any fee on `/payments/sandbox/…`. Never on the live site.',
  }),
  paymentSandboxSecret: setting({
    env: 'PAYMENT_SANDBOX_SECRET',
    schema: Type.String(),
    // Production has none: empty is fine while another provider takes the payments (the sandbox then needs one).
    default: {
      derive: ({ production }) => (production ? '' : DEVELOPMENT_SANDBOX_SECRET),
      text: 'a development secret',
    },
    emptyIsUnset: true,
    expected: 'at least 16 characters',
    requiredInProduction: {
      how: 'a random secret of at least 16 characters, e.g. openssl rand -hex 32',
      when: { test: earlier => earlier.paymentProvider === 'sandbox', text: 'with `PAYMENT_PROVIDER=sandbox`' },
    },
    check: (secret, { production }) => {
      if (production && secret === DEVELOPMENT_SANDBOX_SECRET)
        return 'this is the development secret published in the source code; give a random one, e.g. openssl rand -hex 32'
      return secret !== '' && secret.length < 16 ? `expected at least 16 characters, got ${secret.length}` : undefined
    },
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
  cityConfigFile: setting({
    env: 'CITY_CONFIG_FILE',
    schema: Type.String(),
    default: { derive: () => path.resolve('config/city.yaml'), text: '`./config/city.yaml`' },
    description:
      "The city's facts for the legal pages (`/impressum`, `/datenschutz`, `/barrierefreiheit`) in every language; checked at start (see [legal.md](legal.md)).",
  }),
  identityConfigFile: setting({
    env: 'IDENTITY_CONFIG_FILE',
    schema: Type.String(),
    default: { derive: () => path.resolve('config/identity.yaml'), text: '`./config/identity.yaml`' },
    description:
      'The identity providers citizens and businesses may sign in with (BundID, Mein Unternehmenskonto, any OpenID Connect or SAML 2.0 provider); checked at start (see [identity.md](identity.md)).',
  }),
  identityDemo: setting({
    env: 'IDENTITY_DEMO',
    schema: Type.Boolean(),
    default: { development: true, production: false },
    emptyIsUnset: true,
    check: (demo, { production }) =>
      demo && production ? 'the demo identity providers let anyone sign in as anyone; never in production' : undefined,
    description:
      'Serves demo identity providers from the platform itself (a SAML "BundID (Demo)" and an OpenID Connect "Mein Unternehmenskonto (Demo)") and offers them at sign-in, so the provider sign-in can be tried without any outside system. Development only.',
  }),
  staffDirectoryFile: setting({
    env: 'STAFF_DIRECTORY_FILE',
    schema: Type.String(),
    // In development the platform's own demo directory (IDENTITY_DEMO) signs staff in, so the button works at once.
    default: {
      derive: ({ production, earlier }) =>
        !production && earlier.identityDemo ? path.resolve('config/staff-directory.demo.yaml') : '',
      text: '`./config/staff-directory.demo.yaml` in development with `IDENTITY_DEMO`, else none',
    },
    description:
      "The city's directory (Keycloak, Entra ID, AD FS) that staff sign in with by OpenID Connect, and the table that maps its groups to offices and roles; empty: no single sign-on. Checked at start (see [staff-sso.md](staff-sso.md)).",
  }),
  staffDirectoryTokenKey: setting({
    env: 'STAFF_DIRECTORY_TOKEN_KEY',
    schema: Type.String(),
    default: {
      derive: ({ production }) => (production ? '' : DEVELOPMENT_DIRECTORY_TOKEN_KEY),
      text: 'a development key',
    },
    emptyIsUnset: true,
    expected: 'at least 32 characters',
    requiredInProduction: {
      how: 'a random key of at least 32 characters, e.g. openssl rand -hex 32',
      when: { test: earlier => !!earlier.staffDirectoryFile, text: 'with `STAFF_DIRECTORY_FILE`' },
    },
    check: (key, { production }) => {
      if (production && key === DEVELOPMENT_DIRECTORY_TOKEN_KEY)
        return 'this is the development key published in the source code; give a random one, e.g. openssl rand -hex 32'
      return key !== '' && key.length < 32 ? `expected at least 32 characters, got ${key.length}` : undefined
    },
    description:
      "Key that encrypts the directory's refresh tokens at rest (AES-256-GCM); the periodic check uses them to ask the directory whether a person may still sign in. Changing it makes the stored tokens unreadable: those people are checked again at their next sign-in.",
  }),
  staffPasswordSignIn: setting({
    env: 'STAFF_PASSWORD_SIGN_IN',
    schema: Type.Union([Type.Literal('all'), Type.Literal('break-glass'), Type.Literal('off')]),
    default: {
      derive: ({ production, earlier }) => (production && earlier.staffDirectoryFile ? 'break-glass' : 'all'),
      text: '`break-glass` in production with `STAFF_DIRECTORY_FILE`, else `all`',
    },
    emptyIsUnset: true,
    description:
      'Who may sign in to the back office with a local password: `all` staff (the embedded demo, or a city without a directory); `break-glass`: only the accounts listed under `breakGlass` in the directory file; `off`: nobody (everyone signs in through the directory). `break-glass` and `off` need `STAFF_DIRECTORY_FILE`.',
  }),
  mandatesOffice: setting({
    env: 'MANDATES_OFFICE',
    schema: Type.String({ pattern: '^[a-z0-9-]{1,80}$' }),
    default: 'buergerdienste',
    expected: 'the id of an office in services/_offices.yaml',
    description:
      'The office that checks the proof of a mandate (a parent, guardian or authorised representative acting for someone) once; its caseworkers and team leads approve or reject it (see [mandates.md](mandates.md)).',
  }),
  metricsToken: setting({
    env: 'METRICS_TOKEN',
    schema: Type.String(),
    default: '',
    expected: 'empty or at least 16 characters',
    check: token =>
      token !== '' && token.length < 16 ? `expected at least 16 characters, got ${token.length}` : undefined,
    description:
      'Bearer token a Prometheus scraper sends to `GET /metrics`; without it (or when empty) only `METRICS_ALLOWED_ADDRESSES` may read the metrics.',
  }),
  metricsAllowedAddresses: setting({
    env: 'METRICS_ALLOWED_ADDRESSES',
    schema: Type.Array(Type.String()),
    // Judged by the connection's address (through TRUST_PROXY's proxies only), never by a header the client sends.
    default: { development: ['127.0.0.1', '::1'], production: [] },
    expected: 'comma-separated address ranges (CIDR)',
    description:
      "Comma-separated address ranges (CIDR) that may read `GET /metrics` without the token: the client's address as the connection (or a proxy of `TRUST_PROXY`) gives it, never a header. Production allows none unless listed.",
    check: ranges => {
      const wrong = ranges.find(cidr => !isCidr(cidr))
      return wrong === undefined
        ? undefined
        : `"${wrong}" is not an address range; give comma-separated CIDRs like 10.20.0.0/16, 192.0.2.7 or 2001:db8::/32`
    },
  }),
  signingConfigFile: setting({
    env: 'SIGNING_CONFIG_FILE',
    schema: Type.String(),
    default: { derive: () => path.resolve('config/signing.yaml'), text: '`./config/signing.yaml`' },
    description:
      'Which certificate signs the PDF letters of which office; empty: demo certificates (refused in production).',
  }),
  videoIceServers: setting({
    env: 'VIDEO_ICE_SERVERS',
    schema: Type.Array(Type.String()),
    default: [],
    expected: 'comma-separated URLs starting with stun:, turn: or turns:',
    description:
      'STUN and TURN servers for the video consultations (WebRTC), e.g. `stun:turn.stadt.example:3478,turns:turn.stadt.example:5349?transport=tcp`. Empty: the browsers connect directly, which works inside one network only; the internet needs a TURN server such as coturn ([video.md](video.md)).',
    check: urls => {
      const wrong = urls.find(url => !/^(stun|turns?):[^\s,]+$/.test(url))
      return wrong === undefined ? undefined : `"${wrong}" is no STUN or TURN URL; give e.g. stun:turn.example:3478`
    },
  }),
  videoTurnSecret: setting({
    env: 'VIDEO_TURN_SECRET',
    schema: Type.String(),
    default: '',
    description:
      "The shared secret of the TURN server's `use-auth-secret` (coturn's `static-auth-secret`): each call's browsers get a TURN password valid for four hours made from it. Empty: the TURN URLs of VIDEO_ICE_SERVERS are not offered.",
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
    default: 'bauhaus-altcha-development-key',
    emptyIsUnset: true,
    requiredInProduction: { how: 'a random secret of at least 16 characters, e.g. openssl rand -hex 32' },
    description:
      'HMAC key that signs the proof-of-work challenges of anonymous forms and the submission API (at least 16 characters, e.g. `openssl rand -hex 32`; the same on every instance).',
    expected: 'at least 16 characters',
    check: (key, { production }) => {
      if (production && key === 'bauhaus-altcha-development-key')
        return 'this is the development key published in the source code; give a random one, e.g. openssl rand -hex 32'
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
      'How costly new password hashes are: `standard` (argon2id defaults) everywhere but the test suite, which sets `test` (cheap, for thousands of sign-ins; refused in production). A hash carries its parameters, so verifying works whichever cost made it.',
    check: (cost, { production }) =>
      production && cost === 'test'
        ? 'cheap test hashes are refused in production; leave it unset (standard)'
        : undefined,
  }),
  staffSecondFactorRoles: setting({
    env: 'STAFF_SECOND_FACTOR_ROLES',
    schema: Type.Array(Type.String()),
    // The demo people sign in on a laptop with the published password alone; production asks everybody for more.
    default: { development: [], production: ['all'] },
    expected: '`all`, or comma-separated roles (caseworker, team_lead, office_admin, platform_admin, treasury)',
    description:
      'Staff roles that must sign in with a second factor (authenticator app, passkey or recovery code): `all`, or comma-separated roles; empty: none must (each person may still set one up). A person holding any listed role is led to set one up right after the password.',
    check: roles => {
      const wrong = roles.find(role => !SECOND_FACTOR_ROLE_WORDS.includes(role))
      return wrong === undefined
        ? undefined
        : `"${wrong}" is no staff role; give all or some of ${SECOND_FACTOR_ROLE_WORDS.join(', ')}`
    },
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
    const unset = raw === undefined || (raw === '' && declaration.emptyIsUnset)
    const required = declaration.requiredInProduction
    if (key in overrides) {
      config[key] = overrides[key]
    } else if (unset && production && required && (required.when?.test(config) ?? true)) {
      throw new ConfigError(declaration.env, `required in production (${required.how})`)
    } else if (unset) {
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
  if (production && checked.paymentProvider === 'sandbox' && !checked.paymentSandboxInProduction)
    throw new ConfigError(
      'PAYMENT_SANDBOX_IN_PRODUCTION',
      'PAYMENT_PROVIDER=sandbox books fake payments; in production it needs PAYMENT_SANDBOX_IN_PRODUCTION=true as well (never on the live site)',
    )
  if (checked.paymentProvider === 'stripe') {
    // Without them every payment would fail at the first citizen, not at the start.
    if (!checked.stripeSecretKey) throw new ConfigError('STRIPE_SECRET_KEY', 'required when PAYMENT_PROVIDER=stripe')
    if (!checked.stripeWebhookSecret)
      throw new ConfigError('STRIPE_WEBHOOK_SECRET', 'required when PAYMENT_PROVIDER=stripe')
  }
  // Never accepted unscanned by accident: scanning without an address would refuse every upload at the first citizen.
  if (checked.virusScan === 'clamd' && !checked.clamdSocket)
    throw new ConfigError(
      'CLAMD_SOCKET',
      `required when VIRUS_SCAN=clamd${production ? ' (the default in production)' : ''}; set VIRUS_SCAN=off to run without virus scanning explicitly`,
    )
  return checked
}
