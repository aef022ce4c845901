import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml, type PageContext } from '../../platform/views/page-context.js'
import { readFormInput } from '../../platform/http/form-input.js'
import { BadRequest, type DomainError, NotFound } from '../../platform/http/errors.js'
import { admitAnonymousSubmission, POW_FIELD, UnverifiedLimitReached } from '../../platform/http/proof-of-work.js'
import { isUuid, uuidParams } from '../../platform/http/ids.js'
import { addDays, dayInCity, isIsoDay, type IsoDay } from '../../platform/calendar/index.js'
import type { FieldError } from '../../platform/views/components.js'
import { formatDateTime } from '../../platform/i18n/i18n.js'
import { findCase } from '../cases/index.js'
import { requireAccount, accountOf } from '../accounts/index.js'
import {
  bookingsOfAccount,
  changeableUntil,
  findBooking,
  findBookingByToken,
  BookingNotFound,
  TimeJustTaken,
  TimeNotOffered,
  TooLateToChange,
  type BookingRow,
  type Slot,
} from '../booking/index.js'
import { choiceQuery, concernsOnOffer, resolveChoice, type Choice, type ChoiceQuery } from './appointments.choice.js'
import {
  bookAppointment,
  bookingLinks,
  cancelAppointment,
  freeDays,
  freeTimes,
  PERSON_PURPOSES,
  rebookAppointment,
  type AppointmentDeps,
} from './appointments.service.js'
import { bookingCalendar, concernName } from './appointments.mail.js'
import { AlreadyBooked } from './appointments.errors.js'
import { findWaitlistEntry, joinWaitlist, withdrawFromWaitlist } from './appointments.waitlist.js'
import {
  AccountAppointmentsPage,
  CancelPage,
  ChoosePage,
  ConfirmedPage,
  DaysPage,
  DetailsPage,
  ManagePage,
  MessagePage,
  monthOf,
  TimesPage,
  WaitlistEntryPage,
  WaitlistPage,
  type DetailsForm,
  type WaitlistForm,
} from './views/appointment-pages.js'

const text = (max: number) => ({ type: 'string', maxLength: max })
const StepQuery = {
  type: 'object',
  properties: {
    ort: text(80),
    anliegen: text(80),
    fall: text(40),
    monat: text(7),
    tag: text(10),
    beginn: text(40),
    warteliste: text(40),
    token: text(100),
  },
} as const
type StepQuery = ChoiceQuery & { monat?: string; tag?: string; beginn?: string; warteliste?: string; token?: string }
const TokenQuery = { type: 'object', properties: { token: text(100), monat: text(7), tag: text(10) } } as const

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^[0-9+()/\- ]{5,40}$/

const one = (v: string | string[] | undefined) => ((Array.isArray(v) ? v[0] : v) ?? '').trim()

function parseStart(value: string | undefined): Date {
  const start = value ? new Date(value) : new Date(Number.NaN)
  if (!value || Number.isNaN(start.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value))
    throw new BadRequest('appointments.errors.badTime')
  return start
}

function parseDay(value: string | undefined): IsoDay {
  if (!value || !isIsoDay(value)) throw new BadRequest('appointments.errors.badDay')
  return value as IsoDay
}

/** The month shown: the one asked for when it lies within the bookable days, else the first with a free day. */
function monthParam(value: string | undefined, fallback: string, first: IsoDay, last: IsoDay): string {
  if (value === undefined) return fallback
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new BadRequest('appointments.errors.badDay')
  return value < first.slice(0, 7) || value > last.slice(0, 7) ? fallback : value
}

/** /termine: the person-facing appointment booking (docs/appointments.md), with and without an account. */
export const appointmentRoutes: FastifyPluginAsync = async app => {
  const deps = (): AppointmentDeps => ({ db: app.db, resources: app.resources, baseUrl: app.config.baseUrl })

  /** The case of `fall`, when the signed-in person applied for it and its service ends by booking; else 404. */
  async function caseOf(req: FastifyRequest, caseId: string | undefined) {
    if (caseId === undefined) return undefined
    const account = req.session?.account
    if (!account || !isUuid(caseId)) throw new NotFound()
    const found = await findCase(app.db, caseId)
    const definition = found ? app.services.find(found.serviceId) : undefined
    if (!found || found.accountId !== account.id || !definition?.appointment) throw new NotFound()
    return { caseId: found.id, reference: found.reference, definition }
  }

  async function choiceOf(req: FastifyRequest<{ Querystring: StepQuery }>): Promise<Choice> {
    return resolveChoice(app.resources, req.query, req.locale, await caseOf(req, req.query.fall))
  }

  app.get<{ Querystring: StepQuery }>('/termine', { schema: { querystring: StepQuery } }, async (req, reply) => {
    const forCase = await caseOf(req, req.query.fall)
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      ChoosePage({
        ctx,
        offers: concernsOnOffer(app.resources, req.locale, forCase?.definition),
        caseId: forCase?.caseId,
        caseReference: forCase?.reference,
      }),
    )
  })

  app.get<{ Querystring: StepQuery }>('/termine/tage', { schema: { querystring: StepQuery } }, async (req, reply) => {
    const choice = await choiceOf(req)
    const now = app.clock.now()
    const { first, last, free } = await freeDays(app.db, choice, now)
    const firstFree = [...free].sort()[0] ?? first
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      DaysPage({
        ctx,
        choice,
        month: monthParam(req.query.monat, monthOf(firstFree), first, last),
        first,
        last,
        free,
        dayHref: day => `/termine/zeiten?${choiceQuery(choice, { tag: day })}`,
        monthHref: month => `/termine/tage?${choiceQuery(choice, { monat: month })}`,
        backHref: `/termine${choice.caseId ? `?fall=${choice.caseId}` : ''}`,
        waitlistHref: choice.caseId ? undefined : `/termine/warteliste?${choiceQuery(choice)}`,
      }),
    )
  })

  app.get<{ Querystring: StepQuery }>('/termine/zeiten', { schema: { querystring: StepQuery } }, async (req, reply) => {
    const choice = await choiceOf(req)
    const day = parseDay(req.query.tag)
    const slots = await freeTimes(app.db, choice, day, day, app.clock.now())
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      TimesPage({
        ctx,
        choice,
        day,
        slots,
        backHref: `/termine/tage?${choiceQuery(choice, { monat: monthOf(day) })}`,
        timeHref: s => `/termine/angaben?${choiceQuery(choice, { beginn: s.start.toISOString() })}`,
      }),
    )
  })

  const renderDetails = async (
    req: FastifyRequest,
    reply: FastifyReply,
    choice: Choice,
    start: Date,
    form: DetailsForm,
    status = 200,
    waitlistId?: string,
  ) => sendHtml(reply, DetailsPage({ ctx: await app.pageContext(req), choice, start, form, waitlistId }), status)

  app.get<{ Querystring: StepQuery }>(
    '/termine/angaben',
    { schema: { querystring: StepQuery } },
    async (req, reply) => {
      const choice = await choiceOf(req)
      const start = parseStart(req.query.beginn)
      const account = req.session?.account
      const waitlistId = isUuid(req.query.warteliste) ? req.query.warteliste : undefined
      const entry = waitlistId
        ? await app.db
            .selectFrom('booking_waitlist')
            .select(['person_name', 'person_email'])
            .where('id', '=', waitlistId)
            .executeTakeFirst()
        : undefined
      const values = {
        name: account?.displayName ?? entry?.person_name ?? '',
        email: account?.email ?? entry?.person_email ?? '',
        phone: '',
      }
      return renderDetails(req, reply, choice, start, { values, errors: [] }, 200, entry ? waitlistId : undefined)
    },
  )

  app.post<{ Querystring: StepQuery }>(
    '/termine/angaben',
    { schema: { querystring: StepQuery } },
    async (req, reply) => {
      const choice = await choiceOf(req)
      const { values } = await readFormInput(req)
      const start = parseStart(one(values.neu) || one(values.beginn))
      const typed = {
        name: one(values.name).slice(0, 200),
        email: one(values.email).slice(0, 254),
        phone: one(values.phone).slice(0, 40),
      }
      const waitlistId = isUuid(one(values.warteliste)) ? one(values.warteliste) : undefined
      const t = req.t
      const errors: FieldError[] = []
      if (!typed.name) errors.push({ fieldId: 'name', message: t.text('appointments.errors.nameMissing') })
      if (!typed.email) errors.push({ fieldId: 'email', message: t.text('appointments.errors.emailMissing') })
      else if (!EMAIL.test(typed.email))
        errors.push({ fieldId: 'email', message: t.text('appointments.errors.emailInvalid') })
      if (typed.phone && !PHONE.test(typed.phone))
        errors.push({ fieldId: 'phone', message: t.text('appointments.errors.phoneInvalid') })
      if (errors.length) return renderDetails(req, reply, choice, start, { values: typed, errors }, 400, waitlistId)
      const account = req.session?.account
      try {
        if (!account)
          await admitAnonymousSubmission(
            app.db,
            app.config,
            { solution: values[POW_FIELD], clientIp: req.ip },
            app.clock,
          )
        const made = await bookAppointment(
          deps(),
          {
            choice,
            start,
            person: { name: typed.name, email: typed.email, phone: typed.phone || undefined },
            accountId: account?.id,
            locale: req.locale,
            waitlistId,
          },
          app.clock.now(),
        )
        return reply.redirect(
          `/termine/${made.booking.id}/bestaetigt?token=${encodeURIComponent(made.manageToken)}`,
          303,
        )
      } catch (error) {
        const form: DetailsForm = { values: typed, errors: [] }
        if (error instanceof TimeJustTaken)
          return renderDetails(req, reply, choice, start, { ...form, justTaken: error.alternatives }, 409, waitlistId)
        if (error instanceof TimeNotOffered)
          return renderDetails(
            req,
            reply,
            choice,
            start,
            { ...form, breach: t.text(error.messageKey, error.params) },
            422,
            waitlistId,
          )
        if (error instanceof AlreadyBooked)
          return renderDetails(
            req,
            reply,
            choice,
            start,
            { ...form, alreadyBooked: t.text(error.messageKey, error.params) },
            409,
            waitlistId,
          )
        if (error instanceof UnverifiedLimitReached)
          return renderDetails(
            req,
            reply,
            choice,
            start,
            { ...form, rateLimitedMinutes: error.minutes },
            429,
            waitlistId,
          )
        throw error
      }
    },
  )

  app.get<{ Params: { bookingId: string }; Querystring: { token?: string } }>(
    '/termine/:bookingId/bestaetigt',
    { schema: { params: uuidParams('bookingId'), querystring: TokenQuery } },
    async (req, reply) => {
      const token = req.query.token ?? ''
      const booking = await personBookingByToken(app, req.params.bookingId, token)
      const ctx = await app.pageContext(req)
      const links = bookingLinks('', booking, booking.account_id ? undefined : token)
      return sendHtml(reply, ConfirmedPage({ ctx, booking, resource: app.resources.get(booking.resource_id), links }))
    },
  )

  app.get<{ Querystring: StepQuery }>(
    '/termine/warteliste',
    { schema: { querystring: StepQuery } },
    async (req, reply) => {
      const choice = await choiceOf(req)
      const account = req.session?.account
      const today = dayInCity(app.clock.now())
      const form: WaitlistForm = {
        values: { name: account?.displayName ?? '', email: account?.email ?? '', from: today, to: addDays(today, 30) },
        errors: [],
      }
      return sendHtml(reply, WaitlistPage({ ctx: await app.pageContext(req), choice, form }))
    },
  )

  app.post<{ Querystring: StepQuery }>(
    '/termine/warteliste',
    { schema: { querystring: StepQuery } },
    async (req, reply) => {
      const choice = await choiceOf(req)
      const { values } = await readFormInput(req)
      const typed = {
        name: one(values.name).slice(0, 200),
        email: one(values.email).slice(0, 254),
        from: one(values.from).slice(0, 10),
        to: one(values.to).slice(0, 10),
      }
      const t = req.t
      const today = dayInCity(app.clock.now())
      const errors: FieldError[] = []
      if (!typed.name) errors.push({ fieldId: 'name', message: t.text('appointments.errors.nameMissing') })
      if (!typed.email) errors.push({ fieldId: 'email', message: t.text('appointments.errors.emailMissing') })
      else if (!EMAIL.test(typed.email))
        errors.push({ fieldId: 'email', message: t.text('appointments.errors.emailInvalid') })
      if (!isIsoDay(typed.from)) errors.push({ fieldId: 'from', message: t.text('appointments.errors.dayInvalid') })
      else if (typed.from < today) errors.push({ fieldId: 'from', message: t.text('appointments.errors.dayPast') })
      if (!isIsoDay(typed.to)) errors.push({ fieldId: 'to', message: t.text('appointments.errors.dayInvalid') })
      else if (isIsoDay(typed.from) && typed.to < typed.from)
        errors.push({ fieldId: 'to', message: t.text('appointments.errors.dayBeforeFrom') })
      else if (typed.to > addDays(today, choice.resource.rules.horizonDays))
        errors.push({
          fieldId: 'to',
          message: t.text('booking.errors.tooFarAhead', { days: choice.resource.rules.horizonDays }),
        })
      const ctx = await app.pageContext(req)
      if (errors.length) return sendHtml(reply, WaitlistPage({ ctx, choice, form: { values: typed, errors } }), 400)
      const account = req.session?.account
      if (!account)
        await admitAnonymousSubmission(app.db, app.config, { solution: values[POW_FIELD], clientIp: req.ip }, app.clock)
      await joinWaitlist(
        deps(),
        {
          choice,
          firstDay: typed.from as IsoDay,
          lastDay: typed.to as IsoDay,
          person: typed,
          accountId: account?.id,
          locale: req.locale,
        },
        app.clock.now(),
      )
      return sendHtml(
        reply,
        MessagePage({
          ctx,
          title: t.text('appointments.waitlist.joined'),
          text: t.text('appointments.waitlist.joinedText', {
            from: formatDay(typed.from, req.locale),
            to: formatDay(typed.to, req.locale),
          }),
          links: [{ href: '/termine', label: t.text('appointments.choose.title') }],
        }),
      )
    },
  )

  app.get<{ Params: { entryId: string }; Querystring: { token?: string } }>(
    '/termine/warteliste/:entryId',
    { schema: { params: uuidParams('entryId'), querystring: TokenQuery } },
    async (req, reply) => {
      const token = req.query.token ?? ''
      const entry = await findWaitlistEntry(app.db, req.params.entryId, token)
      const resource = app.resources.get(entry.resource_id)
      return sendHtml(
        reply,
        WaitlistEntryPage({
          ctx: await app.pageContext(req),
          id: entry.id,
          token,
          place: resource?.name[req.locale] ?? entry.resource_id,
          concern: concernName(resource, { concern: entry.concern, locale: req.locale }),
          from: String(entry.first_day).slice(0, 10),
          to: String(entry.last_day).slice(0, 10),
        }),
      )
    },
  )

  app.post<{ Params: { entryId: string } }>(
    '/termine/warteliste/:entryId',
    { schema: { params: uuidParams('entryId') } },
    async (req, reply) => {
      const { values } = await readFormInput(req)
      await withdrawFromWaitlist(app.db, req.params.entryId, one(values.token), app.clock.now())
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        MessagePage({
          ctx,
          title: req.t.text('appointments.waitlist.withdrawn'),
          links: [{ href: '/termine', label: req.t.text('appointments.choose.title') }],
        }),
      )
    },
  )

  // The manage link: /termine/<id>?token=… without an account.
  registerManagement(app, {
    base: id => `/termine/${id}`,
    prefix: '/termine',
    resolve: async (req, token) =>
      personBookingByToken(app, (req.params as { bookingId: string }).bookingId, token ?? ''),
    withToken: true,
  })
}

const formatDay = (day: string, locale: 'de' | 'en') =>
  new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  )

/** A booking of /termine by its manage link; a hall booking or staff block answers like a missing one. */
async function personBookingByToken(app: FastifyInstance, bookingId: string, token: string): Promise<BookingRow> {
  const booking = await findBookingByToken(app.db, bookingId, token)
  if (!(PERSON_PURPOSES as readonly string[]).includes(booking.purpose)) throw new BookingNotFound()
  return booking
}

/**
 * The pages of one booking — details, calendar file, cancel (with a confirmation step) and rebook — registered once
 * under the manage link and once under the account, which differ only in how the booking is found.
 */
function registerManagement(
  app: FastifyInstance,
  how: {
    prefix: string
    base: (id: string) => string
    resolve: (req: FastifyRequest, token: string | undefined) => Promise<BookingRow>
    withToken: boolean
  },
) {
  const deps = (): AppointmentDeps => ({ db: app.db, resources: app.resources, baseUrl: app.config.baseUrl })
  const opts = { schema: { params: uuidParams('bookingId'), querystring: TokenQuery } }
  type Req = FastifyRequest<{
    Params: { bookingId: string }
    Querystring: { token?: string; monat?: string; tag?: string }
  }>
  const tokenOf = (req: Req) => (how.withToken ? (req.query.token ?? '') : undefined)
  const actorOf = (req: FastifyRequest) => ({ accountId: req.session?.account?.id })
  const manage = async (
    req: Req,
    reply: FastifyReply,
    booking: BookingRow,
    message?: string,
    status = 200,
    token = tokenOf(req),
  ) =>
    sendHtml(
      reply,
      ManagePage({
        ctx: await app.pageContext(req),
        booking,
        resource: app.resources.get(booking.resource_id),
        base: how.base(booking.id),
        token,
        changeableUntil: changeableUntil(app.resources.get(booking.resource_id), booking),
        message,
      }),
      status,
    )

  app.get(`${how.prefix}/:bookingId`, opts, async (req: Req, reply) =>
    manage(req, reply, await how.resolve(req, tokenOf(req))),
  )

  app.get(`${how.prefix}/:bookingId/kalender.ics`, opts, async (req: Req, reply) => {
    const booking = await how.resolve(req, tokenOf(req))
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="termin-${booking.reference}.ics"`)
      .header('cache-control', 'no-store')
      .send(bookingCalendar(booking, app.resources.get(booking.resource_id), booking.sequence))
  })

  app.get(`${how.prefix}/:bookingId/absagen`, opts, async (req: Req, reply) => {
    const booking = await how.resolve(req, tokenOf(req))
    const ctx = await app.pageContext(req)
    if (booking.status !== 'booked') return manage(req, reply, booking, undefined, 409)
    return sendHtml(
      reply,
      CancelPage({
        ctx,
        booking,
        resource: app.resources.get(booking.resource_id),
        base: how.base(booking.id),
        token: tokenOf(req),
      }),
    )
  })

  app.post(
    `${how.prefix}/:bookingId/absagen`,
    { schema: { params: uuidParams('bookingId') } },
    async (req: Req, reply) => {
      const { values } = await readFormInput(req)
      const token = how.withToken ? one(values.token) : undefined
      const booking = await how.resolve(req, token)
      try {
        await cancelAppointment(deps(), booking, actorOf(req), app.clock.now())
      } catch (error) {
        if (error instanceof TooLateToChange)
          return sendHtml(
            reply,
            CancelPage({
              ctx: await app.pageContext(req),
              booking,
              resource: app.resources.get(booking.resource_id),
              base: how.base(booking.id),
              token,
              error: req.t.text(error.messageKey, { until: formatDateTime(String(error.params.until), req.locale) }),
            }),
            409,
          )
        throw error
      }
      return sendHtml(
        reply,
        MessagePage({
          ctx: await app.pageContext(req),
          title: req.t.text('appointments.cancel.done', { reference: booking.reference }),
          text: req.t.text('appointments.cancel.doneText'),
          links: [{ href: '/termine', label: req.t.text('appointments.choose.title') }],
        }),
      )
    },
  )

  const choiceOfBooking = (booking: BookingRow, locale: 'de' | 'en'): Choice => {
    const choice = resolveChoice(app.resources, { ort: booking.resource_id, anliegen: booking.concern ?? '' }, locale)
    return { ...choice, minutes: (booking.ends_at.getTime() - booking.starts_at.getTime()) / 60_000 }
  }

  app.get(`${how.prefix}/:bookingId/verlegen`, opts, async (req: Req, reply) => {
    const booking = await how.resolve(req, tokenOf(req))
    if (booking.status !== 'booked') return manage(req, reply, booking, undefined, 409)
    const choice = choiceOfBooking(booking, req.locale)
    const ctx = await app.pageContext(req)
    const token = tokenOf(req)
    const q = (extra: Record<string, string>) =>
      new URLSearchParams({ ...(token ? { token } : {}), ...extra }).toString()
    const base = how.base(booking.id)
    if (req.query.tag !== undefined) {
      const day = parseDay(req.query.tag)
      const slots = await freeTimes(app.db, choice, day, day, app.clock.now())
      return sendHtml(
        reply,
        TimesPage({
          ctx,
          choice,
          day,
          slots,
          backHref: `${base}/verlegen?${q({ monat: monthOf(day) })}`,
          moveAction: { action: `${base}/verlegen`, token },
        }),
      )
    }
    const { first, last, free } = await freeDays(app.db, choice, app.clock.now())
    return sendHtml(
      reply,
      DaysPage({
        ctx,
        choice,
        month: monthParam(req.query.monat, monthOf([...free].sort()[0] ?? first), first, last),
        first,
        last,
        free,
        dayHref: day => `${base}/verlegen?${q({ tag: day })}`,
        monthHref: month => `${base}/verlegen?${q({ monat: month })}`,
        backHref: `${base}${token ? `?${q({})}` : ''}`,
        heading: req.t.text('appointments.rebook.title'),
      }),
    )
  })

  app.post(
    `${how.prefix}/:bookingId/verlegen`,
    { schema: { params: uuidParams('bookingId') } },
    async (req: Req, reply) => {
      const { values } = await readFormInput(req)
      const token = how.withToken ? one(values.token) : undefined
      const booking = await how.resolve(req, token)
      const start = parseStart(one(values.beginn))
      try {
        const moved = await rebookAppointment(deps(), booking, start, actorOf(req), app.clock.now())
        return manage(
          req,
          reply,
          moved,
          req.t.text('appointments.rebook.done', { when: formatDateTime(moved.starts_at, req.locale) }),
          200,
          token,
        )
      } catch (error) {
        if (error instanceof TimeJustTaken || error instanceof TimeNotOffered || error instanceof TooLateToChange) {
          const params =
            error instanceof TooLateToChange
              ? { until: formatDateTime(String(error.params.until), req.locale) }
              : error.params
          const choice = choiceOfBooking(booking, req.locale)
          const day = dayInCity(start)
          const slots =
            error instanceof TimeJustTaken
              ? error.alternatives
              : await freeTimes(app.db, choice, day, day, app.clock.now())
          return sendHtml(
            reply,
            MessagePageWithTimes(
              await app.pageContext(req),
              req.t.text(error.messageKey, params),
              choice,
              slots,
              `${how.base(booking.id)}/verlegen`,
              token,
            ),
            (error as DomainError).statusCode,
          )
        }
        throw error
      }
    },
  )
}

function MessagePageWithTimes(
  ctx: PageContext,
  message: string,
  choice: Choice,
  slots: Slot[],
  action: string,
  token?: string,
) {
  const day = slots[0] ? dayInCity(slots[0].start) : dayInCity(new Date())
  return TimesPage({
    ctx,
    choice,
    day,
    slots,
    backHref: `${action}${token ? `?token=${encodeURIComponent(token)}` : ''}`,
    moveAction: { action, token },
    error: message,
  })
}

/** "Meine Termine": the account's appointments, each managed like by its link. */
export const appointmentAccountRoutes: FastifyPluginAsync = async app => {
  app.addHook('preHandler', requireAccount)

  app.get('/account/termine', async (req, reply) => {
    const account = accountOf(req)
    const now = app.clock.now()
    const rows = (await bookingsOfAccount(app.db, account.id)).filter(b =>
      (PERSON_PURPOSES as readonly string[]).includes(b.purpose),
    )
    const upcoming = rows.filter(b => b.ends_at > now && b.status === 'booked').reverse()
    const past = rows.filter(b => !(b.ends_at > now && b.status === 'booked'))
    return sendHtml(
      reply,
      AccountAppointmentsPage({
        ctx: await app.pageContext(req),
        upcoming,
        past,
        resourceOf: id => app.resources.get(id),
      }),
    )
  })

  registerManagement(app, {
    prefix: '/account/termine',
    base: id => `/account/termine/${id}`,
    resolve: async req => {
      const booking = await findBooking(app.db, (req.params as { bookingId: string }).bookingId)
      if (
        !booking ||
        booking.account_id !== accountOf(req).id ||
        !(PERSON_PURPOSES as readonly string[]).includes(booking.purpose)
      )
        throw new BookingNotFound()
      return booking
    },
    withToken: false,
  })
}
