import type { Children } from '@kitajs/html'
import type { PageContext } from './page-context.js'
import { SessionExpiryDialog } from './session-expiry.js'

export interface LayoutProps {
  ctx: PageContext
  title: string
  children?: Children
  /** Staff pages get the back-office navigation. */
  area?: 'portal' | 'backoffice'
}

/** Every page: skip link, official-site header, navigation, language switch, footer. */
export function Layout({ ctx, title, children, area = 'portal' }: LayoutProps) {
  const { t } = ctx
  const otherLocale = ctx.locale === 'de' ? 'en' : 'de'
  const switchHref = `/language/${otherLocale}?return=${encodeURIComponent(ctx.path)}`
  return (
    <>
      {'<!doctype html>'}
      <html lang={ctx.locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{`${title} – ${t('layout.siteName')}`}</title>
          <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/assets/kern/fonts/fira-sans.css" />
          <link rel="stylesheet" href="/assets/kern/kern.min.css" />
          <link rel="stylesheet" href="/assets/site.css" />
        </head>
        <body class="kern-body">
          <a class="kern-link skip-link" href="#main">
            {t('layout.skipToContent')}
          </a>
          <header class="site-header">
            <div class="kern-kopfzeile">
              <div class="kern-container">
                <div class="kern-kopfzeile__content">
                  <span class="kern-kopfzeile__flagge" aria-hidden="true">
                    <svg xmlns="http://www.w3.org/2000/svg" fill="none" viewBox="0 0 24 16">
                      <path fill="#000" d="M0 .5h24v5.333H0z" />
                      <path fill="red" d="M0 5.833h24v5.333H0z" />
                      <path fill="#FACA2C" d="M0 11.167h24V16.5H0z" />
                    </svg>
                  </span>
                  <span class="kern-kopfzeile__label">{t('layout.officialSite', { city: ctx.cityName })}</span>
                </div>
              </div>
            </div>
            <div class="kern-container site-header__inner">
              <a class="kern-link site-brand" href={area === 'backoffice' ? '/backoffice' : '/'}>
                <span class="kern-title">{t('layout.siteName')}</span>
                {area === 'backoffice' ? (
                  <span class="kern-badge kern-badge--info">
                    <span class="kern-label">{t('layout.backoffice')}</span>
                  </span>
                ) : (
                  ''
                )}
              </a>
              {/* On narrow screens the navigation folds into a menu that opens without JavaScript; site.css keeps it open on wide ones. */}
              <details class="site-menu">
                <summary class="kern-btn kern-btn--secondary">
                  <span class="kern-label">{t('layout.menu')}</span>
                  {/* Only the number: the menu button has to fit beside the site name. */}
                  {ctx.unreadMessages > 0 ? (
                    <span class="kern-badge kern-badge--warning">
                      <span class="kern-label" aria-hidden="true">
                        {ctx.unreadMessages}
                      </span>
                      <span class="kern-sr-only">{t('layout.nav.unread', { count: ctx.unreadMessages })}</span>
                    </span>
                  ) : (
                    ''
                  )}
                </summary>
                <nav aria-label={t('layout.mainNavigation')}>
                  <ul class="kern-list kern-list--horizontal site-nav">
                    {area === 'backoffice' ? <BackofficeNav ctx={ctx} /> : <PortalNav ctx={ctx} />}
                    <li>
                      <a class="kern-link" href={switchHref} lang={otherLocale} hreflang={otherLocale}>
                        {otherLocale === 'en' ? 'English' : 'Deutsch'}
                      </a>
                    </li>
                  </ul>
                </nav>
              </details>
            </div>
          </header>
          <main id="main" class="kern-container site-main" tabindex="-1">
            {children}
          </main>
          <footer class="site-footer">
            <div class="kern-container">
              <ul class="kern-list kern-list--horizontal">
                <li>
                  <a class="kern-link" href="/">
                    {t('layout.footer.services')}
                  </a>
                </li>
                <li>
                  <a class="kern-link" href="/kontakt">
                    {t('contact.nav')}
                  </a>
                </li>
                <li>
                  <a class="kern-link" href="/impressum">
                    {t('legal.footer.imprint')}
                  </a>
                </li>
                <li>
                  <a class="kern-link" href="/datenschutz">
                    {t('legal.footer.privacy')}
                  </a>
                </li>
                <li>
                  <a class="kern-link" href="/barrierefreiheit">
                    {t('legal.footer.accessibility')}
                  </a>
                </li>
                <li>
                  <a class="kern-link" href="/backoffice/login">
                    {t('layout.footer.staffLogin')}
                  </a>
                </li>
                {ctx.devMail ? (
                  <li>
                    <a class="kern-link" href="/dev/mail">
                      {t('layout.footer.devMail')}
                    </a>
                  </li>
                ) : (
                  ''
                )}
              </ul>
              <p class="kern-body kern-body--small">{t('layout.footer.license')}</p>
            </div>
          </footer>
          <SessionExpiryDialog ctx={ctx} />
        </body>
      </html>
    </>
  )
}

function PortalNav({ ctx }: { ctx: PageContext }) {
  const { t } = ctx
  if (!ctx.account) {
    return (
      <>
        <li>
          <a class="kern-link" href="/services">
            {t('layout.nav.catalogue')}
          </a>
        </li>
        <li>
          <a class="kern-link" href="/maengel">
            {t('layout.nav.reports')}
          </a>
        </li>
        <li>
          <a class="kern-link" href="/login">
            {t('layout.nav.login')}
          </a>
        </li>
        <li>
          <a class="kern-link" href="/register">
            {t('layout.nav.register')}
          </a>
        </li>
      </>
    )
  }
  return (
    <>
      <li>
        <a class="kern-link" href="/services">
          {t('layout.nav.catalogue')}
        </a>
      </li>
      <li>
        <a class="kern-link" href="/maengel">
          {t('layout.nav.reports')}
        </a>
      </li>
      <li>
        <a class="kern-link" href="/account/applications">
          {t('layout.nav.applications')}
        </a>
      </li>
      <li>
        <a class="kern-link site-nav__with-badge" href="/account/postbox">
          {t('layout.nav.postbox')}
          {ctx.unreadMessages > 0 ? (
            <>
              {' '}
              <span class="kern-badge kern-badge--warning">
                <span class="kern-label">{t('layout.nav.unread', { count: ctx.unreadMessages })}</span>
              </span>
            </>
          ) : (
            ''
          )}
        </a>
      </li>
      <li>
        <a class="kern-link" href="/account/termine">
          {t('appointments.nav')}
        </a>
      </li>
      <li>
        <a class="kern-link" href="/account/mandates">
          {t('layout.nav.mandates')}
        </a>
      </li>
      <li>
        <a class="kern-link" href="/account/profile">
          {t('layout.nav.profile')}
        </a>
      </li>
      <li>
        <LogoutButton ctx={ctx} action="/logout" />
      </li>
    </>
  )
}

function BackofficeNav({ ctx }: { ctx: PageContext }) {
  const { t } = ctx
  if (!ctx.staff)
    return (
      <li>
        <a class="kern-link" href="/backoffice/login">
          {t('layout.nav.login')}
        </a>
      </li>
    )
  return (
    <>
      {ctx.staff.roles.some(r => r.role === 'caseworker' || r.role === 'team_lead') ? (
        <>
          <li>
            <a class="kern-link" href="/backoffice">
              {t('layout.nav.inbox')}
            </a>
          </li>
          <li>
            <a class="kern-link" href="/backoffice/search">
              {t('layout.nav.search')}
            </a>
          </li>
          <li>
            <a class="kern-link" href="/backoffice/counter">
              {t('layout.nav.counter')}
            </a>
          </li>
          <li>
            <a class="kern-link" href="/backoffice/involvements">
              {t('cases.involvements.nav')}
            </a>
          </li>
          <li>
            <a class="kern-link" href="/backoffice/deadlines">
              {t('cases.deadlines.nav')}
            </a>
          </li>
          <li>
            <a class="kern-link" href="/backoffice/video">
              {t('video.nav')}
            </a>
          </li>
          <li>
            <a class="kern-link" href="/backoffice/triage">
              {t('triage.nav')}
            </a>
          </li>
          {ctx.allocatesHalls ? (
            <li>
              <a class="kern-link" href="/backoffice/buchung">
                {t('layout.nav.halls')}
              </a>
            </li>
          ) : (
            ''
          )}
          {ctx.checksMandates ? (
            <li>
              <a class="kern-link" href="/backoffice/mandates">
                {t('layout.nav.mandates')}
              </a>
            </li>
          ) : (
            ''
          )}
          <li>
            <a class="kern-link" href="/backoffice/refund-requests">
              {t('payments.refundRequests.nav')}
            </a>
          </li>
        </>
      ) : (
        ''
      )}
      {/* The counter and pre-sorting roles, held without casework, still reach their page. */}
      {!ctx.staff.roles.some(r => r.role === 'caseworker' || r.role === 'team_lead') &&
      ctx.staff.roles.some(r => r.role === 'counter') ? (
        <li>
          <a class="kern-link" href="/backoffice/counter">
            {t('layout.nav.counter')}
          </a>
        </li>
      ) : (
        ''
      )}
      {!ctx.staff.roles.some(r => r.role === 'caseworker' || r.role === 'team_lead') &&
      ctx.staff.roles.some(r => r.role === 'triage') ? (
        <li>
          <a class="kern-link" href="/backoffice/triage">
            {t('triage.nav')}
          </a>
        </li>
      ) : (
        ''
      )}
      {ctx.booksAppointments ? (
        <li>
          <a class="kern-link" href="/backoffice/termine">
            {t('layout.nav.appointments')}
          </a>
        </li>
      ) : (
        ''
      )}
      {ctx.staff.roles.some(r => r.role === 'treasury') ? (
        <li>
          <a class="kern-link" href="/backoffice/treasury">
            {t('treasury.nav')}
          </a>
        </li>
      ) : (
        ''
      )}
      {ctx.staff.roles.some(r => r.role === 'office_admin' || r.role === 'platform_admin') ? (
        <li>
          <a class="kern-link" href="/backoffice/admin">
            {t('staff.admin.nav')}
          </a>
        </li>
      ) : (
        ''
      )}
      <li>
        <a class="kern-link" href="/backoffice/security" safe>
          {ctx.staff.name}
        </a>
      </li>
      <li>
        <LogoutButton ctx={ctx} action="/backoffice/logout" />
      </li>
    </>
  )
}

function LogoutButton({ ctx, action }: { ctx: PageContext; action: string }) {
  return (
    <form method="post" action={action} class="inline-form">
      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
      <button type="submit" class="kern-btn kern-btn--tertiary">
        <span class="kern-label">{ctx.t('layout.nav.logout')}</span>
      </button>
    </form>
  )
}
