import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import { uuidParams } from '../../platform/http/ids.js'
import { requireStaff, staffOf } from '../staff/index.js'
import { CaseChanged, canWorkOn, parseVersion, renderCasePage } from '../cases/index.js'
import { changeReportCategory, setReportPhotosReviewed } from './reports.casework.js'

type CaseRequest = FastifyRequest<{ Params: { caseId: string } }>
const CaseParams = uuidParams('caseId')

/** What the case's office does to a report on its case view; staff only, the case's office only. */
export const reportCaseworkRoutes: FastifyPluginAsync = async app => {
  // Guards the routes of this plugin only.
  app.addHook('preHandler', requireStaff)

  /** A page the case has moved on from: the case as it is now, what changed meanwhile, nothing done (409). */
  async function versioned(req: CaseRequest, reply: FastifyReply, actionLabel: string, action: () => Promise<string>) {
    try {
      return reply.redirect(await action(), 303)
    } catch (error) {
      if (!(error instanceof CaseChanged)) throw error
      return renderCasePage(
        app,
        req,
        reply,
        { errors: [], conflict: { action: actionLabel, since: error.expectedVersion } },
        409,
      )
    }
  }

  app.post<{ Params: { caseId: string } }>(
    '/backoffice/cases/:caseId/report/category',
    { schema: { params: CaseParams } },
    async (req, reply) => {
      const values = (await readFormInput(req)).values
      const confirm = formText(values, 'action') === 'confirm'
      const staff = staffOf(req)
      return versioned(
        req,
        reply,
        req.t.text(confirm ? 'reports.case.confirmCategory' : 'reports.case.changeCategory'),
        async () => {
          const result = await changeReportCategory(
            app.db,
            app.services,
            staff,
            req.params.caseId,
            {
              categoryCode: formText(values, 'categoryCode').slice(0, 60),
              expectedVersion: parseVersion(values.version),
              confirm,
            },
            app.config,
          )
          // Handed to another office: this person may no longer see the case, unless they work there too.
          return result.officeChanged && !canWorkOn(staff, result.officeId)
            ? '/backoffice'
            : `/backoffice/cases/${req.params.caseId}#report`
        },
      )
    },
  )

  app.post<{ Params: { caseId: string } }>(
    '/backoffice/cases/:caseId/report/photos',
    { schema: { params: CaseParams } },
    async (req, reply) => {
      const values = (await readFormInput(req)).values
      const publish = formText(values, 'publish') === 'yes'
      return versioned(
        req,
        reply,
        req.t.text(publish ? 'reports.case.publishPhotos' : 'reports.case.withdrawPhotos'),
        async () => {
          await setReportPhotosReviewed(app.db, app.services, staffOf(req), req.params.caseId, {
            publish,
            expectedVersion: parseVersion(values.version),
          })
          return `/backoffice/cases/${req.params.caseId}#report`
        },
      )
    },
  )
}
