import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { sendHtml } from '../../platform/views/page-context.js'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import { uuidParams } from '../../platform/http/ids.js'
import type { FieldError } from '../../platform/views/components.js'
import { addDays, dayInCity, isIsoDay } from '../../platform/calendar/index.js'
import { requireStaff, staffOf } from '../staff/index.js'
import type { Resource } from './booking.resources.js'
import { cityInstant, type Slot } from './booking.slots.js'
import { TimeJustTaken, TimeNotOffered } from './booking.errors.js'
import { BlockNotFree, NoBookableResource, type InTheWay } from './booking.staff.errors.js'
import {
  blockTime,
  cancelByStaff,
  counterList,
  markAttendance,
  moveByStaff,
  reachAt,
  readStaffBooking,
  removeBlock,
  resourcesOfStaff,
  staffCalendar,
  type Attendance,
} from './booking.staff.js'
import { createFeed, FEED_LABEL_MAX, feedPath, feedsOfStaff, revokeFeed } from './booking.feeds.js'
import { type CalendarView, CounterPage, StaffCalendarPage } from './views/staff-calendar.js'
import { BlockPage, type BlockForm, dayOf, FeedsPage, type MoveForm, StaffBookingPage } from './views/staff-booking.js'

const BookingParams = uuidParams('bookingId')
const FeedParams = uuidParams('feedId')
const NOTICES = ['moved', 'cancelled', 'blocked', 'unblocked', 'checked_in', 'no_show', 'done', 'revoked'] as const
const CalendarQuery = {
  type: 'object',
  properties: {
    resource: { type: 'string', maxLength: 80 },
    view: { type: 'string', enum: ['day', 'week'] },
    day: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    notice: { type: 'string', enum: NOTICES },
  },
} as const
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/
const TEXT_MAX = 500

const minutesOfTime = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/**
 * The back office's appointments (docs/booking.md): the day and week calendar of each resource of one's offices,
 * today's list at the counter with check-in and no-show, blocks, moving and cancelling with a message to the person,
 * and the calendar feeds. Another office's resources and bookings answer like missing ones.
 */
export const bookingStaffRoutes: FastifyPluginAsync = async app => {
  app.addHook('preHandler', requireStaff)

  /** The resources the signed-in person may see; none at all is a 403 with an explanation. */
  function ownResources(staff: StaffMember, calendarOnly = false): Resource[] {
    const own = resourcesOfStaff(app.resources, staff).filter(r => !calendarOnly || reachAt(staff, r) === 'calendar')
    if (!own.length) throw new NoBookableResource()
    return own
  }
  const pick = (own: Resource[], id: string | undefined) => own.find(r => r.id === id) ?? (own[0] as Resource)

  app.get<{ Querystring: { resource?: string; view?: CalendarView; day?: string; notice?: string } }>(
    '/backoffice/termine',
    { schema: { querystring: CalendarQuery } },
    async (req, reply) => {
      const staff = staffOf(req)
      const own = ownResources(staff)
      const resource = pick(own, req.query.resource)
      const now = app.clock.now()
      const today = dayInCity(now)
      const view = req.query.view ?? 'day'
      const asked = req.query.day && isIsoDay(req.query.day) ? req.query.day : today
      // A week starts on Monday.
      const weekday = (new Date(`${asked}T12:00:00Z`).getUTCDay() + 6) % 7
      const from = view === 'week' ? addDays(asked, -weekday) : asked
      const count = view === 'week' ? 7 : 1
      const days = await staffCalendar(app.db, resource, staff, { from, count }, now)
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        StaffCalendarPage({
          ctx,
          data: {
            resources: own,
            resource,
            reach: reachAt(staff, resource) ?? 'counter',
            view,
            day: asked,
            days,
            previous: addDays(asked, -count),
            next: addDays(asked, count),
            today,
            notice: req.query.notice,
          },
        }),
      )
    },
  )

  app.get<{ Querystring: { resource?: string; notice?: string } }>(
    '/backoffice/termine/heute',
    { schema: { querystring: CalendarQuery } },
    async (req, reply) => {
      const staff = staffOf(req)
      const own = ownResources(staff)
      const resource = pick(own, req.query.resource)
      const now = app.clock.now()
      const day = dayInCity(now)
      const bookings = await counterList(app.db, resource, staff, day)
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        CounterPage({ ctx, data: { resources: own, resource, day, bookings, now, notice: req.query.notice } }),
      )
    },
  )

  app.post<{ Params: { bookingId: string } }>(
    '/backoffice/termine/buchungen/:bookingId/anwesenheit',
    { schema: { params: BookingParams } },
    async (req, reply) => {
      const { values } = await readFormInput(req)
      const status = formText(values, 'status')
      if (status !== 'checked_in' && status !== 'no_show' && status !== 'done') {
        const { booking } = await readStaffBooking(app.db, app.resources, staffOf(req), req.params.bookingId)
        return reply.redirect(`/backoffice/termine/heute?resource=${encodeURIComponent(booking.resource_id)}`, 303)
      }
      const booking = await markAttendance(
        app.db,
        app.resources,
        staffOf(req),
        req.params.bookingId,
        status as Attendance,
        app.clock.now(),
      )
      return reply.redirect(
        `/backoffice/termine/heute?resource=${encodeURIComponent(booking.resource_id)}&notice=${status}`,
        303,
      )
    },
  )

  async function renderBooking(
    req: FastifyRequest<{ Params: { bookingId: string } }>,
    reply: FastifyReply,
    form: { move?: MoveForm; reason?: string; errors?: FieldError[]; alternatives?: Slot[]; notice?: string },
    status = 200,
  ) {
    const staff = staffOf(req)
    const { booking, resource } = await readStaffBooking(app.db, app.resources, staff, req.params.bookingId)
    const targets = resourcesOfStaff(app.resources, staff).filter(
      r => r.kind === resource.kind && r.office === resource.office && reachAt(staff, r) === 'calendar',
    )
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      StaffBookingPage({
        ctx,
        data: {
          booking,
          resource,
          reach: reachAt(staff, resource) ?? 'counter',
          targets,
          move: form.move ?? { resource: resource.id, day: dayOf(booking.starts_at), time: '', note: '' },
          reason: form.reason ?? '',
          errors: form.errors ?? [],
          alternatives: form.alternatives ?? [],
          notice: form.notice,
        },
      }),
      status,
    )
  }

  app.get<{ Params: { bookingId: string }; Querystring: { notice?: string } }>(
    '/backoffice/termine/buchungen/:bookingId',
    { schema: { params: BookingParams, querystring: CalendarQuery } },
    async (req, reply) => renderBooking(req, reply, { notice: req.query.notice }),
  )

  app.post<{ Params: { bookingId: string } }>(
    '/backoffice/termine/buchungen/:bookingId/verlegen',
    { schema: { params: BookingParams } },
    async (req, reply) => {
      const staff = staffOf(req)
      const { values } = await readFormInput(req)
      const move: MoveForm = {
        resource: formText(values, 'resource'),
        day: formText(values, 'day'),
        time: formText(values, 'time'),
        note: formText(values, 'note'),
      }
      const { t } = req
      const errors: FieldError[] = []
      if (!isIsoDay(move.day)) errors.push({ fieldId: 'day', message: t.text('booking.staff.errors.day') })
      if (!TIME.test(move.time)) errors.push({ fieldId: 'time', message: t.text('booking.staff.errors.time') })
      if (move.note.length > TEXT_MAX)
        errors.push({ fieldId: 'note', message: t.text('booking.staff.errors.tooLong', { max: TEXT_MAX }) })
      const start = errors.length ? null : cityInstant(move.day, minutesOfTime(move.time))
      if (!errors.length && !start)
        errors.push({ fieldId: 'time', message: t.text('booking.staff.errors.timeSkipped') })
      if (errors.length || !start) return renderBooking(req, reply, { move, errors }, 400)
      const target = app.resources.get(move.resource)
      if (!target || reachAt(staff, target) !== 'calendar')
        return renderBooking(
          req,
          reply,
          { move, errors: [{ fieldId: 'resource', message: t.text('booking.errors.resourceNotFound') }] },
          400,
        )
      try {
        await moveByStaff(
          app.db,
          app.resources,
          staff,
          req.params.bookingId,
          { start, resourceId: target.id, note: move.note },
          app.clock.now(),
          app.config.baseUrl,
        )
      } catch (error) {
        if (error instanceof TimeNotOffered)
          return renderBooking(
            req,
            reply,
            { move, errors: [{ fieldId: 'time', message: t.text(error.messageKey, error.params) }] },
            422,
          )
        if (error instanceof TimeJustTaken)
          return renderBooking(
            req,
            reply,
            {
              move,
              errors: [{ fieldId: 'time', message: t.text('booking.staff.errors.taken') }],
              alternatives: error.alternatives,
            },
            409,
          )
        throw error
      }
      return reply.redirect(`/backoffice/termine/buchungen/${req.params.bookingId}?notice=moved`, 303)
    },
  )

  app.post<{ Params: { bookingId: string } }>(
    '/backoffice/termine/buchungen/:bookingId/absagen',
    { schema: { params: BookingParams } },
    async (req, reply) => {
      const { values } = await readFormInput(req)
      const reason = formText(values, 'reason')
      const { t } = req
      const error = !reason
        ? t.text('booking.staff.errors.reasonMissing')
        : reason.length > TEXT_MAX
          ? t.text('booking.staff.errors.tooLong', { max: TEXT_MAX })
          : undefined
      if (error) return renderBooking(req, reply, { reason, errors: [{ fieldId: 'reason', message: error }] }, 400)
      await cancelByStaff(
        app.db,
        app.resources,
        staffOf(req),
        req.params.bookingId,
        reason,
        app.clock.now(),
        app.config.baseUrl,
      )
      return reply.redirect(`/backoffice/termine/buchungen/${req.params.bookingId}?notice=cancelled`, 303)
    },
  )

  app.post<{ Params: { bookingId: string } }>(
    '/backoffice/termine/buchungen/:bookingId/freigeben',
    { schema: { params: BookingParams } },
    async (req, reply) => {
      const block = await removeBlock(app.db, app.resources, staffOf(req), req.params.bookingId, app.clock.now())
      return reply.redirect(
        `/backoffice/termine?resource=${encodeURIComponent(block.resource_id)}&view=day&day=${dayOf(block.starts_at)}&notice=unblocked`,
        303,
      )
    },
  )

  async function renderBlock(
    req: FastifyRequest,
    reply: FastifyReply,
    form: BlockForm,
    errors: FieldError[] = [],
    inTheWay: InTheWay[] = [],
    status = 200,
  ) {
    const own = ownResources(staffOf(req), true)
    const ctx = await app.pageContext(req)
    return sendHtml(reply, BlockPage({ ctx, resources: own, form, errors, inTheWay }), status)
  }

  app.get<{ Querystring: { resource?: string; day?: string } }>(
    '/backoffice/termine/sperren',
    { schema: { querystring: CalendarQuery } },
    async (req, reply) => {
      const own = ownResources(staffOf(req), true)
      const day = req.query.day && isIsoDay(req.query.day) ? req.query.day : dayInCity(app.clock.now())
      return renderBlock(req, reply, { resource: pick(own, req.query.resource).id, day, from: '', to: '', reason: '' })
    },
  )

  app.post('/backoffice/termine/sperren', async (req, reply) => {
    const staff = staffOf(req)
    ownResources(staff, true)
    const { values } = await readFormInput(req)
    const form: BlockForm = {
      resource: formText(values, 'resource'),
      day: formText(values, 'day'),
      from: formText(values, 'from'),
      to: formText(values, 'to'),
      reason: formText(values, 'reason'),
    }
    const { t } = req
    const errors: FieldError[] = []
    const resource = app.resources.get(form.resource)
    if (!resource || reachAt(staff, resource) !== 'calendar')
      errors.push({ fieldId: 'resource', message: t.text('booking.errors.resourceNotFound') })
    if (!isIsoDay(form.day)) errors.push({ fieldId: 'day', message: t.text('booking.staff.errors.day') })
    if (!TIME.test(form.from)) errors.push({ fieldId: 'from', message: t.text('booking.staff.errors.time') })
    // 24:00 ends a whole day.
    if (!TIME.test(form.to) && form.to !== '24:00')
      errors.push({ fieldId: 'to', message: t.text('booking.staff.errors.time') })
    else if (TIME.test(form.from) && minutesOfTime(form.to) <= minutesOfTime(form.from))
      errors.push({ fieldId: 'to', message: t.text('booking.staff.errors.endBeforeStart') })
    if (!form.reason) errors.push({ fieldId: 'reason', message: t.text('booking.staff.errors.reasonMissing') })
    else if (form.reason.length > TEXT_MAX)
      errors.push({ fieldId: 'reason', message: t.text('booking.staff.errors.tooLong', { max: TEXT_MAX }) })
    const start = errors.length ? null : cityInstant(form.day, minutesOfTime(form.from))
    const end = errors.length ? null : cityInstant(form.day, minutesOfTime(form.to))
    if (!errors.length && (!start || !end))
      errors.push({ fieldId: start ? 'to' : 'from', message: t.text('booking.staff.errors.timeSkipped') })
    if (errors.length || !start || !end || !resource) return renderBlock(req, reply, form, errors, [], 400)
    try {
      await blockTime(app.db, resource, staff, { start, end, reason: form.reason }, app.clock.now())
    } catch (error) {
      if (error instanceof BlockNotFree)
        return renderBlock(
          req,
          reply,
          form,
          [{ fieldId: 'from', message: t.text('booking.staff.errors.blockNotFree', { count: error.inTheWay.length }) }],
          error.inTheWay,
          409,
        )
      throw error
    }
    return reply.redirect(
      `/backoffice/termine?resource=${encodeURIComponent(resource.id)}&view=day&day=${form.day}&notice=blocked`,
      303,
    )
  })

  async function renderFeeds(
    req: FastifyRequest,
    reply: FastifyReply,
    extra: { form?: { resource: string; label: string }; errors?: FieldError[]; created?: string; notice?: string },
    status = 200,
  ) {
    const staff = staffOf(req)
    const own = ownResources(staff, true)
    const feeds = await feedsOfStaff(app.db, app.resources, staff)
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      FeedsPage({
        ctx,
        data: {
          resources: own,
          feeds,
          form: extra.form ?? { resource: own[0]?.id ?? '', label: '' },
          errors: extra.errors ?? [],
          created: extra.created,
          notice: extra.notice,
        },
      }),
      status,
    )
  }

  app.get<{ Querystring: { notice?: string } }>(
    '/backoffice/termine/kalender-abos',
    { schema: { querystring: CalendarQuery } },
    async (req, reply) => renderFeeds(req, reply, { notice: req.query.notice }),
  )

  app.post('/backoffice/termine/kalender-abos', async (req, reply) => {
    const staff = staffOf(req)
    const { values } = await readFormInput(req)
    const form = { resource: formText(values, 'resource'), label: formText(values, 'label') }
    const { t } = req
    const errors: FieldError[] = []
    const resource = app.resources.get(form.resource)
    if (!resource || reachAt(staff, resource) !== 'calendar')
      errors.push({ fieldId: 'resource', message: t.text('booking.errors.resourceNotFound') })
    if (!form.label) errors.push({ fieldId: 'label', message: t.text('booking.feeds.errors.labelMissing') })
    else if (form.label.length > FEED_LABEL_MAX)
      errors.push({ fieldId: 'label', message: t.text('booking.staff.errors.tooLong', { max: FEED_LABEL_MAX }) })
    if (errors.length) return renderFeeds(req, reply, { form, errors }, 400)
    const { feed, secret } = await createFeed(
      app.db,
      app.resources,
      staff,
      { resourceId: form.resource, label: form.label },
      app.clock.now(),
    )
    // Shown on this answer only (no redirect): the secret is in no URL the browser history keeps.
    return renderFeeds(req, reply, { created: `${app.config.baseUrl}${feedPath(feed.id, secret)}` })
  })

  app.post<{ Params: { feedId: string } }>(
    '/backoffice/termine/kalender-abos/:feedId/widerrufen',
    { schema: { params: FeedParams } },
    async (req, reply) => {
      await revokeFeed(app.db, app.resources, staffOf(req), req.params.feedId, app.clock.now())
      return reply.redirect('/backoffice/termine/kalender-abos?notice=revoked', 303)
    },
  )
}
