import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert, CsrfField, DescriptionItem, SubmitButton } from '../../../platform/views/components.js'
import type { ServiceDefinition } from '../definition.schema.js'
import type { Office } from '../definitions.load.js'
import type { OfflineEntry } from '../offline.schema.js'
import { isServiceFor } from '../definition.audience.js'
import { requiredAssurance } from '../definition.assurance.js'
import { meetsAssurance } from '../../../platform/auth/assurance.js'
import type { ServicePagePart } from '../catalogue.parts.js'

export const LIFE_SITUATIONS = [
  'moving',
  'family',
  'vehicle',
  'business',
  'building',
  'environment',
  'animals',
  'health',
  'money',
  'documents',
] as const

function SearchForm({ ctx, q }: { ctx: PageContext; q?: string }) {
  return (
    <form method="get" action="/services" role="search" class="search-form">
      <div class="kern-form-input">
        <label class="kern-label" for="q">
          {ctx.t('catalogue.search.label')}
        </label>
        <div class="kern-hint" id="q-hint">
          {ctx.t('catalogue.search.hint')}
        </div>
        <input class="kern-form-input__input" type="search" id="q" name="q" value={q ?? ''} aria-describedby="q-hint" />
      </div>
      <div class="form-actions">
        <SubmitButton label={ctx.t.text('catalogue.search.submit')} />
      </div>
    </form>
  )
}

/** A service with a form, or one offered only at the counter (then marked as such). */
export type CatalogueItem = ServiceDefinition | OfflineEntry
const isOffline = (item: CatalogueItem): item is OfflineEntry => 'howTo' in item

function OfflineBadge({ ctx }: { ctx: PageContext }) {
  return <span class="kern-badge kern-badge--info">{ctx.t('catalogue.offline.badge')}</span>
}

export function ServiceCard({ ctx, service, office }: { ctx: PageContext; service: CatalogueItem; office?: Office }) {
  const l = ctx.locale
  return (
    <li class="kern-card">
      <div class="kern-card__container">
        <div class="kern-card__header">
          <h2 class="kern-title">
            <a class="kern-link" href={`/services/${service.id}`} safe>
              {service.title[l]}
            </a>
          </h2>
          {office ? (
            <p class="kern-preline" safe>
              {office.name[l]}
            </p>
          ) : (
            ''
          )}
          {isOffline(service) ? (
            <p class="kern-body">
              <OfflineBadge ctx={ctx} />
            </p>
          ) : (
            ''
          )}
        </div>
        <div class="kern-card__body">
          <p class="kern-body" safe>
            {service.summary[l]}
          </p>
        </div>
      </div>
    </li>
  )
}

export function HomePage({
  ctx,
  services,
  offices,
}: {
  ctx: PageContext
  services: ServiceDefinition[]
  offices: Office[]
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('catalogue.home.title')}>
      <div class="stack">
        <h1 class="kern-heading-x-large">{t('catalogue.home.title')}</h1>
        <p class="kern-body kern-body--large">{t('catalogue.home.lead', { count: services.length })}</p>
        <SearchForm ctx={ctx} />
        <section aria-labelledby="book">
          <h2 class="kern-heading-medium" id="book">
            {t('catalogue.home.book')}
          </h2>
          <ul class="kern-list card-grid">
            <li>
              <a class="kern-link" href="/termine">
                {t('catalogue.home.appointments')}
              </a>
            </li>
            <li>
              <a class="kern-link" href="/buchung">
                {t('catalogue.home.facilities')}
              </a>
            </li>
          </ul>
        </section>
        <section aria-labelledby="situations">
          <h2 class="kern-heading-medium" id="situations">
            {t('catalogue.home.situations')}
          </h2>
          <ul class="kern-list card-grid">
            {LIFE_SITUATIONS.map(s => (
              <li>
                <a class="kern-link" href={`/services?situation=${s}`}>
                  {t(`catalogue.situation.${s}`)}
                </a>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="offices">
          <h2 class="kern-heading-medium" id="offices">
            {t('catalogue.home.offices')}
          </h2>
          <ul class="kern-list card-grid">
            {offices.map(o => (
              <li>
                <a class="kern-link" href={`/services?office=${o.id}`} safe>
                  {o.name[ctx.locale]}
                </a>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </Layout>
  )
}

export interface Paging {
  page: number
  pageSize: number
  total: number
}

/** Page links that work without JavaScript: previous, the numbers around the current page, and "More results". */
function PageLinks({
  ctx,
  filter,
  paging,
}: {
  ctx: PageContext
  filter: { q?: string; situation?: string; office?: string }
  paging: Paging
}) {
  const { t } = ctx
  const last = Math.max(1, Math.ceil(paging.total / paging.pageSize))
  if (last === 1 && paging.page === 1) return ''
  const href = (page: number) => {
    const params = new URLSearchParams(
      Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
    )
    if (page > 1) params.set('page', String(page))
    return `/services?${params.toString()}`
  }
  const first = Math.max(1, Math.min(paging.page - 2, last - 4))
  const numbers = Array.from({ length: Math.min(5, last) }, (_, i) => first + i)
  return (
    <nav aria-label={t.text('catalogue.list.pages')} class="stack">
      {paging.page < last ? (
        <p class="kern-body">
          <a class="kern-link" rel="next" href={href(paging.page + 1)}>
            {t('catalogue.list.more')}
          </a>
        </p>
      ) : (
        ''
      )}
      <ul class="kern-list card-grid">
        {paging.page > 1 ? (
          <li>
            <a class="kern-link" rel="prev" href={href(Math.min(paging.page - 1, last))}>
              {t('catalogue.list.previous')}
            </a>
          </li>
        ) : (
          ''
        )}
        {numbers.map(n =>
          n === paging.page ? (
            <li>
              <a
                class="kern-link"
                href={href(n)}
                aria-current="page"
                aria-label={t.text('catalogue.list.pageOf', { page: n, last })}
              >
                {n}
              </a>
            </li>
          ) : (
            <li>
              <a class="kern-link" href={href(n)} aria-label={t.text('catalogue.list.pageOf', { page: n, last })}>
                {n}
              </a>
            </li>
          ),
        )}
      </ul>
    </nav>
  )
}

/** Where to turn when the catalogue has nothing: the contact form and the authorities' number 115. */
function FurtherHelp({ ctx }: { ctx: PageContext }) {
  const { t } = ctx
  return (
    <section aria-labelledby="further-help" class="stack">
      <h2 class="kern-heading-medium" id="further-help">
        {t('catalogue.help.title')}
      </h2>
      <p class="kern-body">{t('catalogue.help.contact')}</p>
      <p class="kern-body">
        <a class="kern-btn kern-btn--secondary" href="/kontakt">
          <span class="kern-label">{t('catalogue.help.contactLink')}</span>
        </a>
      </p>
      <p class="kern-body">{t('catalogue.help.phone115')}</p>
    </section>
  )
}

export function CataloguePage({
  ctx,
  services,
  offices,
  filter,
  paging,
}: {
  ctx: PageContext
  services: CatalogueItem[]
  offices: Office[]
  filter: { q?: string; situation?: string; office?: string }
  paging: Paging
}) {
  const { t } = ctx
  const officeName = filter.office ? offices.find(o => o.id === filter.office)?.name[ctx.locale] : undefined
  const heading = filter.q
    ? t.text('catalogue.list.resultsFor', { q: filter.q })
    : filter.situation
      ? t.text(`catalogue.situation.${filter.situation}`)
      : (officeName ?? t.text('catalogue.list.title'))
  return (
    <Layout ctx={ctx} title={heading}>
      <div class="stack">
        <h1 class="kern-heading-large" safe>
          {heading}
        </h1>
        <SearchForm ctx={ctx} q={filter.q} />
        <p class="kern-body" role="status">
          {t('catalogue.list.count', { count: paging.total })}
          {paging.total > paging.pageSize && services.length ? (
            <>
              {' '}
              {t('catalogue.list.showing', {
                from: (paging.page - 1) * paging.pageSize + 1,
                to: (paging.page - 1) * paging.pageSize + services.length,
              })}
            </>
          ) : (
            ''
          )}
        </p>
        {services.length === 0 ? (
          <>
            <p class="kern-body">{t('catalogue.list.noResults')}</p>
            <FurtherHelp ctx={ctx} />
          </>
        ) : (
          <ul class="card-grid">
            {services.map(s => (
              <ServiceCard ctx={ctx} service={s} office={offices.find(o => o.id === s.office)} />
            ))}
          </ul>
        )}
        <PageLinks ctx={ctx} filter={filter} paging={paging} />
      </div>
    </Layout>
  )
}

export function ServicePage({
  ctx,
  service,
  office,
  parts,
}: {
  ctx: PageContext
  service: ServiceDefinition
  office?: Office
  /** What features add to the page (fees), in this order. */
  parts: readonly ServicePagePart[]
}) {
  const { t } = ctx
  const l = ctx.locale
  const needsLogin = service.loginRequired && !ctx.account
  const assurance = requiredAssurance(service)
  // Staff at the counter identify the person in front of them; everyone else signs in at the level the service needs.
  const needsIdentification = !ctx.staff && !meetsAssurance(ctx.account?.assurance ?? 'low', assurance)
  // Staff at the counter apply on someone's behalf; only a person's own account can be of the wrong kind.
  // A member of a company applies for it with their own account (docs/mandates.md): a business service is theirs too.
  const forTheirCompany = ctx.actsForCompany && isServiceFor(service, 'business')
  const wrongAccount =
    ctx.account && !ctx.staff && !forTheirCompany && !isServiceFor(service, ctx.account.kind) ? ctx.account : null
  return (
    <Layout ctx={ctx} title={service.title[l]}>
      <div class="stack">
        <hgroup class="kern-hgroup">
          <h1 class="kern-heading-large" safe>
            {service.title[l]}
          </h1>
          {office ? (
            <p class="kern-subline" safe>
              {office.name[l]}
            </p>
          ) : (
            ''
          )}
        </hgroup>
        <p class="kern-body kern-body--large" safe>
          {service.summary[l]}
        </p>
        <section aria-labelledby="requirements">
          <h2 class="kern-heading-medium" id="requirements">
            {t('catalogue.service.requirements')}
          </h2>
          <ul class="kern-list kern-list--bullet">
            {service.requirements[l].map(r => (
              <li safe>{r}</li>
            ))}
          </ul>
        </section>
        {service.documents.length ? (
          <section aria-labelledby="documents">
            <h2 class="kern-heading-medium" id="documents">
              {t('catalogue.service.documents')}
            </h2>
            <ul class="kern-list kern-list--bullet">
              {service.documents.map(d => (
                <li>
                  <span safe>{d.title[l]}</span>
                  {d.required ? (
                    ''
                  ) : (
                    <>
                      {' '}
                      <span class="kern-body--muted">{t('forms.optional')}</span>
                    </>
                  )}
                </li>
              ))}
            </ul>
          </section>
        ) : (
          ''
        )}
        {parts.map(part => (
          <part.View definition={service} t={t} />
        ))}
        <dl class="kern-description-list">
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{t('catalogue.service.duration')}</dt>
            <dd class="kern-description-list-item__value" safe>
              {service.duration[l]}
            </dd>
          </div>
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{t('catalogue.service.deadline')}</dt>
            <dd class="kern-description-list-item__value">
              {t(`catalogue.deadline.${service.processingDeadline.unit}`, { value: service.processingDeadline.value })}
            </dd>
          </div>
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{t('catalogue.service.login')}</dt>
            <dd class="kern-description-list-item__value">
              {t(service.loginRequired ? 'catalogue.service.loginRequired' : 'catalogue.service.loginOptional')}
            </dd>
          </div>
          {assurance === 'low' ? (
            ''
          ) : (
            <div class="kern-description-list-item" id="assurance">
              <dt class="kern-description-list-item__key">{t('catalogue.service.assurance')}</dt>
              <dd class="kern-description-list-item__value">{t(`catalogue.service.assuranceNeeded.${assurance}`)}</dd>
            </div>
          )}
        </dl>
        {wrongAccount ? (
          <div class="stack wrong-audience">
            <Alert kind="warning" title={t.text(`catalogue.service.audience.${wrongAccount.kind}.title`)}>
              <p class="kern-body" safe>
                {t.text(`catalogue.service.audience.${wrongAccount.kind}.explain`, {
                  account: wrongAccount.displayName,
                })}
              </p>
            </Alert>
            <form method="post" action="/logout" class="inline-form">
              <CsrfField ctx={ctx} />
              <SubmitButton label={t.text('catalogue.service.audience.switchAccount')} variant="secondary" />
            </form>
            <p class="kern-body">
              <a class="kern-link" href="/services">
                {t('catalogue.service.audience.otherServices')}
              </a>
            </p>
          </div>
        ) : service.report ? (
          <p class="kern-body">
            <a class="kern-btn kern-btn--primary" href="/maengel/melden">
              <span class="kern-label">{t('catalogue.service.start')}</span>
            </a>
          </p>
        ) : needsIdentification ? (
          <p class="kern-body">
            <a class="kern-btn kern-btn--primary" href={`/services/${service.id}/identification`}>
              <span class="kern-label">{t('catalogue.service.identifyToApply')}</span>
            </a>
          </p>
        ) : needsLogin ? (
          <p class="kern-body">
            <a
              class="kern-btn kern-btn--primary"
              href={`/login?return=${encodeURIComponent(`/services/${service.id}`)}`}
            >
              <span class="kern-label">{t('catalogue.service.loginToApply')}</span>
            </a>
          </p>
        ) : (
          <form method="post" action={`/services/${service.id}/applications`}>
            <CsrfField ctx={ctx} />
            <SubmitButton label={t.text('catalogue.service.start')} />
          </form>
        )}
      </div>
    </Layout>
  )
}

/** A service offered only at the counter: what to do, what to bring, and the office with its address and hours. */
export function OfflineServicePage({ ctx, entry, office }: { ctx: PageContext; entry: OfflineEntry; office?: Office }) {
  const { t } = ctx
  const l = ctx.locale
  return (
    <Layout ctx={ctx} title={entry.title[l]}>
      <div class="stack">
        <hgroup class="kern-hgroup">
          <h1 class="kern-heading-large" safe>
            {entry.title[l]}
          </h1>
          {office ? (
            <p class="kern-subline" safe>
              {office.name[l]}
            </p>
          ) : (
            ''
          )}
        </hgroup>
        <p class="kern-body">
          <OfflineBadge ctx={ctx} />
        </p>
        <p class="kern-body kern-body--large" safe>
          {entry.summary[l]}
        </p>
        <p class="kern-body">{t('catalogue.offline.lead')}</p>
        <section aria-labelledby="how-to">
          <h2 class="kern-heading-medium" id="how-to">
            {t('catalogue.offline.howTo')}
          </h2>
          <ol class="kern-list kern-list--number">
            {entry.howTo[l].map(step => (
              <li safe>{step}</li>
            ))}
          </ol>
        </section>
        {entry.documents ? (
          <section aria-labelledby="documents">
            <h2 class="kern-heading-medium" id="documents">
              {t('catalogue.service.documents')}
            </h2>
            <ul class="kern-list kern-list--bullet">
              {entry.documents[l].map(d => (
                <li safe>{d}</li>
              ))}
            </ul>
          </section>
        ) : (
          ''
        )}
        {entry.fee ? (
          <section aria-labelledby="fee">
            <h2 class="kern-heading-medium" id="fee">
              {t('catalogue.offline.fee')}
            </h2>
            <p class="kern-body" safe>
              {entry.fee[l]}
            </p>
          </section>
        ) : (
          ''
        )}
        {office ? (
          <section aria-labelledby="office">
            <h2 class="kern-heading-medium" id="office">
              {t('catalogue.offline.office')}
            </h2>
            <OfficeContact ctx={ctx} office={office} />
          </section>
        ) : (
          ''
        )}
        {entry.link ? (
          <p class="kern-body">
            <a class="kern-link" href={entry.link.url} safe>
              {entry.link.label[l]}
            </a>
          </p>
        ) : (
          ''
        )}
        <p class="kern-body">{t('catalogue.help.phone115')}</p>
      </div>
    </Layout>
  )
}

/** How to reach an office: name, address, phone, e-mail, opening hours and web page, as far as _offices.yaml gives them. */
export function OfficeContact({ ctx, office }: { ctx: PageContext; office: Office }) {
  const { t } = ctx
  const l = ctx.locale
  return (
    <dl class="kern-description-list">
      <DescriptionItem label={t.text('catalogue.offline.officeName')} text={office.name[l]} />
      {office.address ? <DescriptionItem label={t.text('catalogue.offline.address')} text={office.address} /> : ''}
      {office.phone ? <DescriptionItem label={t.text('catalogue.offline.phone')} text={office.phone} /> : ''}
      {office.email ? (
        <DescriptionItem label={t.text('catalogue.offline.email')}>
          <a class="kern-link" href={`mailto:${office.email}`} safe>
            {office.email}
          </a>
        </DescriptionItem>
      ) : (
        ''
      )}
      {office.openingHours ? (
        <DescriptionItem label={t.text('catalogue.offline.hours')} text={office.openingHours[l]} />
      ) : (
        ''
      )}
      {office.url ? (
        <DescriptionItem label={t.text('catalogue.offline.web')}>
          <a class="kern-link" href={office.url} safe>
            {office.url}
          </a>
        </DescriptionItem>
      ) : (
        ''
      )}
    </dl>
  )
}
