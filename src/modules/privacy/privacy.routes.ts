import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import { contentDisposition } from '../../platform/files/files.js'
import { SESSION_COOKIE } from '../../platform/auth/sessions.js'
import { loginKey, minutesUntilLoginAllowed, recordFailedLogin } from '../../platform/auth/login-throttle.js'
import { listConsents } from '../../platform/privacy/consents.js'
import type { PersonalDataHolder } from '../../platform/privacy/index.js'
import { accountIdByEmail, accountOf, accountPasswordMatches, requireAccount } from '../accounts/index.js'
import { requirePlatformAdmin, staffOf } from '../staff/index.js'
import { downloadExport, findOwnExport, requestExport, type Requester } from './privacy.export.js'
import { eraseAccount } from './privacy.erase.js'
import { giveEmailNotices, withdrawConsent } from './privacy.consents.js'
import { listAccountExports, listStaffExports } from './privacy.queries.js'
import {
  AccountDeletedPage,
  DeleteAccountPage,
  ExportProgressPage,
  MyDataPage,
  type MyDataNotice,
} from './views/privacy.js'
import { BackofficePrivacyPage } from './views/backoffice.js'

const ExportParams = {
  type: 'object',
  properties: { exportId: { type: 'string', format: 'uuid' } },
  required: ['exportId'],
} as const
const ConsentParams = {
  type: 'object',
  properties: { consentId: { type: 'string', format: 'uuid' } },
  required: ['consentId'],
} as const
const NoticeQuery = {
  type: 'object',
  properties: { notice: { type: 'string', enum: ['withdrawn', 'given'] } },
} as const

/** A typed address never comes back longer than the field can hold. */
const MAX_EMAIL_LENGTH = 254

/**
 * "Meine Daten" (Art. 15/20, 7 (3), 17 DSGVO) for the signed-in person, and the back office's export for a request
 * received on paper (platform admins). `holders` are every module's personal-data parts (src/personal-data.ts).
 */
export const privacyRoutes: FastifyPluginAsync<{ holders: readonly PersonalDataHolder[] }> = async (app, opts) => {
  const sendZip = (reply: FastifyReply, download: { filename: string; zip: Buffer }) =>
    reply
      .type('application/zip')
      .header('content-disposition', contentDisposition(download.filename))
      .header('cache-control', 'no-store')
      .send(download.zip)

  await app.register(async account => {
    account.addHook('preHandler', requireAccount)
    const self = (req: FastifyRequest): Requester => ({ accountId: accountOf(req).id })

    account.get<{ Querystring: { notice?: MyDataNotice } }>(
      '/account/privacy',
      { schema: { querystring: NoticeQuery } },
      async (req, reply) => {
        const accountId = accountOf(req).id
        const [exports, consents] = await Promise.all([
          listAccountExports(app.db, accountId),
          listConsents(app.db, accountId),
        ])
        const ctx = await app.pageContext(req)
        return sendHtml(reply, MyDataPage({ ctx, exports, consents, notice: req.query.notice, now: app.clock.now() }))
      },
    )

    account.post('/account/privacy/exports', async (req, reply) => {
      const exportId = await requestExport(app.db, { accountId: accountOf(req).id }, req.locale, app.clock.now())
      return reply.redirect(`/account/privacy/exports/${exportId}`, 303)
    })

    account.get<{ Params: { exportId: string } }>(
      '/account/privacy/exports/:exportId',
      { schema: { params: ExportParams } },
      async (req, reply) => {
        const row = await findOwnExport(app.db, req.params.exportId, self(req))
        const ctx = await app.pageContext(req)
        const back = { href: '/account/privacy', label: req.t.text('privacy.page.title') }
        return sendHtml(
          reply,
          ExportProgressPage({ ctx, row, now: app.clock.now(), base: '/account/privacy/exports', back }),
        )
      },
    )

    account.get<{ Params: { exportId: string } }>(
      '/account/privacy/exports/:exportId/download',
      { schema: { params: ExportParams } },
      async (req, reply) =>
        sendZip(reply, await downloadExport(app.db, req.params.exportId, self(req), app.clock.now())),
    )

    account.post<{ Params: { consentId: string } }>(
      '/account/privacy/consents/:consentId/withdraw',
      { schema: { params: ConsentParams } },
      async (req, reply) => {
        await withdrawConsent(app.db, accountOf(req).id, req.params.consentId, app.clock.now())
        return reply.redirect('/account/privacy?notice=withdrawn', 303)
      },
    )

    account.post('/account/privacy/consents/email-notices', async (req, reply) => {
      await giveEmailNotices(app.db, accountOf(req).id, app.clock.now())
      return reply.redirect('/account/privacy?notice=given', 303)
    })

    account.get('/account/delete', async (req, reply) => {
      const ctx = await app.pageContext(req)
      return sendHtml(reply, DeleteAccountPage({ ctx, errors: [] }))
    })

    account.post('/account/delete', async (req, reply) => {
      const { id: accountId, email } = accountOf(req)
      const password = formText((await readFormInput(req)).values, 'password', { trim: false })
      // The password is asked again so that a borrowed session cannot delete the account; guessing it here is
      // slowed down like guessing it at sign-in, and counts there too.
      const attempt = loginKey('account', email, req.ip)
      const waitMinutes = await minutesUntilLoginAllowed(app.db, attempt, app.clock.now())
      let problem: string | undefined
      if (waitMinutes > 0) problem = req.t.text('privacy.errors.passwordThrottled', { minutes: waitMinutes })
      else if (!password) problem = req.t.text('privacy.errors.passwordMissing')
      else if (!(await accountPasswordMatches(app.db, accountId, password))) {
        await recordFailedLogin(app.db, attempt, app.clock.now())
        problem = req.t.text('privacy.errors.passwordWrong')
      }
      if (problem) {
        const ctx = await app.pageContext(req)
        return sendHtml(reply, DeleteAccountPage({ ctx, errors: [{ fieldId: 'password', message: problem }] }), 400)
      }
      const counts = await eraseAccount({ db: app.db, config: app.config, holders: opts.holders }, accountId)
      // Kinds and counts only, like the deletion log: the log names nobody either.
      req.log.info({ erased: counts.filter(c => c.count > 0) }, 'account erased at its holder’s request')
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.redirect('/account/deleted', 303)
    })
  })

  app.get('/account/deleted', async (req, reply) => {
    const ctx = await app.pageContext(req)
    return sendHtml(reply, AccountDeletedPage({ ctx }))
  })

  await app.register(async backoffice => {
    backoffice.addHook('onRequest', requirePlatformAdmin)
    const staffRequester = (req: FastifyRequest): Requester => ({ staffId: staffOf(req).id })

    const page = async (req: FastifyRequest, reply: FastifyReply, email: string, errorKey?: string) => {
      const ctx = await app.pageContext(req)
      const exports = await listStaffExports(app.db, staffOf(req).id)
      const errors = errorKey ? [{ fieldId: 'email', message: req.t.text(errorKey) }] : []
      return sendHtml(
        reply,
        BackofficePrivacyPage({ ctx, email, errors, exports, now: app.clock.now() }),
        errorKey ? 400 : 200,
      )
    }

    backoffice.get('/backoffice/admin/privacy', async (req, reply) => page(req, reply, ''))

    backoffice.post('/backoffice/admin/privacy/exports', async (req, reply) => {
      const email = formText((await readFormInput(req)).values, 'email')
      if (!email) return page(req, reply, '', 'privacy.errors.emailMissing')
      const accountId = email.length <= MAX_EMAIL_LENGTH ? await accountIdByEmail(app.db, email) : undefined
      if (!accountId) return page(req, reply, email.slice(0, MAX_EMAIL_LENGTH), 'privacy.errors.accountUnknown')
      const exportId = await requestExport(app.db, { accountId, staffId: staffOf(req).id }, req.locale, app.clock.now())
      return reply.redirect(`/backoffice/admin/privacy/exports/${exportId}`, 303)
    })

    backoffice.get<{ Params: { exportId: string } }>(
      '/backoffice/admin/privacy/exports/:exportId',
      { schema: { params: ExportParams } },
      async (req, reply) => {
        const row = await findOwnExport(app.db, req.params.exportId, staffRequester(req))
        const ctx = await app.pageContext(req)
        const back = { href: '/backoffice/admin/privacy', label: req.t.text('privacy.backoffice.title') }
        return sendHtml(
          reply,
          ExportProgressPage({ ctx, row, now: app.clock.now(), base: '/backoffice/admin/privacy/exports', back }),
        )
      },
    )

    backoffice.get<{ Params: { exportId: string } }>(
      '/backoffice/admin/privacy/exports/:exportId/download',
      { schema: { params: ExportParams } },
      async (req, reply) =>
        sendZip(reply, await downloadExport(app.db, req.params.exportId, staffRequester(req), app.clock.now())),
    )
  })
}
