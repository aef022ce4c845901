import { Layout } from './layout.js'
import type { PageContext } from './page-context.js'

export function ErrorPage({ ctx, status, message }: { ctx: PageContext; status: number; message: string }) {
  const title = ctx.t.text(
    status === 404
      ? 'errors.title.notFound'
      : status === 403
        ? 'errors.title.forbidden'
        : status === 429
          ? 'errors.title.tooManyRequests'
          : status >= 500
            ? 'errors.title.internal'
            : 'errors.title.badRequest',
  )
  return (
    <Layout ctx={ctx} title={title} area={ctx.path.startsWith('/backoffice') ? 'backoffice' : 'portal'}>
      <h1 class="kern-heading-large" safe>
        {title}
      </h1>
      <p class="kern-body" safe>
        {message}
      </p>
      <p class="kern-body">
        <a class="kern-link" href="/">
          {ctx.t('errors.backHome')}
        </a>
      </p>
    </Layout>
  )
}
