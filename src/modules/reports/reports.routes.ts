import crypto from 'node:crypto'
import path from 'node:path'
import { createRequire } from 'node:module'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fastifyStatic from '@fastify/static'
import { sendHtml } from '../../platform/views/page-context.js'
import { formText, readFormInput, type FormInput } from '../../platform/http/form-input.js'
import {
  admitAnonymousSubmission,
  POW_FIELD,
  ProofOfWorkRefused,
  UnverifiedLimitReached,
} from '../../platform/http/proof-of-work.js'
import type { FieldError } from '../../platform/views/components.js'
import { cityBoundsOf, findReportCategory, listReportCategories, reportServices } from './reports.categories.js'
import { ReportNotFound, ReportRateLimited, type ReportField, type ReportFieldError } from './reports.errors.js'
import { followReport, unfollowReport } from './reports.follow.js'
import { MAX_PHOTO_MB, publicPhoto } from './reports.photos.js'
import { findNearbyReports, findPublicReport, listPublicReports, type PublicReport } from './reports.public.js'
import { findPublicPhoto } from './reports.queries.js'
import { fileReport } from './reports.submit.js'
import { suggestReportCategory } from './reports.suggest.js'
import {
  DetailPage,
  MapPage,
  ReportFormPage,
  StartPage,
  ThanksPage,
  UnsubscribePage,
  type ReportFormState,
  type SuggestionView,
} from './views/report-pages.js'
import { REPORT_FORM_ACTIONS, tileHostOf, type MapSettings, type StateLabels } from './views/report-parts.js'

const require = createRequire(import.meta.url)

/** Where a problem of the report is shown on the web form. */
const FORM_FIELD: Record<ReportField, string> = {
  categoryCode: 'category',
  description: 'description',
  lat: 'lat',
  lon: 'lon',
  address: 'address',
  photos: 'photos',
  'contact.name': 'contactName',
  'contact.email': 'contactEmail',
  'contact.phone': 'contactPhone',
}

const ReferenceParams = {
  type: 'object',
  properties: { reference: { type: 'string', pattern: '^[A-Z]{2}-[0-9]{4}-[0-9]{6,10}$' } },
  required: ['reference'],
} as const
const PhotoParams = {
  type: 'object',
  properties: { reference: ReferenceParams.properties.reference, position: { type: 'string', pattern: '^[1-3]$' } },
  required: ['reference', 'position'],
} as const
const FormQuery = {
  type: 'object',
  properties: {
    category: { type: 'string', maxLength: 60 },
    lat: { type: 'string', maxLength: 30 },
    lon: { type: 'string', maxLength: 30 },
  },
} as const
const MapQuery = {
  type: 'object',
  properties: { category: { type: 'string', maxLength: 60 }, status: { type: 'string', enum: ['open', 'closed'] } },
} as const
const SuggestQuery = { type: 'object', properties: { text: { type: 'string', maxLength: 5000 } } } as const
const NearbyQuery = {
  type: 'object',
  properties: {
    category: { type: 'string', maxLength: 60 },
    lat: { type: 'string', maxLength: 30 },
    lon: { type: 'string', maxLength: 30 },
  },
  required: ['category', 'lat', 'lon'],
} as const
const DetailQuery = { type: 'object', properties: { gefolgt: { type: 'string', enum: ['neu', 'schon'] } } } as const
const ThanksQuery = {
  type: 'object',
  properties: { kanal: { type: 'string', enum: ['postbox', 'email', 'none'] } },
} as const
const TokenQuery = { type: 'object', properties: { token: { type: 'string', maxLength: 100 } } } as const

/** Recently fixed: closed within this many days. */
export const RECENTLY_FIXED_DAYS = 30

/** "51,51" and "51.51" are numbers; anything else (including "abc") is not, and empty is no value. */
export function parseCoordinate(raw: string): number | null {
  const value = raw.trim().replace(',', '.')
  if (!value) return null
  return /^-?\d{1,3}(\.\d{1,12})?$/.test(value) ? Number(value) : Number.NaN
}

function emptyForm(): ReportFormState {
  return {
    category: '',
    description: '',
    address: '',
    lat: '',
    lon: '',
    contactName: '',
    contactEmail: '',
    contactPhone: '',
    keepPhotoMetadata: false,
    idempotencyKey: crypto.randomUUID(),
  }
}

function formStateOf(values: Record<string, string | string[]>): ReportFormState {
  const text = (name: string) => formText(values, name)
  return {
    category: text('category'),
    description: formText(values, 'description', { trim: false }),
    address: text('address'),
    lat: text('lat'),
    lon: text('lon'),
    contactName: text('contactName'),
    contactEmail: text('contactEmail'),
    contactPhone: text('contactPhone'),
    keepPhotoMetadata: text('keepPhotoMetadata') === 'yes',
    idempotencyKey: text('idempotencyKey').slice(0, 100) || crypto.randomUUID(),
  }
}

/** The public pages of defect reporting (/maengel) and the map's assets. */
export const reportRoutes: FastifyPluginAsync = async app => {
  await app.register(fastifyStatic, {
    root: path.dirname(require.resolve('leaflet/dist/leaflet.js')),
    prefix: '/assets/leaflet/',
    decorateReply: false,
    index: false,
  })

  const categories = () => listReportCategories(app.services)
  const consentHost = tileHostOf(app.config.mapTileUrl, app.config.baseUrl)
  const mapSettings = (): MapSettings => ({
    tileUrl: app.config.mapTileUrl,
    attribution: app.config.mapAttribution,
    consentHost,
    bounds: cityBoundsOf(app.services),
  })
  const states = (): StateLabels =>
    Object.fromEntries(
      reportServices(app.services).flatMap(d =>
        d.workflow.states.map(s => [s.id, { label: s.label, outcome: s.outcome }]),
      ),
    )

  const translateErrors = (req: FastifyRequest, errors: ReportFieldError[]): FieldError[] =>
    errors.map(e => ({ fieldId: FORM_FIELD[e.field], message: req.t.text(e.messageKey, e.params ?? {}) }))

  async function renderForm(
    req: FastifyRequest,
    reply: FastifyReply,
    form: ReportFormState,
    opts: {
      errors?: FieldError[]
      suggestion?: SuggestionView | null
      nearby?: PublicReport[] | null
      rateLimitedMinutes?: number
      notice?: string
      status?: number
    } = {},
  ) {
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      ReportFormPage({
        ctx,
        categories: categories(),
        states: states(),
        form,
        errors: opts.errors ?? [],
        suggestion: opts.suggestion,
        nearby: opts.nearby ?? null,
        map: mapSettings(),
        rateLimitedMinutes: opts.rateLimitedMinutes,
        notice: opts.notice,
      }),
      opts.status ?? 200,
    )
  }

  async function nearbyFor(form: ReportFormState): Promise<PublicReport[] | null> {
    const lat = parseCoordinate(form.lat)
    const lon = parseCoordinate(form.lon)
    if (!form.category || lat === null || lon === null || !Number.isFinite(lat) || !Number.isFinite(lon)) return null
    if (!findReportCategory(app.services, form.category)) return null
    return findNearbyReports(app.db, { categoryCode: form.category, lat, lon })
  }

  app.get('/maengel', async (req, reply) => {
    const ctx = await app.pageContext(req)
    return sendHtml(reply, StartPage({ ctx, categories: categories() }))
  })

  app.get<{ Querystring: { category?: string; lat?: string; lon?: string } }>(
    '/maengel/melden',
    { schema: { querystring: FormQuery } },
    async (req, reply) => {
      const form = {
        ...emptyForm(),
        category: req.query.category ?? '',
        lat: req.query.lat ?? '',
        lon: req.query.lon ?? '',
      }
      return renderForm(req, reply, form, { nearby: await nearbyFor(form) })
    },
  )

  /** A post of the report form: what was typed (kept on every answer), the photos, and the photos cut off. */
  interface ReportPost {
    input: FormInput
    form: ReportFormState
  }
  type ReportAction = (req: FastifyRequest, reply: FastifyReply, post: ReportPost) => Promise<unknown>

  /** Reads the report form for one of its buttons' routes; a photo over the upload limit answers 413 at once. */
  const reportFormRoute =
    (action: ReportAction) =>
    async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      const input = await readFormInput(req, { tooLarge: 'report' })
      const form = formStateOf(input.values)
      // A photo over the upload limit arrives cut off: the form comes back with everything typed and the photo's error.
      const cut = input.tooLarge.filter(f => f.fieldName === 'photos')
      if (cut.length) {
        const errors = cut.map(
          (f): ReportFieldError => ({
            field: 'photos',
            messageKey: 'reports.errors.photoTooLarge',
            params: { name: f.filename, max: MAX_PHOTO_MB },
          }),
        )
        return renderForm(req, reply, form, {
          errors: translateErrors(req, errors),
          nearby: await nearbyFor(form),
          status: 413,
        })
      }
      return action(req, reply, { input, form })
    }

  /** "Follow" on a report nearby: subscribes to it instead of filing the same defect again. */
  const follow: ReportAction = async (req, reply, { input, form }) => {
    const reference = formText(input.values, 'follow').slice(0, 40)
    try {
      const result = await followReport(app.db, {
        reference,
        accountId: req.session?.account?.id ?? null,
        email: form.contactEmail,
        locale: req.locale,
        clientIp: req.ip,
        baseUrl: app.config.baseUrl,
      })
      if (!result.ok)
        return renderForm(req, reply, form, {
          errors: translateErrors(req, result.errors),
          nearby: await nearbyFor(form),
          status: 400,
        })
      return reply.redirect(
        `/maengel/${encodeURIComponent(reference)}?gefolgt=${result.alreadyFollowing ? 'schon' : 'neu'}`,
        303,
      )
    } catch (error) {
      if (error instanceof ReportRateLimited)
        return renderForm(req, reply, form, {
          rateLimitedMinutes: error.minutes,
          nearby: await nearbyFor(form),
          status: 429,
        })
      throw error
    }
  }

  /** "Suggest a category" without JavaScript: the best category from the description, preselected. */
  const suggest: ReportAction = async (req, reply, { form }) => {
    const suggestion = await suggestCategory(req, form.description)
    const top = suggestion ? findReportCategory(app.services, suggestion.code) : undefined
    return renderForm(req, reply, top ? { ...form, category: top.category.code } : form, {
      suggestion: suggestion?.view ?? null,
      nearby: await nearbyFor(top ? { ...form, category: top.category.code } : form),
    })
  }

  /** "Already reported nearby?" without JavaScript: open reports of the category near the place. */
  const showNearby: ReportAction = async (req, reply, { form }) => {
    const nearby = await nearbyFor(form)
    return renderForm(req, reply, form, {
      nearby,
      notice: nearby === null ? req.t.text('reports.nearby.needPlace') : undefined,
    })
  }

  const submit: ReportAction = async (req, reply, { input, form }) => {
    const accountId = req.session?.account?.id ?? null
    try {
      if (!accountId)
        await admitAnonymousSubmission(
          app.db,
          app.config,
          {
            solution: formText(input.values, POW_FIELD),
            clientIp: req.ip,
          },
          app.clock,
        )
      const photos = input.files
        .filter(f => f.fieldName === 'photos')
        .map(f => ({ content: f.content, filename: f.filename }))
      const filed = await fileReport(
        { db: app.db, services: app.services, config: app.config, scanner: app.virusScanner },
        {
          categoryCode: form.category,
          description: form.description,
          address: form.address || null,
          lat: parseCoordinate(form.lat),
          lon: parseCoordinate(form.lon),
          photos,
          keepPhotoMetadata: form.keepPhotoMetadata,
          contact: accountId
            ? undefined
            : { name: form.contactName, email: form.contactEmail, phone: form.contactPhone },
          accountId,
          locale: req.locale,
          source: 'web',
          clientIp: req.ip,
          idempotencyKey: form.idempotencyKey,
        },
      )
      if (!filed.ok)
        return renderForm(req, reply, form, {
          errors: translateErrors(req, filed.errors),
          nearby: await nearbyFor(form),
          status: 400,
        })
      const channel = accountId ? 'postbox' : form.contactEmail ? 'email' : 'none'
      return reply.redirect(`/maengel/danke/${filed.reference}?kanal=${channel}`, 303)
    } catch (error) {
      if (error instanceof ReportRateLimited || error instanceof UnverifiedLimitReached)
        return renderForm(req, reply, form, { rateLimitedMinutes: error.minutes, status: 429 })
      // Everything typed stays; the page brings a new challenge (photos must be chosen again, as after any refusal).
      if (error instanceof ProofOfWorkRefused)
        return renderForm(req, reply, form, {
          notice: req.t.text(error.messageKey),
          nearby: await nearbyFor(form),
          status: 400,
        })
      throw error
    }
  }

  // Each button of the form posts to its own address (formaction); the form's own address files the report.
  app.post(REPORT_FORM_ACTIONS.suggest, reportFormRoute(suggest))
  app.post(REPORT_FORM_ACTIONS.nearby, reportFormRoute(showNearby))
  app.post(REPORT_FORM_ACTIONS.follow, reportFormRoute(follow))
  // Before the buttons had addresses, every one posted here with its name (action=suggest|nearby, follow=<reference>):
  // a form still open in a browser from then, and the HTTP tests, post so; both keep working.
  app.post(
    '/maengel/melden',
    reportFormRoute((req, reply, post) => {
      const action = formText(post.input.values, 'action')
      if (formText(post.input.values, 'follow')) return follow(req, reply, post)
      if (action === 'suggest') return suggest(req, reply, post)
      if (action === 'nearby') return showNearby(req, reply, post)
      return submit(req, reply, post)
    }),
  )

  /** The suggestion, by the one function that decides how (keywords now, the triage model later). */
  async function suggestCategory(
    req: FastifyRequest,
    text: string,
  ): Promise<{ code: string; view: SuggestionView; probability: number } | null> {
    if (!text.trim()) return null
    const result = await suggestReportCategory(app.db, app.services, text, app.config)
    const best = result.suggestions[0]
    const found = best ? findReportCategory(app.services, best.label) : undefined
    if (!best || !found) return null
    return {
      code: best.label,
      probability: best.probability,
      view: {
        categoryName: found.category.name[req.locale],
        terms: result.explanation.map(e => e.term),
        confident: result.confident,
      },
    }
  }

  app.get<{ Querystring: { text?: string } }>(
    '/maengel/vorschlag',
    { schema: { querystring: SuggestQuery } },
    async (req, reply) => {
      const text = req.query.text ?? ''
      const result = text.trim()
        ? await suggestReportCategory(app.db, app.services, text, app.config)
        : { suggestions: [], confident: false, explanation: [] }
      return reply.header('cache-control', 'no-store').send({
        suggestions: result.suggestions.map(s => ({
          code: s.label,
          name: findReportCategory(app.services, s.label)?.category.name[req.locale] ?? s.label,
          probability: s.probability,
        })),
        confident: result.confident,
        explanation: result.explanation,
        message: result.suggestions[0]
          ? req.t.text(result.confident ? 'reports.suggest.confident' : 'reports.suggest.unsure', {
              category: findReportCategory(app.services, result.suggestions[0].label)?.category.name[req.locale] ?? '',
            }) +
            (result.explanation.length
              ? ` ${req.t.text('reports.suggest.terms', { terms: result.explanation.map(e => e.term).join(', ') })}`
              : '')
          : '',
      })
    },
  )

  app.get<{ Querystring: { category: string; lat: string; lon: string } }>(
    '/maengel/in-der-naehe',
    { schema: { querystring: NearbyQuery } },
    async (req, reply) => {
      const nearby =
        (await nearbyFor({ ...emptyForm(), category: req.query.category, lat: req.query.lat, lon: req.query.lon })) ??
        []
      const cats = categories()
      const stateLabels = states()
      return reply.header('cache-control', 'no-store').send({
        title: req.t.text('reports.nearby.title'),
        intro: req.t.text('reports.nearby.intro'),
        none: req.t.text('reports.nearby.none'),
        reports: nearby.map(r => ({
          reference: r.reference,
          url: `/maengel/${r.reference}`,
          category: cats.find(c => c.code === r.categoryCode)?.name[req.locale] ?? r.categoryCode,
          status: stateLabels[r.state]?.label[req.locale] ?? r.state,
          description: r.description.length > 200 ? `${r.description.slice(0, 200)}…` : r.description,
          followLabel: req.t.text('reports.nearby.follow', { reference: r.reference }),
        })),
      })
    },
  )

  app.get<{ Querystring: { category?: string; status?: 'open' | 'closed' } }>(
    '/maengel/karte',
    { schema: { querystring: MapQuery } },
    async (req, reply) => {
      const status = req.query.status ?? 'open'
      const category =
        req.query.category && findReportCategory(app.services, req.query.category) ? req.query.category : ''
      const reports = await listPublicReports(app.db, {
        status,
        codes: category ? [category] : undefined,
        limit: 500,
        closedSince: status === 'closed' ? new Date(Date.now() - RECENTLY_FIXED_DAYS * 86_400_000) : undefined,
      })
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        MapPage({
          ctx,
          reports,
          categories: categories(),
          states: states(),
          filter: { category, status },
          map: mapSettings(),
        }),
      )
    },
  )

  app.get<{ Querystring: { token?: string } }>(
    '/maengel/abbestellen',
    { schema: { querystring: TokenQuery } },
    async (req, reply) => {
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        UnsubscribePage({ ctx, token: req.query.token ?? '', done: req.query.token ? null : false }),
      )
    },
  )

  app.post('/maengel/abbestellen', async (req, reply) => {
    const done = await unfollowReport(app.db, formText((await readFormInput(req)).values, 'token'))
    const ctx = await app.pageContext(req)
    return sendHtml(reply, UnsubscribePage({ ctx, token: '', done }), done ? 200 : 404)
  })

  app.get<{ Params: { reference: string }; Querystring: { kanal?: 'postbox' | 'email' | 'none' } }>(
    '/maengel/danke/:reference',
    { schema: { params: ReferenceParams, querystring: ThanksQuery } },
    async (req, reply) => {
      const report = await findPublicReport(app.db, req.params.reference)
      if (!report) throw new ReportNotFound()
      const ctx = await app.pageContext(req)
      const categoryLabel =
        findReportCategory(app.services, report.categoryCode)?.category.name[req.locale] ?? report.categoryCode
      return sendHtml(
        reply,
        ThanksPage({
          ctx,
          report: withOfficeName(app, report, req.locale),
          categoryLabel,
          channel: req.query.kanal ?? 'none',
        }),
      )
    },
  )

  const renderDetail = async (
    req: FastifyRequest<{ Params: { reference: string } }>,
    reply: FastifyReply,
    opts: { followed?: 'new' | 'already'; errors?: FieldError[]; email?: string; status?: number } = {},
  ) => {
    const report = await findPublicReport(app.db, req.params.reference)
    if (!report) throw new ReportNotFound()
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      DetailPage({
        ctx,
        report: withOfficeName(app, report, req.locale),
        categories: categories(),
        states: states(),
        map: mapSettings(),
        followed: opts.followed,
        errors: opts.errors ?? [],
        email: opts.email ?? '',
      }),
      opts.status ?? 200,
    )
  }

  app.get<{ Params: { reference: string }; Querystring: { gefolgt?: 'neu' | 'schon' } }>(
    '/maengel/:reference',
    { schema: { params: ReferenceParams, querystring: DetailQuery } },
    async (req, reply) =>
      renderDetail(req, reply, {
        followed: req.query.gefolgt === 'neu' ? 'new' : req.query.gefolgt === 'schon' ? 'already' : undefined,
      }),
  )

  app.post<{ Params: { reference: string } }>(
    '/maengel/:reference/folgen',
    { schema: { params: ReferenceParams } },
    async (req, reply) => {
      const email = formText((await readFormInput(req)).values, 'email')
      const result = await followReport(app.db, {
        reference: req.params.reference,
        accountId: req.session?.account?.id ?? null,
        email,
        locale: req.locale,
        clientIp: req.ip,
        baseUrl: app.config.baseUrl,
      })
      if (!result.ok)
        return renderDetail(req, reply, {
          errors: result.errors.map(e => ({ fieldId: 'email', message: req.t.text(e.messageKey, e.params ?? {}) })),
          email,
          status: 400,
        })
      return reply.redirect(
        `/maengel/${req.params.reference}?gefolgt=${result.alreadyFollowing ? 'schon' : 'neu'}`,
        303,
      )
    },
  )

  app.get<{ Params: { reference: string; position: string } }>(
    '/maengel/:reference/fotos/:position',
    { schema: { params: PhotoParams } },
    async (req, reply) => {
      const photo = await findPublicPhoto(app.db, req.params.reference, Number(req.params.position))
      if (!photo) throw new ReportNotFound()
      return reply
        .type('image/jpeg')
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-cache')
        .send(await publicPhoto(Buffer.from(photo.content)))
    },
  )
}

/** The office's name in the reader's language (the public report carries the German one). */
function withOfficeName(app: FastifyInstance, report: PublicReport, locale: 'de' | 'en'): PublicReport {
  return { ...report, agency: app.services.office(report.officeId)?.name[locale] ?? report.agency }
}
