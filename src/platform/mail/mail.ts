import crypto from 'node:crypto'
import { sql } from 'kysely'
import type { Transporter } from 'nodemailer'
import type { Db, Trx } from '../db/database.js'

export interface OutgoingMail {
  to: string
  subject: string
  text: string
  /** Stored files sent along (a PDF notice for someone without a postbox). */
  fileIds?: string[]
}

/** Queues a mail in the outbox table, in the caller's transaction, so no mail is sent for a change that rolled back. */
export async function queueMail(db: Db, mail: OutgoingMail): Promise<void> {
  const id = crypto.randomUUID()
  await db
    .insertInto('mail_outbox')
    .values({ id, recipient: mail.to, subject: mail.subject, body_text: mail.text })
    .execute()
  if (mail.fileIds?.length)
    await db
      .insertInto('mail_attachments')
      .values(mail.fileIds.map(fileId => ({ mail_id: id, file_id: fileId })))
      .execute()
}

/**
 * Mails that anyone can make us send to an address they type (an anonymous form's receipt, a password-reset link,
 * following a defect report) stop here, so nobody can flood a mailbox through our forms. Our own notifications to a
 * known address never count: a busy applicant still gets the link they ask for.
 */
export const MAX_MAILS_PER_ADDRESS_PER_HOUR = 5

/**
 * Queues a quota-bound mail unless the address has had the hourly quota of such mails already (one statement:
 * checked and queued together). False when it was not queued: the caller tells the person so.
 */
export async function queueMailWithinQuota(
  db: Db,
  mail: Omit<OutgoingMail, 'fileIds'>,
  now = new Date(),
): Promise<boolean> {
  // One spelling per address, so changing the case of a letter does not open a fresh quota.
  const to = mail.to.trim().toLowerCase()
  const queued = await sql<{ id: string }>`
    insert into mail_outbox (id, recipient, subject, body_text, quota_bound)
    select ${crypto.randomUUID()}, ${to}, ${mail.subject}, ${mail.text}, true
    where (select count(*) from mail_outbox where quota_bound and recipient = ${to} and created_at > ${new Date(now.getTime() - 3_600_000)}) < ${MAX_MAILS_PER_ADDRESS_PER_HOUR}
    returning id`.execute(db)
  return queued.rows.length > 0
}

/**
 * Sends queued mails over SMTP. Rows are claimed with FOR UPDATE SKIP LOCKED, so several app
 * instances never send one mail twice; a mail the server refuses stays queued for the next round.
 */
export async function deliverOutbox(
  db: Db,
  transport: Transporter,
  from: string,
  batch = 20,
): Promise<{ sent: number; failed: number }> {
  return db.transaction().execute(async trx => {
    const pending = await trx
      .selectFrom('mail_outbox')
      .selectAll()
      .where('sent_at', 'is', null)
      .orderBy('created_at')
      .limit(batch)
      .forUpdate()
      .skipLocked()
      .execute()
    let sent = 0
    let failed = 0
    for (const mail of pending) {
      try {
        const attachments = await trx
          .selectFrom('mail_attachments')
          .innerJoin('files', 'files.id', 'mail_attachments.file_id')
          .select(['files.filename', 'files.media_type', 'files.content'])
          .where('mail_attachments.mail_id', '=', mail.id)
          .execute()
        await transport.sendMail({
          from,
          to: mail.recipient,
          subject: mail.subject,
          text: mail.body_text,
          attachments: attachments.map(a => ({
            filename: a.filename,
            contentType: a.media_type,
            content: Buffer.from(a.content),
          })),
        })
        await trx.updateTable('mail_outbox').set({ sent_at: new Date() }).where('id', '=', mail.id).execute()
        sent++
      } catch {
        // Counted and retried next round; the row stays unsent, visible in the outbox.
        failed++
      }
    }
    return { sent, failed }
  })
}

/** Delivers the outbox every few seconds while the app runs, when SMTP_URL is configured. */
export function startMailDelivery(
  db: Db,
  smtpUrl: string,
  from: string,
  log: { info(o: object, m: string): void; warn(o: object, m: string): void },
  everyMs = 5000,
): () => void {
  if (!smtpUrl) return () => undefined
  // Loaded only where mail is sent (SMTP_URL set): the app without it does not pay for the library.
  const transport = import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(smtpUrl))
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    transport
      .then(t => deliverOutbox(db, t, from))
      .then(r => {
        if (r.sent || r.failed) (r.failed ? log.warn : log.info).call(log, r, 'mail delivery')
      })
      .catch((error: unknown) => log.warn({ err: error }, 'mail delivery failed'))
      .finally(() => {
        running = false
      })
  }, everyMs)
  timer.unref()
  return () => {
    clearInterval(timer)
    void transport.then(
      t => t.close(),
      () => undefined,
    )
  }
}

/** Erasure of an account: the mails to its address leave the outbox (the confirmation is queued afterwards). */
export async function forgetMailsTo(trx: Trx, address: string): Promise<number> {
  const result = await trx
    .deleteFrom('mail_outbox')
    .where(sql<boolean>`lower(recipient) = lower(${address})`)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
