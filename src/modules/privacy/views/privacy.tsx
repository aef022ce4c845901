import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  Alert,
  BackLink,
  CsrfField,
  ErrorSummary,
  SubmitButton,
  TextInput,
} from '../../../platform/views/components.js'
import type { FieldError } from '../../../platform/views/components.js'
import { formatDateTime, type Translate } from '../../../platform/i18n/i18n.js'
import type { Consent } from '../../../platform/privacy/consents.js'
import type { PrivacyExportStatus } from '../../../platform/db/schema.js'

export interface ExportView {
  id: string
  status: PrivacyExportStatus
  requestedAt: Date
  expiresAt: Date | null
  sizeBytes: number | null
}

export type MyDataNotice = 'withdrawn' | 'given'

/** "Meine Daten": the copy of one's data, the consents given, and the way to delete the account. */
export function MyDataPage({
  ctx,
  exports,
  consents,
  notice,
  now,
}: {
  ctx: PageContext
  exports: ExportView[]
  consents: Consent[]
  notice?: MyDataNotice
  now: Date
}) {
  const { t } = ctx
  const emailNoticesActive = consents.some(c => c.kind === 'email-notices' && !c.withdrawnAt)
  return (
    <Layout ctx={ctx} title={t.text('privacy.page.title')}>
      <div class="stack">
        {notice ? <Alert kind="success" title={t.text(`privacy.notice.${notice}`)} /> : ''}
        <h1 class="kern-heading-large">{t('privacy.page.title')}</h1>
        <p class="kern-body">{t('privacy.page.intro')}</p>

        <h2 class="kern-heading-medium">{t('privacy.export.heading')}</h2>
        <p class="kern-body">{t('privacy.export.intro', { days: 7 })}</p>
        <form method="post" action="/account/privacy/exports" class="stack">
          <CsrfField ctx={ctx} />
          <SubmitButton label={t.text('privacy.export.request')} />
        </form>
        {exports.length ? <ExportTable ctx={ctx} exports={exports} now={now} base="/account/privacy/exports" /> : ''}

        <h2 class="kern-heading-medium">{t('privacy.consents.heading')}</h2>
        <p class="kern-body">{t('privacy.consents.intro')}</p>
        <ConsentTable ctx={ctx} consents={consents} />
        {emailNoticesActive ? (
          ''
        ) : (
          <form method="post" action="/account/privacy/consents/email-notices" class="stack">
            <CsrfField ctx={ctx} />
            <p class="kern-body">{t('privacy.consents.kind.email-notices.text')}</p>
            <SubmitButton label={t.text('privacy.consents.giveEmailNotices')} variant="secondary" />
          </form>
        )}

        <h2 class="kern-heading-medium">{t('privacy.delete.heading')}</h2>
        <p class="kern-body">{t('privacy.delete.teaser')}</p>
        <p class="kern-body">
          <a class="kern-link" href="/account/delete">
            {t('privacy.delete.link')}
          </a>
        </p>
      </div>
    </Layout>
  )
}

const statusLabel = (t: Translate, row: { status: PrivacyExportStatus }) =>
  t.text(`privacy.export.status.${row.status}`)

export function ExportTable({
  ctx,
  exports,
  now,
  base,
}: {
  ctx: PageContext
  exports: (ExportView & { email?: string })[]
  now: Date
  base: string
}) {
  const { t, locale } = ctx
  const withWhom = exports.some(e => e.email !== undefined)
  return (
    <div class="kern-table-responsive">
      <table class="kern-table">
        <caption class="kern-title">{t('privacy.export.tableCaption')}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th class="kern-table__header" scope="col">
              {t('privacy.export.col.requested')}
            </th>
            {withWhom ? (
              <th class="kern-table__header" scope="col">
                {t('privacy.export.col.account')}
              </th>
            ) : (
              ''
            )}
            <th class="kern-table__header" scope="col">
              {t('privacy.export.col.status')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('privacy.export.col.action')}
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {exports.map(row => (
            <tr class="kern-table__row">
              <td class="kern-table__cell" safe>
                {formatDateTime(row.requestedAt, locale)}
              </td>
              {withWhom ? (
                <td class="kern-table__cell" safe>
                  {row.email ?? ''}
                </td>
              ) : (
                ''
              )}
              <td class="kern-table__cell" safe>
                {statusLabel(t, row)}
              </td>
              <td class="kern-table__cell">
                {row.status === 'ready' && row.expiresAt && row.expiresAt > now ? (
                  <a class="kern-link" href={`${base}/${row.id}/download`}>
                    {t('privacy.export.download')}
                  </a>
                ) : row.status === 'queued' ? (
                  <a class="kern-link" href={`${base}/${row.id}`}>
                    {t('privacy.export.showProgress')}
                  </a>
                ) : (
                  ''
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function ConsentTable({ ctx, consents }: { ctx: PageContext; consents: Consent[] }) {
  const { t, locale } = ctx
  if (!consents.length) return <p class="kern-body">{t('privacy.consents.none')}</p>
  return (
    <div class="kern-table-responsive">
      <table class="kern-table">
        <caption class="kern-title">{t('privacy.consents.tableCaption')}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th class="kern-table__header" scope="col">
              {t('privacy.consents.col.kind')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('privacy.consents.col.given')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('privacy.consents.col.state')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('privacy.consents.col.action')}
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {consents.map(consent => (
            <tr class="kern-table__row">
              <td class="kern-table__cell">
                <span class="kern-body" safe>
                  {`${t.text(`privacy.consents.kind.${consent.kind}`)}${consent.subjectRef ? ` (${consent.subjectRef})` : ''}`}
                </span>
                <br />
                <span class="kern-hint" safe>
                  {`${t.text(`privacy.consents.kind.${consent.kind}.text`)} ${t.text('privacy.consents.version', { version: consent.textVersion })}`}
                </span>
              </td>
              <td class="kern-table__cell" safe>
                {formatDateTime(consent.givenAt, locale)}
              </td>
              <td class="kern-table__cell" safe>
                {consent.withdrawnAt
                  ? t.text('privacy.consents.withdrawnAt', { at: formatDateTime(consent.withdrawnAt, locale) })
                  : t.text('privacy.consents.active')}
              </td>
              <td class="kern-table__cell">
                {consent.withdrawnAt ? (
                  ''
                ) : (
                  <form method="post" action={`/account/privacy/consents/${consent.id}/withdraw`}>
                    <CsrfField ctx={ctx} />
                    <button type="submit" class="kern-btn kern-btn--secondary">
                      <span class="kern-label" safe>
                        {t.text('privacy.consents.withdraw')}
                      </span>
                      <span class="kern-sr-only" safe>
                        {` ${t.text(`privacy.consents.kind.${consent.kind}`)}${consent.subjectRef ? ` ${consent.subjectRef}` : ''}`}
                      </span>
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/**
 * The state of one export. Without JavaScript a link reloads it; public/privacy-progress.js reloads it by itself
 * while it is being prepared and announces the change.
 */
export function ExportProgressPage({
  ctx,
  row,
  now,
  base,
  back,
}: {
  ctx: PageContext
  row: ExportView
  now: Date
  base: string
  back: { href: string; label: string }
}) {
  const { t, locale } = ctx
  const downloadable = row.status === 'ready' && row.expiresAt && row.expiresAt > now
  return (
    <Layout
      ctx={ctx}
      title={t.text('privacy.progress.title')}
      area={base.startsWith('/backoffice') ? 'backoffice' : 'portal'}
    >
      <div class="stack">
        <BackLink href={back.href} label={back.label} />
        <h1 class="kern-heading-large">{t('privacy.progress.title')}</h1>
        <div id="export-state" data-export-status={row.status} aria-live="polite" class="stack">
          {row.status === 'queued' ? (
            <>
              <Alert kind="info" title={t.text('privacy.progress.queued')}>
                <p class="kern-body">{t('privacy.progress.queuedHint')}</p>
              </Alert>
              <p class="kern-body">
                <a class="kern-link" href={`${base}/${row.id}`}>
                  {t('privacy.progress.refresh')}
                </a>
              </p>
            </>
          ) : downloadable ? (
            <>
              <Alert kind="success" title={t.text('privacy.progress.ready')}>
                <p class="kern-body" safe>
                  {t.text('privacy.progress.readyHint', {
                    until: formatDateTime(row.expiresAt as Date, locale),
                    size: Math.max(1, Math.round((row.sizeBytes ?? 0) / 1024)),
                  })}
                </p>
              </Alert>
              <p class="kern-body">
                <a class="kern-btn kern-btn--primary" href={`${base}/${row.id}/download`}>
                  <span class="kern-label">{t('privacy.export.download')}</span>
                </a>
              </p>
            </>
          ) : (
            <Alert
              kind="warning"
              title={t.text(`privacy.progress.${row.status === 'failed' ? 'failed' : 'expired'}`)}
            />
          )}
        </div>
      </div>
      {row.status === 'queued' ? <script src="/assets/privacy-progress.js" defer></script> : ''}
    </Layout>
  )
}

/** Deleting the account: what goes, what stays and why, and the password once more. */
export function DeleteAccountPage({ ctx, errors }: { ctx: PageContext; errors: FieldError[] }) {
  const { t } = ctx
  return (
    <Layout
      ctx={ctx}
      title={
        errors.length
          ? `${t.text('accounts.errorPrefix')} ${t.text('privacy.delete.title')}`
          : t.text('privacy.delete.title')
      }
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action="/account/delete" novalidate class="stack">
        <CsrfField ctx={ctx} />
        <BackLink href="/account/privacy" label={t.text('privacy.page.title')} />
        <h1 class="kern-heading-large">{t('privacy.delete.title')}</h1>
        <p class="kern-body">{t('privacy.delete.intro')}</p>
        <h2 class="kern-heading-medium">{t('privacy.delete.goneHeading')}</h2>
        <ul class="kern-list">
          <li>{t('privacy.delete.gone.account')}</li>
          <li>{t('privacy.delete.gone.drafts')}</li>
          <li>{t('privacy.delete.gone.consents')}</li>
          <li>{t('privacy.delete.gone.sessions')}</li>
        </ul>
        <h2 class="kern-heading-medium">{t('privacy.delete.keptHeading')}</h2>
        <ul class="kern-list">
          <li>{t('privacy.delete.kept.cases')}</li>
          <li>{t('privacy.delete.kept.payments')}</li>
          <li>{t('privacy.delete.kept.log')}</li>
        </ul>
        <p class="kern-body">{t('privacy.delete.exportFirst')}</p>
        <TextInput
          id="password"
          type="password"
          label={t.text('privacy.delete.password')}
          hint={t.text('privacy.delete.passwordHint')}
          error={errors.find(e => e.fieldId === 'password')?.message}
          autocomplete="current-password"
          required
        />
        <div class="form-actions">
          <SubmitButton label={t.text('privacy.delete.submit')} />
        </div>
      </form>
    </Layout>
  )
}

export function AccountDeletedPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('privacy.deleted.title')}>
      <div class="stack">
        <Alert kind="success" title={t.text('privacy.deleted.title')} pageHeading>
          <p class="kern-body">{t('privacy.deleted.body')}</p>
        </Alert>
        <p class="kern-body">
          <a class="kern-link" href="/">
            {t('privacy.deleted.home')}
          </a>
        </p>
      </div>
    </Layout>
  )
}
