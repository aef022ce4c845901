import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { ErrorSummary, StatusBadge, SubmitButton } from '../../../platform/views/components.js'
import { formatDate, type Translate } from '../../../platform/i18n/i18n.js'
import type { SearchEntry, SearchOutcome } from '../cases.search.js'
import { SEARCH_MAX_CHARS, SEARCH_MAX_TERMS, SEARCH_MIN_CHARS } from '../cases.search.js'
import { SEARCH_LIMIT } from '../cases.search.queries.js'

/** The search form; on the search page and above the inbox. */
export function CaseSearchForm({ t, query, error }: { t: Translate; query: string; error?: string }) {
  return (
    <form method="get" action="/backoffice/search" role="search" class="stack">
      <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
        <label class="kern-label" for="q">
          {t('cases.search.label')}
        </label>
        <div class="kern-hint" id="q-hint">
          {t('cases.search.hint', { min: SEARCH_MIN_CHARS })}
        </div>
        {error ? (
          <p class="kern-error" id="q-error" role="alert">
            <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
            <span class="kern-body" safe>
              {error}
            </span>
          </p>
        ) : (
          ''
        )}
        <input
          class={`kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`}
          id="q"
          name="q"
          type="search"
          value={query}
          maxlength={String(SEARCH_MAX_CHARS)}
          aria-describedby={error ? 'q-hint q-error' : 'q-hint'}
          aria-invalid={error ? 'true' : undefined}
        />
      </div>
      <div class="form-actions">
        <SubmitButton label={t.text('cases.search.submit')} variant="secondary" />
      </div>
    </form>
  )
}

export function SearchPage({
  ctx,
  query,
  outcome,
  officeName,
}: {
  ctx: PageContext
  query: string
  outcome: SearchOutcome
  officeName: (id: string) => string
}) {
  const { t } = ctx
  const error =
    outcome.kind === 'problem'
      ? t.text(`cases.search.error.${outcome.problem}`, {
          min: SEARCH_MIN_CHARS,
          max: SEARCH_MAX_CHARS,
          terms: SEARCH_MAX_TERMS,
        })
      : undefined
  const title = `${error ? `${t.text('staff.login.errorPrefix')} ` : ''}${t.text('cases.search.title')}`
  return (
    <Layout ctx={ctx} title={title} area="backoffice">
      <div class="stack">
        <ErrorSummary ctx={ctx} errors={error ? [{ fieldId: 'q', message: error }] : []} />
        <h1 class="kern-heading-large">{t('cases.search.title')}</h1>
        <CaseSearchForm t={t} query={query.slice(0, SEARCH_MAX_CHARS)} error={error} />
        {outcome.kind === 'results' ? <SearchResults outcome={outcome} t={t} officeName={officeName} /> : ''}
      </div>
    </Layout>
  )
}

function SearchResults({
  outcome,
  t,
  officeName,
}: {
  outcome: Extract<SearchOutcome, { kind: 'results' }>
  t: Translate
  officeName: (id: string) => string
}) {
  if (outcome.entries.length === 0)
    return (
      <p class="kern-body" role="status">
        {t('cases.search.none')}
      </p>
    )
  const count = outcome.more
    ? t.text('cases.search.more', { limit: SEARCH_LIMIT })
    : t.text('cases.search.count', { count: outcome.entries.length })
  return (
    <section class="stack" aria-labelledby="search-results">
      <h2 class="kern-heading-medium" id="search-results">
        {t('cases.search.results')}
      </h2>
      <p class="kern-body" role="status" safe>
        {count}
      </p>
      <div class="kern-table-responsive">
        <table class="kern-table">
          <caption class="kern-sr-only">{t('cases.search.results')}</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <th class="kern-table__header" scope="col">
                {t('cases.inbox.col.reference')}
              </th>
              <th class="kern-table__header" scope="col">
                {t('cases.inbox.col.service')}
              </th>
              <th class="kern-table__header" scope="col">
                {t('cases.inbox.col.applicant')}
              </th>
              <th class="kern-table__header" scope="col">
                {t('cases.inbox.col.status')}
              </th>
              <th class="kern-table__header" scope="col">
                {t('cases.search.col.received')}
              </th>
              <th class="kern-table__header" scope="col">
                {t('cases.search.col.office')}
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {outcome.entries.map(row => (
              <SearchRowView row={row} t={t} officeName={officeName} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

function SearchRowView({ row, t, officeName }: { row: SearchEntry; t: Translate; officeName: (id: string) => string }) {
  return (
    <tr class="kern-table__row">
      <td class="kern-table__cell">
        <a class="kern-link" href={`/backoffice/cases/${row.id}`} safe>
          {row.reference}
        </a>
        {row.exactReference ? (
          <>
            {' '}
            <span class="kern-badge kern-badge--info">{t('cases.search.exact')}</span>
          </>
        ) : (
          ''
        )}
      </td>
      <td class="kern-table__cell" safe>
        {row.serviceTitle}
      </td>
      <td class="kern-table__cell" safe>
        {row.applicantName}
      </td>
      <td class="kern-table__cell">
        <StatusBadge label={row.statusLabel} outcome={row.outcome} />
      </td>
      <td class="kern-table__cell" safe>
        {formatDate(row.submittedAt, t.locale)}
      </td>
      <td class="kern-table__cell" safe>
        {officeName(row.officeId)}
      </td>
    </tr>
  )
}
