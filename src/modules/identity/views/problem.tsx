import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert } from '../../../platform/views/components.js'

/**
 * What went wrong with a provider sign-in, in the person's language: each problem (identity.sign-in.ts and the
 * protocols' own: a bad token, a provider that is down) has a title and a text that says what to do now.
 */
export function IdentityProblemPage({ ctx, problem }: { ctx: PageContext; problem: string }) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text(`identity.problem.${problem}.title`)}>
      <Alert kind="danger" pageHeading title={t.text(`identity.problem.${problem}.title`)}>
        <p class="kern-body">{t(`identity.problem.${problem}.body`)}</p>
      </Alert>
      <p class="kern-body">
        <a class="kern-link" href="/login">
          {t('identity.problem.backToLogin')}
        </a>
      </p>
    </Layout>
  )
}
