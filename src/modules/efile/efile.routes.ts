import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { contentDisposition } from '../../platform/files/files.js'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import { BadRequest } from '../../platform/http/errors.js'
import { uuidParams } from '../../platform/http/ids.js'
import type { FieldError } from '../../platform/views/components.js'
import { requireStaff, staffOf } from '../staff/index.js'
import type { EfileCaseAccess } from './efile.cases.js'
import { NoteEditConflict } from './efile.errors.js'
import { exportCaseFile } from './efile.export.js'
import { editNote, NOTE_TEXT_MAX, openNoteForEdit } from './efile.notes.js'
import { readCaseFile, readVersionFile } from './efile.read.js'
import { CaseFilePage } from './views/file-page.js'
import { NoteEditPage, type NoteEditState } from './views/note-edit.js'

const CaseParams = uuidParams('caseId')
const DocumentParams = uuidParams('caseId', 'documentId')
const VersionParams = {
  type: 'object',
  properties: {
    ...uuidParams('caseId', 'documentId').properties,
    version: { type: 'integer', minimum: 1, maximum: 1_000_000 },
  },
  required: ['caseId', 'documentId', 'version'],
} as const
const FileQuery = { type: 'object', properties: { q: { type: 'string', maxLength: 200 } } } as const

type DocumentRequest = FastifyRequest<{ Params: { caseId: string; documentId: string } }>

/** The electronic case file in the back office: for staff who may see the case; every read and export is audited. */
export const efileRoutes: FastifyPluginAsync<{ cases: EfileCaseAccess }> = async (app, { cases }) => {
  // Guards the routes of this plugin only.
  app.addHook('preHandler', requireStaff)

  app.get<{ Params: { caseId: string }; Querystring: { q?: string } }>(
    '/backoffice/cases/:caseId/file',
    { schema: { params: CaseParams, querystring: FileQuery } },
    async (req, reply) => {
      const file = await readCaseFile(app.db, cases, staffOf(req), req.params.caseId, req.query.q ?? '')
      const c = file.record
      const definition = await app.services.version(c.serviceId, c.serviceVersion)
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        CaseFilePage({
          ctx,
          file,
          serviceTitle: definition.title[req.locale],
          officeName: app.services.office(c.officeId)?.name[req.locale] ?? c.officeId,
        }),
      )
    },
  )

  app.get<{ Params: { caseId: string } }>(
    '/backoffice/cases/:caseId/file/export',
    { schema: { params: CaseParams } },
    async (req, reply) => {
      const archive = await exportCaseFile(
        { db: app.db, cases, services: app.services, config: app.config },
        staffOf(req),
        req.params.caseId,
      )
      return reply
        .code(200)
        .type('application/zip')
        .header('content-disposition', contentDisposition(archive.filename))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(archive.zip)
    },
  )

  app.get<{ Params: { caseId: string; documentId: string; version: number } }>(
    '/backoffice/cases/:caseId/file/documents/:documentId/versions/:version',
    { schema: { params: VersionParams } },
    async (req, reply) => {
      const file = await readVersionFile(
        app.db,
        cases,
        staffOf(req),
        req.params.caseId,
        req.params.documentId,
        req.params.version,
      )
      return reply
        .code(200)
        .type(file.mediaType)
        .header('content-disposition', contentDisposition(file.filename))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(Buffer.from(file.content))
    },
  )

  async function renderNoteEdit(
    req: DocumentRequest,
    reply: FastifyReply,
    form?: Partial<NoteEditState>,
    status = 200,
  ) {
    const { record, title, note } = await openNoteForEdit(
      app.db,
      cases,
      staffOf(req),
      req.params.caseId,
      req.params.documentId,
    )
    const ctx = await app.pageContext(req)
    const state: NoteEditState = { text: note.text, basedOnVersion: note.version, errors: [], ...form }
    return sendHtml(
      reply,
      NoteEditPage({
        ctx,
        caseId: record.id,
        reference: record.reference,
        documentId: req.params.documentId,
        title,
        form: state,
      }),
      status,
    )
  }

  app.get<{ Params: { caseId: string; documentId: string } }>(
    '/backoffice/cases/:caseId/file/documents/:documentId/edit',
    { schema: { params: DocumentParams } },
    async (req, reply) => renderNoteEdit(req, reply),
  )

  app.post<{ Params: { caseId: string; documentId: string } }>(
    '/backoffice/cases/:caseId/file/documents/:documentId',
    { schema: { params: DocumentParams } },
    async (req, reply) => {
      const { values } = await readFormInput(req)
      const text = formText(values, 'text')
      const based = formText(values, 'basedOnVersion')
      if (!/^[1-9][0-9]{0,6}$/.test(based)) throw new BadRequest('efile.errors.basedOnVersion')
      const basedOnVersion = Number(based)
      const errors: FieldError[] = []
      if (!text) errors.push({ fieldId: 'text', message: req.t.text('efile.errors.noteEmpty') })
      else if (text.length > NOTE_TEXT_MAX)
        errors.push({ fieldId: 'text', message: req.t.text('efile.errors.tooLong', { max: NOTE_TEXT_MAX }) })
      if (errors.length) return renderNoteEdit(req, reply, { text, basedOnVersion, errors }, 400)
      try {
        await editNote(app.db, cases, staffOf(req), req.params.caseId, req.params.documentId, { text, basedOnVersion })
      } catch (error) {
        // Recover: show the newer version next to what this person typed, and let them save on top of it.
        if (error instanceof NoteEditConflict)
          return renderNoteEdit(
            req,
            reply,
            { text, basedOnVersion: error.current.version, conflict: error.current },
            409,
          )
        throw error
      }
      return reply.redirect(`/backoffice/cases/${req.params.caseId}/file#doc-${req.params.documentId}`, 303)
    },
  )
}
