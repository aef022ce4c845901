import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import { BadRequest } from '../../platform/http/errors.js'
import { requireStaff, staffOf } from '../staff/index.js'
import { audit } from '../../platform/audit/audit.js'
import { scanRefusalKey } from '../../platform/files/virus-scan.js'
import { extractFacts } from './triage.extract.js'
import { MAX_DOCUMENT_BYTES, readDocumentText } from './triage.document.js'
import {
  activeTriageModel,
  isTriageKind,
  mayTeachTriage,
  recordDecision,
  suggestRoutingWith,
} from './triage.service.js'
import type { TriageKind } from './triage.queries.js'
import { TriagePage, type TriageState } from './views/triage-page.js'

const MAX_TEXT = 20_000

/**
 * Pre-sorting and pre-structuring for staff: paste a text or upload a .txt/.pdf, see the suggested category or
 * office with its confidence and the words behind it, and the facts found — each to be confirmed by the person.
 */
export const triageRoutes: FastifyPluginAsync = async app => {
  app.addHook('preHandler', requireStaff)

  async function render(req: FastifyRequest, reply: FastifyReply, state: Partial<TriageState>, status = 200) {
    const kind = state.kind ?? 'report'
    const active = await activeTriageModel(app.db, kind)
    const staff = staffOf(req)
    const labels = active
      ? active.model.meta.labels.map(l => ({ label: l, office: active.model.meta.offices[l] ?? l }))
      : []
    // A decision trains the model, so the form offers only what this person may decide (mayTeachTriage).
    const decidable = labels.filter(l => mayTeachTriage(staff, l.office))
    const ctx = await app.pageContext(req)
    const officeName = (id: string) => app.services.office(id)?.name[req.locale] ?? id
    return sendHtml(
      reply,
      TriagePage({
        ctx,
        officeName,
        minConfidence: app.config.triageMinConfidence,
        labels: decidable,
        decisionRefused: labels.length > 0 && decidable.length === 0,
        modelInfo: active
          ? {
              version: active.version,
              trainedAt: active.model.meta.trainedAt,
              examples: active.model.meta.examples,
              heldOut: active.model.meta.heldOut,
            }
          : null,
        state: { kind, text: '', errors: [], ...state },
      }),
      status,
    )
  }

  app.get('/backoffice/triage', async (req, reply) => render(req, reply, {}))

  app.post('/backoffice/triage', async (req, reply) => {
    staffOf(req)
    const { values, files } = await readFormInput(req)
    const kindValue = formText(values, 'kind') || 'report'
    const kind: TriageKind = isTriageKind(kindValue) ? kindValue : 'report'
    let text = formText(values, 'text')
    const errors: TriageState['errors'] = []
    const file = files.find(f => f.fieldName === 'document')
    // Read, never stored, but parsed: scanned before the PDF reader opens it.
    const refusal = file ? scanRefusalKey(await app.virusScanner.scan(file.content)) : undefined
    if (refusal) errors.push({ fieldId: 'document', message: req.t.text(refusal) })
    else if (file) {
      const fromFile = await readDocumentText(file.content)
      if (!fromFile.ok) {
        errors.push({
          fieldId: 'document',
          message:
            fromFile.reason === 'size'
              ? req.t.text('triage.errors.fileSize', { max: MAX_DOCUMENT_BYTES / 1024 / 1024 })
              : req.t.text('triage.errors.fileType'),
        })
      } else text = [text, fromFile.text.trim()].filter(Boolean).join('\n\n')
    }
    if (!text && !errors.length) errors.push({ fieldId: 'text', message: req.t.text('triage.errors.textMissing') })
    if (text.length > MAX_TEXT)
      errors.push({ fieldId: 'text', message: req.t.text('triage.errors.tooLong', { max: MAX_TEXT }) })
    if (errors.length) return render(req, reply, { kind, text: text.slice(0, MAX_TEXT), errors }, 400)
    const facts = extractFacts(text)
    const confirmed = [values.confirm ?? []]
      .flat()
      .map(Number)
      .filter(i => Number.isInteger(i) && i >= 0 && i < facts.length)
    const action = formText(values, 'action')
    const suggestion = await suggestRoutingWith(app.db, text, kind, app.config.triageMinConfidence)
    return render(req, reply, {
      kind,
      text,
      suggestion,
      facts,
      confirmed: action === 'confirm' ? confirmed : undefined,
      errors: [],
    })
  })

  // A routing decision on this page becomes a training example: by the triage role, or for one's own office.
  app.post('/backoffice/triage/decision', async (req, reply) => {
    const staff = staffOf(req)
    const { values } = await readFormInput(req)
    const kind = formText(values, 'kind')
    const text = formText(values, 'text')
    const choice = formText(values, 'label')
    const suggested = formText(values, 'suggested')
    if (!isTriageKind(kind) || !text || text.length > MAX_TEXT || !choice)
      throw new BadRequest('triage.errors.decision')
    const active = await activeTriageModel(app.db, kind)
    const office =
      active?.model.meta.offices[choice] ?? (kind === 'contact' && app.services.office(choice) ? choice : undefined)
    if (!office) throw new BadRequest('triage.errors.decision')
    await app.db.transaction().execute(async trx => {
      await recordDecision(
        trx,
        {
          text,
          label: choice,
          office,
          kind,
          decidedBy: staff,
          // No case here: the decision is for the office it routes to.
          caseOfficeId: office,
          corrected: choice !== suggested,
        },
        app.config.triageRetrainAfter,
      )
      await audit(trx, {
        actor: { staffId: staff.id },
        action: 'triage.decision',
        subjectType: 'triage_example',
        subjectId: kind,
        details: { kind, label: choice, office, corrected: choice !== suggested },
      })
    })
    return render(req, reply, { kind, text, recorded: { label: choice, office }, errors: [] })
  })

  // JSON for forms and scripts: text in, facts out. Never 5xx on bad input: anything not a string is a 400.
  app.post('/backoffice/triage/extract', async (req, reply) => {
    staffOf(req)
    const body = req.body as Record<string, unknown> | undefined
    let text: unknown = body && typeof body === 'object' && !Array.isArray(body) ? body.text : undefined
    if (text && typeof text === 'object' && typeof (text as { value?: unknown }).value === 'string')
      text = (text as { value: string }).value
    if (typeof text !== 'string' || text.length > MAX_TEXT) {
      return reply.code(400).send({
        code: 'triage.errors.textMissing',
        message: req.t.text('triage.errors.extractInput', { max: MAX_TEXT }),
      })
    }
    return reply.send({ facts: extractFacts(text) })
  })
}
