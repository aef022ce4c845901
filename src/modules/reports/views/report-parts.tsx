import type { Translate } from '../../../platform/i18n/i18n.js'
import { formatDate } from '../../../platform/i18n/i18n.js'
import type { FieldError } from '../../../platform/views/components.js'
import type { ReportCategory } from '../reports.categories.js'
import type { PublicReport } from '../reports.public.js'

/** Where each secondary button of the report form posts (formaction); the form itself files the report. */
export const REPORT_FORM_ACTIONS = {
  suggest: '/maengel/melden/vorschlag',
  nearby: '/maengel/melden/in-der-naehe',
  follow: '/maengel/melden/folgen',
} as const

/** The map's settings from the city's configuration; the map only appears with JavaScript. */
/**
 * `tileUrl` empty: no map at all. `consentHost`: the tiles come from another server, which learns the visitor's
 * address; the map is then drawn only after the visitor asks for it.
 */
export interface MapSettings {
  tileUrl: string
  attribution: string
  consentHost?: string
  bounds: { south: number; west: number; north: number; east: number } | undefined
}

/** Workflow state labels of the report service, for the public pages. */
export type StateLabels = Record<string, { label: { de: string; en: string }; outcome?: string }>

export const errorOf = (errors: FieldError[], id: string) => errors.find(e => e.fieldId === id)?.message

export function FieldErrorText({ id, error }: { id: string; error?: string }) {
  if (!error) return ''
  return (
    <p class="kern-error" id={`${id}-error`} role="alert">
      <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
      <span class="kern-body" safe>
        {error}
      </span>
    </p>
  )
}

/** The categories grouped as the definition groups them (optgroup), with a neutral first choice. */
export function CategorySelect({
  id = 'category',
  categories,
  selected,
  t,
  error,
  hint,
  placeholder,
}: {
  id?: string
  categories: ReportCategory[]
  selected?: string
  t: Translate
  error?: string
  hint?: string
  placeholder: string
}) {
  const l = t.locale
  const groups = [...new Set(categories.map(c => c.group[l]))]
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={id}>
        {t('reports.form.category')}
      </label>
      {hint ? (
        <div class="kern-hint" id={`${id}-hint`} safe>
          {hint}
        </div>
      ) : (
        ''
      )}
      <FieldErrorText id={id} error={error} />
      <div class="kern-form-input__select-wrapper">
        <select
          class={`kern-form-input__select${error ? ' kern-form-input__select--error' : ''}`}
          id={id}
          name={id}
          aria-describedby={describedBy || undefined}
          aria-invalid={error ? 'true' : undefined}
        >
          <option value="" safe>
            {placeholder}
          </option>
          {groups.map(group => (
            <optgroup label={group}>
              {categories
                .filter(c => c.group[l] === group)
                .map(c => (
                  <option value={c.code} selected={c.code === selected} safe>
                    {c.name[l]}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </div>
    </div>
  )
}

export function StateBadge({ report, states, t }: { report: PublicReport; states: StateLabels; t: Translate }) {
  const state = states[report.state]
  const kind =
    state?.outcome === 'approved'
      ? 'success'
      : state?.outcome === 'rejected'
        ? 'danger'
        : state?.outcome === 'withdrawn'
          ? 'warning'
          : 'info'
  return (
    <span class={`kern-badge kern-badge--${kind}`} safe>
      {state?.label[t.locale] ?? report.state}
    </span>
  )
}

export function categoryName(categories: ReportCategory[], code: string, t: Translate): string {
  return categories.find(c => c.code === code)?.name[t.locale] ?? code
}

/** The place of a public report in words: the (possibly shortened) address, else the coordinates. */
export function placeText(report: PublicReport, t: Translate): string {
  if (report.address) return report.address
  if (report.lat !== null && report.lon !== null)
    return t.text('reports.place.coordinates', { lat: report.lat.toFixed(4), lon: report.lon.toFixed(4) })
  return '–'
}

/** Open reports of the same category near the chosen place, each with a way to follow it instead of reporting again. */
export function NearbyList({
  nearby,
  categories,
  states,
  t,
  withFollow,
}: {
  nearby: PublicReport[] | null
  categories: ReportCategory[]
  states: StateLabels
  t: Translate
  withFollow: boolean
}) {
  if (nearby === null) return ''
  if (nearby.length === 0)
    return (
      <p class="kern-body" id="nearby-none">
        {t('reports.nearby.none')}
      </p>
    )
  return (
    <div class="stack">
      <h2 class="kern-heading-small" id="nearby-title">
        {t('reports.nearby.title')}
      </h2>
      <p class="kern-body">{t('reports.nearby.intro')}</p>
      <ul class="kern-list report-list" aria-labelledby="nearby-title">
        {nearby.map(r => (
          <li class="stack">
            <p class="kern-body">
              <a class="kern-link" href={`/maengel/${r.reference}`} safe>
                {r.reference}
              </a>
              {' · '}
              <span safe>{categoryName(categories, r.categoryCode, t)}</span>
              {' · '}
              <StateBadge report={r} states={states} t={t} />
              {' · '}
              <span safe>{formatDate(r.requestedAt, t.locale)}</span>
            </p>
            <p class="kern-body preserve-lines" safe>
              {r.description.length > 200 ? `${r.description.slice(0, 200)}…` : r.description}
            </p>
            {withFollow ? (
              <button
                type="submit"
                class="kern-btn kern-btn--secondary"
                name="follow"
                value={r.reference}
                formaction={REPORT_FORM_ACTIONS.follow}
              >
                <span class="kern-label">{t('reports.nearby.follow', { reference: r.reference })}</span>
              </button>
            ) : (
              ''
            )}
          </li>
        ))}
      </ul>
    </div>
  )
}

/**
 * The map container: hidden until the script draws the map into it; the page works without. With tiles from another
 * server, the script first shows the button that asks for them; without a tile server, there is no map.
 */
export function MapBox({
  id,
  map,
  label,
  t,
  markers,
}: {
  id: string
  map: MapSettings
  label: string
  t: Translate
  markers?: 'list' | 'pick' | 'single'
}) {
  if (!map.tileUrl) return ''
  const b = map.bounds
  return (
    <>
      {map.consentHost ? (
        <p class="kern-body" id={`${id}-consent`} hidden>
          <button type="button" class="kern-btn kern-btn--secondary" aria-describedby={`${id}-consent-hint`}>
            <span class="kern-label">{t('reports.map.load', { host: map.consentHost })}</span>
          </button>
          <span class="kern-hint" id={`${id}-consent-hint`}>
            {t('reports.map.loadHint', { host: map.consentHost })}
          </span>
        </p>
      ) : (
        ''
      )}
      <div
        id={id}
        class="report-map"
        hidden
        role="region"
        aria-label={label}
        data-tile-url={map.tileUrl}
        data-attribution={map.attribution}
        data-mode={markers ?? 'pick'}
        data-consent={map.consentHost ? `${id}-consent` : undefined}
        data-bounds={b ? `${b.south},${b.west},${b.north},${b.east}` : undefined}
        data-label-marker={t.text('reports.map.marker')}
        data-label-group={markers === 'list' ? t.text('reports.map.group') : undefined}
      ></div>
    </>
  )
}

/** The host a tile URL asks, if it is not this site ({s} subdomains left out). */
export function tileHostOf(tileUrl: string, baseUrl: string): string | undefined {
  const host = /^https?:\/\/([^/]+)/.exec(tileUrl)?.[1]?.replace('{s}.', '')
  return host && host !== new URL(baseUrl).host ? host : undefined
}

export function MapAssets() {
  return (
    <>
      <link rel="stylesheet" href="/assets/leaflet/leaflet.css" />
      <script src="/assets/leaflet/leaflet.js" defer></script>
      <script src="/assets/reports.js" defer></script>
    </>
  )
}
