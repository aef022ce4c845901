import crypto from 'node:crypto'
import type { Selectable } from 'kysely'
import type { Db } from '../../platform/db/database.js'
import type { Database } from '../../platform/db/schema.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import { isUuid } from '../../platform/http/ids.js'
import { translator } from '../../platform/i18n/i18n.js'
import type { Resource, ResourceCatalogue } from './booking.resources.js'
import { bookingsOfResource } from './booking.queries.js'
import { calendarText } from './booking.ics.js'
import { hashToken } from './booking.service.js'
import { reachAt, resourcesOfStaff, staffResource } from './booking.staff.js'
import { FeedNotFound } from './booking.staff.errors.js'

export type FeedRow = Selectable<Database['booking_feeds']>

/** How far back a feed reaches: a calendar shows last month's appointments; older ones are history, not planning. */
export const FEED_WEEKS_BACK = 4
export const FEED_LABEL_MAX = 80

/** The path of a feed: the secret is the only thing that opens it, so the URL is the key (keep it like a password). */
export const feedPath = (feedId: string, secret: string) => `/kalender/${feedId}/${secret}.ics`

/** A new feed of a resource the staff member's office runs; the secret is shown once, only its hash is kept. */
export async function createFeed(
  db: Db,
  resources: ResourceCatalogue,
  staff: StaffMember,
  input: { resourceId: string; label: string },
  now: Date,
): Promise<{ feed: FeedRow; secret: string }> {
  const resource = staffResource(resources, staff, input.resourceId, 'calendar')
  const secret = crypto.randomBytes(32).toString('base64url')
  return db.transaction().execute(async trx => {
    const feed = await trx
      .insertInto('booking_feeds')
      .values({
        id: crypto.randomUUID(),
        resource_id: resource.id,
        label: input.label,
        secret_hash: hashToken(secret),
        created_by: staff.id,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'booking.feed.create',
      subjectType: 'booking_feed',
      subjectId: feed.id,
      officeId: resource.office,
      details: { resource: resource.id },
    })
    return { feed, secret }
  })
}

/** The live feeds of the resources the staff member runs the calendar of, newest first. */
export async function feedsOfStaff(db: Db, resources: ResourceCatalogue, staff: StaffMember): Promise<FeedRow[]> {
  const ids = resourcesOfStaff(resources, staff)
    .filter(r => staffResourceOrUndefined(resources, staff, r.id))
    .map(r => r.id)
  if (!ids.length) return []
  return db
    .selectFrom('booking_feeds')
    .selectAll()
    .where('resource_id', 'in', ids)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute()
}

/** Feeds are the calendar's: a counter-only role sees the calendar but manages no feeds. */
function staffResourceOrUndefined(resources: ResourceCatalogue, staff: StaffMember, id: string) {
  const resource = resources.get(id)
  return resource && reachAt(staff, resource) === 'calendar' ? resource : undefined
}

/** Revokes a feed at once: its URL answers 404 from the next read. Another office's feed answers like a missing one. */
export async function revokeFeed(
  db: Db,
  resources: ResourceCatalogue,
  staff: StaffMember,
  feedId: string,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async trx => {
    const feed = await trx
      .selectFrom('booking_feeds')
      .selectAll()
      .where('id', '=', feedId)
      .where('revoked_at', 'is', null)
      .forUpdate()
      .executeTakeFirst()
    if (!feed || !staffResourceOrUndefined(resources, staff, feed.resource_id)) throw new FeedNotFound()
    await trx.updateTable('booking_feeds').set({ revoked_at: now }).where('id', '=', feedId).execute()
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'booking.feed.revoke',
      subjectType: 'booking_feed',
      subjectId: feedId,
      officeId: resources.get(feed.resource_id)?.office ?? null,
    })
  })
}

/**
 * The iCalendar text of a feed, when the secret matches a live feed. It names each booking by reference and concern
 * only — no name, e-mail or phone: feeds end up in calendar programs and phones, often synced to outside cloud
 * services, beyond the city's control (GDPR Art. 5(1)(c), data minimisation); the back office link in each event
 * shows the person to those signed in. Blocks show their reason. From FEED_WEEKS_BACK weeks ago to the horizon.
 */
export async function feedCalendar(
  db: Db,
  resources: ResourceCatalogue,
  feedId: string,
  secret: string,
  now: Date,
  baseUrl: string,
): Promise<string> {
  const feed = isUuid(feedId)
    ? await db
        .selectFrom('booking_feeds')
        .selectAll()
        .where('id', '=', feedId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
    : undefined
  const given = hashToken(secret)
  if (!feed || !crypto.timingSafeEqual(Buffer.from(feed.secret_hash), Buffer.from(given))) throw new FeedNotFound()
  const resource = resources.get(feed.resource_id)
  if (!resource) throw new FeedNotFound()
  const from = new Date(now.getTime() - FEED_WEEKS_BACK * 7 * 86_400_000)
  const until = new Date(now.getTime() + (resource.rules.horizonDays + 1) * 86_400_000)
  const bookings = (await bookingsOfResource(db, resource.id, from, until)).filter(b => b.status !== 'cancelled')
  await db.updateTable('booking_feeds').set({ last_read_at: now }).where('id', '=', feed.id).execute()
  const t = translator('de')
  return calendarText(
    `${resource.name.de} – ${feed.label}`,
    bookings.map(b => ({
      uid: `${b.id}@bauhaus`,
      start: b.starts_at,
      end: b.ends_at,
      summary:
        b.purpose === 'block'
          ? `${t.text('booking.staff.block.summary')}: ${b.note ?? ''}`
          : `${b.reference} · ${concernName(resource, b.concern) ?? t.text(`booking.staff.purpose.${b.purpose}`)}`,
      description: b.purpose === 'block' ? undefined : t.text(`booking.staff.status.${b.status}`),
      url: `${baseUrl}/backoffice/termine/buchungen/${b.id}`,
    })),
  )
}

/** The concern's name in German (feeds are read by the office) or, in views, the given locale. */
export function concernName(resource: Resource, concernId: string | null, locale: 'de' | 'en' = 'de') {
  const concern = concernId ? resource.concerns?.find(c => c.id === concernId) : undefined
  return concern ? concern.name[locale] : undefined
}
