import type { AssuranceLevel } from '../../../platform/auth/assurance.js'
import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert, SubmitButton } from '../../../platform/views/components.js'

interface DemoPersonChoice {
  id: string
  givenName: string
  familyName: string
  birthDate: string
  postalAddress: string
  postalCode: string
  city: string
}

/**
 * The demo BundID's sign-in page (development only): pick who signs in and how. The chosen method decides the level
 * of assurance the answer reports; only methods that reach the level the platform asked for are offered.
 */
export function SamlDemoLoginPage({
  ctx,
  request,
  persons,
  methods,
  error,
  chosen = {},
}: {
  ctx: PageContext
  /** The AuthnRequest as it came (query string), sent back with the choice and checked again. */
  request: string
  persons: DemoPersonChoice[]
  methods: { id: string; level: AssuranceLevel }[]
  error?: boolean
  chosen?: { person?: string; method?: string }
}) {
  const { t } = ctx
  const person = chosen.person ?? persons[0]?.id
  const method = chosen.method ?? methods[0]?.id
  const birthDate = (iso: string) => new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'long' }).format(new Date(iso))
  return (
    <Layout ctx={ctx} title={t.text('identity.samlDemo.title')}>
      <h1 class="kern-heading-large">{t('identity.samlDemo.title')}</h1>
      <Alert kind="info" title={t.text('identity.samlDemo.demoNoticeTitle')}>
        <p class="kern-body">{t('identity.samlDemo.demoNotice')}</p>
      </Alert>
      {error ? (
        <Alert kind="danger" title={t.text('identity.samlDemo.errorTitle')}>
          <p class="kern-body">{t('identity.samlDemo.error')}</p>
        </Alert>
      ) : (
        ''
      )}
      <form method="post" action="/dev/identity/saml/sso" class="stack" novalidate>
        <input type="hidden" name="request" value={request} />
        <fieldset class="kern-fieldset">
          <legend class="kern-label">{t('identity.samlDemo.personLegend')}</legend>
          <div class="kern-fieldset__body">
            {persons.map(p => (
              <div class="kern-form-check">
                <input
                  class="kern-form-check__radio"
                  type="radio"
                  id={`person-${p.id}`}
                  name="person"
                  value={p.id}
                  checked={p.id === person}
                />
                <label class="kern-label" for={`person-${p.id}`} safe>
                  {`${p.givenName} ${p.familyName}, ${t.text('identity.samlDemo.born')} ${birthDate(p.birthDate)}, ${p.postalAddress}, ${p.postalCode} ${p.city}`}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <fieldset class="kern-fieldset">
          <legend class="kern-label">{t('identity.samlDemo.methodLegend')}</legend>
          <div class="kern-fieldset__body">
            {methods.map(m => (
              <div class="kern-form-check">
                <input
                  class="kern-form-check__radio"
                  type="radio"
                  id={`method-${m.id}`}
                  name="method"
                  value={m.id}
                  checked={m.id === method}
                />
                <label class="kern-label" for={`method-${m.id}`}>
                  {t(`identity.samlDemo.method.${m.id}`)}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <div class="form-actions">
          <SubmitButton label={t.text('identity.samlDemo.signIn')} name="action" value="login" />
          <SubmitButton label={t.text('identity.samlDemo.cancel')} name="action" value="cancel" variant="secondary" />
        </div>
      </form>
    </Layout>
  )
}

/**
 * The provider's answer on its way back to the platform's ACS: a form posted by public/saml-post.js at once, or by
 * the person with the button when JavaScript is off.
 */
export function SamlDemoPostPage({
  ctx,
  acsUrl,
  samlResponse,
  relayState,
}: {
  ctx: PageContext
  acsUrl: string
  samlResponse: string
  relayState: string
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('identity.samlDemo.returnTitle')}>
      <h1 class="kern-heading-large">{t('identity.samlDemo.returnTitle')}</h1>
      <form method="post" action={acsUrl} data-saml-post class="stack">
        <input type="hidden" name="SAMLResponse" value={samlResponse} />
        {relayState ? <input type="hidden" name="RelayState" value={relayState} /> : ''}
        <p class="kern-body">{t('identity.samlDemo.returnText')}</p>
        <SubmitButton label={t.text('identity.samlDemo.continue')} />
      </form>
      <script src="/assets/saml-post.js" defer></script>
    </Layout>
  )
}
