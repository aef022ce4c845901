import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  CsrfField,
  ErrorSummary,
  SubmitButton,
  TextInput,
  type FieldError,
} from '../../../platform/views/components.js'
import { AdminTabs } from '../../staff/index.js'
import { ExportTable, type ExportView } from './privacy.js'

/** For a request received on paper: a platform admin prepares the person's export and hands it over. */
export function BackofficePrivacyPage({
  ctx,
  email,
  errors,
  exports,
  now,
}: {
  ctx: PageContext
  email: string
  errors: FieldError[]
  exports: (ExportView & { email: string })[]
  now: Date
}) {
  const { t } = ctx
  return (
    <Layout
      ctx={ctx}
      title={
        errors.length
          ? `${t.text('accounts.errorPrefix')} ${t.text('privacy.backoffice.title')}`
          : t.text('privacy.backoffice.title')
      }
      area="backoffice"
    >
      <div class="stack">
        <ErrorSummary ctx={ctx} errors={errors} />
        <h1 class="kern-heading-large">{t('privacy.backoffice.title')}</h1>
        <AdminTabs ctx={ctx} current="privacy" />
        <p class="kern-body">{t('privacy.backoffice.intro', { days: 7 })}</p>
        <form method="post" action="/backoffice/admin/privacy/exports" novalidate class="stack">
          <CsrfField ctx={ctx} />
          <TextInput
            id="email"
            type="email"
            label={t.text('privacy.backoffice.email')}
            hint={t.text('privacy.backoffice.emailHint')}
            value={email}
            error={errors.find(e => e.fieldId === 'email')?.message}
            autocomplete="off"
            required
          />
          <div class="form-actions">
            <SubmitButton label={t.text('privacy.backoffice.submit')} />
          </div>
        </form>
        {exports.length ? (
          <ExportTable ctx={ctx} exports={exports} now={now} base="/backoffice/admin/privacy/exports" />
        ) : (
          ''
        )}
      </div>
    </Layout>
  )
}
