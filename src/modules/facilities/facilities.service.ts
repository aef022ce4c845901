import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.js'
import type { Config } from '../../platform/config.js'
import type { SessionAccount, StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import { addDays, dayInCity, type IsoDay } from '../../platform/calendar/index.js'
import { DomainError } from '../../platform/http/errors.js'
import { formatDateTime, formatMoney, isLocale, todayInGermany, type Locale } from '../../platform/i18n/i18n.js'
import { accountProfileFor } from '../accounts/index.js'
import { onBehalfOptionsOf } from '../mandates/index.js'
import { createCase, findCase, insertCaseEvent } from '../cases/index.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { cancelFeeNotice, issueFeeNotice, listFeeNoticesOfCase } from '../payments/index.js'
import {
  cancelBooking,
  cityInstant,
  reserve,
  TimeNotOffered,
  type Resource,
  type ResourceCatalogue,
} from '../booking/index.js'
import { feeCentsOf } from './facilities.rules.js'
import { AlreadyDecided, FacilityNotFound, FacilityRecordNotFound } from './facilities.errors.js'
import { closuresBetween, findFacilityBooking } from './facilities.queries.js'

export const FACILITY_SERVICE = 'hallennutzung'
export const EXEMPTIONS = ['school', 'youth', 'non-profit'] as const
export type Exemption = (typeof EXEMPTIONS)[number]

export interface FacilityDeps {
  db: Db
  resources: ResourceCatalogue
  services: ServiceRegistry
  config: Config
  now: Date
}

/** The halls and rooms people book here (kind hall or room); anything else answers 404. */
export function facilityOf(resources: ResourceCatalogue, id: string): Resource {
  const resource = resources.get(id)
  if (!resource || (resource.kind !== 'hall' && resource.kind !== 'room')) throw new FacilityNotFound()
  return resource
}

/** For whom the signed-in person may book: themselves, and each club (business account) they are a member of. */
export async function bookingOwnersOf(db: Db, account: SessionAccount): Promise<{ id: string; name: string }[]> {
  if (account.kind === 'business') return [{ id: account.id, name: account.displayName }]
  const options = await onBehalfOptionsOf(db, account)
  return [
    { id: account.id, name: account.displayName },
    ...options.filter(o => o.type === 'business').map(o => ({ id: o.id, name: o.name })),
  ]
}

/** The organisations whose profile the person keeps: the business account itself, or the clubs they own. */
export async function organisationsManagedBy(db: Db, account: SessionAccount): Promise<{ id: string; name: string }[]> {
  if (account.kind === 'business') return [{ id: account.id, name: account.displayName }]
  const options = await onBehalfOptionsOf(db, account)
  return options.filter(o => o.type === 'business' && o.role === 'owner').map(o => ({ id: o.id, name: o.name }))
}

export interface OrganisationProfile {
  type: 'club' | 'school' | 'company'
  memberCount: number | null
  registerNumber: string | null
}

/** An owner keeps the club's type, size and register number, which the allocation and exemptions use. */
export async function saveOrganisation(
  db: Db,
  account: SessionAccount,
  businessId: string,
  profile: OrganisationProfile,
) {
  if (!(await organisationsManagedBy(db, account)).some(o => o.id === businessId)) throw new FacilityRecordNotFound()
  const values = {
    organisation_type: profile.type,
    member_count: profile.memberCount,
    register_number: profile.registerNumber,
  }
  await db.transaction().execute(async trx => {
    await trx
      .insertInto('organisation_profiles')
      .values({ account_id: businessId, ...values })
      .onConflict(oc => oc.column('account_id').doUpdateSet(values))
      .execute()
    await audit(trx, {
      actor: { accountId: account.id },
      action: 'facility.organisation.update',
      subjectType: 'account',
      subjectId: businessId,
    })
  })
}

/** The accounts whose bookings a person sees: their own and those of the clubs they belong to. */
export async function visibleOwnerIds(db: Db, account: SessionAccount): Promise<string[]> {
  return (await bookingOwnersOf(db, account)).map(o => o.id)
}

/** A hall closed on that day by the sports office (added later than the rules): its reason. */
export class FacilityClosed extends DomainError {
  constructor(reason: string) {
    super(422, 'facilities.errors.closed', { reason })
  }
}

export interface FacilityRequest {
  resourceId: string
  parts: string[]
  day: IsoDay
  startMinute: number
  minutes: number
  purpose: string
  ownerId: string
  exemption: Exemption | null
  exemptionStatement: string
  registerNumber: string
}

/**
 * A single booking of a hall or room: the engine holds the time (every rule breach and "just taken" come from it);
 * a booking that costs money opens a case of the sports office (services/hallennutzung.yaml). Without an exemption
 * claim the fee notice goes to the booker's postbox at once, to be paid online; with one, the office decides first.
 * The follow-up steps run after the time is held; should one fail, the booking is cancelled again.
 */
export async function bookFacility(deps: FacilityDeps, account: SessionAccount, request: FacilityRequest) {
  const { db, resources, now } = deps
  const resource = facilityOf(resources, request.resourceId)
  const owners = await bookingOwnersOf(db, account)
  const owner = owners.find(o => o.id === request.ownerId)
  if (!owner) throw new FacilityRecordNotFound()
  const [closure] = await closuresBetween(db, resource.id, request.day, request.day)
  if (closure) throw new FacilityClosed(closure.reason)
  const start = cityInstant(request.day, request.startMinute)
  if (!start) throw new TimeNotOffered('outsideHours')
  const parts = resource.parts ? request.parts : []
  const feeCents = feeCentsOf(resource, parts, request.minutes)
  const exemption =
    request.exemption && resource.fee?.exemptions?.includes(request.exemption) ? request.exemption : null
  const { booking } = await reserve(
    db,
    resources,
    {
      resourceId: resource.id,
      purpose: 'facility',
      start,
      minutes: request.minutes,
      parts: resource.parts ? parts : undefined,
      accountId: owner.id,
      person: { name: owner.name, email: account.email },
      note: request.purpose,
      feeCents,
    },
    now,
    { accountId: account.id },
  )
  try {
    await db
      .insertInto('facility_bookings')
      .values({
        booking_id: booking.id,
        booked_by_account_id: account.id,
        purpose_text: request.purpose,
        fee_cents: feeCents,
        exemption,
        exemption_statement: exemption ? request.exemptionStatement : null,
        register_number: exemption ? request.registerNumber || null : null,
        exemption_status: exemption && feeCents > 0 ? 'claimed' : null,
      })
      .execute()
    if (feeCents > 0) await openFeeCase(deps, account, owner, resource, booking, request, exemption, feeCents)
  } catch (error) {
    await cancelBooking(db, resources, booking.id, { actor: { accountId: account.id }, asStaff: true }, now)
    throw error
  }
  return booking
}

async function openFeeCase(
  deps: FacilityDeps,
  account: SessionAccount,
  owner: { id: string; name: string },
  resource: Resource,
  booking: { id: string; starts_at: Date; ends_at: Date; units: string[] },
  request: FacilityRequest,
  exemption: Exemption | null,
  feeCents: number,
) {
  const { db, services } = deps
  const definition = services.get(FACILITY_SERVICE)
  const profile = await accountProfileFor(db, account.id)
  const locale: Locale = isLocale(profile.locale) ? profile.locale : 'de'
  const forClub = owner.id !== account.id
  const answers = {
    hall: resource.name[locale],
    parts: partNames(resource, booking.units, locale),
    time: `${formatDateTime(booking.starts_at, locale)} – ${formatDateTime(booking.ends_at, locale)}`,
    purpose: request.purpose,
    bookedFor: owner.name,
    exemption: exemption ?? '',
    exemptionStatement: exemption ? request.exemptionStatement : '',
    registerNumber: exemption ? request.registerNumber : '',
  }
  const created = await db.transaction().execute(async trx => {
    const c = await createCase(trx, {
      draftId: crypto.randomUUID(),
      definition,
      answers,
      applicantName: owner.name,
      applicantEmail: account.email,
      accountId: account.id,
      filedByStaffId: null,
      locale,
      representation: forClub
        ? {
            mandateId: null,
            businessAccountId: owner.id,
            actedByName: account.displayName,
            representedName: owner.name,
            relation: 'clerk',
          }
        : undefined,
    })
    await trx.updateTable('bookings').set({ case_id: c.id }).where('id', '=', booking.id).execute()
    return c
  })
  if (!exemption) await issueHallFee(deps, created.id, null, resource, booking, feeCents, locale)
}

const partNames = (resource: Resource, units: string[], locale: Locale) =>
  resource.parts
    ?.filter(p => units.includes(p.id))
    .map(p => p.name[locale])
    .join(', ') ?? ''

/** The fee notice of a booking: one line naming the hall, the parts and the time; due before the use. */
async function issueHallFee(
  deps: FacilityDeps,
  caseId: string,
  staff: StaffMember | null,
  resource: Resource,
  booking: { starts_at: Date; units: string[] },
  feeCents: number,
  locale: Locale,
) {
  const caseRecord = await findCase(deps.db, caseId)
  if (!caseRecord) throw new FacilityRecordNotFound()
  const today = todayInGermany(deps.now)
  const dayBefore = addDays(dayInCity(booking.starts_at), -1)
  const inTwoWeeks = addDays(today, 14)
  // Due the day before the use, at most in two weeks, and never before today (ISO days sort as text).
  const dueOn = [[dayBefore, inTwoWeeks].sort()[0]!, today].sort()[1]!
  const parts = partNames(resource, booking.units, locale)
  const label = (l: Locale) =>
    `${resource.name[l]}${parts ? ` (${partNames(resource, booking.units, l)})` : ''}, ${formatDateTime(booking.starts_at, l)}`
  await issueFeeNotice(
    { db: deps.db, services: deps.services, config: deps.config },
    {
      caseRecord,
      staff,
      dueOn,
      lines: [
        {
          id: 'hallennutzung',
          label: { de: label('de'), en: label('en') },
          quantity: 1,
          unitCents: feeCents,
          totalCents: feeCents,
        },
      ],
    },
  )
}

/**
 * The person (or a member of the club) cancels a booking until the rules' deadline (the engine checks it). The
 * time is freed; an open fee notice is withdrawn at once; a paid one stays with the sports office, whose case says
 * that the fee is to be refunded (the existing refund step, which the treasury sees).
 */
export async function cancelFacilityBooking(deps: FacilityDeps, account: SessionAccount, bookingId: string) {
  const { db, resources, now } = deps
  const booking = await findFacilityBooking(db, bookingId)
  const owners = await visibleOwnerIds(db, account)
  if (!booking?.account_id || !owners.includes(booking.account_id)) throw new FacilityRecordNotFound()
  await cancelBooking(db, resources, bookingId, { actor: { accountId: account.id }, asStaff: false }, now)
  if (!booking.case_id) return
  const notices = await listFeeNoticesOfCase(db, booking.case_id)
  for (const notice of notices.filter(n => n.status === 'open'))
    await cancelFeeNotice({ db, services: deps.services, config: deps.config }, null, notice.id, async caseId => {
      const found = await findCase(db, caseId)
      if (!found) throw new FacilityRecordNotFound()
      return found
    })
  const paid = notices.filter(n => n.status === 'paid').reduce((sum, n) => sum + n.amountCents, 0)
  await db.transaction().execute(async trx => {
    await insertCaseEvent(trx, {
      caseId: booking.case_id!,
      kind: 'note',
      internal: true,
      actorAccountId: account.id,
      data: {
        text: paid
          ? `Buchung ${booking.reference} fristgerecht storniert; bezahlte Gebühr ${formatMoney(paid, 'de')} ist zu erstatten.`
          : `Buchung ${booking.reference} fristgerecht storniert.`,
      },
    })
  })
}

/**
 * The sports office decides a claimed exemption: confirmed, nothing is charged; rejected, the full fee notice goes
 * to the booker's postbox. Once only.
 */
export async function decideExemption(
  deps: FacilityDeps,
  staff: StaffMember,
  bookingId: string,
  decision: 'confirm' | 'reject',
) {
  const { db, resources } = deps
  const booking = await findFacilityBooking(db, bookingId)
  if (!booking) throw new FacilityRecordNotFound()
  const resource = facilityOf(resources, booking.resource_id)
  const decided = await db
    .updateTable('facility_bookings')
    .set({
      exemption_status: decision === 'confirm' ? 'confirmed' : 'rejected',
      decided_by: staff.id,
      decided_at: deps.now,
    })
    .where('booking_id', '=', bookingId)
    .where('exemption_status', '=', 'claimed')
    .returning('booking_id')
    .executeTakeFirst()
  if (!decided) throw new AlreadyDecided()
  await audit(db, {
    actor: { staffId: staff.id },
    action: 'facility.exemption.decide',
    subjectType: 'booking',
    subjectId: bookingId,
    officeId: resource.office,
    details: { decision, exemption: booking.exemption },
  })
  if (!booking.case_id) return
  if (decision === 'reject') {
    const caseRecord = await findCase(db, booking.case_id)
    const locale: Locale = caseRecord && isLocale(caseRecord.locale) ? caseRecord.locale : 'de'
    await issueHallFee(deps, booking.case_id, staff, resource, booking, booking.list_fee_cents, locale)
  } else
    await insertCaseEvent(db, {
      caseId: booking.case_id,
      kind: 'note',
      internal: true,
      actorStaffId: staff.id,
      data: { text: `Gebührenbefreiung (${booking.exemption}) bestätigt.` },
    })
}
