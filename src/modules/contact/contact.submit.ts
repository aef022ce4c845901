import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.js'
import type { Config } from '../../platform/config.js'
import { todayInGermany, translator } from '../../platform/i18n/i18n.js'
import type { Page, ServiceDefinition, ServiceRegistry } from '../catalogue/index.js'
import { findAccountContact } from '../accounts/index.js'
import { createCase, insertCaseEvent } from '../cases/index.js'
import {
  applicantEmailOf,
  applicantNameOf,
  readPageInput,
  validatePage,
  type AnswerError,
  type Answers,
  type RawValues,
} from '../forms/index.js'
import { deliverToApplicant } from '../postbox/index.js'
import { countReportSubmission } from '../reports/index.js'
import { ContactServiceMissing } from './contact.errors.js'
import {
  recordContactRouting,
  routeContactText,
  routingTextOf,
  type ContactRoutingSettings,
} from './contact.routing.js'

/** At most this many enquiries per address or account in the rate limiter's window (10 minutes). */
export const CONTACTS_PER_WINDOW = 5

/** The service of the contact form: the first with `routing.kind: contact` (services/kontaktanfrage.yaml). */
export function contactService(services: ServiceRegistry): ServiceDefinition {
  const definition = services.all().find(d => d.routing?.kind === 'contact')
  if (!definition) throw new ContactServiceMissing()
  return definition
}

/** The one page /kontakt shows: every field of the definition's pages (the shipped one has a single page). */
export function contactPage(definition: ServiceDefinition): Page {
  const first = definition.form.pages[0]!
  return { ...first, fields: definition.form.pages.flatMap(p => p.fields) }
}

/** The answers the form sends, read and checked by the definition's own fields; signed-in people give only the text. */
export function readContactAnswers(
  definition: ServiceDefinition,
  raw: RawValues,
  signedIn: boolean,
): { answers: Answers; errors: AnswerError[] } {
  const page = contactPage(definition)
  const asked: Page = signedIn
    ? { ...page, fields: page.fields.filter(f => f.id === definition.routing!.textField) }
    : page
  // Typed text is kept as it was (line breaks, spaces), only checked trimmed.
  const answers = readPageInput(asked, raw, {})
  return { answers, errors: validatePage(asked, answers, todayInGermany()) }
}

export interface NewContactRequest {
  answers: Answers
  accountId: string | null
  locale: 'de' | 'en'
  clientIp: string
}

export interface SubmittedContactRequest {
  caseId: string
  reference: string
  officeId: string
  confident: boolean
  channel: 'postbox' | 'email' | 'none'
}

/** A filed enquiry, or every problem the person must correct, each with its field. */
export type ContactOutcome = ({ ok: true } & SubmittedContactRequest) | { ok: false; errors: AnswerError[] }

/**
 * Files an enquiry from /kontakt (field errors come back as values): the pre-sorting model picks the office (or the fallback office, to be assigned by a
 * person), then in one transaction it is counted against the client's rate limit (ReportRateLimited, the defect
 * reports' limiter), the case opens there with the model's suggestion and explanation as an internal timeline entry,
 * and a receipt goes to the postbox or e-mail, when there is one.
 */
export async function submitContactRequest(
  deps: { db: Db; services: ServiceRegistry; config: Config; routing: ContactRoutingSettings },
  input: NewContactRequest,
): Promise<ContactOutcome> {
  const { db, services, config } = deps
  const definition = contactService(services)
  const errors = validatePage(contactPage(definition), input.answers, todayInGermany())
  if (errors.length) return { ok: false, errors }
  const routing = await routeContactText(db, deps.routing, routingTextOf(definition, input.answers))
  const t = translator(input.locale)
  return db.transaction().execute(async trx => {
    const keys = [{ key: `contact:ip:${input.clientIp}`, max: CONTACTS_PER_WINDOW }]
    if (input.accountId) keys.push({ key: `contact:account:${input.accountId}`, max: CONTACTS_PER_WINDOW })
    await countReportSubmission(trx, keys)
    const account = input.accountId ? await findAccountContact(trx, input.accountId) : undefined
    const accountName = account
      ? account.companyName || [account.givenName, account.familyName].filter(Boolean).join(' ')
      : ''
    const typedName = applicantNameOf(definition, input.answers)
    const typedEmail = applicantEmailOf(definition, input.answers) ?? ''
    const applicantEmail = typedEmail || account?.email || null
    const created = await createCase(trx, {
      draftId: crypto.randomUUID(),
      definition,
      answers: input.answers,
      applicantName: typedName || accountName || t.text('contact.case.anonymous'),
      applicantEmail,
      accountId: account ? input.accountId : null,
      filedByStaffId: null,
      locale: input.locale,
      officeId: routing.officeId,
    })
    await recordContactRouting(trx, created.id, routing)
    if (account || applicantEmail) {
      await insertCaseEvent(trx, { caseId: created.id, kind: 'message_sent', internal: false, data: {} })
      await deliverToApplicant(
        trx,
        {
          caseId: created.id,
          reference: created.reference,
          accountId: account ? input.accountId : null,
          applicantEmail,
          locale: input.locale,
          senderStaffId: null,
          subject: t.text('contact.mail.receivedSubject', { reference: created.reference }),
          body: t.text('contact.mail.receivedBody', { reference: created.reference }),
        },
        config.baseUrl,
      )
    }
    return {
      ok: true,
      caseId: created.id,
      reference: created.reference,
      officeId: routing.officeId,
      confident: routing.confident,
      channel: account ? 'postbox' : applicantEmail ? 'email' : 'none',
    }
  })
}
