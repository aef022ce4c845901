import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import type { ServiceRegistry, ServiceDefinition } from '../catalogue/index.js'
import { caseworkOfficeIds } from './cases.access.js'
import { InvalidCursor, NoCaseworkOffice } from './cases.errors.js'
import { INBOX_PAGE_SIZE, listInboxPage, type InboxCursor, type InboxRow } from './cases.queries.js'
import { finalStatuses, isFinalStatus, stateOf } from './cases.workflow.js'
import { isUuid } from '../../platform/http/ids.js'

export interface InboxQuery {
  office?: string
  service?: string
  status?: string
  assignee?: 'me' | 'unassigned' | 'any'
  overdue?: string
  after?: string
}

export interface InboxEntry extends InboxRow {
  statusLabel: string
  serviceTitle: string
  isOverdue: boolean
  outcome: string | null
}

export interface InboxResult {
  officeId: string
  officeIds: string[]
  services: ServiceDefinition[]
  entries: InboxEntry[]
  nextCursor: string | null
}

/** The cursor is opaque to the browser: the last row's (submitted_at, id), base64url-encoded. */
export function encodeCursor(cursor: InboxCursor): string {
  return Buffer.from(JSON.stringify([cursor.submittedAt.toISOString(), cursor.id])).toString('base64url')
}

export function decodeCursor(raw: string): InboxCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      isUuid(parsed[1])
    ) {
      const submittedAt = new Date(parsed[0])
      if (!Number.isNaN(submittedAt.getTime())) return { submittedAt, id: parsed[1] }
    }
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error
  }
  throw new InvalidCursor()
}

/** One page of the inbox of an office the person works in; the first such office when none is asked for. */
export async function listInbox(
  db: Db,
  services: ServiceRegistry,
  staff: StaffMember,
  query: InboxQuery,
  locale: 'de' | 'en',
): Promise<InboxResult> {
  const officeIds = caseworkOfficeIds(staff)
  if (officeIds.length === 0) throw new NoCaseworkOffice()
  // An office the person has no role in falls back to their own, rather than revealing whether it exists.
  const officeId = query.office && officeIds.includes(query.office) ? query.office : officeIds[0]!
  const officeServices = services.forOffice(officeId)
  const after = query.after ? decodeCursor(query.after) : undefined
  const rows = await listInboxPage(
    db,
    {
      officeId,
      staffId: staff.id,
      serviceId: query.service || undefined,
      status: query.status || undefined,
      assignee: query.assignee,
      // Every service's final states, not only the office's own: a case keeps its service when it is routed or moved.
      overdue: query.overdue
        ? { finalStates: services.all().flatMap(s => finalStatuses(s).map(status => ({ serviceId: s.id, status }))) }
        : undefined,
    },
    after,
  )
  const page = rows.slice(0, INBOX_PAGE_SIZE)
  const now = Date.now()
  const entries: InboxEntry[] = []
  for (const row of page) {
    const definition = await services.version(row.serviceId, row.serviceVersion)
    const state = stateOf(definition, row.status)
    entries.push({
      ...row,
      serviceTitle: definition.title[locale],
      statusLabel: state?.label[locale] ?? row.status,
      outcome: state?.outcome ?? null,
      isOverdue: !!row.dueAt && new Date(row.dueAt).getTime() < now && !isFinalStatus(definition, row.status),
    })
  }
  const last = page[page.length - 1]
  const nextCursor =
    rows.length > INBOX_PAGE_SIZE && last
      ? encodeCursor({ submittedAt: new Date(last.submittedAt), id: last.id })
      : null
  return { officeId, officeIds, services: officeServices, entries, nextCursor }
}
