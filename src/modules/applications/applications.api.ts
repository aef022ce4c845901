import crypto from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import { admitAnonymousSubmission, POW_FIELD } from '../../platform/http/proof-of-work.js'
import { DomainError } from '../../platform/http/errors.js'
import { errorAnswers, refTo } from '../../platform/http/api-schemas.js'
import { isLocale, todayInGermany, translator, type Locale } from '../../platform/i18n/i18n.js'
import { requiredAssurance, type ServiceDefinition } from '../catalogue/index.js'
import { pruneHiddenAnswers, readPageInput, validateAllPages, type Answers, type RawValues } from '../forms/index.js'
import { calculateFees, isPaymentDueOnSubmission } from '../payments/index.js'
import { submitAnswers, type Upload } from './applications.submit.js'
import { checkUpload, safeFilename } from '../../platform/files/files.js'
import type { VirusScanner } from '../../platform/files/virus-scan.js'
import { describeAnswerErrors } from './applications.messages.js'

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/
/** Uploads travel base64-encoded inside the JSON (a third larger); the form's own body limit stays at 1 MB. */
const SUBMISSION_BODY_LIMIT = 25 * 1024 * 1024

const AddressValue = Type.Object(
  {
    street: Type.Optional(Type.String({ maxLength: 200 })),
    houseNumber: Type.Optional(Type.String({ maxLength: 200 })),
    postalCode: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
)
const UploadValue = Type.Object(
  {
    filename: Type.String({ minLength: 1, maxLength: 255 }),
    contentBase64: Type.String({ minLength: 1, maxLength: 20 * 1024 * 1024, pattern: '^[A-Za-z0-9+/]+={0,2}$' }),
  },
  { additionalProperties: false },
)
const AnswerValue = Type.Union([
  Type.String({ maxLength: 10_000 }),
  Type.Array(Type.String({ maxLength: 500 }), { maxItems: 100 }),
  AddressValue,
  UploadValue,
])
const SubmissionBody = Type.Object(
  {
    answers: Type.Record(Type.String({ maxLength: 80 }), AnswerValue, {
      maxProperties: 300,
      description:
        'By field id of the service definition: text, a list of chosen options, "yes" for a single checkbox, an address object, a file as { filename, contentBase64 }',
    }),
    lang: Type.Optional(
      Type.Union([Type.Literal('de'), Type.Literal('en')], {
        description: 'Language of the case, its letters and the error messages (default: language cookie, else de)',
      }),
    ),
  },
  { additionalProperties: false },
)
type SubmissionBody = Static<typeof SubmissionBody>
const FieldProblem = Type.Object({ field: Type.String(), page: Type.String(), message: Type.String() })
const SubmissionError = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    errors: Type.Optional(Type.Array(FieldProblem, { description: 'Each missing or wrong answer (422)' })),
  },
  { $id: 'SubmissionError' },
)
const Submitted = Type.Object(
  {
    reference: Type.String(),
    service: Type.String(),
    replayed: Type.Boolean(),
    receiptWithheld: Type.Boolean({
      description:
        'true when the receipt mail was not sent: its address had already received the hourly maximum of mails through our forms',
    }),
  },
  { $id: 'Submitted' },
)
const Params = Type.Object({ serviceId: Type.String({ maxLength: 80 }) })
// Documented only: each is checked by the handler (its own 400 and message), not by the schema.
const Headers = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      description:
        'Makes a retry return the case made the first time (200, Idempotent-Replayed: true); 1–200 visible ASCII characters. The same key with other answers is refused (422).',
    }),
  ),
  altcha: Type.Optional(
    Type.String({
      description:
        'A solved ALTCHA proof-of-work challenge (GET /altcha/challenge; SHA-256, base64 JSON of algorithm, challenge, number, salt, signature), good for one request, at most 2000 characters. Without it, submissions count under a stricter limit per address (429); addresses agreed with the city (REQUEST_LIMIT_EXEMPT) are not counted.',
    }),
  ),
})

class UnprocessableAnswers extends DomainError {
  constructor(
    readonly problems: Static<typeof FieldProblem>[],
    readonly locale: Locale,
  ) {
    super(422, 'applications.api.errors.answers', { count: problems.length })
  }
}

/**
 * Applications as JSON, for other systems and the specialist portals of partners: one request is one complete
 * submission, checked exactly like the portal's form. Open to the same people as the form itself (services
 * without sign-in); an Idempotency-Key header makes a retry return the case made the first time.
 * Mounted under /api/v1 in the machine context (src/app.ts).
 */
export const applicationApiRoutes: FastifyPluginAsyncTypebox = async app => {
  app.addSchema(Submitted)
  app.addSchema(SubmissionError)
  const refused = (description: string) => ({ ...refTo(SubmissionError), description })

  app.post(
    '/services/:serviceId/applications',
    {
      bodyLimit: SUBMISSION_BODY_LIMIT,
      schema: {
        operationId: 'submitApplication',
        summary: 'Submit a complete application to a service that needs no sign-in and no payment up front',
        description:
          'Answers use the field ids of the service definition (GET /api/v1/services/{id}) and the values the form takes: text, a list of chosen options, "yes" for a single checkbox, an address object.',
        tags: ['applications'],
        params: Params,
        headers: Headers,
        body: SubmissionBody,
        response: {
          201: { ...refTo(Submitted), description: 'Case opened' },
          200: { ...refTo(Submitted), description: 'The case opened by an earlier request with this Idempotency-Key' },
          400: refused('Malformed request or Idempotency-Key; Altcha solution forged, expired or used before'),
          403: refused(
            'The service needs a signed-in account, or a level of assurance above low (BundID, ELSTER): both only in the portal',
          ),
          404: refused('No such service'),
          409: refused('The service takes no submissions through this API (payment up front, defect reports)'),
          413: refused('Body too large'),
          422: refused(
            'Answers missing or wrong, each named with field, page and message; or the Idempotency-Key was used for other answers',
          ),
          429: refused('Too many requests from this address, or too many submissions without an Altcha solution'),
          ...errorAnswers,
        },
      },
      errorHandler: (error, _req, reply) => {
        if (!(error instanceof UnprocessableAnswers)) throw error
        return reply.code(422).send({
          code: error.messageKey,
          message: translator(error.locale).text(error.messageKey, error.params),
          errors: error.problems,
        })
      },
    },
    async (req, reply) => {
      const definition = app.services.get(req.params.serviceId)
      const key = req.headers['idempotency-key']
      if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)))
        throw new DomainError(400, 'applications.api.errors.idempotencyKey')
      // Defect reports have their own API (Open311); signed-in and paid services need the person at the portal.
      if (definition.report || definition.bookedAt) throw new DomainError(409, 'applications.api.errors.report')
      // A machine client signs in with nobody: a service asking for a level of assurance is for the person, in the portal.
      const assurance = requiredAssurance(definition)
      if (assurance !== 'low') throw new DomainError(403, `applications.api.errors.assurance.${assurance}`)
      if (definition.loginRequired) throw new DomainError(403, 'applications.api.errors.loginRequired')
      const locale: Locale = req.body.lang ?? (isLocale(req.locale) ? req.locale : 'de')
      const t = translator(locale)
      const { answers, unknownFields, uploads, uploadErrors } = await readSubmittedAnswers(
        app.virusScanner,
        definition,
        req.body.answers,
      )
      const problems = [
        ...unknownFields.map(field => ({
          field,
          page: '',
          message: t.text('applications.api.errors.unknownField', { field }),
        })),
        ...uploadErrors.map(({ field, page, key, params }) => ({ field, page, message: t.text(key, params) })),
        ...validateAllPages(definition, answers, todayInGermany()).flatMap(({ pageId, errors }) => {
          const page = definition.form.pages.find(p => p.id === pageId)!
          const unreported = errors.filter(e => !uploadErrors.some(u => u.field === e.fieldId))
          return describeAnswerErrors(t, locale, page, unreported).map(e => ({
            field: e.fieldId,
            page: pageId,
            message: e.message,
          }))
        }),
      ]
      if (problems.length) throw new UnprocessableAnswers(problems, locale)
      if (isPaymentDueOnSubmission(calculateFees(definition, answers)))
        throw new DomainError(409, 'applications.api.errors.payment')
      // Checked last, so a request refused for its answers does not use up its solution.
      await admitAnonymousSubmission(
        app.db,
        app.config,
        { solution: req.headers[POW_FIELD], clientIp: req.ip },
        app.clock,
      )
      const result = await submitAnswers(
        app.db,
        {
          definition,
          answers,
          locale,
          uploads: uploads.filter(u => answers[u.fieldId] !== undefined),
          ...(key ? { idempotencyKey: key, requestSha256: fingerprint(definition.id, req.body.answers) } : {}),
        },
        app.contactRouting,
      )
      return reply
        .code(result.replayed ? 200 : 201)
        .header('idempotent-replayed', String(result.replayed))
        .send({
          reference: result.reference,
          service: definition.id,
          replayed: result.replayed,
          receiptWithheld: result.receiptWithheld,
        })
    },
  )
}

/**
 * The JSON answers as the form would have posted them, read page by page, hidden ones dropped; unknown fields are
 * errors. Uploads (base64) are checked by content like the form's; each gets its file id now and is stored with the case.
 */
async function readSubmittedAnswers(
  scanner: VirusScanner,
  definition: ServiceDefinition,
  submitted: SubmissionBody['answers'],
) {
  const pageOf = new Map(definition.form.pages.flatMap(p => p.fields.map(f => [f.id, { page: p, field: f }] as const)))
  const unknownFields = Object.keys(submitted).filter(id => !pageOf.has(id))
  const raw: RawValues = {}
  const uploads: Upload[] = []
  const uploadErrors: { field: string; page: string; key: string; params: Record<string, string | number> }[] = []
  const answers: Answers = {}
  for (const [id, value] of Object.entries(submitted)) {
    const at = pageOf.get(id)
    if (typeof value === 'string' || Array.isArray(value)) raw[id] = value
    else if ('contentBase64' in value) {
      if (at?.field.type !== 'file') {
        if (at)
          uploadErrors.push({ field: id, page: at.page.id, key: 'applications.api.errors.notAFileField', params: {} })
        continue
      }
      const content = Buffer.from(value.contentBase64, 'base64')
      const check = await checkUpload(scanner, content, at.field.accept, at.field.maxSizeMb)
      if (!check.ok) {
        uploadErrors.push({ field: id, page: at.page.id, key: check.key, params: check.params })
        continue
      }
      const upload = {
        fieldId: id,
        fileId: crypto.randomUUID(),
        filename: value.filename,
        content,
        mediaType: check.mediaType,
      }
      uploads.push(upload)
      answers[id] = {
        fileId: upload.fileId,
        filename: safeFilename(value.filename),
        sizeBytes: content.length,
        mediaType: check.mediaType,
      }
    } else for (const [part, text] of Object.entries(value)) raw[`${id}.${part}`] = text
  }
  for (const page of definition.form.pages) Object.assign(answers, readPageInput(page, raw, answers))
  return { answers: pruneHiddenAnswers(definition, answers), unknownFields, uploads, uploadErrors }
}

/** The same submission always gives the same fingerprint, whatever the order of its keys. */
function fingerprint(serviceId: string, answers: SubmissionBody['answers']): string {
  const canonical = (value: unknown): unknown =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, canonical(v)]),
        )
      : value
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([serviceId, canonical(answers)]))
    .digest('hex')
}
