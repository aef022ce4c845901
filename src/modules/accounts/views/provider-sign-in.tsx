import type { PageContext } from '../../../platform/views/page-context.js'

/** A provider as a sign-in button (the identity module's providers, passed in by the composition root). */
export interface ProviderButton {
  id: string
  label: string
  href: string
  audience: 'citizen' | 'business'
}

/** "Mit … anmelden": the providers, for persons and for companies apart; nothing when none is configured. */
export function ProviderSignIn({ ctx, buttons }: { ctx: PageContext; buttons: ProviderButton[] }) {
  const { t } = ctx
  if (!buttons.length) return ''
  const groups = (['citizen', 'business'] as const)
    .map(audience => ({ audience, buttons: buttons.filter(b => b.audience === audience) }))
    .filter(group => group.buttons.length)
  return (
    <section class="stack provider-sign-in" aria-labelledby="provider-sign-in">
      <h2 class="kern-heading-medium" id="provider-sign-in">
        {t('accounts.providers.title')}
      </h2>
      <p class="kern-body">{t('accounts.providers.intro')}</p>
      {groups.map(group => (
        <div class="stack">
          <h3 class="kern-heading-small">{t(`accounts.providers.audience.${group.audience}`)}</h3>
          <ul class="kern-list provider-buttons">
            {group.buttons.map(button => (
              <li>
                <a class="kern-btn kern-btn--secondary" href={button.href}>
                  <span class="kern-label" safe>
                    {button.label}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  )
}
