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
import type { AccountKind } from '../../../platform/db/schema.js'
import type { ProfileInput } from '../accounts.validate.js'
import { errorFor, optionalLabel, titleOf } from './form-parts.js'

export function ProfilePage({
  ctx,
  kind,
  email,
  values,
  errors,
  saved,
}: {
  ctx: PageContext
  kind: AccountKind
  email: string
  values: ProfileInput
  errors: FieldError[]
  saved: boolean
}) {
  const { t } = ctx
  const input = (
    id: keyof ProfileInput,
    extra: { type?: string; autocomplete?: string; inputmode?: string; hint?: string } = {},
  ) => (
    <TextInput
      id={id}
      label={id === 'companyName' ? t.text(`accounts.field.${id}`) : optionalLabel(t, `accounts.field.${id}`)}
      value={values[id]}
      error={errorFor(errors, id)}
      {...extra}
    />
  )
  return (
    <Layout ctx={ctx} title={titleOf(t, 'accounts.profile.title', errors)}>
      {saved && errors.length === 0 ? <Alert kind="success" title={t.text('accounts.profile.saved')} /> : ''}
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action="/account/profile" novalidate class="stack">
        <CsrfField ctx={ctx} />
        <h1 class="kern-heading-large">{t('accounts.profile.title')}</h1>
        <p class="kern-body">{t('accounts.profile.intro')}</p>
        <dl class="kern-description-list">
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{t('accounts.field.email')}</dt>
            <dd class="kern-description-list-item__value" safe>
              {email}
            </dd>
          </div>
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{t('accounts.profile.kind')}</dt>
            <dd class="kern-description-list-item__value">
              {kind === 'business' ? t('accounts.register.kindBusiness') : t('accounts.register.kindCitizen')}
            </dd>
          </div>
        </dl>
        {kind === 'business' ? input('companyName', { autocomplete: 'organization' }) : ''}
        {input('givenName', { autocomplete: 'given-name' })}
        {input('familyName', { autocomplete: 'family-name' })}
        {input('birthDate', { type: 'date', autocomplete: 'bday', hint: t.text('accounts.field.birthDateHint') })}
        <h2 class="kern-heading-medium">{t('accounts.profile.address')}</h2>
        <div class="address-group">
          {input('street', { autocomplete: 'address-line1' })}
          {input('houseNumber')}
        </div>
        <div class="address-group">
          {input('postalCode', {
            autocomplete: 'postal-code',
            inputmode: 'numeric',
            hint: t.text('accounts.field.postalCodeHint'),
          })}
          {input('city', { autocomplete: 'address-level2' })}
        </div>
        {input('phone', { type: 'tel', autocomplete: 'tel' })}
        <div class="form-actions">
          <SubmitButton label={t.text('accounts.profile.submit')} />
        </div>
      </form>
      <p class="kern-body">
        <a class="kern-link" href="/account/privacy">
          {t('accounts.profile.myData')}
        </a>
      </p>
    </Layout>
  )
}
