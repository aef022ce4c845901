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
import { formatDate } from '../../../platform/i18n/i18n.js'
import type { ProfileInput } from '../accounts.validate.js'
import { errorFor, optionalLabel, titleOf } from './form-parts.js'

/** Which profile fields a provider confirmed: its name (in the reader's language) and when. */
export type VerifiedMarks = Partial<Record<string, { provider: string; at: string }>>

export function ProfilePage({
  ctx,
  kind,
  email,
  values,
  verified = {},
  errors,
  saved,
}: {
  ctx: PageContext
  kind: AccountKind
  email: string
  values: ProfileInput
  verified?: VerifiedMarks
  errors: FieldError[]
  saved: boolean
}) {
  const { t } = ctx
  const day = (iso: string) => formatDate(iso, ctx.locale)
  const input = (
    id: keyof ProfileInput,
    extra: { type?: string; autocomplete?: string; inputmode?: string; hint?: string } = {},
  ) => {
    const by = verified[id]
    // Confirmed by a provider: shown, not editable (the form sends nothing for it).
    if (by)
      return (
        <div class="kern-form-input verified-field" id={id}>
          <p class="kern-label">{t(`accounts.field.${id}`)}</p>
          <p class="kern-body" safe>
            {id === 'birthDate' && values[id] ? formatDate(values[id], ctx.locale) : values[id]}
          </p>
          <p class="kern-hint">
            <span class="kern-icon kern-icon--success kern-icon--small" aria-hidden="true"></span>{' '}
            {t('accounts.profile.verifiedBy', { provider: by.provider, date: day(by.at) })}
          </p>
        </div>
      )
    const selfEntered = values[id] ? t.text('accounts.profile.selfEntered') : undefined
    return (
      <TextInput
        id={id}
        label={id === 'companyName' ? t.text(`accounts.field.${id}`) : optionalLabel(t, `accounts.field.${id}`)}
        value={values[id]}
        error={errorFor(errors, id)}
        {...extra}
        hint={[extra.hint, selfEntered].filter(Boolean).join(' ') || undefined}
      />
    )
  }
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
        <a class="kern-link" href="/account/identities">
          {t('accounts.profile.identities')}
        </a>
      </p>
      <p class="kern-body">
        <a class="kern-link" href="/account/privacy">
          {t('accounts.profile.myData')}
        </a>
      </p>
    </Layout>
  )
}
