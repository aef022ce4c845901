import type { FastifyPluginAsync } from 'fastify'
import { staffOf } from '../staff/index.js'
import { caseworkOfficeIds } from './cases.access.js'
import { NoCaseworkOffice } from './cases.errors.js'
import { caseTopic, involvementsTopic } from './cases.live.js'
import { findCaseVersion } from './cases.queries.js'
import { findCaseAccess } from './cases.read.js'
import { CaseParams, LiveQuery } from './cases.schemas.js'

/**
 * Server-sent events for pages that keep themselves current (public/case-live.js). A stream carries only that
 * something changed (version, who, a short key), never case data: the page fetches itself again, through the
 * same access checks and audit as any read. So subscribing is not audited as a read; it is refused with the
 * 404 of a missing case to anyone who may not read the case.
 */
export const liveRoutes: FastifyPluginAsync = async app => {
  app.get<{ Params: { caseId: string }; Querystring: { version?: number } }>(
    '/backoffice/cases/:caseId/live',
    { schema: { params: CaseParams, querystring: LiveQuery } },
    async (req, reply) => {
      const caseId = req.params.caseId
      await findCaseAccess(app.db, staffOf(req), caseId)
      const send = app.live.stream(req, reply, [caseTopic(caseId)])
      // Subscribed first, then asked: a change between the page's rendering and now is not lost.
      const version = await findCaseVersion(app.db, caseId).catch((error: unknown) => {
        // The response is the stream already: log, and let the page learn of changes from the next event.
        req.log.error({ err: error }, 'live stream: the case version could not be read')
        return undefined
      })
      if (version !== undefined && req.query.version !== undefined && version > req.query.version) {
        send({ topic: caseTopic(caseId), kind: 'changed', data: { version, by: null, what: 'missed' } })
      }
    },
  )

  app.get('/backoffice/involvements/live', async (req, reply) => {
    const officeIds = caseworkOfficeIds(staffOf(req))
    if (officeIds.length === 0) throw new NoCaseworkOffice()
    app.live.stream(req, reply, officeIds.map(involvementsTopic))
  })
}
