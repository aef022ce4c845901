import crypto from 'node:crypto'
import type { StaffMember, SessionAccount } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import { formatDateTime, isLocale, translator } from '../../platform/i18n/i18n.js'
import { queueMail } from '../../platform/mail/mail.js'
import { cancelBooking, cityInstant, reserve, TimeJustTaken, TimeNotOffered } from '../booking/index.js'
import { bookingOwnersOf, facilityOf, type FacilityDeps } from './facilities.service.js'
import { AlreadyDecided, FacilityRecordNotFound, SeasonPublished } from './facilities.errors.js'
import { findSeason, listApplicationsOfSeason } from './facilities.queries.js'
import { conflictsOf, proposeAllocation, seasonDays, type GroupKind, type SlotApplication } from './facilities.rules.js'

export interface NewSeason {
  name: string
  firstDay: string
  lastDay: string
  excludedDays: string[]
}

/** The sports office opens a season for applications. */
export async function createSeason(deps: FacilityDeps, staff: StaffMember, season: NewSeason): Promise<string> {
  const id = crypto.randomUUID()
  await deps.db.transaction().execute(async trx => {
    await trx
      .insertInto('facility_seasons')
      .values({
        id,
        name: season.name,
        first_day: season.firstDay,
        last_day: season.lastDay,
        excluded_days: season.excludedDays,
        created_at: deps.now,
        created_by: staff.id,
      })
      .execute()
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'facility.season.create',
      subjectType: 'facility_season',
      subjectId: id,
    })
  })
  return id
}

export interface SlotRequest {
  seasonId: string
  clubId: string
  resourceId: string
  parts: string[]
  weekday: number
  startMinute: number
  minutes: number
  groupKind: GroupKind
  note: string
}

/** A club (its own account or a member) applies for a weekly slot; the season must still be open. */
export async function applyForSlot(deps: FacilityDeps, account: SessionAccount, request: SlotRequest): Promise<string> {
  const { db } = deps
  const owners = await bookingOwnersOf(db, account)
  // Seasonal slots are for organisations: a club, a school; a person books single times.
  if (!owners.some(o => o.id === request.clubId) || request.clubId === (account.kind === 'citizen' ? account.id : ''))
    throw new FacilityRecordNotFound()
  const season = await findSeason(db, request.seasonId)
  if (!season) throw new FacilityRecordNotFound()
  if (await isPublished(deps, season.id)) throw new SeasonPublished()
  const resource = facilityOf(deps.resources, request.resourceId)
  const id = crypto.randomUUID()
  await db.transaction().execute(async trx => {
    await trx
      .insertInto('facility_applications')
      .values({
        id,
        season_id: season.id,
        club_account_id: request.clubId,
        applied_by_account_id: account.id,
        resource_id: resource.id,
        parts: resource.parts ? request.parts : ['1'],
        weekday: request.weekday,
        start_minute: request.startMinute,
        minutes: request.minutes,
        group_kind: request.groupKind,
        note: request.note || null,
        created_at: deps.now,
      })
      .execute()
    await audit(trx, {
      actor: { accountId: account.id },
      action: 'facility.application.create',
      subjectType: 'facility_application',
      subjectId: id,
      officeId: resource.office,
    })
  })
  return id
}

async function isPublished(deps: FacilityDeps, seasonId: string) {
  const published = await deps.db
    .selectFrom('facility_applications')
    .select('id')
    .where('season_id', '=', seasonId)
    .where('status', '=', 'published')
    .executeTakeFirst()
  return !!published
}

/** A season's applications for the office: each with its conflicts and whether the rules propose it. */
export async function seasonPlan(deps: FacilityDeps, seasonId: string) {
  const season = await findSeason(deps.db, seasonId)
  if (!season) throw new FacilityRecordNotFound()
  const rows = await listApplicationsOfSeason(deps.db, seasonId)
  const slots: SlotApplication[] = rows.map(r => ({
    id: r.id,
    resourceId: r.resource_id,
    parts: r.parts,
    weekday: r.weekday,
    startMinute: r.start_minute,
    minutes: r.minutes,
    groupKind: r.group_kind,
    memberCount: r.member_count ?? 0,
    createdAt: r.created_at,
  }))
  const conflicts = conflictsOf(slots)
  const proposed = proposeAllocation(slots)
  return {
    season,
    published: rows.some(r => r.status === 'published'),
    applications: rows.map(r => ({ ...r, conflicts: conflicts.get(r.id) ?? [], proposed: proposed.has(r.id) })),
  }
}

/**
 * The office's allocation: each application allocated or declined (the proposal, or staff's override). Two
 * allocated applications that overlap are refused: the plan must be free of conflicts before it is published.
 */
export async function saveAllocation(
  deps: FacilityDeps,
  staff: StaffMember,
  seasonId: string,
  decisions: Map<string, 'allocated' | 'declined'>,
): Promise<string[]> {
  const plan = await seasonPlan(deps, seasonId)
  if (plan.published) throw new SeasonPublished()
  const allocated = plan.applications.filter(a => (decisions.get(a.id) ?? a.status) === 'allocated')
  const allocatedIds = new Set(allocated.map(a => a.id))
  const clashing = allocated.filter(a => a.conflicts.some(c => allocatedIds.has(c))).map(a => a.id)
  if (clashing.length) return clashing
  await deps.db.transaction().execute(async trx => {
    for (const a of plan.applications) {
      const status = decisions.get(a.id)
      if (!status) continue
      await trx
        .updateTable('facility_applications')
        .set({ status, decided_by: staff.id })
        .where('id', '=', a.id)
        .execute()
    }
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'facility.season.allocate',
      subjectType: 'facility_season',
      subjectId: seasonId,
      details: { allocated: allocated.length },
    })
  })
  return []
}

/**
 * Publishes the plan: every allocated application becomes a series of bookings through the engine (one per week of
 * the season, without excluded days and closures), so a time held by a single booking is never double booked; such
 * a week is left out and counted. Declined applications are told so. Returns the weeks that could not be held.
 */
export async function publishSeason(deps: FacilityDeps, staff: StaffMember, seasonId: string) {
  const { db, resources, now } = deps
  const plan = await seasonPlan(deps, seasonId)
  if (plan.published) throw new SeasonPublished()
  const allocated = plan.applications.filter(a => a.status === 'allocated')
  if (!allocated.length) throw new AlreadyDecided()
  const skipped: { applicationId: string; day: string }[] = []
  const closures = await db.selectFrom('facility_closures').selectAll().execute()
  for (const application of allocated) {
    const resource = facilityOf(resources, application.resource_id)
    const seriesId = crypto.randomUUID()
    const days = seasonDays(
      {
        firstDay: plan.season.first_day,
        lastDay: plan.season.last_day,
        excludedDays: plan.season.excluded_days,
      },
      application.weekday,
    ).filter(day => !closures.some(c => c.resource_id === resource.id && c.first_day <= day && c.last_day >= day))
    for (const day of days) {
      const start = cityInstant(day, application.start_minute)
      if (!start) continue
      try {
        await reserve(
          db,
          resources,
          {
            resourceId: resource.id,
            purpose: 'facility',
            start,
            minutes: application.minutes,
            parts: resource.parts ? application.parts : undefined,
            accountId: application.club_account_id,
            person: { name: application.club_name ?? '', email: '' },
            bookedBy: staff.id,
            seriesId,
            note: `season:${seasonId}`,
          },
          now,
          { staffId: staff.id },
        )
      } catch (error) {
        // A week already held (a single booking) or not offered that day (a holiday): left out and reported.
        if (!(error instanceof TimeJustTaken) && !(error instanceof TimeNotOffered)) throw error
        skipped.push({ applicationId: application.id, day })
      }
    }
    await db
      .updateTable('facility_applications')
      .set({ status: 'published', series_id: seriesId })
      .where('id', '=', application.id)
      .execute()
  }
  await audit(db, {
    actor: { staffId: staff.id },
    action: 'facility.season.publish',
    subjectType: 'facility_season',
    subjectId: seasonId,
    details: { series: allocated.length, skipped: skipped.length },
  })
  return skipped
}

/**
 * The sports office closes a hall on days added later (repairs, an event, holidays): the closure is recorded, every
 * live booking there on those days is cancelled, and each booker (the club) is told by e-mail, with the reason.
 */
export async function closeHall(
  deps: FacilityDeps,
  staff: StaffMember,
  closure: { resourceId: string; firstDay: string; lastDay: string; reason: string },
): Promise<number> {
  const { db, resources, now } = deps
  const resource = facilityOf(resources, closure.resourceId)
  const id = crypto.randomUUID()
  await db.transaction().execute(async trx => {
    await trx
      .insertInto('facility_closures')
      .values({
        id,
        resource_id: resource.id,
        first_day: closure.firstDay,
        last_day: closure.lastDay,
        reason: closure.reason,
        created_by: staff.id,
        created_at: now,
      })
      .execute()
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'facility.closure.create',
      subjectType: 'facility_closure',
      subjectId: id,
      officeId: resource.office,
    })
  })
  const from = cityInstant(closure.firstDay, 0)!
  const to = cityInstant(closure.lastDay, 24 * 60)!
  const affected = await db
    .selectFrom('bookings')
    .leftJoin('accounts', 'accounts.id', 'bookings.account_id')
    .select(['bookings.id', 'bookings.starts_at', 'bookings.reference', 'accounts.email', 'accounts.locale'])
    .where('bookings.resource_id', '=', resource.id)
    .where('bookings.status', '=', 'booked')
    .where('bookings.starts_at', '<', to)
    .where('bookings.ends_at', '>', from)
    .execute()
  for (const booking of affected) {
    await cancelBooking(
      db,
      resources,
      booking.id,
      { actor: { staffId: staff.id }, asStaff: true, reason: closure.reason },
      now,
    )
    if (!booking.email) continue
    const locale = isLocale(booking.locale) ? booking.locale : 'de'
    const t = translator(locale)
    await queueMail(db, {
      to: booking.email,
      subject: t.text('facilities.closure.mailSubject', { hall: resource.name[locale] }),
      text: t.text('facilities.closure.mailBody', {
        hall: resource.name[locale],
        time: formatDateTime(booking.starts_at, locale),
        reference: booking.reference,
        reason: closure.reason,
      }),
    })
  }
  return affected.length
}
