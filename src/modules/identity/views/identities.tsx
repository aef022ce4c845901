import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert, CsrfField } from '../../../platform/views/components.js'
import type { AssuranceLevel } from '../../../platform/auth/assurance.js'

export interface IdentityRow {
  providerId: string
  name: string
  assurance: AssuranceLevel
  linkedAt: Date
}

/** The account's linked identities (provider, level, since), unlinking, and "link …" for the providers not linked. */
export function IdentitiesPage({
  ctx,
  linked,
  linkable,
  notice,
  error,
}: {
  ctx: PageContext
  linked: IdentityRow[]
  linkable: { id: string; name: string; href: string }[]
  notice?: 'unlinked' | 'linked'
  error?: string
}) {
  const { t } = ctx
  const day = (at: Date) =>
    new Intl.DateTimeFormat(ctx.locale === 'de' ? 'de-DE' : 'en-GB', {
      dateStyle: 'long',
      timeZone: 'Europe/Berlin',
    }).format(new Date(at))
  return (
    <Layout ctx={ctx} title={t.text('identity.links.title')}>
      {notice ? <Alert kind="success" title={t.text(`identity.links.${notice}`)} /> : ''}
      {error ? <Alert kind="danger" title={t.text(error)} /> : ''}
      <h1 class="kern-heading-large">{t('identity.links.title')}</h1>
      <p class="kern-body">{t('identity.links.intro')}</p>
      {linked.length ? (
        <ul class="kern-list stack">
          {linked.map(row => (
            <li class="stack">
              <h2 class="kern-heading-small" safe>
                {row.name}
              </h2>
              <dl class="kern-description-list">
                <div class="kern-description-list-item">
                  <dt class="kern-description-list-item__key">{t('identity.links.level')}</dt>
                  <dd class="kern-description-list-item__value">{t(`identity.level.${row.assurance}`)}</dd>
                </div>
                <div class="kern-description-list-item">
                  <dt class="kern-description-list-item__key">{t('identity.links.since')}</dt>
                  <dd class="kern-description-list-item__value" safe>
                    {day(row.linkedAt)}
                  </dd>
                </div>
              </dl>
              <form method="post" action="/account/identities/unlink">
                <CsrfField ctx={ctx} />
                <input type="hidden" name="provider" value={row.providerId} />
                <button
                  class="kern-btn kern-btn--secondary"
                  type="submit"
                  aria-label={t.text('identity.links.unlinkLabel', { provider: row.name })}
                >
                  <span class="kern-label">{t('identity.links.unlink')}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      ) : (
        <p class="kern-body">{t('identity.links.none')}</p>
      )}
      {linkable.length ? (
        <section class="stack" aria-labelledby="link-title">
          <h2 class="kern-heading-medium" id="link-title">
            {t('identity.links.addTitle')}
          </h2>
          <p class="kern-body">{t('identity.links.addIntro')}</p>
          <ul class="kern-list provider-buttons">
            {linkable.map(option => (
              <li>
                <a class="kern-btn kern-btn--secondary" href={option.href}>
                  <span class="kern-label">{t('identity.links.link', { provider: option.name })}</span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
      <p class="kern-body">
        <a class="kern-link" href="/account/profile">
          {t('layout.nav.profile')}
        </a>
      </p>
    </Layout>
  )
}
