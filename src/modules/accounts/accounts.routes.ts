import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { Locale } from '../../platform/i18n/i18n.js'
import type { ProviderButton } from './views/provider-sign-in.js'
import type { VerifiedFields } from '../../platform/db/schema.js'
import type { VerifiedMarks } from './views/profile.js'
import { safeReturnPath } from '../../platform/http/return-path.js'
import { sendHtml } from '../../platform/views/page-context.js'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import { endSession } from '../../platform/auth/sessions.js'
import {
  loginKey,
  minutesUntilLoginAllowed,
  recordFailedLogin,
  recordSuccessfulLogin,
} from '../../platform/auth/login-throttle.js'
import type { FieldError } from '../../platform/views/components.js'
import { accountOf, requireAccount } from './accounts.guard.js'
import { establishAccountSession, passwordLogin } from './accounts.login.js'
import {
  loadProfile,
  registerAccount,
  requestPasswordReset,
  resendVerification,
  resetPassword,
  updateAccountProfile,
  verifyEmail,
  type MailContext,
} from './accounts.service.js'
import { isUsableToken } from './accounts.tokens.js'
import { verifiedFieldsOf } from './accounts.verified.js'
import {
  checkEmail,
  checkNewPassword,
  MAX_FIELD_LENGTH,
  PROFILE_FIELDS,
  readProfile,
  readRegistration,
  validateProfile,
  validateRegistration,
  type FieldProblem,
  type ProfileInput,
} from './accounts.validate.js'
import { CheckInboxPage, RegisterPage } from './views/register.js'
import { LoginPage, type LoginNotice } from './views/login.js'
import { MailSentPage, ResendPage, VerifyFailedPage } from './views/email.js'
import { ForgotPasswordPage, ResetInvalidPage, ResetPasswordPage } from './views/password.js'
import { ProfilePage } from './views/profile.js'
import { todayInGermany } from '../../platform/i18n/i18n.js'

export const DEFAULT_AFTER_LOGIN = '/account/applications'
const LOGIN_NOTICES: LoginNotice[] = ['passwordChanged', 'emailVerified', 'loggedOut']

const LoginQuery = {
  type: 'object',
  properties: { return: { type: 'string', maxLength: 2000 }, notice: { type: 'string', maxLength: 40 } },
} as const
const TokenQuery = { type: 'object', properties: { token: { type: 'string', maxLength: 200 } } } as const
const SavedQuery = { type: 'object', properties: { saved: { type: 'string', maxLength: 10 } } } as const

/** What the user typed, echoed back into the form but never more than a field can hold. */
const echo = (value: string) => value.slice(0, MAX_FIELD_LENGTH)

/**
 * What the identity module (a layer above) brings to the account's pages, wired in src/app.ts: the providers' sign-in
 * buttons and, for a session signed in through a provider, where our logout continues (the provider's logout).
 */
export interface AccountRoutesOptions {
  signInOptions?: (locale: Locale, returnTo?: string) => ProviderButton[]
  logoutRedirect?: (req: FastifyRequest) => Promise<string | undefined>
  /** A provider's name for "confirmed by …" on the profile page. */
  providerName?: (providerId: string, locale: Locale) => string | undefined
}

export const accountRoutes: FastifyPluginAsync<AccountRoutesOptions> = async (app, options) => {
  const providerButtons = (req: FastifyRequest, returnTo?: string) =>
    options.signInOptions?.(req.locale, returnTo) ?? []
  /** Which profile fields a provider confirmed, with its name in the reader's language and the day. */
  const verifiedOf = (req: FastifyRequest, fields: VerifiedFields): VerifiedMarks =>
    Object.fromEntries(
      Object.entries(fields).flatMap(([field, by]) =>
        by ? [[field, { provider: options.providerName?.(by.provider, req.locale) ?? by.provider, at: by.at }]] : [],
      ),
    )
  const mailContext = (req: FastifyRequest): MailContext => ({ config: app.config, t: req.t })
  const translate = (req: FastifyRequest, problems: FieldProblem[]): FieldError[] =>
    problems.map(p => ({ fieldId: p.fieldId, message: req.t.text(p.key, p.params) }))

  // ---- Registration and e-mail confirmation

  app.get('/register', async (req, reply) => {
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      RegisterPage({
        ctx,
        values: { kind: 'citizen', email: '', givenName: '', familyName: '', companyName: '' },
        errors: [],
        providers: providerButtons(req),
      }),
    )
  })

  app.post('/register', async (req, reply) => {
    const input = readRegistration((await readFormInput(req)).values)
    const result = validateRegistration(input, req.locale)
    if (!result.ok) {
      const ctx = await app.pageContext(req)
      const values = {
        kind: input.kind,
        email: echo(input.email),
        givenName: echo(input.givenName),
        familyName: echo(input.familyName),
        companyName: echo(input.companyName),
      }
      return sendHtml(
        reply,
        RegisterPage({ ctx, values, errors: translate(req, result.problems), providers: providerButtons(req) }),
        400,
      )
    }
    await registerAccount(app.db, mailContext(req), result.value)
    const ctx = await app.pageContext(req)
    return sendHtml(reply, CheckInboxPage({ ctx, email: result.value.email }))
  })

  app.get<{ Querystring: { token?: string } }>(
    '/verify-email',
    { schema: { querystring: TokenQuery } },
    async (req, reply) => {
      if (await verifyEmail(app.db, req.query.token)) return reply.redirect('/login?notice=emailVerified', 303)
      const ctx = await app.pageContext(req)
      return sendHtml(reply, VerifyFailedPage({ ctx }), 400)
    },
  )

  app.get('/verify-email/resend', async (req, reply) => {
    const ctx = await app.pageContext(req)
    return sendHtml(reply, ResendPage({ ctx, email: '', errors: [] }))
  })

  app.post('/verify-email/resend', async (req, reply) => {
    const email = formText((await readFormInput(req)).values, 'email')
    const problem = checkEmail('email', email)
    const ctx = await app.pageContext(req)
    if (problem) return sendHtml(reply, ResendPage({ ctx, email: echo(email), errors: translate(req, [problem]) }), 400)
    await resendVerification(app.db, mailContext(req), email)
    return sendHtml(
      reply,
      MailSentPage({ ctx, titleKey: 'accounts.resend.sentTitle', bodyKey: 'accounts.resend.sentBody', email }),
    )
  })

  // ---- Login and logout

  app.get<{ Querystring: { return?: string; notice?: string } }>(
    '/login',
    { schema: { querystring: LoginQuery } },
    async (req, reply) => {
      const returnTo = safeReturnPath(req.query.return)
      if (req.session?.account) return reply.redirect(returnTo ?? DEFAULT_AFTER_LOGIN, 303)
      const notice = LOGIN_NOTICES.find(n => n === req.query.notice)
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        LoginPage({ ctx, email: '', returnTo, errors: [], notice, providers: providerButtons(req, returnTo) }),
      )
    },
  )

  app.post('/login', async (req, reply) => {
    const values = (await readFormInput(req)).values
    const email = formText(values, 'email')
    const password = formText(values, 'password', { trim: false })
    const returnTo = safeReturnPath(formText(values, 'return'))
    const problems: FieldProblem[] = []
    if (!email) problems.push({ fieldId: 'email', key: 'accounts.error.emailMissing' })
    if (!password) problems.push({ fieldId: 'password', key: 'accounts.login.error.passwordMissing' })
    const key = loginKey('account', email, req.ip)
    const waitMinutes = problems.length ? 0 : await minutesUntilLoginAllowed(app.db, key, app.clock.now())
    if (waitMinutes > 0) {
      const ctx = await app.pageContext(req)
      const errors = translate(req, [
        { fieldId: 'password', key: 'accounts.login.error.throttled', params: { minutes: waitMinutes } },
      ])
      return sendHtml(
        reply,
        LoginPage({
          ctx,
          email: echo(email),
          returnTo,
          errors,
          unverified: false,
          providers: providerButtons(req, returnTo),
        }),
        429,
      )
    }
    const outcome =
      problems.length || email.length > MAX_FIELD_LENGTH
        ? undefined
        : await passwordLogin.authenticate(app.db, { email, password })
    if (outcome?.ok) {
      await recordSuccessfulLogin(app.db, key)
      await establishAccountSession(app.db, req, reply, app.config, outcome.account)
      return reply.redirect(returnTo ?? DEFAULT_AFTER_LOGIN, 303)
    }
    if (outcome?.reason === 'invalidCredentials') await recordFailedLogin(app.db, key, app.clock.now())
    // One message for unknown address and wrong password alike.
    if (!problems.length && outcome?.reason !== 'emailNotVerified')
      problems.push({ fieldId: 'email', key: 'accounts.login.error.invalid' })
    const ctx = await app.pageContext(req)
    const unverified = outcome?.reason === 'emailNotVerified'
    return sendHtml(
      reply,
      LoginPage({
        ctx,
        email: echo(email),
        returnTo,
        errors: translate(req, problems),
        unverified,
        providers: providerButtons(req, returnTo),
      }),
      unverified ? 403 : 400,
    )
  })

  app.post('/logout', async (req, reply) => {
    // Asked before our session ends (it knows the provider's session); ours ends whatever the provider does.
    const continueAt = req.session?.account ? await options.logoutRedirect?.(req) : undefined
    await endSession(app.db, req, reply)
    return reply.redirect(continueAt ?? '/', 303)
  })

  // ---- Forgotten password

  app.get('/password/forgot', async (req, reply) => {
    const ctx = await app.pageContext(req)
    return sendHtml(reply, ForgotPasswordPage({ ctx, email: '', errors: [] }))
  })

  app.post('/password/forgot', async (req, reply) => {
    const email = formText((await readFormInput(req)).values, 'email')
    const problem = checkEmail('email', email)
    const ctx = await app.pageContext(req)
    if (problem)
      return sendHtml(reply, ForgotPasswordPage({ ctx, email: echo(email), errors: translate(req, [problem]) }), 400)
    await requestPasswordReset(app.db, mailContext(req), email)
    return sendHtml(
      reply,
      MailSentPage({ ctx, titleKey: 'accounts.forgot.sentTitle', bodyKey: 'accounts.forgot.sentBody', email }),
    )
  })

  app.get<{ Querystring: { token?: string } }>(
    '/password/reset',
    { schema: { querystring: TokenQuery } },
    async (req, reply) => {
      const ctx = await app.pageContext(req)
      if (!req.query.token || !(await isUsableToken(app.db, req.query.token, 'reset_password')))
        return sendHtml(reply, ResetInvalidPage({ ctx }), 400)
      return sendHtml(reply, ResetPasswordPage({ ctx, token: req.query.token, errors: [] }))
    },
  )

  app.post('/password/reset', async (req, reply) => {
    const values = (await readFormInput(req)).values
    const token = formText(values, 'token')
    const ctx = await app.pageContext(req)
    if (!(await isUsableToken(app.db, token, 'reset_password'))) return sendHtml(reply, ResetInvalidPage({ ctx }), 400)
    const problems = checkNewPassword(
      formText(values, 'password', { trim: false }),
      formText(values, 'passwordConfirm', { trim: false }),
      req.locale,
    )
    if (problems.length)
      return sendHtml(reply, ResetPasswordPage({ ctx, token, errors: translate(req, problems) }), 400)
    if (!(await resetPassword(app.db, token, formText(values, 'password', { trim: false }))))
      return sendHtml(reply, ResetInvalidPage({ ctx }), 400)
    return reply.redirect('/login?notice=passwordChanged', 303)
  })

  // ---- Profile: what once-only prefill draws on

  await app.register(async account => {
    account.addHook('preHandler', requireAccount)

    account.get<{ Querystring: { saved?: string } }>(
      '/account/profile',
      { schema: { querystring: SavedQuery } },
      async (req, reply) => {
        const accountId = accountOf(req).id
        const profile = await loadProfile(app.db, accountId)
        const values = Object.fromEntries(PROFILE_FIELDS.map(f => [f, profile[f] ?? ''])) as ProfileInput
        const ctx = await app.pageContext(req)
        return sendHtml(
          reply,
          ProfilePage({
            ctx,
            kind: profile.kind,
            email: profile.email,
            values,
            verified: verifiedOf(req, await verifiedFieldsOf(app.db, accountId)),
            errors: [],
            saved: req.query.saved === '1',
          }),
        )
      },
    )

    account.post('/account/profile', async (req, reply) => {
      const accountId = accountOf(req).id
      const profile = await loadProfile(app.db, accountId)
      const formValues = (await readFormInput(req)).values
      const input = readProfile(formValues)
      const verified = verifiedOf(req, await verifiedFieldsOf(app.db, accountId))
      // A verified field has no input; one sent anyway (a forged form) must not change what the provider vouched for.
      const forged: FieldProblem[] = []
      for (const field of PROFILE_FIELDS) {
        const by = verified[field]
        if (!by) continue
        const stored = profile[field] ?? ''
        if (field in formValues && input[field] !== stored)
          forged.push({ fieldId: field, key: 'accounts.profile.error.verified', params: { provider: by.provider } })
        input[field] = stored
      }
      const result = validateProfile(input, profile.kind, todayInGermany())
      if (!result.ok || forged.length) {
        const values = Object.fromEntries(PROFILE_FIELDS.map(f => [f, echo(input[f])])) as ProfileInput
        const ctx = await app.pageContext(req)
        return sendHtml(
          reply,
          ProfilePage({
            ctx,
            kind: profile.kind,
            email: profile.email,
            values,
            verified,
            errors: translate(req, [...forged, ...(result.ok ? [] : result.problems)]),
            saved: false,
          }),
          400,
        )
      }
      await updateAccountProfile(app.db, accountId, result.value)
      return reply.redirect('/account/profile?saved=1', 303)
    })
  })
}
