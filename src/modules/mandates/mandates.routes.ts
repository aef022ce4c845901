import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import { checkUpload } from '../../platform/files/files.js'
import { uuidParams } from '../../platform/http/ids.js'
import { todayInGermany } from '../../platform/i18n/i18n.js'
import type { FieldError } from '../../platform/views/components.js'
import type { MandateKind, MemberRole } from '../../platform/db/schema.js'
import { accountOf, accountProfileFor, requireAccount } from '../accounts/index.js'
import {
  confirmMandate,
  endedByAccount,
  findMandateToConfirm,
  personName,
  principalNameOf,
  requestMandate,
  revokeMandate,
  sameAddress,
} from './mandates.service.js'
import { LinkForAnotherAddress } from './mandates.errors.js'
import {
  acceptInvitation,
  assertManagesBusiness,
  businessNameOf,
  findInvitation,
  inviteMember,
  removeMembership,
  standingIn,
} from './mandates.members.js'
import { listMandatesOfAccount, listMembersOfBusiness, listMembershipsOfAccount } from './mandates.queries.js'
import { validateInvite, validateMandateValues } from './mandates.validate.js'
import {
  ConfirmMandatePage,
  LinkInvalidPage,
  MandatesPage,
  NewMandatePage,
  type MandatesNotice,
  type NewMandateValues,
} from './views/mandates.js'
import { InvitationPage, MembersPage, type MembersNotice } from './views/members.js'

const NoticeQuery = {
  type: 'object',
  properties: { notice: { type: 'string', enum: ['requested', 'revoked', 'confirmed', 'left', 'joined'] } },
} as const
const MembersNoticeQuery = {
  type: 'object',
  properties: { notice: { type: 'string', enum: ['invited', 'removed'] } },
} as const
const TokenParams = {
  type: 'object',
  properties: { token: { type: 'string', maxLength: 100 } },
  required: ['token'],
} as const
const BusinessParams = uuidParams('businessId')
const MemberParams = {
  type: 'object',
  properties: { businessId: { type: 'string', format: 'uuid' }, memberId: { type: 'string', format: 'uuid' } },
  required: ['businessId', 'memberId'],
} as const

export interface MandatesRouteOptions {
  /** The office that checks the proofs (MANDATES_OFFICE). */
  officeId: string
}

/** The citizen's and the company's side: mandates, their confirmation, and a company's members. */
export const mandateRoutes: FastifyPluginAsync<MandatesRouteOptions> = async (app, { officeId }) => {
  app.addHook('preHandler', requireAccount)

  /** Names of accounts for the lists, each read from its own profile. */
  async function namesOf(ids: (string | null)[]): Promise<Map<string, string>> {
    const names = new Map<string, string>()
    for (const id of new Set(ids.filter((i): i is string => !!i)))
      names.set(id, personName(await accountProfileFor(app.db, id)))
    return names
  }

  app.get<{ Querystring: { notice?: MandatesNotice } }>(
    '/account/mandates',
    { schema: { querystring: NoticeQuery } },
    async (req, reply) => {
      const account = accountOf(req)
      const [mandates, memberships] = await Promise.all([
        listMandatesOfAccount(app.db, account.id),
        listMembershipsOfAccount(app.db, account.id),
      ])
      const names = await namesOf([
        ...mandates.map(m => m.agentAccountId),
        ...memberships.map(m => m.businessAccountId),
      ])
      const view = (m: (typeof mandates)[number]) => ({
        id: m.id,
        kind: m.kind,
        status: m.status,
        principalName: principalNameOf(m),
        principalBirthDate: m.principalBirthDate,
        agentName: m.agentAccountId ? (names.get(m.agentAccountId) ?? null) : null,
        rejectionReason: m.rejectionReason,
        createdAt: m.createdAt,
      })
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        MandatesPage({
          ctx,
          asAgent: mandates.filter(m => m.agentAccountId === account.id).map(view),
          forMe: mandates.filter(m => m.principalAccountId === account.id).map(view),
          memberships: memberships.map(m => ({
            id: m.id,
            businessId: m.businessAccountId,
            businessName: names.get(m.businessAccountId) ?? '–',
            role: m.role,
          })),
          ownBusiness: account.kind === 'business' ? account.id : null,
          notice: req.query.notice,
        }),
      )
    },
  )

  const emptyMandate: NewMandateValues = { kind: '', givenName: '', familyName: '', birthDate: '', principalEmail: '' }

  async function renderNew(
    req: FastifyRequest,
    reply: FastifyReply,
    values: NewMandateValues,
    errors: FieldError[],
    status = 200,
  ) {
    const ctx = await app.pageContext(req)
    return sendHtml(reply, NewMandatePage({ ctx, values, errors }), status)
  }

  app.get('/account/mandates/new', async (req, reply) => {
    // A company acts through its members, not through mandates of its own.
    if (accountOf(req).kind === 'business') return reply.redirect('/account/mandates', 303)
    return renderNew(req, reply, emptyMandate, [])
  })

  app.post('/account/mandates', async (req, reply) => {
    const account = accountOf(req)
    if (account.kind === 'business') return reply.redirect('/account/mandates', 303)
    const input = await readFormInput(req, { tooLarge: 'report' })
    const values: NewMandateValues = {
      kind: formText(input.values, 'kind'),
      givenName: formText(input.values, 'givenName'),
      familyName: formText(input.values, 'familyName'),
      birthDate: formText(input.values, 'birthDate'),
      principalEmail: formText(input.values, 'principalEmail').toLowerCase(),
    }
    const errors = validateMandateValues(values, req.t, todayInGermany(), account.email)
    const proofs = input.files.filter(f => f.fieldName === 'proof')
    let proof: { filename: string; content: Buffer; mediaType: string } | undefined
    if (input.tooLarge.some(f => f.fieldName === 'proof'))
      errors.push({ fieldId: 'proof', message: req.t.text('forms.error.fileTooLarge', { size: 10 }) })
    else if (proofs.length !== 1)
      errors.push({
        fieldId: 'proof',
        message: req.t.text(proofs.length ? 'mandates.errors.proofOne' : 'mandates.errors.proofMissing'),
      })
    else {
      const file = proofs[0]!
      const check = await checkUpload(app.virusScanner, file.content)
      if (check.ok) proof = { filename: file.filename, content: file.content, mediaType: check.mediaType }
      else errors.push({ fieldId: 'proof', message: `${file.filename}: ${req.t.text(check.key, check.params)}` })
    }
    if (errors.length || !proof) {
      // A file input cannot be refilled: the page says so beside the proof.
      if (proof) errors.push({ fieldId: 'proof', message: req.t.text('mandates.errors.proofAgain') })
      return renderNew(req, reply, values, errors, 400)
    }
    await requestMandate(app.db, { officeId, baseUrl: app.config.baseUrl, now: app.clock.now() }, account.id, {
      kind: values.kind as MandateKind,
      givenName: values.givenName,
      familyName: values.familyName,
      birthDate: values.birthDate,
      principalEmail: values.principalEmail || null,
      proof,
    })
    return reply.redirect('/account/mandates?notice=requested', 303)
  })

  app.post<{ Params: { mandateId: string } }>(
    '/account/mandates/:mandateId/revoke',
    { schema: { params: uuidParams('mandateId') } },
    async (req, reply) => {
      const account = accountOf(req)
      await revokeMandate(
        app.db,
        { accountId: account.id },
        req.params.mandateId,
        endedByAccount(account.id),
        app.clock.now(),
      )
      return reply.redirect('/account/mandates?notice=revoked', 303)
    },
  )

  app.get<{ Params: { token: string } }>(
    '/account/mandates/confirm/:token',
    { schema: { params: TokenParams } },
    async (req, reply) => {
      const account = accountOf(req)
      const mandate = await findMandateToConfirm(app.db, req.params.token)
      const ctx = await app.pageContext(req)
      if (!mandate || mandate.principalAccountId || !mandate.agentAccountId || mandate.agentAccountId === account.id)
        return sendHtml(reply, LinkInvalidPage({ ctx }), 404)
      if (!sameAddress(mandate.principalEmail, account.email)) throw new LinkForAnotherAddress()
      const agent = await accountProfileFor(app.db, mandate.agentAccountId)
      return sendHtml(
        reply,
        ConfirmMandatePage({
          ctx,
          token: req.params.token,
          agentName: personName(agent),
          kind: mandate.kind,
          principalName: principalNameOf(mandate),
        }),
      )
    },
  )

  app.post<{ Params: { token: string } }>(
    '/account/mandates/confirm/:token',
    { schema: { params: TokenParams } },
    async (req, reply) => {
      await confirmMandate(app.db, accountOf(req), req.params.token, app.clock.now())
      return reply.redirect('/account/mandates?notice=confirmed', 303)
    },
  )

  async function renderMembers(
    req: FastifyRequest,
    reply: FastifyReply,
    businessId: string,
    form: { values: { email: string; role: string }; errors: FieldError[]; notice?: MembersNotice },
    status = 200,
  ) {
    const account = accountOf(req)
    await assertManagesBusiness(app.db, account, businessId)
    const members = await listMembersOfBusiness(app.db, businessId)
    const names = await namesOf(members.map(m => m.memberAccountId))
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      MembersPage({
        ctx,
        businessId,
        businessName: await businessNameOf(app.db, businessId),
        members: members.map(m => ({
          id: m.id,
          name: m.memberAccountId ? (names.get(m.memberAccountId) ?? null) : null,
          invitedEmail: m.invitedEmail,
          role: m.role,
          status: m.status,
        })),
        ...form,
      }),
      status,
    )
  }

  app.get<{ Params: { businessId: string }; Querystring: { notice?: MembersNotice } }>(
    '/account/business/:businessId/members',
    { schema: { params: BusinessParams, querystring: MembersNoticeQuery } },
    async (req, reply) =>
      renderMembers(req, reply, req.params.businessId, {
        values: { email: '', role: 'clerk' },
        errors: [],
        notice: req.query.notice,
      }),
  )

  app.post<{ Params: { businessId: string } }>(
    '/account/business/:businessId/members',
    { schema: { params: BusinessParams } },
    async (req, reply) => {
      const account = accountOf(req)
      const businessId = req.params.businessId
      // Asked first, so that an outsider learns nothing from the form's answers.
      await assertManagesBusiness(app.db, account, businessId)
      const input = await readFormInput(req)
      const values = {
        email: formText(input.values, 'email').toLowerCase().slice(0, 300),
        role: formText(input.values, 'role'),
      }
      const errors = validateInvite(values, req.t)
      if (errors.length) return renderMembers(req, reply, businessId, { values, errors }, 400)
      await inviteMember(app.db, { baseUrl: app.config.baseUrl, now: app.clock.now() }, account, businessId, {
        email: values.email,
        role: values.role as MemberRole,
      })
      return reply.redirect(`/account/business/${businessId}/members?notice=invited`, 303)
    },
  )

  app.post<{ Params: { businessId: string; memberId: string } }>(
    '/account/business/:businessId/members/:memberId/remove',
    { schema: { params: MemberParams } },
    async (req, reply) => {
      const account = accountOf(req)
      const { businessId, memberId } = req.params
      await removeMembership(app.db, account, businessId, memberId, app.clock.now())
      const standing = await standingIn(app.db, account, businessId)
      const manages = standing === 'company' || standing === 'owner'
      return reply.redirect(
        manages ? `/account/business/${businessId}/members?notice=removed` : '/account/mandates?notice=left',
        303,
      )
    },
  )

  app.get<{ Params: { token: string } }>(
    '/account/business/invitations/:token',
    { schema: { params: TokenParams } },
    async (req, reply) => {
      const invitation = await findInvitation(app.db, req.params.token)
      const ctx = await app.pageContext(req)
      if (!invitation) return sendHtml(reply, LinkInvalidPage({ ctx }), 404)
      if (!sameAddress(invitation.invitedEmail, accountOf(req).email)) throw new LinkForAnotherAddress()
      return sendHtml(
        reply,
        InvitationPage({
          ctx,
          token: req.params.token,
          businessName: await businessNameOf(app.db, invitation.businessAccountId),
          role: invitation.role,
        }),
      )
    },
  )

  app.post<{ Params: { token: string } }>(
    '/account/business/invitations/:token',
    { schema: { params: TokenParams } },
    async (req, reply) => {
      await acceptInvitation(app.db, accountOf(req), req.params.token, app.clock.now())
      return reply.redirect('/account/mandates?notice=joined', 303)
    },
  )
}
