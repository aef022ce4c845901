import type { FastifyPluginAsync } from 'fastify'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import { uuidParams } from '../../platform/http/ids.js'
import { requireStaff, staffOf } from '../staff/index.js'
import { CaseChanged, canWorkOn, parseVersion, renderCasePage } from '../cases/index.js'
import { decideContactRouting } from './contact.casework.js'

const CaseParams = uuidParams('caseId')

/** What the case's office does to an enquiry's routing on its case view; staff only, the case's office only. */
export const contactCaseworkRoutes: FastifyPluginAsync = async app => {
  // Guards the routes of this plugin only.
  app.addHook('preHandler', requireStaff)

  app.post<{ Params: { caseId: string } }>(
    '/backoffice/cases/:caseId/contact/routing',
    { schema: { params: CaseParams } },
    async (req, reply) => {
      const staff = staffOf(req)
      const values = (await readFormInput(req)).values
      const action = formText(values, 'action') === 'confirm' ? 'confirm' : 'forward'
      const officeId = formText(values, 'officeId').slice(0, 80)
      // No office chosen, or one the city does not have: the case page again (only for those who may see it) with the error.
      if (action === 'forward' && !app.services.office(officeId)) {
        return renderCasePage(
          app,
          req,
          reply,
          {
            errors: [
              {
                fieldId: 'contactOffice',
                message: req.t.text(officeId ? 'contact.errors.officeUnknown' : 'contact.errors.officeMissing'),
              },
            ],
          },
          400,
        )
      }
      try {
        const result = await decideContactRouting(
          app.db,
          app.services,
          staff,
          req.params.caseId,
          {
            action,
            officeId,
            expectedVersion: parseVersion(values.version),
          },
          app.config,
        )
        // Handed to another office: this person may no longer see the case, unless they work there too.
        return reply.redirect(
          result.moved && !canWorkOn(staff, result.officeId)
            ? '/backoffice'
            : `/backoffice/cases/${req.params.caseId}#contact`,
          303,
        )
      } catch (error) {
        if (!(error instanceof CaseChanged)) throw error
        const label = req.t.text(action === 'confirm' ? 'contact.case.confirm' : 'contact.case.forward')
        return renderCasePage(
          app,
          req,
          reply,
          { errors: [], conflict: { action: label, since: error.expectedVersion } },
          409,
        )
      }
    },
  )
}
