import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { BackLink, SubmitButton, DescriptionItem } from '../../../platform/views/components.js'
import { formatDate, formatDateTime, type Translate } from '../../../platform/i18n/i18n.js'
import { FILE_PROCESSES } from '../efile.kinds.js'
import type { Author, CaseFileReading, FileDocument, FileVersion } from '../efile.read.js'
import type { SearchHit } from '../efile.queries.js'
import { highlightSnippet } from './highlight.js'

export interface CaseFilePageProps {
  ctx: PageContext
  file: CaseFileReading
  serviceTitle: string
  officeName: string
}

const kb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`

export function authorLabel(author: Author, t: Translate): string {
  return author.kind === 'staff'
    ? author.name
    : author.kind === 'applicant'
      ? t.text('efile.author.applicant')
      : t.text('efile.author.system')
}

/** The electronic case file: documents by process, each with its versions, a full-text search, and the export. */
export function CaseFilePage({ ctx, file, serviceTitle, officeName }: CaseFilePageProps) {
  const { t } = ctx
  const l = ctx.locale
  const c = file.record
  const base = `/backoffice/cases/${c.id}/file`
  const versionCount = file.documents.reduce((n, d) => n + d.versions.length, 0)
  return (
    <Layout
      ctx={ctx}
      title={`${file.query ? `${t.text('efile.search.resultsTitle')}: ` : ''}${t.text('efile.page.title', { reference: c.reference })}`}
      area="backoffice"
    >
      <BackLink
        href={`/backoffice/cases/${c.id}`}
        label={t.text('efile.page.backToCase', { reference: c.reference })}
      />
      <div class="stack">
        <hgroup class="kern-hgroup">
          <p class="kern-preline" safe>
            {serviceTitle}
          </p>
          <h1 class="kern-heading-large" safe>
            {t.text('efile.page.title', { reference: c.reference })}
          </h1>
        </hgroup>
        <dl class="kern-description-list">
          <DescriptionItem label={t.text('efile.page.office')} text={officeName} />
          <DescriptionItem label={t.text('efile.page.submitted')} text={formatDateTime(c.submittedAt, l)} />
          <DescriptionItem
            label={t.text('efile.page.retainUntil')}
            text={file.retainUntil ? formatDate(file.retainUntil, l) : '–'}
          />
          <DescriptionItem
            label={t.text('efile.page.documents')}
            text={t.text('efile.page.documentCount', { documents: file.documents.length, versions: versionCount })}
          />
        </dl>
        <p class="kern-body">{t('efile.page.retentionHint')}</p>
        {file.inCaseOffice ? (
          <p class="kern-body">
            <a class="kern-link" href={`${base}/export`}>
              {t('efile.export.link')}
            </a>{' '}
            <span class="kern-hint">{t('efile.export.hint')}</span>
          </p>
        ) : (
          <p class="kern-body">{t('efile.page.readOnly')}</p>
        )}

        <section class="stack" aria-labelledby="search-title">
          <h2 class="kern-heading-medium" id="search-title">
            {t('efile.search.title')}
          </h2>
          <form method="get" action={base} role="search" class="stack">
            <div class="kern-form-input">
              <label class="kern-label" for="q">
                {t('efile.search.label')}
              </label>
              <div class="kern-hint" id="q-hint">
                {t('efile.search.hint')}
              </div>
              <input
                class="kern-form-input__input"
                id="q"
                name="q"
                type="search"
                value={file.query}
                maxlength="200"
                aria-describedby="q-hint"
              />
            </div>
            <SubmitButton label={t.text('efile.search.submit')} variant="secondary" />
          </form>
          {file.hits ? <SearchResults hits={file.hits} query={file.query} t={t} /> : ''}
        </section>

        {file.documents.length === 0 ? <p class="kern-body">{t('efile.page.empty')}</p> : ''}
        {FILE_PROCESSES.map(process => {
          const documents = file.documents.filter(d => d.process === process)
          if (documents.length === 0) return ''
          return (
            <section class="stack" aria-labelledby={`process-${process}`}>
              <h2 class="kern-heading-medium" id={`process-${process}`}>
                {t(`efile.process.${process}`)}
              </h2>
              {documents.map(doc => (
                <DocumentEntry doc={doc} base={base} t={t} canEdit={file.inCaseOffice && doc.kind === 'note'} />
              ))}
            </section>
          )
        })}
      </div>
    </Layout>
  )
}

function SearchResults({ hits, query, t }: { hits: SearchHit[]; query: string; t: Translate }) {
  return (
    <div class="stack">
      <h3 class="kern-heading-small">{t('efile.search.resultsTitle')}</h3>
      <p class="kern-body">
        {hits.length === 0 ? t('efile.search.none', { query }) : t('efile.search.count', { count: hits.length, query })}
      </p>
      {hits.length ? (
        <ol class="kern-list efile-hits">
          {hits.map(hit => {
            const safeSnippet = highlightSnippet(hit.headline)
            return (
              <li>
                <a class="kern-link" href={`#doc-${hit.documentId}`} safe>
                  {hit.title}
                </a>{' '}
                <span class="kern-badge kern-badge--info">{t(`efile.kind.${hit.kind}`)}</span>{' '}
                <span class="kern-hint">
                  {t(hit.version === hit.currentVersion ? 'efile.version' : 'efile.versionOlder', {
                    version: hit.version,
                  })}
                </span>
                <p class="kern-body efile-snippet">{safeSnippet}</p>
              </li>
            )
          })}
        </ol>
      ) : (
        ''
      )}
    </div>
  )
}

function VersionMeta({ version, t }: { version: FileVersion; t: Translate }) {
  return (
    <span
      class="kern-hint"
      safe
    >{`${t.text('efile.version', { version: version.version })} · ${authorLabel(version.createdBy, t)} · ${formatDateTime(version.createdAt, t.locale)}`}</span>
  )
}

function VersionContent({
  version,
  docId,
  base,
  t,
}: {
  version: FileVersion
  docId: string
  base: string
  t: Translate
}) {
  return (
    <>
      {version.text !== null ? (
        <p class="kern-body preserve-lines" safe>
          {version.text}
        </p>
      ) : (
        ''
      )}
      {version.file ? (
        <p class="kern-body">
          <a class="kern-link" href={`${base}/documents/${docId}/versions/${version.version}`} safe>
            {version.file.filename}
          </a>{' '}
          <span class="kern-hint" safe>{`${kb(version.file.sizeBytes)} · ${version.file.mediaType}`}</span>
          {version.file.mediaType === 'application/pdf' ? (
            <>
              {' '}
              <span class="kern-hint">
                {t(
                  version.textFound === null
                    ? 'efile.extract.pending'
                    : version.textFound
                      ? 'efile.extract.found'
                      : 'efile.extract.none',
                )}
              </span>
            </>
          ) : (
            <>
              {' '}
              <span class="kern-hint">{t('efile.extract.noOcr')}</span>
            </>
          )}
        </p>
      ) : (
        ''
      )}
    </>
  )
}

function DocumentEntry({ doc, base, t, canEdit }: { doc: FileDocument; base: string; t: Translate; canEdit: boolean }) {
  const current = doc.versions[doc.versions.length - 1]!
  const earlier = doc.versions.slice(0, -1).reverse()
  return (
    <article class="kern-card" id={`doc-${doc.id}`} aria-labelledby={`doc-${doc.id}-title`}>
      <div class="kern-card__container">
        <div class="kern-card__header">
          <h3 class="kern-title" id={`doc-${doc.id}-title`} safe>
            {doc.title}
          </h3>
          <p class="kern-body">
            <span class="kern-badge kern-badge--info">{t(`efile.kind.${doc.kind}`)}</span>{' '}
            <VersionMeta version={current} t={t} />
            {doc.versions.length > 1 ? (
              <>
                {' '}
                <span class="kern-hint">{t('efile.versionsCount', { count: doc.versions.length })}</span>
              </>
            ) : (
              ''
            )}
          </p>
        </div>
        <div class="kern-card__body">
          <VersionContent version={current} docId={doc.id} base={base} t={t} />
          {canEdit ? (
            <p class="kern-body">
              <a class="kern-link" href={`${base}/documents/${doc.id}/edit`}>
                {t('efile.note.editLink', { title: doc.title })}
              </a>
            </p>
          ) : (
            ''
          )}
          {earlier.length ? (
            <details class="kern-accordion">
              <summary class="kern-accordion__header">
                <span class="kern-title">{t('efile.history', { count: earlier.length })}</span>
              </summary>
              <section class="kern-accordion__body">
                <ul class="kern-list">
                  {earlier.map(v => (
                    <li>
                      <VersionMeta version={v} t={t} />
                      <VersionContent version={v} docId={doc.id} base={base} t={t} />
                    </li>
                  ))}
                </ul>
              </section>
            </details>
          ) : (
            ''
          )}
        </div>
      </div>
    </article>
  )
}
