import type { Db, Trx } from '../../platform/db/database.js'

/** The facility bookings of some accounts (a person and the clubs they belong to), newest start first. */
export function listBookingsOfAccounts(db: Db, accountIds: string[]) {
  return db
    .selectFrom('bookings')
    .innerJoin('facility_bookings as f', 'f.booking_id', 'bookings.id')
    .selectAll('bookings')
    .select(['f.purpose_text', 'f.fee_cents as list_fee_cents', 'f.exemption', 'f.exemption_status'])
    .where('bookings.purpose', '=', 'facility')
    .where('bookings.account_id', 'in', accountIds)
    .orderBy('bookings.starts_at', 'desc')
    .limit(200)
    .execute()
}

export function findFacilityBooking(db: Db | Trx, bookingId: string) {
  return db
    .selectFrom('bookings')
    .innerJoin('facility_bookings as f', 'f.booking_id', 'bookings.id')
    .selectAll('bookings')
    .select([
      'f.purpose_text',
      'f.fee_cents as list_fee_cents',
      'f.exemption',
      'f.exemption_statement',
      'f.register_number',
      'f.exemption_status',
    ])
    .where('bookings.id', '=', bookingId)
    .executeTakeFirst()
}

/** Exemption claims waiting for the sports office, oldest first. */
export function listOpenClaims(db: Db) {
  return db
    .selectFrom('bookings')
    .innerJoin('facility_bookings as f', 'f.booking_id', 'bookings.id')
    .selectAll('bookings')
    .select([
      'f.purpose_text',
      'f.fee_cents as list_fee_cents',
      'f.exemption',
      'f.exemption_statement',
      'f.register_number',
    ])
    .where('f.exemption_status', '=', 'claimed')
    .where('bookings.status', '=', 'booked')
    .orderBy('bookings.created_at')
    .execute()
}

/** Who booked the live bookings of a hall in a range: the club's name only for published seasonal slots. */
export function listLiveBookingsOfResource(db: Db, resourceId: string, from: Date, to: Date) {
  return db
    .selectFrom('bookings')
    .leftJoin('accounts', 'accounts.id', 'bookings.account_id')
    .select([
      'bookings.id',
      'bookings.starts_at',
      'bookings.ends_at',
      'bookings.units',
      'bookings.series_id',
      'bookings.account_id',
      'accounts.company_name',
    ])
    .where('bookings.resource_id', '=', resourceId)
    .where('bookings.status', '=', 'booked')
    .where('bookings.starts_at', '<', to)
    .where('bookings.ends_at', '>', from)
    .orderBy('bookings.starts_at')
    .execute()
}

export function findOrganisation(db: Db | Trx, accountId: string) {
  return db.selectFrom('organisation_profiles').selectAll().where('account_id', '=', accountId).executeTakeFirst()
}

export function listSeasons(db: Db) {
  return db.selectFrom('facility_seasons').selectAll().orderBy('first_day', 'desc').execute()
}

export function findSeason(db: Db | Trx, seasonId: string) {
  return db.selectFrom('facility_seasons').selectAll().where('id', '=', seasonId).executeTakeFirst()
}

export function listApplicationsOfSeason(db: Db | Trx, seasonId: string) {
  return db
    .selectFrom('facility_applications as a')
    .innerJoin('accounts as club', 'club.id', 'a.club_account_id')
    .leftJoin('organisation_profiles as o', 'o.account_id', 'a.club_account_id')
    .selectAll('a')
    .select(['club.company_name as club_name', 'o.member_count'])
    .where('a.season_id', '=', seasonId)
    .orderBy('a.resource_id')
    .orderBy('a.weekday')
    .orderBy('a.start_minute')
    .execute()
}

export function listApplicationsOfClubs(db: Db, clubIds: string[]) {
  return db
    .selectFrom('facility_applications as a')
    .innerJoin('facility_seasons as s', 's.id', 'a.season_id')
    .innerJoin('accounts as club', 'club.id', 'a.club_account_id')
    .selectAll('a')
    .select(['s.name as season_name', 'club.company_name as club_name'])
    .where('a.club_account_id', 'in', clubIds)
    .orderBy('a.created_at', 'desc')
    .execute()
}

export function listClosures(db: Db) {
  return db.selectFrom('facility_closures').selectAll().orderBy('first_day', 'desc').limit(100).execute()
}

/** Closures of a resource touching [firstDay, lastDay]. */
export function closuresBetween(db: Db | Trx, resourceId: string, firstDay: string, lastDay: string) {
  return db
    .selectFrom('facility_closures')
    .selectAll()
    .where('resource_id', '=', resourceId)
    .where('first_day', '<=', lastDay)
    .where('last_day', '>=', firstDay)
    .execute()
}
