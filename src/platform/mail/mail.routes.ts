import type { FastifyPluginAsync } from 'fastify'
import { NotFound } from '../http/errors.js'
import { sendHtml } from '../views/page-context.js'
import { MailPage, OutboxPage, type MailTextPart } from './views/outbox.js'
import { uuidParams } from '../http/ids.js'

const MailParams = uuidParams('id')

/**
 * Splits a mail's text into plain parts and links; only links to this platform (same origin as
 * baseUrl) become clickable, so a mail cannot turn the viewer into a door to elsewhere.
 */
export function linkifyMailText(text: string, baseUrl: string): MailTextPart[] {
  const origin = new URL(baseUrl).origin
  const parts: MailTextPart[] = []
  let last = 0
  for (const match of text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
    const url = match[0].replace(/[.,;:!?)\]]+$/, '')
    const start = match.index ?? 0
    if (!isOwnLink(url, origin)) continue
    if (start > last) parts.push({ text: text.slice(last, start) })
    parts.push({ text: url, href: url })
    last = start + url.length
  }
  if (last < text.length) parts.push({ text: text.slice(last) })
  return parts
}

function isOwnLink(url: string, origin: string): boolean {
  if (!URL.canParse(url)) return false
  const parsed = new URL(url)
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === origin
}

/** The outbox as a mailbox, for development without SMTP; registered only when config.devMail is on. */
export const devMailRoutes: FastifyPluginAsync = async app => {
  app.get('/dev/mail', async (req, reply) => {
    const mails = await app.db
      .selectFrom('mail_outbox')
      .select(['id', 'recipient', 'subject', 'created_at as createdAt', 'sent_at as sentAt'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(100)
      .execute()
    const ctx = await app.pageContext(req)
    return sendHtml(reply, OutboxPage({ ctx, mails }))
  })

  app.get<{ Params: { id: string } }>('/dev/mail/:id', { schema: { params: MailParams } }, async (req, reply) => {
    const mail = await app.db
      .selectFrom('mail_outbox')
      .select(['id', 'recipient', 'subject', 'body_text as bodyText', 'created_at as createdAt', 'sent_at as sentAt'])
      .where('id', '=', req.params.id)
      .executeTakeFirst()
    if (!mail) throw new NotFound()
    const ctx = await app.pageContext(req)
    return sendHtml(reply, MailPage({ ctx, mail, parts: linkifyMailText(mail.bodyText, app.config.baseUrl) }))
  })
}
