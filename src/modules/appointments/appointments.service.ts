import { sql } from 'kysely'
import type { Db, Trx } from '../../platform/db/database.js'
import type { Actor } from '../../platform/audit/audit.js'
import { queueMail, queueMailWithinQuota } from '../../platform/mail/mail.js'
import { addDays, dayInCity, type IsoDay } from '../../platform/calendar/index.js'
import {
  cancelBooking,
  freeSlots,
  moveBooking,
  reserve,
  type BookingRow,
  type ResourceCatalogue,
  type Slot,
} from '../booking/index.js'
import { deliverToApplicant } from '../postbox/index.js'
import { findCase } from '../cases/index.js'
import type { Choice } from './appointments.choice.js'
import { bookingMail, type MailKind } from './appointments.mail.js'
import { AlreadyBooked } from './appointments.errors.js'
import { offerFreedTime } from './appointments.waitlist.js'
import { videoJoinUrl } from '../video/index.js'

export interface AppointmentDeps {
  db: Db
  resources: ResourceCatalogue
  baseUrl: string
}

/** The links of a booking's mails: without an account they carry the manage secret; with one, the account page. */
export function bookingLinks(
  baseUrl: string,
  booking: Pick<BookingRow, 'id' | 'account_id' | 'purpose'>,
  token?: string,
): { manage: string; calendar: string; video?: string } {
  // A video appointment's call: with the same secret as the manage link, or for the account after signing in.
  const video = booking.purpose === 'video' ? videoJoinUrl(baseUrl, booking.id, token) : undefined
  if (token) {
    const q = `?token=${encodeURIComponent(token)}`
    return {
      manage: `${baseUrl}/termine/${booking.id}${q}`,
      calendar: `${baseUrl}/termine/${booking.id}/kalender.ics${q}`,
      video,
    }
  }
  return {
    manage: `${baseUrl}/account/termine/${booking.id}`,
    calendar: `${baseUrl}/account/termine/${booking.id}/kalender.ics`,
    video,
  }
}

/** The free times of a choice between two days (both included), for the calendar and the day's list. */
export function freeTimes(db: Db, choice: Choice, from: IsoDay, to: IsoDay, now: Date): Promise<Slot[]> {
  return freeSlots(db, choice.resource, { from, to, minutes: choice.minutes, now })
}

/** The days from today to the end of the booking horizon, and which of them have a free time. */
export async function freeDays(
  db: Db,
  choice: Choice,
  now: Date,
): Promise<{ first: IsoDay; last: IsoDay; free: Set<IsoDay> }> {
  const first = dayInCity(now)
  const last = addDays(first, choice.resource.rules.horizonDays)
  const slots = await freeTimes(db, choice, first, last, now)
  return { first, last, free: new Set(slots.map(s => dayInCity(s.start))) }
}

export interface PersonDetails {
  name: string
  email: string
  phone?: string
}

/**
 * Books an appointment for a person and confirms it: by e-mail (the ICS file and the manage link by URL) and, for a
 * case's appointment, in the postbox of the account that applied. The same person booking the same time twice (a
 * double click) gets AlreadyBooked instead of a second appointment.
 */
export async function bookAppointment(
  deps: AppointmentDeps,
  input: {
    choice: Choice
    start: Date
    person: PersonDetails
    accountId?: string
    locale: string
    waitlistId?: string
  },
  now: Date,
): Promise<{ booking: BookingRow; manageToken: string }> {
  const { choice } = input
  const twice = await deps.db
    .selectFrom('bookings')
    .select('reference')
    .where('resource_id', '=', choice.resource.id)
    .where('starts_at', '=', input.start)
    .where('status', '=', 'booked')
    .where(sql<boolean>`lower(person_email) = ${input.person.email.toLowerCase()}`)
    .executeTakeFirst()
  if (twice) throw new AlreadyBooked(twice.reference)
  const actor: Actor = { accountId: input.accountId }
  const made = await reserve(
    deps.db,
    deps.resources,
    {
      resourceId: choice.resource.id,
      purpose: choice.resource.kind === 'video' ? 'video' : 'appointment',
      start: input.start,
      minutes: choice.minutes,
      concern: choice.concernId,
      serviceId: choice.serviceId,
      caseId: choice.caseId,
      accountId: input.accountId,
      person: input.person,
      locale: input.locale,
    },
    now,
    actor,
  )
  await deps.db.transaction().execute(async trx => {
    if (input.waitlistId)
      await trx
        .updateTable('booking_waitlist')
        .set({ fulfilled_booking_id: made.booking.id })
        .where('id', '=', input.waitlistId)
        .where(sql<boolean>`lower(person_email) = ${input.person.email.toLowerCase()}`)
        .where('fulfilled_booking_id', 'is', null)
        .execute()
    await tellPerson(trx, deps, 'confirmed', made.booking, made.manageToken, now)
  })
  return made
}

/**
 * The mail (and for a case the postbox message) about a change. Someone without an account typed the address: such
 * mails count against the address's hourly quota, so nobody floods a mailbox through our form.
 */
async function tellPerson(
  trx: Trx,
  deps: AppointmentDeps,
  kind: MailKind,
  booking: BookingRow,
  token: string | undefined,
  now: Date,
) {
  const resource = deps.resources.get(booking.resource_id)
  const links = bookingLinks(deps.baseUrl, booking, booking.account_id ? undefined : token)
  const mail = bookingMail(kind, booking, resource, links)
  if (booking.case_id && booking.account_id) {
    const found = await findCase(trx, booking.case_id)
    if (found) {
      await deliverToApplicant(
        trx,
        {
          caseId: found.id,
          reference: found.reference,
          accountId: booking.account_id,
          applicantEmail: booking.person_email,
          locale: booking.locale,
          senderStaffId: null,
          subject: mail.subject,
          body: mail.text,
        },
        deps.baseUrl,
      )
      return
    }
  }
  if (!booking.person_email) return
  if (booking.account_id) await queueMail(trx, { to: booking.person_email, ...mail })
  else await queueMailWithinQuota(trx, { to: booking.person_email, ...mail }, now)
}

/** The person cancels (by link or account): the time is freed, they get the cancellation, the waiting list an offer. */
export async function cancelAppointment(deps: AppointmentDeps, booking: BookingRow, actor: Actor, now: Date) {
  const cancelled = await cancelBooking(deps.db, deps.resources, booking.id, { actor, asStaff: false }, now)
  await deps.db.transaction().execute(async trx => {
    await tellPerson(trx, deps, 'cancelled', cancelled, undefined, now)
    await offerFreedTime(trx, deps, cancelled, now)
  })
  return cancelled
}

/** The person moves the appointment to another free time of the same place; the old time goes to the waiting list. */
export async function rebookAppointment(
  deps: AppointmentDeps,
  booking: BookingRow,
  start: Date,
  actor: Actor,
  now: Date,
) {
  const moved = await moveBooking(deps.db, deps.resources, booking.id, { start }, { actor, asStaff: false }, now)
  await deps.db.transaction().execute(async trx => {
    await tellPerson(trx, deps, 'moved', moved, undefined, now)
    await offerFreedTime(trx, deps, booking, now)
  })
  return moved
}

/** Bookings made on /termine (appointments and video consultations), not halls or staff blocks. */
export const PERSON_PURPOSES = ['appointment', 'video'] as const

/**
 * The reminder the day before: every live appointment starting on the next city day gets one mail, once. Claimed row
 * by row (reminded_at set in the mail's transaction), so two workers or a second run send nothing twice.
 */
export async function sendReminders(deps: AppointmentDeps, now: Date): Promise<number> {
  const tomorrow = addDays(dayInCity(now), 1)
  const due = await deps.db
    .selectFrom('bookings')
    .select('id')
    .where('status', '=', 'booked')
    .where('reminded_at', 'is', null)
    .where('purpose', 'in', PERSON_PURPOSES)
    .where('starts_at', '>', now)
    .where(sql<boolean>`(starts_at at time zone 'Europe/Berlin')::date = ${tomorrow}::date`)
    .execute()
  let sent = 0
  for (const { id } of due)
    await deps.db.transaction().execute(async trx => {
      const claimed = await trx
        .updateTable('bookings')
        .set({ reminded_at: now })
        .where('id', '=', id)
        .where('reminded_at', 'is', null)
        .where('status', '=', 'booked')
        .returningAll()
        .executeTakeFirst()
      if (!claimed?.person_email) return
      const resource = deps.resources.get(claimed.resource_id)
      const links = bookingLinks(deps.baseUrl, claimed)
      // The secret is kept hashed only: without an account the reminder points to the confirmation mail's link.
      const mail = bookingMail(claimed.account_id ? 'reminder' : 'reminderByLink', claimed, resource, links)
      await queueMail(trx, { to: claimed.person_email, ...mail })
      sent++
    })
  return sent
}

export const REMINDER_JOB = 'appointments.remind'
