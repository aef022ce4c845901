import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert, SubmitButton } from '../../../platform/views/components.js'

/** The demo directory's sign-in: pick a person (development only; the real directory asks for a password). */
export function DirectoryDemoPage({
  ctx,
  uid,
  users,
  prefix,
}: {
  ctx: PageContext
  uid: string
  users: { sub: string; name: string; email: string; groups: string[]; amr: string[] }[]
  prefix: string
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('staff.directory.demo.title')} area="backoffice">
      <h1 class="kern-heading-large">{t('staff.directory.demo.title')}</h1>
      <Alert kind="warning" title={t.text('staff.directory.demo.warningTitle')}>
        <p class="kern-body">{t('staff.directory.demo.warning')}</p>
      </Alert>
      <p class="kern-body">{t('staff.directory.demo.intro')}</p>
      <ul class="stack">
        {users.map(user => (
          <li>
            <form method="post" action={`${prefix}/interaction/${encodeURIComponent(uid)}`} class="stack">
              <p class="kern-body">
                <strong safe>{user.name}</strong> (<span safe>{user.email}</span>)
                <br />
                {t('staff.directory.demo.groups')} <span safe>{user.groups.join(', ')}</span>
                <br />
                {user.amr.includes('mfa') ? t('staff.directory.demo.withMfa') : t('staff.directory.demo.withoutMfa')}
              </p>
              <input type="hidden" name="user" value={user.sub} />
              <SubmitButton label={t.text('staff.directory.demo.signInAs', { name: user.name })} variant="secondary" />
            </form>
          </li>
        ))}
      </ul>
    </Layout>
  )
}
