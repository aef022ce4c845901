import { Layout } from '../../views/layout.js'
import type { PageContext } from '../../views/page-context.js'
import { BackLink } from '../../views/components.js'
import { formatDateTime } from '../../i18n/i18n.js'

export interface OutboxRow {
  id: string
  recipient: string
  subject: string
  createdAt: Date | string
  sentAt: Date | string | null
}
export interface MailView extends OutboxRow {
  bodyText: string
}

/** A piece of mail text: plain, or a link to this platform. */
export type MailTextPart = { text: string; href?: string }

export function OutboxPage({ ctx, mails }: { ctx: PageContext; mails: OutboxRow[] }) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('devmail.list.title')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('devmail.list.title')}</h1>
        <p class="kern-body">{t('devmail.list.intro')}</p>
        {mails.length === 0 ? (
          <p class="kern-body">{t('devmail.list.empty')}</p>
        ) : (
          <table class="kern-table">
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th class="kern-table__header" scope="col">
                  {t('devmail.list.recipient')}
                </th>
                <th class="kern-table__header" scope="col">
                  {t('devmail.list.subject')}
                </th>
                <th class="kern-table__header" scope="col">
                  {t('devmail.list.time')}
                </th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {mails.map(m => (
                <tr class="kern-table__row">
                  <td class="kern-table__cell" safe>
                    {m.recipient}
                  </td>
                  <td class="kern-table__cell">
                    <a class="kern-link" href={`/dev/mail/${m.id}`} safe>
                      {m.subject}
                    </a>
                  </td>
                  <td class="kern-table__cell" safe>
                    {formatDateTime(m.createdAt, ctx.locale)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </Layout>
  )
}

export function MailPage({ ctx, mail, parts }: { ctx: PageContext; mail: MailView; parts: MailTextPart[] }) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={mail.subject}>
      <BackLink href="/dev/mail" label={t.text('devmail.mail.back')} />
      <div class="stack">
        <h1 class="kern-heading-large" safe>
          {mail.subject}
        </h1>
        <dl class="kern-description-list">
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{t('devmail.list.recipient')}</dt>
            <dd class="kern-description-list-item__value" safe>
              {mail.recipient}
            </dd>
          </div>
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{t('devmail.list.time')}</dt>
            <dd class="kern-description-list-item__value" safe>
              {formatDateTime(mail.createdAt, ctx.locale)}
            </dd>
          </div>
        </dl>
        <pre class="kern-body mail-text preserve-lines">
          {parts.map(p =>
            p.href ? (
              <a class="kern-link" href={p.href} safe>
                {p.text}
              </a>
            ) : (
              <span safe>{p.text}</span>
            ),
          )}
        </pre>
      </div>
    </Layout>
  )
}
