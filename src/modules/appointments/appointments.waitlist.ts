import crypto from 'node:crypto'
import { sql } from 'kysely'
import type { Db, Trx } from '../../platform/db/database.js'
import { queueMail, queueMailWithinQuota } from '../../platform/mail/mail.js'
import { dayInCity, type IsoDay } from '../../platform/calendar/index.js'
import { formatDateTime, isLocale, translator } from '../../platform/i18n/i18n.js'
import { audit } from '../../platform/audit/audit.js'
import { bookingWindow, hashToken, type BookingRow, type ResourceCatalogue } from '../booking/index.js'
import type { Choice } from './appointments.choice.js'
import { WaitlistEntryNotFound } from './appointments.errors.js'
import { concernName } from './appointments.mail.js'

/** How long an offer is the person's alone: a second freed time within this goes to the next person waiting. */
const OFFER_HOLD_MS = 24 * 3_600_000

/** Puts a person on the waiting list for a place and concern between two days; the withdraw link's secret once. */
export async function joinWaitlist(
  deps: { db: Db; baseUrl: string },
  input: {
    choice: Choice
    firstDay: IsoDay
    lastDay: IsoDay
    person: { name: string; email: string }
    accountId?: string
    locale: string
  },
  now: Date,
): Promise<{ id: string; token: string }> {
  const token = crypto.randomBytes(24).toString('base64url')
  const id = crypto.randomUUID()
  await deps.db.transaction().execute(async trx => {
    await trx
      .insertInto('booking_waitlist')
      .values({
        id,
        resource_id: input.choice.resource.id,
        concern: input.choice.concernId,
        first_day: input.firstDay,
        last_day: input.lastDay,
        account_id: input.accountId ?? null,
        person_name: input.person.name,
        person_email: input.person.email,
        locale: input.locale,
        created_at: now,
        token_hash: hashToken(token),
      })
      .execute()
    await audit(trx, {
      actor: { accountId: input.accountId },
      action: 'booking.waitlist.join',
      subjectType: 'booking_waitlist',
      subjectId: id,
      officeId: input.choice.resource.office,
    })
    const t = translator(isLocale(input.locale) ? input.locale : 'de')
    const params = {
      place: input.choice.resource.name[t.locale],
      concern: input.choice.concernName,
      from: input.firstDay,
      to: input.lastDay,
      withdraw: `${deps.baseUrl}/termine/warteliste/${id}?token=${token}`,
    }
    const mail = {
      to: input.person.email,
      subject: t.text('appointments.mail.waitlist.subject', params),
      text: t.text('appointments.mail.waitlist.body', params),
    }
    if (input.accountId) await queueMail(trx, mail)
    else await queueMailWithinQuota(trx, mail, now)
  })
  return { id, token }
}

/** A live entry by its withdraw link; anything else answers like a missing one. */
export async function findWaitlistEntry(db: Db, id: string, token: string) {
  const entry = await db.selectFrom('booking_waitlist').selectAll().where('id', '=', id).executeTakeFirst()
  const given = Buffer.from(hashToken(token))
  if (
    !entry ||
    entry.withdrawn_at ||
    given.length !== entry.token_hash.length ||
    !crypto.timingSafeEqual(given, Buffer.from(entry.token_hash))
  )
    throw new WaitlistEntryNotFound()
  return entry
}

export async function withdrawFromWaitlist(db: Db, id: string, token: string, now: Date): Promise<void> {
  const entry = await findWaitlistEntry(db, id, token)
  await db.transaction().execute(async trx => {
    await trx.updateTable('booking_waitlist').set({ withdrawn_at: now }).where('id', '=', entry.id).execute()
    await audit(trx, {
      actor: { accountId: entry.account_id ?? undefined },
      action: 'booking.waitlist.withdraw',
      subjectType: 'booking_waitlist',
      subjectId: entry.id,
    })
  })
}

/**
 * Offers a freed time to the first person waiting (first come, first served) whose period covers its day and who has
 * no offer of the last day open: one mail with a link that books exactly that time. Whoever clicks first gets it;
 * a later click gets the next free times. Runs in the cancellation's follow-up transaction.
 */
export async function offerFreedTime(
  trx: Trx,
  deps: { resources: ResourceCatalogue; baseUrl: string },
  freed: BookingRow,
  now: Date,
): Promise<string | undefined> {
  const resource = deps.resources.get(freed.resource_id)
  if (!resource || !freed.concern) return undefined
  if (freed.starts_at < bookingWindow(resource, now).earliest) return undefined
  const day = dayInCity(freed.starts_at)
  const next = await trx
    .selectFrom('booking_waitlist')
    .selectAll()
    .where('resource_id', '=', resource.id)
    .where('concern', '=', freed.concern)
    .where('fulfilled_booking_id', 'is', null)
    .where('withdrawn_at', 'is', null)
    .where(sql<boolean>`first_day <= ${day}::date and last_day >= ${day}::date`)
    .where(eb => eb.or([eb('offered_at', 'is', null), eb('offered_at', '<', new Date(now.getTime() - OFFER_HOLD_MS))]))
    .orderBy('created_at')
    .orderBy('id')
    .forUpdate()
    .skipLocked()
    .limit(1)
    .executeTakeFirst()
  if (!next) return undefined
  await trx.updateTable('booking_waitlist').set({ offered_at: now }).where('id', '=', next.id).execute()
  const t = translator(isLocale(next.locale) ? next.locale : 'de')
  const query = new URLSearchParams({
    ort: resource.id,
    anliegen: freed.concern,
    beginn: freed.starts_at.toISOString(),
    warteliste: next.id,
  })
  const params = {
    place: resource.name[t.locale],
    concern: concernName(resource, { concern: freed.concern, locale: t.locale }),
    when: formatDateTime(freed.starts_at, t.locale),
    book: `${deps.baseUrl}/termine/angaben?${query}`,
  }
  await queueMail(trx, {
    to: next.person_email,
    subject: t.text('appointments.mail.offer.subject', params),
    text: t.text('appointments.mail.offer.body', params),
  })
  return next.id
}
