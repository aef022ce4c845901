import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  Alert,
  CsrfField,
  ErrorSummary,
  SubmitButton,
  TextInput,
  type FieldError,
} from '../../../platform/views/components.js'
import { formatDateTime, type Translate } from '../../../platform/i18n/i18n.js'
import { AdminTabs } from '../../staff/index.js'
import type { ApiKeyRow } from '../open311.keys.js'

export type ApiKeyNotice = 'revoked'
export interface ApiKeysPageProps {
  ctx: PageContext
  keys: ApiKeyRow[]
  /** A key just made: shown this once, never again. */
  created?: { name: string; key: string }
  form?: { name: string; errors: FieldError[] }
  notice?: ApiKeyNotice
}

/** Keys of the Open311 clients (apps reporting defects into the city): create (the key is shown once), list, revoke. */
export function ApiKeysAdminPage({ ctx, keys, created, form, notice }: ApiKeysPageProps) {
  const { t } = ctx
  const errors = form?.errors ?? []
  const title = `${errors.length ? `${t.text('staff.login.errorPrefix')} ` : ''}${t.text('staff.admin.apiKeys.title')}`
  return (
    <Layout ctx={ctx} title={title} area="backoffice">
      <div class="stack">
        <ErrorSummary ctx={ctx} errors={errors} />
        {notice ? <Alert kind="success" title={t.text(`staff.admin.apiKeys.notice.${notice}`)} /> : ''}
        {created ? <CreatedKey t={t} created={created} /> : ''}
        <h1 class="kern-heading-large">{t('staff.admin.apiKeys.title')}</h1>
        <AdminTabs ctx={ctx} current="apiKeys" />
        <p class="kern-body">{t('staff.admin.apiKeys.intro')}</p>
        <section class="stack" aria-labelledby="api-keys-list-title">
          <h2 class="kern-heading-medium" id="api-keys-list-title">
            {t('staff.admin.apiKeys.list.title')}
          </h2>
          {keys.length === 0 ? (
            <p class="kern-body">{t('staff.admin.apiKeys.list.empty')}</p>
          ) : (
            <KeysTable ctx={ctx} keys={keys} />
          )}
        </section>
        <section class="stack" aria-labelledby="new-api-key-title">
          <h2 class="kern-heading-medium" id="new-api-key-title">
            {t('staff.admin.apiKeys.create.title')}
          </h2>
          <form method="post" action="/backoffice/admin/api-keys" novalidate class="stack">
            <CsrfField ctx={ctx} />
            <TextInput
              id="name"
              label={t.text('staff.admin.apiKeys.create.name')}
              hint={t.text('staff.admin.apiKeys.create.nameHint')}
              value={form?.name}
              error={errors.find(e => e.fieldId === 'name')?.message}
              autocomplete="off"
              required
            />
            <div class="form-actions">
              <SubmitButton label={t.text('staff.admin.apiKeys.create.submit')} />
            </div>
          </form>
        </section>
      </div>
    </Layout>
  )
}

function CreatedKey({ t, created }: { t: Translate; created: { name: string; key: string } }) {
  return (
    <Alert kind="success" title={t.text('staff.admin.apiKeys.created.title', { name: created.name })}>
      <div class="stack">
        <p class="kern-body">{t('staff.admin.apiKeys.created.once')}</p>
        <div class="kern-form-input">
          <label class="kern-label" for="new-api-key">
            {t('staff.admin.apiKeys.created.label')}
          </label>
          <input
            class="kern-form-input__input"
            id="new-api-key"
            type="text"
            readonly
            value={created.key}
            autocomplete="off"
            spellcheck="false"
          />
        </div>
      </div>
    </Alert>
  )
}

function KeysTable({ ctx, keys }: { ctx: PageContext; keys: ApiKeyRow[] }) {
  const { t } = ctx
  const when = (value: Date | null) => (value ? formatDateTime(value, t.locale) : '–')
  return (
    <div class="kern-table-responsive">
      <table class="kern-table">
        <caption class="kern-sr-only">{t('staff.admin.apiKeys.list.title')}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th class="kern-table__header" scope="col">
              {t('staff.admin.apiKeys.col.name')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('staff.admin.apiKeys.col.key')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('staff.admin.apiKeys.col.created')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('staff.admin.apiKeys.col.lastUsed')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('staff.admin.apiKeys.col.status')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('staff.admin.apiKeys.col.action')}
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {keys.map(key => (
            <tr class="kern-table__row">
              <th class="kern-table__cell" scope="row" safe>
                {key.name}
              </th>
              <td class="kern-table__cell">
                <code class="kern-body" safe>{`${key.keyPrefix}…`}</code>
              </td>
              <td class="kern-table__cell">
                <span safe>{when(key.createdAt)}</span>
                {key.createdByName ? (
                  <>
                    <br />
                    <span class="kern-hint" safe>
                      {key.createdByName}
                    </span>
                  </>
                ) : (
                  ''
                )}
              </td>
              <td class="kern-table__cell" safe>
                {when(key.lastUsedAt)}
              </td>
              <td class="kern-table__cell">
                {key.revokedAt ? (
                  <span class="kern-badge kern-badge--warning" safe>
                    {t.text('staff.admin.apiKeys.status.revoked', { when: when(key.revokedAt) })}
                  </span>
                ) : (
                  <span class="kern-badge kern-badge--success">{t('staff.admin.apiKeys.status.active')}</span>
                )}
              </td>
              <td class="kern-table__cell">
                {key.revokedAt ? (
                  '–'
                ) : (
                  <form method="post" action={`/backoffice/admin/api-keys/${key.id}/revoke`} class="inline-form">
                    <CsrfField ctx={ctx} />
                    <button
                      type="submit"
                      class="kern-btn kern-btn--secondary kern-btn--x-small"
                      aria-label={t.text('staff.admin.apiKeys.revokeKey', { name: key.name })}
                    >
                      <span class="kern-label">{t('staff.admin.apiKeys.revoke')}</span>
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
