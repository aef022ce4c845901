import crypto from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import Provider, { type KoaContext } from 'oidc-provider'
import type { Config } from '../../platform/config.js'
import { handToKoa } from '../../platform/http/koa-mount.js'
import { translator, isLocale, type Locale } from '../../platform/i18n/i18n.js'
import type { IdentityProviderConfig } from './identity.types.js'
import type { OidcSettings } from './identity.oidc.settings.js'

/** A person or company the demo provider lets you sign in as, with the claims it vouches for. */
export interface DemoIdentity {
  sub: string
  label: string
  claims: Record<string, unknown>
  /** The acr of the sign-in (one of the provider's acr values). */
  acr: string
}

export const DEMO_ACR = {
  low: 'urn:bauhaus:demo:loa:low',
  substantial: 'urn:bauhaus:demo:loa:substantial',
  high: 'urn:bauhaus:demo:loa:high',
} as const

/** "Mein Unternehmenskonto (Demo)": two companies, one person each, signed in at level substantial. */
export const DEMO_COMPANIES: DemoIdentity[] = [
  {
    sub: 'demo-musterbau-gmbh',
    label: 'Musterbau GmbH – Erika Mustermann (Inhaberin)',
    acr: DEMO_ACR.substantial,
    claims: {
      company_name: 'Musterbau GmbH',
      company_role: 'owner',
      given_name: 'Erika',
      family_name: 'Mustermann',
      email: 'kontakt@musterbau.example',
      email_verified: true,
      address: { street_address: 'Hauptstraße 12', postal_code: '99423', locality: 'Weimar', country: 'DE' },
    },
  },
  {
    sub: 'demo-baeckerei-sonnenschein',
    label: 'Bäckerei Sonnenschein KG – Jonas Beck (Sachbearbeiter)',
    acr: DEMO_ACR.substantial,
    claims: {
      company_name: 'Bäckerei Sonnenschein KG',
      company_role: 'clerk',
      given_name: 'Jonas',
      family_name: 'Beck',
      email: 'post@baeckerei-sonnenschein.example',
      email_verified: true,
      address: { street_address: 'Marktplatz 3', postal_code: '99423', locality: 'Weimar', country: 'DE' },
    },
  },
]

export interface OidcProviderOptions {
  issuer: string
  clients: Record<string, unknown>[]
  identities: DemoIdentity[]
  /** Private signing keys (JWK); generated when left out. */
  keys?: Record<string, unknown>[]
  /** Where the interaction page takes KERN's styles from (the platform's address); the issuer's origin by default. */
  assetsOrigin?: string
}

/** A new RSA signing key as a private JWK with its own kid. */
export function generateSigningKey(): Record<string, unknown> {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  return { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), use: 'sig', alg: 'RS256' }
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)

async function readForm(ctx: KoaContext): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length
    if (size > 10_000) break
    chunks.push(chunk as Buffer)
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

/**
 * A real OpenID provider (oidc-provider, OpenID-certified) with its own page to pick an identity: the development
 * demo of "Mein Unternehmenskonto" and the tests' provider. Its pages are KERN-styled, in German and English, and
 * carry no inline script or style.
 */
export function createOidcProvider(options: OidcProviderOptions): Provider {
  const mountPath = new URL(options.issuer).pathname.replace(/\/$/, '')
  const assets = options.assetsOrigin ?? new URL(options.issuer).origin
  const byId = new Map(options.identities.map(identity => [identity.sub, identity]))

  const page = (locale: Locale, title: string, body: string) => `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${assets}/assets/kern/fonts/fira-sans.css">
<link rel="stylesheet" href="${assets}/assets/kern/kern.min.css">
<link rel="stylesheet" href="${assets}/assets/site.css">
</head>
<body class="kern-body">
<main id="main" class="kern-container site-main">
<h1 class="kern-heading-large">${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`

  const send = (ctx: KoaContext, html: string, status = 200) => {
    ctx.status = status
    ctx.type = 'text/html; charset=utf-8'
    ctx.set('cache-control', 'no-store')
    ctx.set(
      'content-security-policy',
      `default-src 'none'; style-src ${assets}; font-src ${assets}; img-src ${assets}; connect-src ${assets}; base-uri 'none'; frame-ancestors 'none'`,
    )
    ctx.body = html
  }

  const localeOf = (uiLocales: string | undefined): Locale => {
    const first = uiLocales?.split(' ')[0]
    return isLocale(first) ? first : 'de'
  }

  const provider = new Provider(options.issuer, {
    clients: options.clients,
    jwks: { keys: options.keys ?? [generateSigningKey()] },
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    acrValues: Object.values(DEMO_ACR),
    claims: {
      acr: null,
      sid: null,
      profile: ['given_name', 'family_name', 'birthdate'],
      email: ['email', 'email_verified'],
      address: ['address'],
      company: ['company_name', 'company_role'],
    },
    scopes: ['openid', 'profile', 'email', 'address', 'company'],
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx: KoaContext, form: string) {
          const t = translator('de')
          send(
            ctx,
            page(
              'de',
              t.text('identity.demo.logoutTitle'),
              `${form}<div class="kern-button-group">
<button class="kern-btn kern-btn--primary" type="submit" form="op.logoutForm" value="yes" name="logout"><span class="kern-label">${t.text('identity.demo.logoutYes')}</span></button>
<button class="kern-btn kern-btn--secondary" type="submit" form="op.logoutForm"><span class="kern-label">${t.text('identity.demo.logoutNo')}</span></button>
</div>`,
            ),
          )
        },
        async postLogoutSuccessSource(ctx: KoaContext) {
          const t = translator('de')
          send(ctx, page('de', t.text('identity.demo.loggedOut'), ''))
        },
      },
    },
    async renderError(ctx: KoaContext, out: Record<string, string>) {
      const t = translator('de')
      send(
        ctx,
        page('de', t.text('identity.demo.errorTitle'), `<p class="kern-body">${escapeHtml(out.error ?? '')}</p>`),
        Math.max(ctx.status, 400),
      )
    },
    interactions: {
      url: (_ctx: KoaContext, interaction: { uid: string }) => `${mountPath}/interaction/${interaction.uid}`,
    },
    async findAccount(_ctx: KoaContext, sub: string) {
      const identity = byId.get(sub)
      if (!identity) return undefined
      return { accountId: sub, claims: async () => ({ sub, ...identity.claims }) }
    },
    ttl: { Session: 3600, Interaction: 900, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
  })

  // The provider's own page: pick an identity. GET shows the choice, POST signs in as the one picked.
  provider.use(async (ctx, next) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]{1,100})$/.exec(ctx.path)
    if (!match) return next()
    const details = await provider.interactionDetails(ctx.req, ctx.res)
    const locale = localeOf(details.params.ui_locales)
    const t = translator(locale)
    if (ctx.method === 'POST') {
      const chosen = byId.get((await readForm(ctx)).get('identity') ?? '')
      if (!chosen) {
        send(
          ctx,
          page(
            locale,
            t.text('identity.demo.chooseTitle'),
            `<p class="kern-body">${t.text('identity.demo.chooseMissing')}</p>`,
          ),
          400,
        )
        return
      }
      const clientId = details.params.client_id ?? ''
      const grant = new provider.Grant({ accountId: chosen.sub, clientId })
      grant.addOIDCScope(details.params.scope ?? 'openid')
      const grantId = await grant.save()
      await provider.interactionFinished(
        ctx.req,
        ctx.res,
        { login: { accountId: chosen.sub, acr: chosen.acr }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      )
      return
    }
    const options = options_(details.uid)
    send(ctx, page(locale, t.text('identity.demo.chooseTitle'), options))
    function options_(uid: string) {
      const radios = [...byId.values()]
        .map(
          (identity, index) => `<div class="kern-form-check">
<input class="kern-form-check__radio" type="radio" name="identity" id="identity-${index}" value="${escapeHtml(identity.sub)}"${index === 0 ? ' checked' : ''}>
<label class="kern-label" for="identity-${index}">${escapeHtml(identity.label)}</label>
</div>`,
        )
        .join('\n')
      return `<p class="kern-body">${t.text('identity.demo.chooseIntro')}</p>
<form method="post" action="${mountPath}/interaction/${escapeHtml(uid)}">
<fieldset class="kern-fieldset">
<legend class="kern-label">${t.text('identity.demo.chooseLegend')}</legend>
<div class="kern-fieldset__body">${radios}</div>
</fieldset>
<button class="kern-btn kern-btn--primary" type="submit"><span class="kern-label">${t.text('identity.demo.signIn')}</span></button>
</form>`
    }
  })
  return provider
}

export const DEMO_OIDC_PROVIDER_ID = 'unternehmenskonto-demo'
const DEMO_CLIENT_ID = 'bauhaus-demo'

/** Mounts a provider (a Koa app) under a Fastify prefix: the body is left to the provider. */
export function mountOidcProvider(app: FastifyInstance, provider: Provider, prefix: string) {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (_req, _payload, done) => done(null))
  const handle = handToKoa(provider.callback(), prefix)
  app.all('/*', handle)
  app.all('/', handle)
}

/** IDENTITY_DEMO: "Mein Unternehmenskonto (Demo)", served by the platform itself at /dev/identity/oidc. */
export const oidcDemo = {
  providers(config: Config): IdentityProviderConfig<OidcSettings>[] {
    return [
      {
        id: DEMO_OIDC_PROVIDER_ID,
        protocol: 'oidc',
        label: { de: 'Mit Mein Unternehmenskonto (Demo) anmelden', en: 'Sign in with Mein Unternehmenskonto (demo)' },
        name: { de: 'Mein Unternehmenskonto (Demo)', en: 'Mein Unternehmenskonto (demo)' },
        audience: 'business',
        maxAssurance: 'substantial',
        settings: {
          issuer: `${config.baseUrl}/dev/identity/oidc`,
          clientId: DEMO_CLIENT_ID,
          scopes: ['openid', 'email', 'profile', 'address', 'company'],
          acr: { low: [DEMO_ACR.low], substantial: [DEMO_ACR.substantial], high: [DEMO_ACR.high] },
        },
      },
    ]
  },
  routes: async (app: FastifyInstance, { config }: { config: Config }) => {
    const provider = createOidcProvider({
      issuer: `${config.baseUrl}/dev/identity/oidc`,
      identities: DEMO_COMPANIES,
      clients: [
        {
          client_id: DEMO_CLIENT_ID,
          token_endpoint_auth_method: 'none',
          redirect_uris: [`${config.baseUrl}/identity/oidc/${DEMO_OIDC_PROVIDER_ID}/callback`],
          post_logout_redirect_uris: [`${config.baseUrl}/`],
          backchannel_logout_uri: `${config.baseUrl}/identity/oidc/${DEMO_OIDC_PROVIDER_ID}/backchannel-logout`,
          backchannel_logout_session_required: true,
        },
      ],
    })
    // Behind the platform's own proxy settings: the issuer's scheme is the configured one.
    provider.proxy = true
    mountOidcProvider(app, provider, '/dev/identity/oidc')
  },
}
