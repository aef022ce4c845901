import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert, BackLink } from '../../../platform/views/components.js'
import type { AssuranceLevel } from '../../../platform/auth/assurance.js'
import { OfficeContact, type Office, type ServiceDefinition } from '../../catalogue/index.js'
import type { SignInOption } from '../../identity/index.js'

/**
 * "Prove your identity": the service needs a higher level of assurance than this session's sign-in. Explains why,
 * offers the providers that give the level (each coming back to where the person was, what they typed kept), and
 * the office for anyone who cannot or will not sign in that way — the only way when no provider gives the level.
 */
export function IdentificationPage({
  ctx,
  definition,
  need,
  have,
  options,
  office,
  backHref,
}: {
  ctx: PageContext
  definition: ServiceDefinition
  need: AssuranceLevel
  /** The session's level; null without sign-in. */
  have: AssuranceLevel | null
  options: SignInOption[]
  office?: Office
  backHref: string
}) {
  const { t } = ctx
  const l = ctx.locale
  const level = (of: AssuranceLevel) => t.text(`applications.assurance.level.${of}`)
  return (
    <Layout ctx={ctx} title={`${t.text('applications.assurance.title')} – ${definition.title[l]}`}>
      <BackLink href={backHref} label={t.text('forms.back')} />
      <div class="stack">
        <hgroup class="kern-hgroup">
          <h1 class="kern-heading-large">{t('applications.assurance.title')}</h1>
          <p class="kern-subline" safe>
            {definition.title[l]}
          </p>
        </hgroup>
        <p class="kern-body kern-body--large">
          {t('applications.assurance.why', { service: definition.title[l], level: level(need) })}
        </p>
        <p class="kern-body">{t(`applications.assurance.means.${need}`)}</p>
        <p class="kern-body">
          {have
            ? t('applications.assurance.haveSignedIn', { level: level(have) })
            : t('applications.assurance.haveNone')}
        </p>
        {options.length ? (
          <section class="stack" aria-labelledby="providers">
            <h2 class="kern-heading-medium" id="providers">
              {t('applications.assurance.providersTitle')}
            </h2>
            <ul class="kern-list identity-providers">
              {options.map(option => (
                <li>
                  <a class="kern-btn kern-btn--primary" href={option.href}>
                    <span class="kern-label" safe>
                      {option.label}
                    </span>
                  </a>
                </li>
              ))}
            </ul>
            <p class="kern-body">
              {t(have ? 'applications.assurance.comeBackLinked' : 'applications.assurance.comeBack')}
            </p>
          </section>
        ) : (
          <Alert kind="info" title={t.text('applications.assurance.noProviderTitle')}>
            <p class="kern-body">{t('applications.assurance.noProviderBody')}</p>
          </Alert>
        )}
        <section class="stack" aria-labelledby="office">
          <h2 class="kern-heading-medium" id="office">
            {t('applications.assurance.officeTitle')}
          </h2>
          <p class="kern-body">{t('applications.assurance.officeBody')}</p>
          {office ? <OfficeContact ctx={ctx} office={office} /> : ''}
          <p class="kern-body">{t('catalogue.help.phone115')}</p>
        </section>
      </div>
    </Layout>
  )
}
