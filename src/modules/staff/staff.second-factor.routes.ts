import { createRequire } from 'node:module'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { loginSession } from '../../platform/auth/sessions.js'
import { loginKey, recordSuccessfulLogin } from '../../platform/auth/login-throttle.js'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import { BadRequest } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/views/components.js'
import { sendHtml } from '../../platform/views/page-context.js'
import { requireStaff, staffOf } from './staff.guard.js'
import {
  passkeyAuthenticationOptions,
  passkeyRegistrationOptions,
  registerPasskey,
  relyingPartyOf,
  removePasskey,
  verifyPasskeySignIn,
} from './staff.passkeys.js'
import { listPasskeys, rolesOf } from './staff.second-factor.queries.js'
import {
  assertMayRemoveFactor,
  beginTotpEnrolment,
  checkTotpCode,
  confirmTotpEnrolment,
  hasSecondFactor,
  redeemRecoveryCode,
  regenerateRecoveryCodes,
  removeTotp,
  requiresSecondFactor,
  secondFactorsOf,
} from './staff.second-factor.js'
import { findPending, recordWrongCode, type PendingSignIn } from './staff.sign-in.js'
import { RecoveryCodesPage, SecondFactorPage, TotpEnrolPage } from './views/second-factor.js'
import { SecurityPage, type SecurityNotice } from './views/security.js'
import { StaffLoginPage } from './views/login.js'

const require = createRequire(import.meta.url)
const SECURITY_NOTICES: SecurityNotice[] = ['totpAdded', 'totpRemoved', 'passkeyAdded', 'passkeyRemoved']
const MAX_PASSKEY_NAME = 60

/**
 * The second step of a staff sign-in, reached only from a right password (staff.routes.ts): until it is done the
 * session is anonymous, so nothing else of the back office opens. Then the staff member's own security page.
 */
export const secondFactorRoutes: FastifyPluginAsync = async app => {
  // SimpleWebAuthn's browser build as a file of its own: the pages carry no inline script.
  await app.register(fastifyStatic, {
    // The package exports only its modules; the bundle sits beside them.
    root: path.join(path.dirname(require.resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle'),
    prefix: '/assets/webauthn/',
    decorateReply: false,
    index: false,
  })

  const rp = relyingPartyOf(app.config.baseUrl, app.config.cityName)
  const issuer = () => `Bauhaus ${app.config.cityName}`

  async function pendingOf(req: FastifyRequest): Promise<PendingSignIn | undefined> {
    return findPending(app.db, req.session?.idHash, app.clock.now())
  }

  async function complete(req: FastifyRequest, reply: FastifyReply, pending: PendingSignIn) {
    await recordSuccessfulLogin(app.db, loginKey('staff', pending.email, req.ip))
    await loginSession(app.db, req, reply, app.config, { staffId: pending.staffId })
    return reply.redirect(pending.returnTo ?? '/backoffice', 303)
  }

  async function renderSecondStep(
    req: FastifyRequest,
    reply: FastifyReply,
    pending: PendingSignIn,
    errors: FieldError[],
  ) {
    const factors = await secondFactorsOf(app.db, pending.staffId)
    const passkeyOptions =
      factors.passkeys > 0 && req.session
        ? await passkeyAuthenticationOptions(app.db, rp, pending.staffId, req.session.idHash, app.clock.now())
        : undefined
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      SecondFactorPage({ ctx, totp: factors.totp, passkeyOptions, errors }),
      errors.length ? 400 : 200,
    )
  }

  app.get('/backoffice/login/second-factor', async (req, reply) => {
    const pending = await pendingOf(req)
    if (!pending) return reply.redirect('/backoffice/login', 303)
    if (!hasSecondFactor(await secondFactorsOf(app.db, pending.staffId)))
      return reply.redirect('/backoffice/login/enrol', 303)
    return renderSecondStep(req, reply, pending, [])
  })

  app.post('/backoffice/login/second-factor', async (req, reply) => {
    const pending = await pendingOf(req)
    if (!pending || !req.session) return reply.redirect('/backoffice/login', 303)
    const { values } = await readFormInput(req)
    const method = formText(values, 'method') === 'recovery' ? 'recovery' : 'totp'
    const code = formText(values, 'code').slice(0, 100)
    const fieldId = method === 'recovery' ? 'recoveryCode' : 'code'
    const now = app.clock.now()
    let problem: string | undefined
    if (!code) problem = `staff.signin.error.${method}Missing`
    else if (method === 'recovery') {
      if (!(await redeemRecoveryCode(app.db, pending.staffId, code, now))) problem = 'staff.signin.error.recoveryWrong'
    } else {
      const check = await checkTotpCode(app.db, pending.staffId, code, now)
      if (check === 'wrong') problem = 'staff.signin.error.totpWrong'
      if (check === 'used') problem = 'staff.signin.error.totpUsed'
    }
    if (!problem) return complete(req, reply, pending)
    if (code && !(await recordWrongCode(app.db, req.session.idHash, loginKey('staff', pending.email, req.ip), now))) {
      const ctx = await app.pageContext(req)
      const errors = [{ fieldId: 'email', message: req.t.text('staff.signin.error.tooManyCodes') }]
      return sendHtml(reply, StaffLoginPage({ ctx, email: pending.email, errors }), 429)
    }
    return renderSecondStep(req, reply, pending, [{ fieldId, message: req.t.text(problem) }])
  })

  app.post('/backoffice/login/passkey', async (req, reply) => {
    const pending = await pendingOf(req)
    if (!pending || !req.session) return reply.redirect('/backoffice/login', 303)
    const { values } = await readFormInput(req)
    const credential = formText(values, 'credential', { trim: false })
    if (await verifyPasskeySignIn(app.db, rp, pending.staffId, req.session.idHash, credential, app.clock.now()))
      return complete(req, reply, pending)
    await recordWrongCode(app.db, req.session.idHash, loginKey('staff', pending.email, req.ip), app.clock.now())
    const stillPending = await pendingOf(req)
    if (!stillPending) return reply.redirect('/backoffice/login', 303)
    return renderSecondStep(req, reply, stillPending, [
      { fieldId: 'passkey-heading', message: req.t.text('staff.signin.error.passkeyWrong') },
    ])
  })

  // Setting up a first factor during sign-in, when the role requires one and the person has none yet.
  app.get('/backoffice/login/enrol', async (req, reply) => {
    const pending = await pendingOf(req)
    if (!pending) return reply.redirect('/backoffice/login', 303)
    if (hasSecondFactor(await secondFactorsOf(app.db, pending.staffId)))
      return reply.redirect('/backoffice/login/second-factor', 303)
    const enrolment = await beginTotpEnrolment(app.db, { id: pending.staffId, email: pending.email }, issuer())
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      TotpEnrolPage({ ctx, action: '/backoffice/login/enrol', ...enrolment, errors: [], duringSignIn: true }),
    )
  })

  app.post('/backoffice/login/enrol', async (req, reply) => {
    const pending = await pendingOf(req)
    if (!pending) return reply.redirect('/backoffice/login', 303)
    if (hasSecondFactor(await secondFactorsOf(app.db, pending.staffId)))
      return reply.redirect('/backoffice/login/second-factor', 303)
    const { values } = await readFormInput(req)
    const code = formText(values, 'code').slice(0, 100)
    const codes = code ? await confirmTotpEnrolment(app.db, pending.staffId, code, app.clock.now()) : undefined
    if (!codes) {
      const enrolment = await beginTotpEnrolment(app.db, { id: pending.staffId, email: pending.email }, issuer())
      const message = req.t.text(code ? 'staff.signin.error.totpWrong' : 'staff.signin.error.totpMissing')
      const ctx = await app.pageContext(req)
      const page = TotpEnrolPage({
        ctx,
        action: '/backoffice/login/enrol',
        ...enrolment,
        errors: [{ fieldId: 'code', message }],
        duringSignIn: true,
      })
      return sendHtml(reply, page, 400)
    }
    await recordSuccessfulLogin(app.db, loginKey('staff', pending.email, req.ip))
    await loginSession(app.db, req, reply, app.config, { staffId: pending.staffId })
    const ctx = await app.pageContext(req)
    return sendHtml(reply, RecoveryCodesPage({ ctx, codes, continueHref: pending.returnTo ?? '/backoffice' }))
  })

  await app.register(staffSecurityRoutes)
}

/** The signed-in staff member's own page: passkeys, the authenticator app, recovery codes. */
const staffSecurityRoutes: FastifyPluginAsync = async app => {
  app.addHook('preHandler', requireStaff)
  const rp = relyingPartyOf(app.config.baseUrl, app.config.cityName)
  const required = async (staffId: string) =>
    requiresSecondFactor(app.config.staffSecondFactorRoles, await rolesOf(app.db, staffId))

  async function renderSecurity(req: FastifyRequest, reply: FastifyReply, notice?: SecurityNotice, status = 200) {
    const staff = staffOf(req)
    const factors = await secondFactorsOf(app.db, staff.id)
    const passkeys = await listPasskeys(app.db, staff.id)
    const sessionHash = req.session?.idHash ?? ''
    const registrationOptions = await passkeyRegistrationOptions(app.db, rp, staff, sessionHash, app.clock.now())
    const ctx = await app.pageContext(req)
    const page = SecurityPage({
      ctx,
      required: await required(staff.id),
      totp: factors.totp,
      recoveryCodes: factors.recoveryCodes,
      passkeys,
      registrationOptions,
      notice,
    })
    return sendHtml(reply, page, status)
  }

  app.get<{ Querystring: { notice?: SecurityNotice } }>(
    '/backoffice/security',
    { schema: { querystring: { type: 'object', properties: { notice: { type: 'string', enum: SECURITY_NOTICES } } } } },
    async (req, reply) => renderSecurity(req, reply, req.query.notice),
  )

  app.get('/backoffice/security/totp', async (req, reply) => {
    const staff = staffOf(req)
    const enrolment = await beginTotpEnrolment(app.db, staff, `Bauhaus ${app.config.cityName}`)
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      TotpEnrolPage({ ctx, action: '/backoffice/security/totp', ...enrolment, errors: [], duringSignIn: false }),
    )
  })

  app.post('/backoffice/security/totp', async (req, reply) => {
    const staff = staffOf(req)
    const { values } = await readFormInput(req)
    const code = formText(values, 'code').slice(0, 100)
    const codes = code ? await confirmTotpEnrolment(app.db, staff.id, code, app.clock.now()) : undefined
    const ctx = await app.pageContext(req)
    if (!codes) {
      const enrolment = await beginTotpEnrolment(app.db, staff, `Bauhaus ${app.config.cityName}`)
      const message = req.t.text(code ? 'staff.signin.error.totpWrong' : 'staff.signin.error.totpMissing')
      const page = TotpEnrolPage({
        ctx,
        action: '/backoffice/security/totp',
        ...enrolment,
        errors: [{ fieldId: 'code', message }],
        duringSignIn: false,
      })
      return sendHtml(reply, page, 400)
    }
    if (!codes.length) return reply.redirect('/backoffice/security?notice=totpAdded', 303)
    return sendHtml(reply, RecoveryCodesPage({ ctx, codes, continueHref: '/backoffice/security?notice=totpAdded' }))
  })

  app.post('/backoffice/security/totp/remove', async (req, reply) => {
    const staff = staffOf(req)
    assertMayRemoveFactor(await required(staff.id), await secondFactorsOf(app.db, staff.id), 'totp')
    await removeTotp(app.db, staff.id)
    return reply.redirect('/backoffice/security?notice=totpRemoved', 303)
  })

  app.post('/backoffice/security/recovery-codes', async (req, reply) => {
    const staff = staffOf(req)
    if (!hasSecondFactor(await secondFactorsOf(app.db, staff.id))) throw new BadRequest('staff.security.error.noFactor')
    const codes = await regenerateRecoveryCodes(app.db, staff.id)
    const ctx = await app.pageContext(req)
    return sendHtml(reply, RecoveryCodesPage({ ctx, codes, continueHref: '/backoffice/security' }))
  })

  app.post('/backoffice/security/passkeys', async (req, reply) => {
    const staff = staffOf(req)
    const { values } = await readFormInput(req)
    const existing = await listPasskeys(app.db, staff.id)
    const name =
      formText(values, 'name').slice(0, MAX_PASSKEY_NAME) ||
      req.t.text('staff.security.passkeys.defaultName', { number: existing.length + 1 })
    const credential = formText(values, 'credential', { trim: false })
    const codes = await registerPasskey(
      app.db,
      rp,
      staff.id,
      req.session?.idHash ?? '',
      credential,
      name,
      app.clock.now(),
    )
    if (!codes) return renderSecurity(req, reply, 'passkeyFailed', 400)
    if (!codes.length) return reply.redirect('/backoffice/security?notice=passkeyAdded', 303)
    const ctx = await app.pageContext(req)
    return sendHtml(reply, RecoveryCodesPage({ ctx, codes, continueHref: '/backoffice/security?notice=passkeyAdded' }))
  })

  app.post('/backoffice/security/passkeys/remove', async (req, reply) => {
    const staff = staffOf(req)
    const { values } = await readFormInput(req)
    assertMayRemoveFactor(await required(staff.id), await secondFactorsOf(app.db, staff.id), 'passkey')
    await removePasskey(app.db, staff.id, formText(values, 'credentialId'))
    return reply.redirect('/backoffice/security?notice=passkeyRemoved', 303)
  })
}
