import { sql } from 'kysely'
import type { Db, Trx } from '../../platform/db/database.js'
import type { PersonalDataHolder, RetentionSweep } from '../../platform/privacy/index.js'
import { PERSON_PURPOSES } from './appointments.service.js'

/**
 * The account's appointments and waiting-list entries. Erasure cancels nothing the office still plans with: a past or
 * future appointment keeps its time (the counter's capacity), loses the person (name, e-mail, phone, account); the
 * waiting-list entries are deleted.
 */
export const appointmentsHolder: PersonalDataHolder = {
  id: 'appointments',
  async exportFor(db: Db, accountId: string) {
    const bookings = await db
      .selectFrom('bookings')
      .select([
        'reference',
        'resource_id',
        'concern',
        'starts_at',
        'ends_at',
        'status',
        'person_name',
        'person_email',
        'person_phone',
        'created_at',
        'cancelled_at',
      ])
      .where('account_id', '=', accountId)
      .where('purpose', 'in', PERSON_PURPOSES)
      .orderBy('starts_at')
      .execute()
    const waitlist = await db
      .selectFrom('booking_waitlist')
      .select([
        'resource_id',
        'concern',
        'first_day',
        'last_day',
        'person_name',
        'person_email',
        'created_at',
        'offered_at',
        'withdrawn_at',
      ])
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .execute()
    return { data: { bookings, waitlist } }
  },
  async eraseFor(trx: Trx, accountId: string) {
    const anonymised = await trx
      .updateTable('bookings')
      .set({ account_id: null, person_name: null, person_email: null, person_phone: null, manage_token_hash: null })
      .where('account_id', '=', accountId)
      .where('purpose', 'in', PERSON_PURPOSES)
      .executeTakeFirst()
    const deleted = await trx.deleteFrom('booking_waitlist').where('account_id', '=', accountId).executeTakeFirst()
    return [
      { subjectType: 'booking', outcome: 'anonymised', count: Number(anonymised.numUpdatedRows) },
      { subjectType: 'booking_waitlist', outcome: 'deleted', count: Number(deleted.numDeletedRows) },
    ]
  },
}

/** Appointments are kept with the person's details this many days after they took place (or were cancelled). */
export const APPOINTMENT_RETENTION_DAYS = 90

/**
 * The daily run forgets who had an appointment 90 days after its time (the office's questions about a visit are
 * settled by then; the case keeps what it needs), and deletes waiting-list entries whose period ended that long ago.
 */
export function appointmentRetention(days = APPOINTMENT_RETENTION_DAYS): RetentionSweep {
  return {
    id: 'appointments',
    async sweep(db: Db, now: Date) {
      const before = new Date(now.getTime() - days * 86_400_000)
      const anonymised = await db
        .updateTable('bookings')
        .set({
          account_id: null,
          person_name: null,
          person_email: null,
          person_phone: null,
          manage_token_hash: null,
          note: null,
        })
        .where('purpose', 'in', PERSON_PURPOSES)
        .where('ends_at', '<', before)
        .where(eb =>
          eb.or([
            eb('person_name', 'is not', null),
            eb('person_email', 'is not', null),
            eb('account_id', 'is not', null),
          ]),
        )
        .executeTakeFirst()
      const deleted = await db
        .deleteFrom('booking_waitlist')
        .where(sql<boolean>`last_day < ${before.toISOString().slice(0, 10)}::date`)
        .executeTakeFirst()
      return [
        { subjectType: 'booking', outcome: 'anonymised', count: Number(anonymised.numUpdatedRows) },
        { subjectType: 'booking_waitlist', outcome: 'deleted', count: Number(deleted.numDeletedRows) },
      ]
    },
  }
}
