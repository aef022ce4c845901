import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import { uuidParams } from '../../platform/http/ids.js'
import { DomainError } from '../../platform/http/errors.js'
import { sendHtml } from '../../platform/views/page-context.js'
import type { LiveEvent } from '../../platform/live/index.js'
import { audit } from '../../platform/audit/audit.js'
import { addDays, dayInCity } from '../../platform/calendar/index.js'
import { bookingsOfResource, cityInstant } from '../booking/index.js'
import { findCase } from '../cases/index.js'
import { requireStaff, staffOf } from '../staff/index.js'
import { personsVideoBooking, staffsVideoBooking, videoDesksOf, type VideoBooking } from './video.access.js'
import { iceServersFor } from './video.ice.js'
import { callsOfBookings, findSignal } from './video.queries.js'
import {
  admitPerson,
  callOf,
  callState,
  confirmIdentity,
  endCall,
  fileCallDocument,
  joinWaitingRoom,
  joinWindow,
  linkCase,
  parseSignal,
  relaySignal,
  videoTopic,
  type Side,
} from './video.service.js'
import { PersonCallPage, type CallPageData } from './views/video-call.js'
import { StaffCallPage, TodaysCallsPage } from './views/video-backoffice.js'

const BookingParams = uuidParams('bookingId')
const TokenQuery = {
  type: 'object',
  properties: { k: { type: 'string', maxLength: 200 }, filed: { type: 'string', maxLength: 200 } },
}
type Params = { Params: { bookingId: string } }
type WithToken = Params & { Querystring: { k?: string; filed?: string } }

/**
 * Only the call pages may use camera, microphone and screen capture (every other page forbids them): the policy of
 * the platform with these three opened to this site.
 */
const CALL_PERMISSIONS = [
  'accelerometer=()',
  'camera=(self)',
  'display-capture=(self)',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=(self)',
  'payment=()',
  'usb=()',
  'interest-cohort=()',
].join(', ')

async function pageData(app: FastifyInstance, found: VideoBooking, label: string): Promise<CallPageData> {
  const now = app.clock.now()
  return {
    found,
    state: callState(await callOf(app.db, found.booking.id)),
    iceServers: iceServersFor(app.config, label, now),
    window: joinWindow(found.booking),
    now,
    office: app.services.office(found.resource.office),
  }
}

/**
 * The call's events for one side: state changes, and the other side's signalling messages and chat lines. A
 * message too large for NOTIFY is read from its row here, and messages go out in the order they came.
 */
function streamCall(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, bookingId: string, side: Side) {
  const topic = videoTopic(bookingId)
  let send: ((event: LiveEvent) => void) | undefined
  let queue = Promise.resolve()
  const forward = async (event: LiveEvent) => {
    const data = event.data ?? {}
    if (event.kind === 'signal' && data.from === side) return
    if (event.kind === 'signal' && typeof data.stored === 'string') {
      const body = await findSignal(app.db, bookingId, data.stored)
      if (body !== undefined) send?.({ topic, kind: 'signal', data: { from: data.from, kind: data.kind, data: body } })
      return
    }
    send?.(event)
  }
  const unsubscribe = app.live.subscribe(topic, event => {
    queue = queue
      .then(() => forward(event))
      .catch((error: unknown) => req.log.error({ err: error }, 'video stream: a message could not be forwarded'))
  })
  try {
    send = app.live.stream(req, reply, [], { onClose: unsubscribe })
  } catch (error) {
    unsubscribe()
    throw error
  }
}

/** The person's side: by the booking's manage link (its secret in `k`) or the account that booked. */
export const videoRoutes: FastifyPluginAsync = async app => {
  const personOf = (req: FastifyRequest, bookingId: string, token: string | undefined) =>
    personsVideoBooking(app.db, app.resources, bookingId, {
      token: token || undefined,
      accountId: req.session?.account?.id,
    })
  const actorOf = (req: FastifyRequest, found: VideoBooking) => ({
    accountId: req.session?.account?.id === found.booking.account_id ? found.booking.account_id : null,
  })

  app.get<WithToken>(
    '/video/:bookingId',
    { schema: { params: BookingParams, querystring: TokenQuery } },
    async (req, reply) => {
      const found = await personOf(req, req.params.bookingId, req.query.k)
      reply.header('permissions-policy', CALL_PERMISSIONS)
      const data = await pageData(app, found, found.booking.reference)
      return sendHtml(
        reply,
        PersonCallPage({
          ctx: await app.pageContext(req),
          data,
          token: req.query.k,
          filed: req.query.filed?.slice(0, 150),
        }),
      )
    },
  )

  app.get<WithToken>(
    '/video/:bookingId/events',
    { schema: { params: BookingParams, querystring: TokenQuery } },
    async (req, reply) => {
      const found = await personOf(req, req.params.bookingId, req.query.k)
      streamCall(app, req, reply, found.booking.id, 'person')
    },
  )

  app.post<Params>('/video/:bookingId/join', { schema: { params: BookingParams } }, async (req, reply) => {
    const { values } = await readFormInput(req)
    const found = await personOf(req, req.params.bookingId, formText(values, 'k'))
    await joinWaitingRoom(app.db, found, actorOf(req, found), app.clock.now())
    return reply.code(204).send()
  })

  app.post<Params>('/video/:bookingId/signal', { schema: { params: BookingParams } }, async (req, reply) => {
    const { values } = await readFormInput(req)
    const found = await personOf(req, req.params.bookingId, formText(values, 'k'))
    const message = parseSignal(formText(values, 'kind'), formText(values, 'data', { trim: false }))
    await relaySignal(app.db, found, 'person', message, app.clock.now())
    return reply.code(204).send()
  })

  app.post<Params>('/video/:bookingId/leave', { schema: { params: BookingParams } }, async (req, reply) => {
    const { values } = await readFormInput(req)
    const token = formText(values, 'k')
    const found = await personOf(req, req.params.bookingId, token)
    await endCall(app.db, 'person', actorOf(req, found), found, app.clock.now())
    return reply.redirect(`/video/${found.booking.id}${token ? `?k=${encodeURIComponent(token)}` : ''}`, 303)
  })

  app.post<Params>('/video/:bookingId/documents', { schema: { params: BookingParams } }, async (req, reply) => {
    const { values, files } = await readFormInput(req)
    const token = formText(values, 'k')
    const found = await personOf(req, req.params.bookingId, token)
    const k = token ? `k=${encodeURIComponent(token)}&` : ''
    try {
      const { filename } = await fileCallDocument(
        app.db,
        app.virusScanner,
        found,
        actorOf(req, found),
        files.find(f => f.fieldName === 'document'),
      )
      return reply.redirect(`/video/${found.booking.id}?${k}filed=${encodeURIComponent(filename)}#video-upload`, 303)
    } catch (error) {
      // What the person should fix (or wait for) is said at the field; the page keeps the call's details.
      if (!(error instanceof DomainError)) throw error
      reply.header('permissions-policy', CALL_PERMISSIONS)
      return sendHtml(
        reply,
        PersonCallPage({
          ctx: await app.pageContext(req),
          data: await pageData(app, found, found.booking.reference),
          token: token || undefined,
          uploadError: req.t.text(error.messageKey, error.params),
        }),
        error.statusCode,
      )
    }
  })
}

/** The caseworker's side: today's list, the call page, admitting, hanging up, linking a case, the identity step. */
export const videoBackofficeRoutes: FastifyPluginAsync = async app => {
  app.addHook('preHandler', requireStaff)
  const staffCall = (req: FastifyRequest, bookingId: string) =>
    staffsVideoBooking(app.db, app.resources, staffOf(req), bookingId)
  const back = (reply: FastifyReply, found: VideoBooking) =>
    reply.redirect(`/backoffice/video/${found.booking.id}`, 303)

  app.get('/backoffice/video', async (req, reply) => {
    const staff = staffOf(req)
    const today = dayInCity(app.clock.now())
    const from = cityInstant(today, 0)!
    const to = cityInstant(addDays(today, 1), 0)!
    const desks = videoDesksOf(app.resources, staff)
    const bookings = (
      await Promise.all(
        desks.map(async resource =>
          (await bookingsOfResource(app.db, resource.id, from, to)).map(booking => ({ booking, resource })),
        ),
      )
    )
      .flat()
      .sort((a, b) => a.booking.starts_at.getTime() - b.booking.starts_at.getTime())
    const calls = await callsOfBookings(
      app.db,
      bookings.map(b => b.booking.id),
    )
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      TodaysCallsPage({
        ctx,
        day: today,
        calls: bookings.map(b => ({ ...b, call: calls.find(c => c.booking_id === b.booking.id) })),
      }),
    )
  })

  const renderStaffPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    found: VideoBooking,
    form: { caseError?: string; typedReference?: string } = {},
    status = 200,
  ) => {
    const call = await callOf(app.db, found.booking.id)
    const linked = call?.case_id ? await findCase(app.db, call.case_id) : undefined
    reply.header('permissions-policy', CALL_PERMISSIONS)
    return sendHtml(
      reply,
      StaffCallPage({
        ctx: await app.pageContext(req),
        data: {
          ...(await pageData(app, found, found.booking.reference)),
          call,
          linkedCase: linked && { id: linked.id, reference: linked.reference },
        },
        ...form,
      }),
      status,
    )
  }

  app.get<Params>('/backoffice/video/:bookingId', { schema: { params: BookingParams } }, async (req, reply) => {
    const found = await staffCall(req, req.params.bookingId)
    // The page shows the person's name and contact: a read of personal data.
    await audit(app.db, {
      actor: { staffId: staffOf(req).id },
      action: 'video.open',
      subjectType: 'booking',
      subjectId: found.booking.id,
      officeId: found.resource.office,
    })
    return renderStaffPage(req, reply, found)
  })

  app.get<Params>('/backoffice/video/:bookingId/events', { schema: { params: BookingParams } }, async (req, reply) => {
    const found = await staffCall(req, req.params.bookingId)
    streamCall(app, req, reply, found.booking.id, 'staff')
  })

  app.post<Params>('/backoffice/video/:bookingId/admit', { schema: { params: BookingParams } }, async (req, reply) => {
    const found = await staffCall(req, req.params.bookingId)
    await admitPerson(app.db, staffOf(req), found, app.clock.now())
    return back(reply, found)
  })

  app.post<Params>('/backoffice/video/:bookingId/signal', { schema: { params: BookingParams } }, async (req, reply) => {
    const found = await staffCall(req, req.params.bookingId)
    const { values } = await readFormInput(req)
    const message = parseSignal(formText(values, 'kind'), formText(values, 'data', { trim: false }))
    await relaySignal(app.db, found, 'staff', message, app.clock.now())
    return reply.code(204).send()
  })

  app.post<Params>('/backoffice/video/:bookingId/end', { schema: { params: BookingParams } }, async (req, reply) => {
    const found = await staffCall(req, req.params.bookingId)
    await endCall(app.db, 'staff', { staffId: staffOf(req).id }, found, app.clock.now())
    return back(reply, found)
  })

  app.post<Params>(
    '/backoffice/video/:bookingId/identity',
    { schema: { params: BookingParams } },
    async (req, reply) => {
      const found = await staffCall(req, req.params.bookingId)
      await confirmIdentity(app.db, staffOf(req), found, app.clock.now())
      return back(reply, found)
    },
  )

  app.post<Params>('/backoffice/video/:bookingId/case', { schema: { params: BookingParams } }, async (req, reply) => {
    const found = await staffCall(req, req.params.bookingId)
    const { values } = await readFormInput(req)
    const reference = formText(values, 'reference').slice(0, 60)
    if (!reference)
      return renderStaffPage(req, reply, found, { caseError: req.t.text('video.errors.caseMissing') }, 400)
    try {
      await linkCase(app.db, staffOf(req), found, reference, app.clock.now())
    } catch (error) {
      if (!(error instanceof DomainError) || error.statusCode !== 422) throw error
      return renderStaffPage(
        req,
        reply,
        found,
        { caseError: req.t.text(error.messageKey, error.params), typedReference: reference },
        422,
      )
    }
    return back(reply, found)
  })
}
