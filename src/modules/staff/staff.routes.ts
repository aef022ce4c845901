import type { FastifyPluginAsync } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import {
  loginKey,
  minutesUntilLoginAllowed,
  recordFailedLogin,
  recordSuccessfulLogin,
} from '../../platform/auth/login-throttle.js'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import { endSession, loginSession } from '../../platform/auth/sessions.js'
import { safeReturnPath } from '../../platform/http/return-path.js'
import { authenticateStaff } from './staff.service.js'
import { StaffLoginPage } from './views/login.js'
import { secondFactorRoutes } from './staff.second-factor.routes.js'
import { beginPendingSignIn, stepAfterPassword } from './staff.sign-in.js'
import type { StaffDirectory } from './staff.directory.config.js'
import { directorySignInRoutes } from './staff.directory.routes.js'
import { findDirectoryIdentityOfStaff } from './staff.directory.queries.js'

const MAX_EMAIL_LENGTH = 200
const LoginQuery = { type: 'object', properties: { return: { type: 'string', maxLength: 2000 } } } as const

export interface StaffAuthOptions {
  /** The city's directory staff sign in with (STAFF_DIRECTORY_FILE); undefined: passwords only. */
  directory?: StaffDirectory
}

export const staffAuthRoutes: FastifyPluginAsync<StaffAuthOptions> = async (app, { directory }) => {
  const passwordSignIn = app.config.staffPasswordSignIn
  const breakGlass = new Set(directory?.breakGlass ?? [])
  /** What the login page offers: the directory's button, and the password form unless it is switched off. */
  const loginOptions = (locale: 'de' | 'en') => ({
    directoryLabel: directory?.name?.[locale],
    hasDirectory: !!directory,
    passwordSignIn,
  })
  /**
   * Whether a local password may open this account at all (STAFF_PASSWORD_SIGN_IN, docs/staff-sso.md): with the
   * directory in charge only break-glass accounts may, and a person linked to the directory signs in there.
   */
  const passwordAllowed = async (email: string, staffId?: string) => {
    if (passwordSignIn === 'off') return false
    if (passwordSignIn === 'break-glass' && !breakGlass.has(email.trim().toLowerCase())) return false
    if (staffId && !breakGlass.has(email.trim().toLowerCase()) && (await findDirectoryIdentityOfStaff(app.db, staffId)))
      return false
    return true
  }

  app.get<{ Querystring: { return?: string } }>(
    '/backoffice/login',
    { schema: { querystring: LoginQuery } },
    async (req, reply) => {
      const returnTo = safeReturnPath(req.query.return)
      if (req.session?.staff) return reply.redirect(returnTo ?? '/backoffice', 303)
      const ctx = await app.pageContext(req)
      return sendHtml(reply, StaffLoginPage({ ctx, email: '', returnTo, errors: [], ...loginOptions(req.locale) }))
    },
  )

  app.post('/backoffice/login', async (req, reply) => {
    const { values } = await readFormInput(req)
    const email = formText(values, 'email')
    const password = formText(values, 'password', { trim: false })
    const returnTo = safeReturnPath(formText(values, 'return', { trim: false }))
    const errors: { fieldId: string; message: string }[] = []
    if (!email) errors.push({ fieldId: 'email', message: req.t.text('staff.login.error.emailMissing') })
    if (!password) errors.push({ fieldId: 'password', message: req.t.text('staff.login.error.passwordMissing') })
    const key = loginKey('staff', email, req.ip)
    const waitMinutes = errors.length ? 0 : await minutesUntilLoginAllowed(app.db, key, app.clock.now())
    /** The login page again, with what was typed (never more than the field holds) and why it was refused. */
    const refuse = async (refusal: { fieldId: string; message: string }[], status: number) =>
      sendHtml(
        reply,
        StaffLoginPage({
          ctx: await app.pageContext(req),
          email: email.slice(0, MAX_EMAIL_LENGTH),
          returnTo,
          errors: refusal,
          ...loginOptions(req.locale),
        }),
        status,
      )
    /** This address signs in through the directory: said the same way before and after the password. */
    const refuseUseDirectory = () =>
      refuse([{ fieldId: 'email', message: req.t.text('staff.login.error.useDirectory') }], 403)
    if (waitMinutes > 0)
      return refuse(
        [{ fieldId: 'password', message: req.t.text('staff.login.error.throttled', { minutes: waitMinutes }) }],
        429,
      )
    if (!errors.length && !(await passwordAllowed(email))) {
      return refuseUseDirectory()
    }
    const staffId =
      errors.length || email.length > MAX_EMAIL_LENGTH ? undefined : await authenticateStaff(app.db, email, password)
    if (staffId && !(await passwordAllowed(email, staffId))) {
      // The right password of someone the directory signs in: refused like the others, after the password only, so
      // the answer says nothing about the account to someone who does not know it.
      await recordSuccessfulLogin(app.db, key)
      return refuseUseDirectory()
    }
    if (staffId) {
      const step = await stepAfterPassword(app.db, app.config.staffSecondFactorRoles, staffId)
      if (step === 'complete') {
        await recordSuccessfulLogin(app.db, key)
        await loginSession(app.db, req, reply, app.config, { staffId })
        return reply.redirect(returnTo ?? '/backoffice', 303)
      }
      // The web context gives every request a session; the half sign-in hangs on it. Earlier failures are forgotten
      // only once the second factor is shown too.
      await beginPendingSignIn(app.db, req.session?.idHash ?? '', staffId, returnTo, app.clock.now())
      return reply.redirect(step === 'enrol' ? '/backoffice/login/enrol' : '/backoffice/login/second-factor', 303)
    }
    if (!errors.length) await recordFailedLogin(app.db, key, app.clock.now())
    if (!errors.length) errors.push({ fieldId: 'email', message: req.t.text('staff.login.error.invalid') })
    return refuse(errors, 400)
  })

  app.post('/backoffice/logout', async (req, reply) => {
    await endSession(app.db, req, reply)
    return reply.redirect('/backoffice/login', 303)
  })

  await app.register(secondFactorRoutes)
  await app.register(directorySignInRoutes, { directory })
}
