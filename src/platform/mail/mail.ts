import crypto from 'node:crypto'
import nodemailer from 'nodemailer'
import type { Db } from '../db/database.js'

export interface OutgoingMail { to: string; subject: string; text: string }

/** Queues a mail in the outbox table, in the caller's transaction, so no mail is sent for a change that rolled back. */
export async function queueMail(db: Db, mail: OutgoingMail): Promise<void> {
  await db.insertInto('mail_outbox').values({
    id: crypto.randomUUID(), recipient: mail.to, subject: mail.subject, body_text: mail.text,
  }).execute()
}

export function listOutbox(db: Db, limit = 50) {
  return db.selectFrom('mail_outbox').selectAll().orderBy('created_at', 'desc').limit(limit).execute()
}

/** Sends queued mails over SMTP when SMTP_URL is set; without it the outbox is the mailbox (dev). */
export async function deliverOutbox(db: Db, smtpUrl: string, from: string): Promise<number> {
  if (!smtpUrl) return 0
  const transport = nodemailer.createTransport(smtpUrl)
  const pending = await db.selectFrom('mail_outbox').selectAll().where('sent_at', 'is', null).orderBy('created_at').limit(100).execute()
  for (const mail of pending) {
    await transport.sendMail({ from, to: mail.recipient, subject: mail.subject, text: mail.body_text })
    await db.updateTable('mail_outbox').set({ sent_at: new Date() }).where('id', '=', mail.id).execute()
  }
  return pending.length
}
