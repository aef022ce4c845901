import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  Alert,
  BackLink,
  CsrfField,
  ErrorSummary,
  ProofOfWorkField,
  SubmitButton,
  TextInput,
  type FieldError,
} from '../../../platform/views/components.js'
import { formatDate, formatDateTime } from '../../../platform/i18n/i18n.js'
import type { ReportCategory } from '../reports.categories.js'
import type { PublicReport } from '../reports.public.js'
import { MAX_PHOTO_MB, MAX_PHOTOS } from '../reports.photos.js'
import { DESCRIPTION_MAX } from '../reports.validate.js'
import {
  CategorySelect,
  FieldErrorText,
  MapAssets,
  MapBox,
  NearbyList,
  REPORT_FORM_ACTIONS,
  StateBadge,
  categoryName,
  errorOf,
  placeText,
  type MapSettings,
  type StateLabels,
} from './report-parts.js'

export interface ReportFormState {
  category: string
  description: string
  address: string
  lat: string
  lon: string
  contactName: string
  contactEmail: string
  contactPhone: string
  keepPhotoMetadata: boolean
  idempotencyKey: string
}

export interface SuggestionView {
  categoryName: string
  terms: string[]
  confident: boolean
}

/** /maengel: what can be reported, and the ways in. */
export function StartPage({ ctx, categories }: { ctx: PageContext; categories: ReportCategory[] }) {
  const { t } = ctx
  const l = ctx.locale
  const groups = [...new Set(categories.map(c => c.group[l]))]
  return (
    <Layout ctx={ctx} title={t.text('reports.start.title')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('reports.start.title')}</h1>
        <p class="kern-body kern-body--large">{t('reports.start.intro')}</p>
        <p class="form-actions">
          <a class="kern-btn kern-btn--primary" href="/maengel/melden">
            <span class="kern-label">{t('reports.start.report')}</span>
          </a>
          <a class="kern-btn kern-btn--secondary" href="/maengel/karte">
            <span class="kern-label">{t('reports.start.map')}</span>
          </a>
        </p>
        <Alert kind="warning" title={t.text('reports.start.emergency')} />
        <h2 class="kern-heading-medium">{t('reports.start.what')}</h2>
        {groups.map(group => (
          <section class="stack" aria-label={group}>
            <h3 class="kern-heading-small" safe>
              {group}
            </h3>
            <ul class="kern-list kern-list--bullet">
              {categories
                .filter(c => c.group[l] === group)
                .map(c => (
                  <li>
                    <strong safe>{c.name[l]}</strong>: <span safe>{c.description[l]}</span>
                  </li>
                ))}
            </ul>
          </section>
        ))}
        <h2 class="kern-heading-medium">{t('reports.start.privacyTitle')}</h2>
        <p class="kern-body">{t('reports.start.privacy')}</p>
      </div>
    </Layout>
  )
}

export interface ReportFormProps {
  ctx: PageContext
  categories: ReportCategory[]
  states: StateLabels
  form: ReportFormState
  errors: FieldError[]
  suggestion?: SuggestionView | null
  /** null: not looked yet (no place or category chosen). */
  nearby: PublicReport[] | null
  map: MapSettings
  /** Minutes to wait when too many reports came from here. */
  rateLimitedMinutes?: number
  /** Something to say above the form (the nearby search needs a place and category). */
  notice?: string
}

/** /maengel/melden: the report form. Works as a plain form; with JavaScript a map, live suggestions and nearby reports. */
export function ReportFormPage({
  ctx,
  categories,
  states,
  form,
  errors,
  suggestion,
  nearby,
  map,
  rateLimitedMinutes,
  notice,
}: ReportFormProps) {
  const { t } = ctx
  const signedIn = !!ctx.account
  const descriptionError = errorOf(errors, 'description')
  const photosError = errorOf(errors, 'photos')
  const describedBy = (id: string, hint: boolean, error?: string) =>
    [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
  return (
    <Layout
      ctx={ctx}
      title={`${errors.length ? `${t.text('forms.errorPrefix')} ` : ''}${t.text('reports.form.title')}`}
    >
      <BackLink href="/maengel" label={t.text('reports.form.back')} />
      <ErrorSummary ctx={ctx} errors={errors} />
      {rateLimitedMinutes ? (
        <div class="kern-alert kern-alert--danger" role="alert" id="rate-limited">
          <div class="kern-alert__header">
            <span class="kern-icon kern-icon--danger" aria-hidden="true"></span>
            <h2 class="kern-title">{t('reports.errors.rateLimitedTitle')}</h2>
          </div>
          <div class="kern-alert__body">
            <p class="kern-body">{t('reports.errors.rateLimited', { minutes: rateLimitedMinutes })}</p>
          </div>
        </div>
      ) : (
        ''
      )}
      {notice ? <Alert kind="info" title={notice} /> : ''}
      <h1 class="kern-heading-large">{t('reports.form.title')}</h1>
      <p class="kern-body">{t('reports.form.intro')}</p>
      <form
        method="post"
        action="/maengel/melden"
        enctype="multipart/form-data"
        class="stack"
        novalidate
        id="report-form"
      >
        <CsrfField ctx={ctx} />
        {ctx.account ? '' : <ProofOfWorkField />}
        <input type="hidden" name="idempotencyKey" value={form.idempotencyKey} />
        <div class={`kern-form-input${descriptionError ? ' kern-form-input--error' : ''}`}>
          <label class="kern-label" for="description">
            {t('reports.form.description')}
          </label>
          <div class="kern-hint" id="description-hint">
            {t('reports.form.descriptionHint', { max: DESCRIPTION_MAX })}
          </div>
          <FieldErrorText id="description" error={descriptionError} />
          <textarea
            class={`kern-form-input__input${descriptionError ? ' kern-form-input__input--error' : ''}`}
            id="description"
            name="description"
            rows="5"
            aria-describedby={describedBy('description', true, descriptionError)}
            aria-invalid={descriptionError ? 'true' : undefined}
            safe
          >
            {form.description}
          </textarea>
        </div>
        <div class="stack">
          <button
            type="submit"
            class="kern-btn kern-btn--secondary"
            name="action"
            value="suggest"
            id="suggest-button"
            formaction={REPORT_FORM_ACTIONS.suggest}
          >
            <span class="kern-label">{t('reports.form.suggest')}</span>
          </button>
          <div id="suggestion" aria-live="polite">
            {suggestion === null ? (
              <p class="kern-body">{t('reports.suggest.none')}</p>
            ) : suggestion ? (
              <p class="kern-body">
                {t(suggestion.confident ? 'reports.suggest.confident' : 'reports.suggest.unsure', {
                  category: suggestion.categoryName,
                })}
                {suggestion.terms.length ? (
                  <> {t('reports.suggest.terms', { terms: suggestion.terms.join(', ') })}</>
                ) : (
                  ''
                )}
              </p>
            ) : (
              ''
            )}
          </div>
        </div>
        <CategorySelect
          categories={categories}
          selected={form.category}
          t={t}
          error={errorOf(errors, 'category')}
          hint={t.text('reports.form.categoryHint')}
          placeholder={t.text('reports.form.categoryPlaceholder')}
        />

        <fieldset class="kern-fieldset">
          <legend class="kern-label">{t('reports.form.place')}</legend>
          <div class="kern-fieldset__body stack">
            <p class="kern-hint" id="place-hint">
              {t('reports.form.placeHint')}
            </p>
            <MapBox id="report-map" map={map} label={t.text('reports.map.pickLabel')} t={t} markers="pick" />
            {map.tileUrl ? (
              <p class="kern-hint" id="map-hint" hidden>
                {t('reports.form.mapHint')}
              </p>
            ) : (
              <p class="kern-hint" id="map-off">
                {t('reports.form.noMap')}
              </p>
            )}
            <TextInput
              id="address"
              label={t.text('reports.form.address')}
              hint={t.text('reports.form.addressHint')}
              value={form.address}
              error={errorOf(errors, 'address')}
              autocomplete="street-address"
            />
            <div class="address-group">
              <TextInput
                id="lat"
                label={t.text('reports.form.lat')}
                value={form.lat}
                error={errorOf(errors, 'lat')}
                inputmode="decimal"
                hint={t.text('reports.form.latHint')}
              />
              <TextInput
                id="lon"
                label={t.text('reports.form.lon')}
                value={form.lon}
                error={errorOf(errors, 'lon')}
                inputmode="decimal"
                hint={t.text('reports.form.lonHint')}
              />
            </div>
            <button
              type="submit"
              class="kern-btn kern-btn--secondary"
              name="action"
              value="nearby"
              id="nearby-button"
              formaction={REPORT_FORM_ACTIONS.nearby}
            >
              <span class="kern-label">{t('reports.form.nearby')}</span>
            </button>
          </div>
        </fieldset>
        <div id="nearby" aria-live="polite">
          <NearbyList nearby={nearby} categories={categories} states={states} t={t} withFollow={true} />
        </div>

        <div class={`kern-form-input${photosError ? ' kern-form-input--error' : ''}`}>
          <label class="kern-label" for="photos">
            {t('reports.form.photos')}
          </label>
          <div class="kern-hint" id="photos-hint">
            {t('reports.form.photosHint', { max: MAX_PHOTOS, size: MAX_PHOTO_MB })}
          </div>
          <FieldErrorText id="photos" error={photosError} />
          <input
            class="kern-form-input__input"
            type="file"
            id="photos"
            name="photos"
            multiple
            accept="image/jpeg,image/png,image/webp"
            aria-describedby={describedBy('photos', true, photosError)}
            aria-invalid={photosError ? 'true' : undefined}
          />
        </div>
        <div class="kern-form-check">
          <input
            class="kern-form-check__checkbox"
            type="checkbox"
            id="keepPhotoMetadata"
            name="keepPhotoMetadata"
            value="yes"
            checked={form.keepPhotoMetadata}
          />
          <label class="kern-label" for="keepPhotoMetadata">
            {t('reports.form.keepMetadata')}
            <span class="kern-hint">{t('reports.form.keepMetadataHint')}</span>
          </label>
        </div>

        <fieldset class="kern-fieldset">
          <legend class="kern-label">{t('reports.form.contact')}</legend>
          <div class="kern-fieldset__body stack">
            {signedIn ? (
              <p class="kern-body">{t('reports.form.signedIn', { name: ctx.account!.displayName })}</p>
            ) : (
              <>
                <p class="kern-hint">{t('reports.form.contactHint')}</p>
                <TextInput
                  id="contactName"
                  label={t.text('reports.form.contactName')}
                  value={form.contactName}
                  error={errorOf(errors, 'contactName')}
                  autocomplete="name"
                />
                <TextInput
                  id="contactEmail"
                  type="email"
                  label={t.text('reports.form.contactEmail')}
                  hint={t.text('reports.form.contactEmailHint')}
                  value={form.contactEmail}
                  error={errorOf(errors, 'contactEmail')}
                  autocomplete="email"
                />
                <TextInput
                  id="contactPhone"
                  type="tel"
                  label={t.text('reports.form.contactPhone')}
                  value={form.contactPhone}
                  error={errorOf(errors, 'contactPhone')}
                  autocomplete="tel"
                />
              </>
            )}
          </div>
        </fieldset>
        <p class="kern-body">{t('reports.form.publicNote')}</p>
        <div class="form-actions">
          <SubmitButton label={t.text('reports.form.submit')} name="action" value="submit" />
        </div>
      </form>
      <MapAssets />
    </Layout>
  )
}

/** After a report: its reference and what happens next. */
export function ThanksPage({
  ctx,
  report,
  categoryLabel,
  channel,
}: {
  ctx: PageContext
  report: PublicReport
  categoryLabel: string
  channel: 'postbox' | 'email' | 'none'
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('reports.thanks.title')}>
      <div class="stack">
        <div class="kern-alert kern-alert--success" role="status">
          <div class="kern-alert__header">
            <span class="kern-icon kern-icon--success" aria-hidden="true"></span>
            <h1 class="kern-title">{t('reports.thanks.title')}</h1>
          </div>
          <div class="kern-alert__body">
            <p class="kern-body">
              {t('reports.thanks.reference')} <strong safe>{report.reference}</strong>
            </p>
          </div>
        </div>
        <p class="kern-body">{t('reports.thanks.routed', { category: categoryLabel, office: report.agency })}</p>
        <p class="kern-body">{t(`reports.thanks.channel.${channel}`)}</p>
        <ul class="kern-list">
          <li>
            <a class="kern-link" href={`/maengel/${report.reference}`}>
              {t('reports.thanks.view')}
            </a>
          </li>
          <li>
            <a class="kern-link" href="/maengel/melden">
              {t('reports.thanks.another')}
            </a>
          </li>
          <li>
            <a class="kern-link" href="/maengel/karte">
              {t('reports.start.map')}
            </a>
          </li>
        </ul>
      </div>
    </Layout>
  )
}

export interface MapFilter {
  category: string
  status: 'open' | 'closed'
}

/** /maengel/karte: open and recently fixed reports on a map, and the same as a list (the accessible alternative). */
export function MapPage({
  ctx,
  reports,
  categories,
  states,
  filter,
  map,
}: {
  ctx: PageContext
  reports: PublicReport[]
  categories: ReportCategory[]
  states: StateLabels
  filter: MapFilter
  map: MapSettings
}) {
  const { t } = ctx
  const l = ctx.locale
  return (
    <Layout ctx={ctx} title={t.text('reports.map.title')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('reports.map.title')}</h1>
        <p class="kern-body">{t('reports.map.intro')}</p>
        <form method="get" action="/maengel/karte" class="filters">
          <CategorySelect
            id="category"
            categories={categories}
            selected={filter.category}
            t={t}
            placeholder={t.text('reports.map.allCategories')}
          />
          <div class="kern-form-input">
            <label class="kern-label" for="status">
              {t('reports.map.status')}
            </label>
            <div class="kern-form-input__select-wrapper">
              <select class="kern-form-input__select" id="status" name="status">
                <option value="open" selected={filter.status === 'open'}>
                  {t('reports.map.statusOpen')}
                </option>
                <option value="closed" selected={filter.status === 'closed'}>
                  {t('reports.map.statusClosed')}
                </option>
              </select>
            </div>
          </div>
          <SubmitButton label={t.text('reports.map.filter')} variant="secondary" />
        </form>
        <MapBox id="reports-map" map={map} label={t.text('reports.map.mapLabel')} t={t} markers="list" />
        <h2 class="kern-heading-medium" id="list-title">
          {t('reports.map.listTitle', { count: reports.length })}
        </h2>
        {reports.length === 0 ? (
          <p class="kern-body">{t('reports.map.empty')}</p>
        ) : (
          <div class="kern-table-responsive">
            <table class="kern-table" id="reports-list">
              <caption class="kern-sr-only">{t('reports.map.listTitle', { count: reports.length })}</caption>
              <thead class="kern-table__head">
                <tr class="kern-table__row">
                  <th class="kern-table__header" scope="col">
                    {t('reports.map.col.reference')}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {t('reports.map.col.category')}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {t('reports.map.col.place')}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {t('reports.map.col.reported')}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {t('reports.map.col.status')}
                  </th>
                </tr>
              </thead>
              <tbody class="kern-table__body">
                {reports.map(r => (
                  <tr
                    class="kern-table__row"
                    data-lat={r.lat === null ? undefined : String(r.lat)}
                    data-lon={r.lon === null ? undefined : String(r.lon)}
                    data-href={`/maengel/${r.reference}`}
                    data-title={`${r.reference} – ${categoryName(categories, r.categoryCode, t)}`}
                  >
                    <td class="kern-table__cell">
                      <a class="kern-link" href={`/maengel/${r.reference}`} safe>
                        {r.reference}
                      </a>
                    </td>
                    <td class="kern-table__cell" safe>
                      {categoryName(categories, r.categoryCode, t)}
                    </td>
                    <td class="kern-table__cell" safe>
                      {placeText(r, t)}
                    </td>
                    <td class="kern-table__cell" safe>
                      {formatDate(r.requestedAt, l)}
                    </td>
                    <td class="kern-table__cell">
                      <StateBadge report={r} states={states} t={t} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p class="kern-body">
          <a class="kern-link" href="/maengel/melden">
            {t('reports.start.report')}
          </a>
        </p>
      </div>
      <MapAssets />
    </Layout>
  )
}

export interface DetailProps {
  ctx: PageContext
  report: PublicReport
  categories: ReportCategory[]
  states: StateLabels
  map: MapSettings
  followed?: 'new' | 'already'
  errors: FieldError[]
  email: string
}

/** /maengel/:reference: one report as the public sees it, and a way to follow it. */
export function DetailPage({ ctx, report, categories, states, map, followed, errors, email }: DetailProps) {
  const { t } = ctx
  const l = ctx.locale
  const item = (label: string, value: JSX.Element) => (
    <div class="kern-description-list-item">
      <dt class="kern-description-list-item__key" safe>
        {label}
      </dt>
      <dd class="kern-description-list-item__value">{value}</dd>
    </div>
  )
  return (
    <Layout
      ctx={ctx}
      title={`${errors.length ? `${t.text('forms.errorPrefix')} ` : ''}${report.reference} – ${t.text('reports.detail.title')}`}
    >
      <BackLink href="/maengel/karte" label={t.text('reports.detail.back')} />
      <ErrorSummary ctx={ctx} errors={errors} />
      {followed ? (
        <Alert kind="success" title={t.text(followed === 'new' ? 'reports.follow.done' : 'reports.follow.already')} />
      ) : (
        ''
      )}
      <div class="stack">
        <hgroup class="kern-hgroup">
          <p class="kern-preline" safe>
            {categoryName(categories, report.categoryCode, t)}
          </p>
          <h1 class="kern-heading-large" safe>
            {report.reference}
          </h1>
        </hgroup>
        <dl class="kern-description-list">
          {item(t.text('reports.detail.status'), <StateBadge report={report} states={states} t={t} />)}
          {item(t.text('reports.detail.place'), <span safe>{placeText(report, t)}</span>)}
          {item(t.text('reports.detail.reported'), <span safe>{formatDateTime(report.requestedAt, l)}</span>)}
          {item(t.text('reports.detail.updated'), <span safe>{formatDateTime(report.updatedAt, l)}</span>)}
          {item(t.text('reports.detail.office'), <span safe>{report.agency}</span>)}
        </dl>
        {report.sensitive ? <p class="kern-hint">{t('reports.detail.sensitive')}</p> : ''}
        <h2 class="kern-heading-medium">{t('reports.detail.description')}</h2>
        <p class="kern-body preserve-lines" safe>
          {report.description}
        </p>
        {report.photoUrl ? (
          <img
            class="report-photo"
            src={report.photoUrl}
            alt={t.text('reports.detail.photoAlt', { category: categoryName(categories, report.categoryCode, t) })}
          />
        ) : (
          ''
        )}
        {report.lat !== null && report.lon !== null ? (
          <div
            class="report-single"
            data-lat={String(report.lat)}
            data-lon={String(report.lon)}
            data-title={report.reference}
          >
            <MapBox id="report-detail-map" map={map} label={t.text('reports.map.detailLabel')} t={t} markers="single" />
          </div>
        ) : (
          ''
        )}
        {report.status === 'open' ? (
          <section class="stack" aria-labelledby="follow-title">
            <h2 class="kern-heading-medium" id="follow-title">
              {t('reports.follow.title')}
            </h2>
            <p class="kern-body">{t('reports.follow.intro')}</p>
            <form method="post" action={`/maengel/${report.reference}/folgen`} class="stack" novalidate>
              <CsrfField ctx={ctx} />
              {ctx.account ? (
                <p class="kern-body">{t('reports.follow.signedIn', { name: ctx.account.displayName })}</p>
              ) : (
                <TextInput
                  id="email"
                  type="email"
                  label={t.text('reports.form.contactEmail')}
                  value={email}
                  error={errorOf(errors, 'email')}
                  autocomplete="email"
                />
              )}
              <SubmitButton label={t.text('reports.follow.submit')} variant="secondary" />
            </form>
          </section>
        ) : (
          ''
        )}
      </div>
      <MapAssets />
    </Layout>
  )
}

/** Stopping the mails of a followed report, from the link in each of them. */
export function UnsubscribePage({ ctx, token, done }: { ctx: PageContext; token: string; done: boolean | null }) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('reports.unsubscribe.title')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('reports.unsubscribe.title')}</h1>
        {done === null ? (
          <form method="post" action="/maengel/abbestellen" class="stack">
            <CsrfField ctx={ctx} />
            <input type="hidden" name="token" value={token} />
            <p class="kern-body">{t('reports.unsubscribe.intro')}</p>
            <SubmitButton label={t.text('reports.unsubscribe.submit')} />
          </form>
        ) : (
          <p class="kern-body">{t(done ? 'reports.unsubscribe.done' : 'reports.unsubscribe.unknown')}</p>
        )}
      </div>
    </Layout>
  )
}
