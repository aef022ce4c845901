import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import { uuidParams } from '../../platform/http/ids.js'
import { addDays, dayInCity, isIsoDay, isPublicHoliday } from '../../platform/calendar/index.js'
import type { FieldError } from '../../platform/views/components.js'
import { accountOf, requireAccount } from '../accounts/index.js'
import {
  cityInstant,
  openingOn,
  TimeJustTaken,
  TimeNotOffered,
  unitsOf,
  type Resource,
  type Slot,
} from '../booking/index.js'
import {
  bookFacility,
  bookingOwnersOf,
  cancelFacilityBooking,
  FacilityClosed,
  facilityOf,
  organisationsManagedBy,
  saveOrganisation,
  type OrganisationProfile,
  visibleOwnerIds,
  type Exemption,
  type FacilityDeps,
} from './facilities.service.js'
import { applyForSlot } from './facilities.seasons.js'
import { FacilityRecordNotFound } from './facilities.errors.js'
import {
  closuresBetween,
  findOrganisation,
  listApplicationsOfClubs,
  listBookingsOfAccounts,
  listLiveBookingsOfResource,
  listSeasons,
} from './facilities.queries.js'
import { minuteOf, validateApplication, validateBooking } from './facilities.validate.js'
import type { GroupKind } from './facilities.rules.js'
import {
  ApplyPage,
  BookPage,
  HallsPage,
  MyBookingsPage,
  OrganisationPage,
  WeekPage,
  type ApplyValues,
  type BookValues,
  type MyApplication,
  type MyNotice,
  type OrganisationValues,
  type WeekRow,
} from './views/facilities-pages.js'

export const depsOf = (app: FastifyInstance): FacilityDeps => ({
  db: app.db,
  resources: app.resources,
  services: app.services,
  config: app.config,
  now: app.clock.now(),
})
export const hallsOf = (app: FastifyInstance) => app.resources.ofKind('hall', 'room')

const HallParams = {
  type: 'object',
  properties: { hallId: { type: 'string', maxLength: 80 } },
  required: ['hallId'],
} as const
const WeekQuery = { type: 'object', properties: { week: { type: 'string', maxLength: 10 } } } as const

/** Public: the halls and rooms, and each one's week of free and taken times. Nobody needs to sign in to look. */
export const facilityPublicRoutes: FastifyPluginAsync = async app => {
  app.get('/buchung', async (req, reply) => {
    const ctx = await app.pageContext(req)
    return sendHtml(reply, HallsPage({ ctx, halls: hallsOf(app) }))
  })

  app.get<{ Params: { hallId: string }; Querystring: { week?: string } }>(
    '/buchung/:hallId',
    { schema: { params: HallParams, querystring: WeekQuery } },
    async (req, reply) => {
      const hall = facilityOf(app.resources, req.params.hallId)
      const today = dayInCity(app.clock.now())
      const asked = req.query.week && isIsoDay(req.query.week) ? req.query.week : today
      // Weeks start on Monday.
      const monday = addDays(asked, -((new Date(`${asked}T12:00:00Z`).getUTCDay() + 6) % 7))
      const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i))
      const rows = await weekRows(app, hall, days, req.locale)
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        WeekPage({ ctx, hall, days, rows, previous: addDays(monday, -7), next: addDays(monday, 7) }),
      )
    },
  )
}

/**
 * The grid of a week: rows of the hall's slot length from its earliest opening to its latest closing; per day and
 * part free, taken (a seasonal slot: the club's name, public like a hall's posted plan; single bookers are never
 * named) or closed.
 */
async function weekRows(app: FastifyInstance, hall: Resource, days: string[], locale: string): Promise<WeekRow[]> {
  const from = cityInstant(days[0]!, 0)!
  const to = cityInstant(days[6]!, 24 * 60)!
  const [taken, closures] = await Promise.all([
    listLiveBookingsOfResource(app.db, hall.id, from, to),
    closuresBetween(app.db, hall.id, days[0]!, days[6]!),
  ])
  const opening = days.map(d => openingOn(hall, d, isPublicHoliday))
  const first = Math.min(...opening.flat().map(([o]) => o), 24 * 60)
  const last = Math.max(...opening.flat().map(([, c]) => c), 0)
  const step = Math.max(hall.rules.slotMinutes, 60)
  const lang = locale === 'en' ? 'en' : 'de'
  // Short in the grid ("A", "Nord"); the legend above the table names the parts in full.
  const units = unitsOf(hall).map(u => ({ id: u, name: shortPartName(hall.parts?.find(p => p.id === u)?.name[lang]) }))
  const rows: WeekRow[] = []
  for (let minute = first; minute < last; minute += step) {
    rows.push({
      minute,
      cells: days.map((day, i) => {
        const open = opening[i]!.some(([o, c]) => o <= minute && minute < c)
        if (!open) return null
        const start = cityInstant(day, minute)
        const end = cityInstant(day, Math.min(minute + step, 24 * 60))
        if (!start || !end) return null
        const closed = closures.some(c => c.first_day <= day && c.last_day >= day)
        return {
          units: units.map(u => {
            const booking = taken.find(b => b.units.includes(u.id) && b.starts_at < end && b.ends_at > start)
            return {
              id: u.id,
              name: u.name,
              state: closed ? 'closed' : booking ? 'taken' : 'free',
              club: booking?.series_id ? booking.company_name : null,
            }
          }),
        }
      }),
    })
  }
  return rows
}

const NoticeQuery = {
  type: 'object',
  properties: { notice: { type: 'string', enum: ['booked', 'cancelled', 'applied', 'saved'] } },
} as const
const NewQuery = {
  type: 'object',
  properties: {
    hall: { type: 'string', maxLength: 80 },
    day: { type: 'string', maxLength: 10 },
    start: { type: 'string', maxLength: 5 },
  },
} as const

/** Signed in: book (an account is needed: the fee notice and the booking's case go to a postbox), cancel, apply. */
export const facilityAccountRoutes: FastifyPluginAsync = async app => {
  app.addHook('preHandler', requireAccount)

  app.get<{ Querystring: { notice?: MyNotice } }>(
    '/account/buchungen',
    { schema: { querystring: NoticeQuery } },
    async (req, reply) => {
      const account = accountOf(req)
      const owners = await bookingOwnersOf(app.db, account)
      const ids = owners.map(o => o.id)
      const names = new Map(owners.map(o => [o.id, o.name]))
      const [rows, applications, organisations] = await Promise.all([
        listBookingsOfAccounts(app.db, ids),
        listApplicationsOfClubs(app.db, ids),
        organisationsManagedBy(app.db, account),
      ])
      const ctx = await app.pageContext(req)
      const locale = ctx.locale
      return sendHtml(
        reply,
        MyBookingsPage({
          ctx,
          notice: req.query.notice,
          bookings: rows.map(b => {
            const hall = app.resources.get(b.resource_id)
            return {
              id: b.id,
              reference: b.reference,
              hall: hall?.name[locale] ?? b.resource_id,
              parts: partsText(hall, b.units, locale),
              startsAt: b.starts_at,
              endsAt: b.ends_at,
              status: b.status,
              ownerName: names.get(b.account_id ?? '') ?? '',
              feeCents: b.list_fee_cents,
              exemption: b.exemption,
              exemptionStatus: b.exemption_status,
              seasonal: !!b.series_id,
            }
          }),
          applications: applications.map(a => applicationView(app, a, locale)),
          organisations,
        }),
      )
    },
  )

  async function renderOrganisation(
    req: FastifyRequest,
    reply: FastifyReply,
    businessId: string,
    values: OrganisationValues | null,
    errors: FieldError[],
    status = 200,
  ) {
    const organisation = (await organisationsManagedBy(app.db, accountOf(req))).find(o => o.id === businessId)
    if (!organisation) throw new FacilityRecordNotFound()
    const saved = await findOrganisation(app.db, businessId)
    const shown = values ?? {
      type: saved?.organisation_type ?? 'club',
      memberCount: saved?.member_count?.toString() ?? '',
      registerNumber: saved?.register_number ?? '',
    }
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      OrganisationPage({ ctx, businessId, name: organisation.name, values: shown, errors }),
      status,
    )
  }

  app.get<{ Params: { businessId: string } }>(
    '/account/buchungen/verein/:businessId',
    { schema: { params: uuidParams('businessId') } },
    async (req, reply) => renderOrganisation(req, reply, req.params.businessId, null, []),
  )

  app.post<{ Params: { businessId: string } }>(
    '/account/buchungen/verein/:businessId',
    { schema: { params: uuidParams('businessId') } },
    async (req, reply) => {
      const input = await readFormInput(req)
      const values: OrganisationValues = {
        type: formText(input.values, 'type'),
        memberCount: formText(input.values, 'memberCount'),
        registerNumber: formText(input.values, 'registerNumber'),
      }
      const errors: FieldError[] = []
      if (!['club', 'school', 'company'].includes(values.type))
        errors.push({ fieldId: 'type', message: req.t.text('facilities.errors.typeUnknown') })
      if (values.memberCount && !/^\d{1,7}$/.test(values.memberCount))
        errors.push({ fieldId: 'memberCount', message: req.t.text('facilities.errors.memberCount') })
      if (values.registerNumber.length > 60)
        errors.push({ fieldId: 'registerNumber', message: req.t.text('facilities.errors.tooLong', { max: 60 }) })
      if (errors.length) return renderOrganisation(req, reply, req.params.businessId, values, errors, 400)
      await saveOrganisation(app.db, accountOf(req), req.params.businessId, {
        type: values.type as OrganisationProfile['type'],
        memberCount: values.memberCount ? Number(values.memberCount) : null,
        registerNumber: values.registerNumber || null,
      })
      return reply.redirect('/account/buchungen?notice=saved', 303)
    },
  )

  const emptyBooking = (hall: Resource, owner: string): BookValues => ({
    hall: hall.id,
    parts: [],
    day: '',
    start: '',
    minutes: String(hall.rules.minMinutes ?? 60),
    purpose: '',
    owner,
    exemption: '',
    statement: '',
    registerNumber: '',
  })

  async function renderBook(
    req: FastifyRequest,
    reply: FastifyReply,
    hall: Resource,
    values: BookValues,
    errors: FieldError[],
    alternatives: Slot[] = [],
    status = 200,
  ) {
    const owners = await bookingOwnersOf(app.db, accountOf(req))
    const ctx = await app.pageContext(req)
    return sendHtml(reply, BookPage({ ctx, hall, halls: hallsOf(app), owners, values, errors, alternatives }), status)
  }

  app.get<{ Querystring: { hall?: string; day?: string; start?: string } }>(
    '/account/buchungen/neu',
    { schema: { querystring: NewQuery } },
    async (req, reply) => {
      const hall = facilityOf(app.resources, req.query.hall ?? hallsOf(app)[0]?.id ?? '')
      const values = emptyBooking(hall, accountOf(req).id)
      if (req.query.day && isIsoDay(req.query.day)) values.day = req.query.day
      if (req.query.start && minuteOf(req.query.start) !== null) values.start = req.query.start
      return renderBook(req, reply, hall, values, [])
    },
  )

  app.post('/account/buchungen', async (req, reply) => {
    const account = accountOf(req)
    const input = await readFormInput(req)
    const hall = facilityOf(app.resources, formText(input.values, 'hall'))
    const rawParts = input.values.parts
    const values: BookValues = {
      hall: hall.id,
      parts: (Array.isArray(rawParts) ? rawParts : rawParts ? [rawParts] : []).slice(0, 12),
      day: formText(input.values, 'day'),
      start: formText(input.values, 'start'),
      minutes: formText(input.values, 'minutes'),
      purpose: formText(input.values, 'purpose'),
      owner: formText(input.values, 'owner'),
      exemption: formText(input.values, 'exemption'),
      statement: formText(input.values, 'statement'),
      registerNumber: formText(input.values, 'registerNumber'),
    }
    const owners = await bookingOwnersOf(app.db, account)
    const errors = validateBooking(
      hall,
      values,
      owners.map(o => o.id),
      req.t,
    )
    if (errors.length) return renderBook(req, reply, hall, values, errors, [], 400)
    try {
      await bookFacility(depsOf(app), account, {
        resourceId: hall.id,
        parts: values.parts,
        day: values.day,
        startMinute: minuteOf(values.start)!,
        minutes: Number(values.minutes),
        purpose: values.purpose,
        ownerId: values.owner,
        exemption: (values.exemption || null) as Exemption | null,
        exemptionStatement: values.statement,
        registerNumber: values.registerNumber,
      })
    } catch (error) {
      // A rule the time breaks or a time just taken: the form again, everything kept, the message at its field.
      if (error instanceof TimeNotOffered) {
        const field =
          error.breach === 'tooShort' || error.breach === 'tooLong'
            ? 'minutes'
            : error.breach === 'unknownPart'
              ? 'parts'
              : 'day'
        return renderBook(
          req,
          reply,
          hall,
          values,
          [{ fieldId: field, message: req.t.text(error.messageKey, error.params) }],
          [],
          422,
        )
      }
      if (error instanceof FacilityClosed)
        return renderBook(
          req,
          reply,
          hall,
          values,
          [{ fieldId: 'day', message: req.t.text(error.messageKey, error.params) }],
          [],
          422,
        )
      if (error instanceof TimeJustTaken)
        return renderBook(
          req,
          reply,
          hall,
          values,
          [{ fieldId: 'start', message: req.t.text('facilities.errors.justTaken') }],
          error.alternatives,
          409,
        )
      throw error
    }
    return reply.redirect('/account/buchungen?notice=booked', 303)
  })

  app.post<{ Params: { bookingId: string } }>(
    '/account/buchungen/:bookingId/cancel',
    { schema: { params: uuidParams('bookingId') } },
    async (req, reply) => {
      await cancelFacilityBooking(depsOf(app), accountOf(req), req.params.bookingId)
      return reply.redirect('/account/buchungen?notice=cancelled', 303)
    },
  )

  const emptyApplication: ApplyValues = {
    season: '',
    club: '',
    hall: '',
    parts: [],
    weekday: '1',
    start: '',
    minutes: '90',
    group: 'club',
    note: '',
  }

  async function renderApply(
    req: FastifyRequest,
    reply: FastifyReply,
    values: ApplyValues,
    errors: FieldError[],
    status = 200,
  ) {
    const account = accountOf(req)
    const clubs = (await bookingOwnersOf(app.db, account)).filter(
      o => account.kind === 'business' || o.id !== account.id,
    )
    const today = dayInCity(app.clock.now())
    const seasons = (await listSeasons(app.db)).filter(s => s.last_day >= today)
    const applications = await listApplicationsOfClubs(app.db, await visibleOwnerIds(app.db, account))
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      ApplyPage({
        ctx,
        seasons: seasons.map(s => ({ id: s.id, name: s.name })),
        clubs,
        halls: hallsOf(app),
        values,
        errors,
        applications: applications.map(a => applicationView(app, a, ctx.locale)),
      }),
      status,
    )
  }

  app.get('/account/buchungen/saison', async (req, reply) => renderApply(req, reply, emptyApplication, []))

  app.post('/account/buchungen/saison', async (req, reply) => {
    const account = accountOf(req)
    const input = await readFormInput(req)
    const rawParts = input.values.parts
    const values: ApplyValues = {
      season: formText(input.values, 'season'),
      club: formText(input.values, 'club'),
      hall: formText(input.values, 'hall'),
      parts: (Array.isArray(rawParts) ? rawParts : rawParts ? [rawParts] : []).slice(0, 24),
      weekday: formText(input.values, 'weekday'),
      start: formText(input.values, 'start'),
      minutes: formText(input.values, 'minutes'),
      group: formText(input.values, 'group'),
      note: formText(input.values, 'note'),
    }
    const clubs = (await bookingOwnersOf(app.db, account)).filter(
      o => account.kind === 'business' || o.id !== account.id,
    )
    const seasons = await listSeasons(app.db)
    const errors = validateApplication(
      values,
      { seasons: seasons.map(s => s.id), clubs: clubs.map(c => c.id), halls: hallsOf(app) },
      req.t,
    )
    if (errors.length) return renderApply(req, reply, values, errors, 400)
    await applyForSlot(depsOf(app), account, {
      seasonId: values.season,
      clubId: values.club,
      resourceId: values.hall,
      parts: values.parts.map(p => p.slice(values.hall.length + 1)),
      weekday: Number(values.weekday),
      startMinute: minuteOf(values.start)!,
      minutes: Number(values.minutes),
      groupKind: values.group as GroupKind,
      note: values.note,
    })
    return reply.redirect('/account/buchungen?notice=applied', 303)
  })
}

/** The last word of a part's name: "Hallendrittel A" → "A". */
export const shortPartName = (name: string | undefined) => name?.split(' ').pop() ?? ''

export const partsText = (hall: Resource | undefined, units: string[], locale: 'de' | 'en') =>
  hall?.parts
    ?.filter(p => units.includes(p.id))
    .map(p => p.name[locale])
    .join(', ') ?? ''

function applicationView(
  app: FastifyInstance,
  a: Awaited<ReturnType<typeof listApplicationsOfClubs>>[number],
  locale: 'de' | 'en',
): MyApplication {
  const hall = app.resources.get(a.resource_id)
  return {
    id: a.id,
    seasonName: a.season_name,
    clubName: a.club_name ?? '',
    hall: hall?.name[locale] ?? a.resource_id,
    parts: partsText(hall, a.parts, locale),
    weekday: a.weekday,
    startMinute: a.start_minute,
    minutes: a.minutes,
    status: a.status,
  }
}
