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
        <div class="kern-table-responsive">
          <table class="kern-table">
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th class="kern-table__header" scope="col">
                  {t('identity.links.provider')}
                </th>
                <th class="kern-table__header" scope="col">
                  {t('identity.links.level')}
                </th>
                <th class="kern-table__header" scope="col">
                  {t('identity.links.since')}
                </th>
                <th class="kern-table__header" scope="col">
                  {t('identity.links.actions')}
                </th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {linked.map(row => (
                <tr class="kern-table__row">
                  <td class="kern-table__cell" safe>
                    {row.name}
                  </td>
                  <td class="kern-table__cell">{t(`identity.level.${row.assurance}`)}</td>
                  <td class="kern-table__cell">{day(row.linkedAt)}</td>
                  <td class="kern-table__cell">
                    <form method="post" action="/account/identities/unlink">
                      <CsrfField ctx={ctx} />
                      <input type="hidden" name="provider" value={row.providerId} />
                      <button
                        class="kern-btn kern-btn--tertiary"
                        type="submit"
                        aria-label={t.text('identity.links.unlinkLabel', { provider: row.name })}
                      >
                        <span class="kern-label">{t('identity.links.unlink')}</span>
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
