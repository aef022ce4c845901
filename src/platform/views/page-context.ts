import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Locale, Translate } from '../i18n/i18n.js'
import type { SessionAccount, SessionTimeout, StaffMember } from '../auth/sessions.js'

/** What every page needs besides its own data; built once per request by the app. */
export interface PageContext {
  t: Translate
  locale: Locale
  /** The current path with query, for the language switch to come back to. */
  path: string
  csrfToken: string
  /** For the warning before a signed-in session ends; null when nobody is signed in. */
  sessionTimeout: SessionTimeout | null
  account: SessionAccount | null
  staff: StaffMember | null
  unreadMessages: number
  /** The staff member checks mandates (a caseworker or team lead of MANDATES_OFFICE): the back office links to them. */
  checksMandates: boolean
  /** The staff member lets the city's halls (a caseworker or team lead of the sports office): the back office links there. */
  allocatesHalls: boolean
  /** The signed-in person is an active member of a company: services for businesses are open to them (for it). */
  actsForCompany: boolean
  devMail: boolean
  cityName: string
  /** The staff member works at a bookable resource (a counter, hall, video desk): the back office links to its calendar. */
  booksAppointments?: boolean
}

export type PageContextBuilder = (req: FastifyRequest) => Promise<PageContext>

declare module 'fastify' {
  interface FastifyInstance {
    pageContext: PageContextBuilder
  }
}

export function sendHtml(reply: FastifyReply, html: string | Promise<string>, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html)
}
