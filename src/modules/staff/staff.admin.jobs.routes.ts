import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { Forbidden, NotFound } from '../../platform/http/errors.js'
import { countJobsByStatus, listFailedJobs, retryFailedJob, type RetryOutcome } from '../../platform/jobs/index.js'
import { requireStaff, staffOf } from './staff.guard.js'
import { isAdministrator, isPlatformAdmin } from './staff.admin.service.js'
import { JobsAdminPage } from './views/admin-jobs.js'

const JobParams = {
  type: 'object',
  properties: { jobId: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
  required: ['jobId'],
} as const

const JobsQuery = {
  type: 'object',
  properties: { notice: { type: 'string', enum: ['retried', 'notFailed', 'keyTaken'] } },
} as const

/**
 * Background jobs concern the whole platform, so only platform admins see them. An office admin,
 * who knows the administration, is told no (403); anyone else on staff gets the administration's 404.
 */
export async function requirePlatformAdmin(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const staff = req.session?.staff
  if (!staff) return requireStaff(req, reply)
  if (isPlatformAdmin(staff)) return
  throw isAdministrator(staff) ? new Forbidden() : new NotFound()
}

/** Counts of jobs by state and the failed jobs, each with a retry button. */
export const staffAdminJobsRoutes: FastifyPluginAsync = async app => {
  app.addHook('onRequest', requirePlatformAdmin)

  app.get<{ Querystring: { notice?: RetryOutcome } }>(
    '/backoffice/admin/jobs',
    { schema: { querystring: JobsQuery } },
    async (req, reply) => {
      const counts = await countJobsByStatus(app.db)
      const failed = await listFailedJobs(app.db)
      const ctx = await app.pageContext(req)
      return sendHtml(reply, JobsAdminPage({ ctx, counts, failed, notice: req.query.notice }))
    },
  )

  app.post<{ Params: { jobId: number } }>(
    '/backoffice/admin/jobs/:jobId/retry',
    { schema: { params: JobParams } },
    async (req, reply) => {
      const outcome = await retryFailedJob(app.db, req.params.jobId, app.clock)
      req.log.info({ jobId: req.params.jobId, staffId: staffOf(req).id, outcome }, 'failed job retried by an admin')
      return reply.redirect(`/backoffice/admin/jobs?notice=${outcome}`, 303)
    },
  )
}
