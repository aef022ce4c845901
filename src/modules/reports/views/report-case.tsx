import type { PageContext } from '../../../platform/views/page-context.js'
import { CsrfField, SubmitButton } from '../../../platform/views/components.js'
import { formatDateTime } from '../../../platform/i18n/i18n.js'
import type { ReportSectionData } from '../reports.casework.js'
import { CategorySelect } from './report-parts.js'

/**
 * The report on its case view: category and office, exact place, contact, photos and whether they may be shown
 * publicly; the lead office changes or confirms the category (re-routing the case) and publishes the photos.
 */
export function ReportCaseSection({
  ctx,
  caseId,
  reference,
  version,
  data,
}: {
  ctx: PageContext
  caseId: string
  reference: string
  version: number
  data: ReportSectionData
}) {
  const { t } = ctx
  const l = ctx.locale
  const r = data.report
  const base = `/backoffice/cases/${caseId}`
  const versionField = <input type="hidden" name="version" value={String(version)} />
  const item = (label: string, value: JSX.Element | string) => (
    <div class="kern-description-list-item">
      <dt class="kern-description-list-item__key" safe>
        {label}
      </dt>
      <dd class="kern-description-list-item__value">{value}</dd>
    </div>
  )
  const hasPlace = r.lat !== null && r.lon !== null
  return (
    <section class="stack" aria-labelledby="report-title" id="report">
      <h2 class="kern-heading-medium" id="report-title">
        {t('reports.case.title')}
      </h2>
      <dl class="kern-description-list">
        {item(
          t.text('reports.form.category'),
          <>
            <span safe>{data.category?.name[l] ?? r.category_code}</span>{' '}
            {r.category_confirmed_at ? (
              <span class="kern-badge kern-badge--success">{t('reports.case.confirmed')}</span>
            ) : (
              <span class="kern-badge kern-badge--warning">{t('reports.case.unconfirmed')}</span>
            )}
          </>,
        )}
        {item(
          t.text('reports.form.place'),
          <>
            {r.address ? <span safe>{r.address}</span> : ''}
            {hasPlace ? (
              <>
                {' '}
                {r.address ? <br /> : ''}
                <a
                  class="kern-link"
                  href={`https://www.openstreetmap.org/?mlat=${r.lat}&mlon=${r.lon}#map=19/${r.lat}/${r.lon}`}
                  safe
                >{`${r.lat}, ${r.lon}`}</a>
              </>
            ) : (
              ''
            )}
            {!r.address && !hasPlace ? '–' : ''}
          </>,
        )}
        {item(
          t.text('reports.case.sensitive'),
          <span>{t(r.sensitive ? 'reports.case.sensitiveYes' : 'reports.case.sensitiveNo')}</span>,
        )}
        {item(
          t.text('reports.case.contact'),
          r.contact_name || r.contact_email || r.contact_phone ? (
            <span safe>{[r.contact_name, r.contact_email, r.contact_phone].filter(Boolean).join(' · ')}</span>
          ) : (
            <span>{t(r.account_id ? 'reports.case.contactAccount' : 'reports.case.anonymous')}</span>
          ),
        )}
        {item(
          t.text('reports.case.source'),
          <span>{t(r.source === 'open311' ? 'reports.case.sourceOpen311' : 'reports.case.sourceWeb')}</span>,
        )}
        {item(t.text('reports.case.followers'), <span safe>{String(data.followers)}</span>)}
        {item(
          t.text('reports.case.public'),
          <a class="kern-link" href={`/maengel/${reference}`}>
            {t('reports.case.publicLink')}
          </a>,
        )}
      </dl>
      <div class="stack">
        <h3 class="kern-heading-small">{t('reports.case.photos')}</h3>
        {data.photos.length === 0 ? (
          <p class="kern-body">{t('reports.case.noPhotos')}</p>
        ) : (
          <>
            <ul class="kern-list report-photos">
              {data.photos.map(p => (
                <li>
                  <a class="kern-link" href={`${base}/files/${p.fileId}`}>
                    {t('reports.case.photoLink', { n: p.position })}
                  </a>
                </li>
              ))}
            </ul>
            <p class="kern-body">
              {r.photos_reviewed_at
                ? t('reports.case.photosPublic', { date: formatDateTime(r.photos_reviewed_at, l) })
                : t('reports.case.photosPrivate')}
              {r.photo_metadata_kept ? <> {t('reports.case.metadataKept')}</> : ''}
            </p>
            {data.canAct && !r.sensitive ? (
              <form method="post" action={`${base}/report/photos`}>
                <CsrfField ctx={ctx} />
                {versionField}
                <input type="hidden" name="publish" value={r.photos_reviewed_at ? 'no' : 'yes'} />
                <SubmitButton
                  label={t.text(r.photos_reviewed_at ? 'reports.case.withdrawPhotos' : 'reports.case.publishPhotos')}
                  variant="secondary"
                />
              </form>
            ) : (
              ''
            )}
          </>
        )}
      </div>
      {data.canAct ? (
        <form method="post" action={`${base}/report/category`} class="stack" id="report-category-form">
          <CsrfField ctx={ctx} />
          {versionField}
          <CategorySelect
            id="categoryCode"
            categories={data.categories}
            selected={r.category_code}
            t={t}
            hint={t.text('reports.case.categoryHint')}
            placeholder={t.text('reports.form.categoryPlaceholder')}
          />
          <div class="form-actions">
            <SubmitButton
              label={t.text('reports.case.changeCategory')}
              variant="secondary"
              name="action"
              value="change"
            />
            {r.category_confirmed_at ? (
              ''
            ) : (
              <SubmitButton
                label={t.text('reports.case.confirmCategory')}
                variant="tertiary"
                name="action"
                value="confirm"
              />
            )}
          </div>
        </form>
      ) : (
        ''
      )}
    </section>
  )
}
