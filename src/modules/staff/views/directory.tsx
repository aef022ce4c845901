import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert } from '../../../platform/views/components.js'

/** The problems a directory sign-in can end in; each has a title and a text in staff.directory.problem.*. */
export const DIRECTORY_PROBLEMS = [
  'notConfigured',
  'unreachable',
  'badState',
  'expired',
  'cancelled',
  'rejected',
  'invalidToken',
  'noAccess',
  'noEmail',
  'breakGlassAccount',
] as const
export type DirectoryProblem = (typeof DIRECTORY_PROBLEMS)[number]

/** What went wrong with signing in through the directory, and what to do now. */
export function DirectoryProblemPage({ ctx, problem }: { ctx: PageContext; problem: DirectoryProblem }) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text(`staff.directory.problem.${problem}.title`)} area="backoffice">
      <Alert kind="danger" pageHeading title={t.text(`staff.directory.problem.${problem}.title`)}>
        <p class="kern-body">{t(`staff.directory.problem.${problem}.body`)}</p>
      </Alert>
      <p class="kern-body">
        <a class="kern-link" href="/backoffice/login">
          {t('staff.directory.problem.backToLogin')}
        </a>
      </p>
    </Layout>
  )
}
