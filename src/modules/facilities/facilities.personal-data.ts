import type { Db, Trx } from '../../platform/db/database.js'
import type { PersonalDataHolder } from '../../platform/privacy/index.js'

/**
 * Hall bookings made by or for the account, its seasonal applications and its organisation profile. Erasure frees
 * the account's live hall times (the hall is bookable again), keeps the past ones without name and e-mail address
 * (the sports office's statistics and the fee case keep what the law asks), and deletes the applications and the
 * profile (both cascade with a club's account).
 */
export const facilitiesHolder: PersonalDataHolder = {
  id: 'facilities',
  async exportFor(db: Db, accountId: string) {
    const bookings = await db
      .selectFrom('bookings')
      .innerJoin('facility_bookings as f', 'f.booking_id', 'bookings.id')
      .select([
        'bookings.reference',
        'bookings.resource_id as resource',
        'bookings.units as parts',
        'bookings.starts_at as startsAt',
        'bookings.ends_at as endsAt',
        'bookings.status',
        'f.purpose_text as purpose',
        'f.fee_cents as feeCents',
        'f.exemption',
        'f.exemption_statement as exemptionStatement',
        'f.register_number as registerNumber',
        'f.exemption_status as exemptionStatus',
      ])
      .where(eb => eb.or([eb('bookings.account_id', '=', accountId), eb('f.booked_by_account_id', '=', accountId)]))
      .orderBy('bookings.starts_at')
      .execute()
    const applications = await db
      .selectFrom('facility_applications')
      .select([
        'id',
        'season_id as seasonId',
        'resource_id as resource',
        'parts',
        'weekday',
        'start_minute as startMinute',
        'minutes',
        'group_kind as group',
        'note',
        'status',
        'created_at as createdAt',
      ])
      .where(eb => eb.or([eb('club_account_id', '=', accountId), eb('applied_by_account_id', '=', accountId)]))
      .execute()
    const organisation = await db
      .selectFrom('organisation_profiles')
      .select(['organisation_type as type', 'member_count as memberCount', 'register_number as registerNumber'])
      .where('account_id', '=', accountId)
      .executeTakeFirst()
    return { data: { bookings, applications, organisation: organisation ?? null } }
  },
  async eraseFor(trx: Trx, accountId: string) {
    const now = new Date()
    const live = await trx
      .selectFrom('bookings')
      .select('id')
      .where('account_id', '=', accountId)
      .where('purpose', '=', 'facility')
      .where('status', '=', 'booked')
      .where('starts_at', '>', now)
      .execute()
    const ids = live.map(b => b.id)
    if (ids.length) {
      await trx.deleteFrom('booking_occupancy').where('booking_id', 'in', ids).execute()
      await trx
        .updateTable('bookings')
        .set({ status: 'cancelled', cancelled_at: now, cancel_reason: 'erasure' })
        .where('id', 'in', ids)
        .execute()
    }
    const anonymised = await trx
      .updateTable('bookings')
      .set({ person_name: null, person_email: null, person_phone: null, note: null })
      .where('account_id', '=', accountId)
      .where('purpose', '=', 'facility')
      .executeTakeFirst()
    await trx
      .updateTable('facility_bookings')
      .set({ exemption_statement: null, purpose_text: '' })
      .where('booked_by_account_id', '=', accountId)
      .execute()
    const applications = await trx
      .deleteFrom('facility_applications')
      .where(eb => eb.or([eb('club_account_id', '=', accountId), eb('applied_by_account_id', '=', accountId)]))
      .executeTakeFirst()
    await trx.deleteFrom('organisation_profiles').where('account_id', '=', accountId).execute()
    return [
      { subjectType: 'facility_booking', outcome: 'anonymised' as const, count: Number(anonymised.numUpdatedRows) },
      { subjectType: 'facility_application', outcome: 'deleted' as const, count: Number(applications.numDeletedRows) },
    ]
  },
}
