import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import { uuidParams } from '../../platform/http/ids.js'
import { isIsoDay } from '../../platform/calendar/index.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import type { FieldError } from '../../platform/views/components.js'
import { requireStaff, staffOf } from '../staff/index.js'
import { decideExemption } from './facilities.service.js'
import { closeHall, createSeason, publishSeason, saveAllocation, seasonPlan } from './facilities.seasons.js'
import { findOrganisation, listClosures, listOpenClaims, listSeasons } from './facilities.queries.js'
import { parseDayList } from './facilities.rules.js'
import { NotTheSportsOffice } from './facilities.errors.js'
import { depsOf, hallsOf, partsText } from './facilities.routes.js'
import { OfficePage, SeasonPlanPage, type OfficeNotice, type OfficeValues } from './views/office-pages.js'

/** The office that lets the halls (services/_resources.yaml names it on each hall). */
export const SPORTS_OFFICE = 'sport-und-freizeit'

/** Only the sports office's caseworkers and team leads see claims, applications and allocations. */
export function isSportsOffice(staff: StaffMember): boolean {
  return staff.roles.some(r => r.officeId === SPORTS_OFFICE && (r.role === 'caseworker' || r.role === 'team_lead'))
}

const NoticeQuery = {
  type: 'object',
  properties: {
    notice: { type: 'string', enum: ['confirmed', 'rejected', 'seasonCreated', 'closed'] },
    count: { type: 'integer', minimum: 0, maximum: 100000 },
  },
} as const
const PlanQuery = { type: 'object', properties: { skipped: { type: 'integer', minimum: 0, maximum: 100000 } } } as const

export const facilityOfficeRoutes: FastifyPluginAsync = async app => {
  app.addHook('preHandler', requireStaff)
  app.addHook('preHandler', async req => {
    const staff = req.session?.staff
    if (staff && !isSportsOffice(staff)) throw new NotTheSportsOffice()
  })

  const emptyValues: OfficeValues = {
    name: '',
    firstDay: '',
    lastDay: '',
    excluded: '',
    closeHall: '',
    closeFrom: '',
    closeTo: '',
    reason: '',
  }

  async function renderOffice(
    req: FastifyRequest,
    reply: FastifyReply,
    values: OfficeValues,
    errors: FieldError[],
    status = 200,
    notice?: OfficeNotice,
    count?: number,
  ) {
    const ctx = await app.pageContext(req)
    const locale = ctx.locale
    const [claims, seasons, closures] = await Promise.all([
      listOpenClaims(app.db),
      listSeasons(app.db),
      listClosures(app.db),
    ])
    const claimViews = await Promise.all(
      claims.map(async c => {
        const hall = app.resources.get(c.resource_id)
        const organisation = c.account_id ? await findOrganisation(app.db, c.account_id) : undefined
        return {
          id: c.id,
          reference: c.reference,
          hall: `${hall?.name[locale] ?? c.resource_id}${hall?.parts ? ` (${partsText(hall, c.units, locale)})` : ''}`,
          startsAt: c.starts_at,
          ownerName: c.person_name ?? '',
          feeCents: c.list_fee_cents,
          exemption: c.exemption ?? '',
          statement: c.exemption_statement ?? '',
          registerNumber: c.register_number ?? '',
          memberCount: organisation?.member_count ?? null,
        }
      }),
    )
    return sendHtml(
      reply,
      OfficePage({
        ctx,
        claims: claimViews,
        seasons: seasons.map(s => ({ id: s.id, name: s.name, firstDay: s.first_day, lastDay: s.last_day })),
        closures: closures.map(c => ({
          hall: app.resources.get(c.resource_id)?.name[locale] ?? c.resource_id,
          firstDay: c.first_day,
          lastDay: c.last_day,
          reason: c.reason,
        })),
        halls: hallsOf(app),
        values,
        errors,
        notice,
        cancelled: count,
      }),
      status,
    )
  }

  app.get<{ Querystring: { notice?: OfficeNotice; count?: number } }>(
    '/backoffice/buchung',
    { schema: { querystring: NoticeQuery } },
    async (req, reply) => renderOffice(req, reply, emptyValues, [], 200, req.query.notice, req.query.count),
  )

  app.post<{ Params: { bookingId: string } }>(
    '/backoffice/buchung/claims/:bookingId',
    { schema: { params: uuidParams('bookingId') } },
    async (req, reply) => {
      const input = await readFormInput(req)
      const decision = formText(input.values, 'decision')
      if (decision !== 'confirm' && decision !== 'reject')
        return renderOffice(
          req,
          reply,
          emptyValues,
          [{ fieldId: 'error-summary', message: req.t.text('facilities.errors.decisionMissing') }],
          400,
        )
      await decideExemption(depsOf(app), staffOf(req), req.params.bookingId, decision)
      return reply.redirect(`/backoffice/buchung?notice=${decision === 'confirm' ? 'confirmed' : 'rejected'}`, 303)
    },
  )

  app.post('/backoffice/buchung/seasons', async (req, reply) => {
    const input = await readFormInput(req)
    const values: OfficeValues = {
      ...emptyValues,
      name: formText(input.values, 'name'),
      firstDay: formText(input.values, 'firstDay'),
      lastDay: formText(input.values, 'lastDay'),
      excluded: formText(input.values, 'excluded'),
    }
    const errors: FieldError[] = []
    const add = (fieldId: string, key: string) =>
      errors.push({ fieldId, message: req.t.text(`facilities.errors.${key}`) })
    if (!values.name || values.name.length > 120) add('name', 'seasonName')
    if (!isIsoDay(values.firstDay)) add('firstDay', 'dayInvalid')
    if (!isIsoDay(values.lastDay)) add('lastDay', 'dayInvalid')
    else if (isIsoDay(values.firstDay) && values.lastDay < values.firstDay) add('lastDay', 'lastBeforeFirst')
    const excluded = parseDayList(values.excluded, isIsoDay)
    if (!excluded) add('excluded', 'excludedInvalid')
    if (errors.length || !excluded) return renderOffice(req, reply, values, errors, 400)
    await createSeason(depsOf(app), staffOf(req), {
      name: values.name,
      firstDay: values.firstDay,
      lastDay: values.lastDay,
      excludedDays: excluded,
    })
    return reply.redirect('/backoffice/buchung?notice=seasonCreated', 303)
  })

  app.post('/backoffice/buchung/closures', async (req, reply) => {
    const input = await readFormInput(req)
    const values: OfficeValues = {
      ...emptyValues,
      closeHall: formText(input.values, 'closeHall'),
      closeFrom: formText(input.values, 'closeFrom'),
      closeTo: formText(input.values, 'closeTo'),
      reason: formText(input.values, 'reason'),
    }
    const errors: FieldError[] = []
    const add = (fieldId: string, key: string) =>
      errors.push({ fieldId, message: req.t.text(`facilities.errors.${key}`) })
    if (!hallsOf(app).some(h => h.id === values.closeHall)) add('closeHall', 'hallUnknown')
    if (!isIsoDay(values.closeFrom)) add('closeFrom', 'dayInvalid')
    if (!isIsoDay(values.closeTo)) add('closeTo', 'dayInvalid')
    else if (isIsoDay(values.closeFrom) && values.closeTo < values.closeFrom) add('closeTo', 'lastBeforeFirst')
    if (!values.reason || values.reason.length > 200) add('reason', 'reasonMissing')
    if (errors.length) return renderOffice(req, reply, values, errors, 400)
    const cancelled = await closeHall(depsOf(app), staffOf(req), {
      resourceId: values.closeHall,
      firstDay: values.closeFrom,
      lastDay: values.closeTo,
      reason: values.reason,
    })
    return reply.redirect(`/backoffice/buchung?notice=closed&count=${cancelled}`, 303)
  })

  async function renderPlan(
    req: FastifyRequest,
    reply: FastifyReply,
    seasonId: string,
    errors: FieldError[],
    status = 200,
    skipped?: number,
  ) {
    const plan = await seasonPlan(depsOf(app), seasonId)
    const ctx = await app.pageContext(req)
    const locale = ctx.locale
    return sendHtml(
      reply,
      SeasonPlanPage({
        ctx,
        seasonId,
        name: plan.season.name,
        published: plan.published,
        errors,
        skipped,
        rows: plan.applications.map(a => {
          const hall = app.resources.get(a.resource_id)
          return {
            id: a.id,
            clubName: a.club_name ?? '',
            memberCount: a.member_count,
            hall: hall?.name[locale] ?? a.resource_id,
            parts: partsText(hall, a.parts, locale),
            weekday: a.weekday,
            startMinute: a.start_minute,
            minutes: a.minutes,
            group: a.group_kind,
            note: a.note,
            status: a.status,
            proposed: a.proposed,
            conflicts: a.conflicts,
          }
        }),
      }),
      status,
    )
  }

  app.get<{ Params: { seasonId: string }; Querystring: { skipped?: number } }>(
    '/backoffice/buchung/seasons/:seasonId',
    { schema: { params: uuidParams('seasonId'), querystring: PlanQuery } },
    async (req, reply) => renderPlan(req, reply, req.params.seasonId, [], 200, req.query.skipped),
  )

  app.post<{ Params: { seasonId: string } }>(
    '/backoffice/buchung/seasons/:seasonId/allocation',
    { schema: { params: uuidParams('seasonId') } },
    async (req, reply) => {
      const input = await readFormInput(req)
      const decisions = new Map<string, 'allocated' | 'declined'>()
      for (const [name, raw] of Object.entries(input.values)) {
        const value = Array.isArray(raw) ? raw[0] : raw
        if (name.startsWith('decision-') && (value === 'allocated' || value === 'declined'))
          decisions.set(name.slice('decision-'.length), value)
      }
      const clashing = await saveAllocation(depsOf(app), staffOf(req), req.params.seasonId, decisions)
      if (clashing.length)
        return renderPlan(
          req,
          reply,
          req.params.seasonId,
          clashing.map(id => ({
            fieldId: `decision-${id}`,
            message: req.t.text('facilities.errors.allocationConflict'),
          })),
          409,
        )
      return reply.redirect(`/backoffice/buchung/seasons/${req.params.seasonId}`, 303)
    },
  )

  app.post<{ Params: { seasonId: string } }>(
    '/backoffice/buchung/seasons/:seasonId/publish',
    { schema: { params: uuidParams('seasonId') } },
    async (req, reply) => {
      const skipped = await publishSeason(depsOf(app), staffOf(req), req.params.seasonId)
      return reply.redirect(`/backoffice/buchung/seasons/${req.params.seasonId}?skipped=${skipped.length}`, 303)
    },
  )
}
