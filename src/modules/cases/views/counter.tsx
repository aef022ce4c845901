import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { CsrfField, SubmitButton } from '../../../platform/views/components.js'
import type { ServiceDefinition } from '../../catalogue/index.js'

/** Filing an application for a person at the counter: pick the service, the applications module does the rest. */
export function CounterPage({ ctx, services }: { ctx: PageContext; services: ServiceDefinition[] }) {
  const { t } = ctx
  const l = ctx.locale
  return (
    <Layout ctx={ctx} title={t.text('cases.counter.title')} area="backoffice">
      <div class="stack">
        <h1 class="kern-heading-large">{t('cases.counter.title')}</h1>
        <p class="kern-body">{t('cases.counter.intro')}</p>
        {services.length === 0 ? (
          <p class="kern-body">{t('cases.counter.empty')}</p>
        ) : (
          <ul class="kern-list">
            {services.map(s => (
              <li>
                <form method="post" action={`/services/${s.id}/applications`} class="counter-service">
                  <CsrfField ctx={ctx} />
                  <span class="kern-body" safe>
                    {s.title[l]}
                  </span>{' '}
                  <SubmitButton label={t.text('cases.counter.start')} variant="secondary" />
                </form>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Layout>
  )
}
