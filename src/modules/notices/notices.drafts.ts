import crypto from 'node:crypto'
import type { Db, Trx } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import { DomainError } from '../../platform/http/errors.js'
import { publishLive } from '../../platform/live/index.js'
import type { Locale } from '../../platform/i18n/i18n.js'
import type { NoticeTemplate, ServiceRegistry } from '../catalogue/index.js'
import { canWorkOn, findCaseForStaff, type CaseRecord } from '../cases/index.js'
import { InvalidUpdate, mergeUpdate, newDocState, replaceText, type DocChange } from './notices.doc.js'
import {
  NoticeClosed,
  NoticeLeadOfficeOnly,
  NoticeNotFound,
  NoticeNotInThisState,
  NoticeTemplateNotFound,
  NoticeUpdateInvalid,
} from './notices.errors.js'
import {
  findNoticeDraft,
  findNoticeDraftStatus,
  insertNoticeDraft,
  listNoticeUpdates,
  lockNoticeDraft,
  setNoticeDiscarded,
  storeNoticeChange,
  wasEditAuditedSince,
  type NoticeDraftRow,
  type NoticeDraftWithState,
  type NoticeUpdateRow,
} from './notices.queries.js'
import { fillTemplate, isNoticeAllowedIn, templatesOf, type TemplateSource } from './notices.templates.js'

export interface NoticeDeps {
  db: Db
  services: ServiceRegistry
}

export const noticeTopic = (draftId: string) => `notice:${draftId}`
export const caseTopic = (caseId: string) => `case:${caseId}`
/** NOTIFY payloads stay under 8000 bytes: updates up to this size (base64) travel inline, bigger ones are fetched by id. */
const INLINE_UPDATE_CHARS = 6000
/** Typing is audited once per person and draft in this window, not keystroke by keystroke. */
export const EDIT_AUDIT_WINDOW_MS = 10 * 60_000
/** Updates handed out per request; a client far behind asks again. */
export const UPDATES_PAGE = 200

/** The case's definition and the one whose templates are offered. */
export async function templateSourceOf(services: ServiceRegistry, c: CaseRecord): Promise<TemplateSource> {
  const caseDefinition = await services.version(c.serviceId, c.serviceVersion)
  return {
    caseDefinition,
    templateDefinition: caseDefinition.notices?.length ? caseDefinition : services.get(c.serviceId),
  }
}

/** The templates a notice may be drafted from in the case's current state. */
export async function listTemplatesForCase(
  services: ServiceRegistry,
  c: CaseRecord,
): Promise<{
  templates: NoticeTemplate[]
  allowed: NoticeTemplate[]
  statusLabel: Record<Locale, string> | undefined
}> {
  const source = await templateSourceOf(services, c)
  const templates = templatesOf(source)
  return {
    templates,
    allowed: templates.filter(tpl => isNoticeAllowedIn(source.caseDefinition, tpl, c.status)),
    statusLabel: source.caseDefinition.workflow.states.find(s => s.id === c.status)?.label,
  }
}

export function officeNameOf(services: ServiceRegistry, officeId: string, locale: Locale): string {
  return services.offices.find(o => o.id === officeId)?.name[locale] ?? officeId
}

/** A draft of a case the staff member may read (lead or involved office); anything else answers like a missing one. */
export async function findDraftForStaff(
  db: Db,
  staff: StaffMember,
  caseId: string,
  draftId: string,
): Promise<{ caseRecord: CaseRecord; draft: NoticeDraftWithState }> {
  const caseRecord = await caseForStaff(db, staff, caseId)
  const draft = await findNoticeDraft(db, caseId, draftId)
  if (!draft) throw new NoticeNotFound()
  return { caseRecord, draft }
}

/**
 * Whether the staff member may read the draft (for routes that need no content yet); 404 otherwise. With `write`,
 * whether they may change it: only the lead office does, a consulted office reads and comments (403).
 */
export async function checkDraftAccess(
  db: Db,
  staff: StaffMember,
  caseId: string,
  draftId: string,
  access: 'read' | 'write' = 'read',
): Promise<CaseRecord> {
  const caseRecord = await caseForStaff(db, staff, caseId)
  if (!(await findNoticeDraftStatus(db, caseId, draftId))) throw new NoticeNotFound()
  if (access === 'write') assertLeadOffice(staff, caseRecord)
  return caseRecord
}

/** Drafting, editing, signing and discarding a notice are the lead office's; a consulted office reads and comments. */
export function assertLeadOffice(staff: StaffMember, caseRecord: CaseRecord): void {
  if (!canWorkOn(staff, caseRecord.officeId)) throw new NoticeLeadOfficeOnly()
}

/** The office a person speaks for on this case: the lead office if theirs, else their first casework office. */
export function officeOfStaffFor(staff: StaffMember, c: CaseRecord): string {
  if (canWorkOn(staff, c.officeId)) return c.officeId
  return staff.roles.find(r => r.role === 'caseworker' || r.role === 'team_lead')?.officeId ?? c.officeId
}

/** The case, if the staff member works in its (lead) office; 403 for a consulted office, 404 for anyone else. */
async function caseForLeadStaff(db: Db, staff: StaffMember, caseId: string): Promise<CaseRecord> {
  const caseRecord = await caseForStaff(db, staff, caseId)
  assertLeadOffice(staff, caseRecord)
  return caseRecord
}

/**
 * Tells pages showing the case that its list of notices changed. Shaped like the case module's announcements
 * (a minor change: the case's version stays), so the case view refreshes its notices region.
 */
export async function announceNotices(trx: Trx, caseRecord: CaseRecord, staff: StaffMember, what: string) {
  await publishLive(trx, {
    topic: caseTopic(caseRecord.id),
    kind: 'changed',
    data: { version: caseRecord.version, by: staff.name, what, minor: true },
  })
}

/** Starts a notice from a template of the service, in the chosen language, with the case's data filled in. */
export async function createNoticeDraft(
  deps: NoticeDeps,
  staff: StaffMember,
  caseId: string,
  input: { templateId: string; locale: Locale },
): Promise<string> {
  const caseRecord = await caseForLeadStaff(deps.db, staff, caseId)
  const source = await templateSourceOf(deps.services, caseRecord)
  const template = templatesOf(source).find(t => t.id === input.templateId)
  if (!template) throw new NoticeTemplateNotFound()
  if (!isNoticeAllowedIn(source.caseDefinition, template, caseRecord.status)) {
    throw new NoticeNotInThisState(
      source.caseDefinition.workflow.states.find(s => s.id === caseRecord.status)?.label[input.locale] ??
        caseRecord.status,
    )
  }
  const ctx = {
    ...source,
    caseRecord,
    locale: input.locale,
    officeName: officeNameOf(deps.services, caseRecord.officeId, input.locale),
  }
  const title = fillTemplate(template.title[input.locale], ctx)
  // A YAML block ends with a line break; the letter does not.
  const body = fillTemplate(template.body[input.locale], ctx).trimEnd()
  const id = crypto.randomUUID()
  await deps.db.transaction().execute(async trx => {
    await insertNoticeDraft(trx, {
      id,
      caseId,
      templateId: template.id,
      locale: input.locale,
      title,
      body,
      state: newDocState(body),
      staffId: staff.id,
    })
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'notice.draft',
      subjectType: 'notice_draft',
      subjectId: id,
      officeId: caseRecord.officeId,
      details: { caseId, templateId: template.id, locale: input.locale },
    })
    await announceNotices(trx, caseRecord, staff, 'notice_drafted')
  })
  return id
}

/** The draft page: reading a notice is reading the case, so it is audited. */
export async function readNoticeDraft(db: Db, staff: StaffMember, caseId: string, draftId: string) {
  return db.transaction().execute(async trx => {
    const found = await findDraftForStaff(trx, staff, caseId, draftId)
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'notice.read',
      subjectType: 'notice_draft',
      subjectId: draftId,
      officeId: found.caseRecord.officeId,
      details: { caseId },
    })
    return found
  })
}

export interface StoredChange {
  updateId: number
  version: number
}

/** The case, if the staff member may read it; a notice route answers 404 otherwise, like a missing notice. */
async function caseForStaff(db: Db, staff: StaffMember, caseId: string): Promise<CaseRecord> {
  return findCaseForStaff(db, staff, caseId, { allowInvolved: true }).catch((error: unknown) => {
    throw error instanceof DomainError && error.statusCode === 404 ? new NoticeNotFound() : error
  })
}

type ChangeOutcome =
  | { kind: 'stored'; updateId: number; version: number }
  | { kind: 'unchanged'; updateId: number; version: number }
  | { kind: 'stale'; draft: NoticeDraftWithState }

/**
 * Locks the draft, makes the change, stores it and announces it to the other editors, all in one transaction.
 * A change that changes nothing (an update the server already has) stores nothing.
 */
async function changeDraft(
  db: Db,
  staff: StaffMember,
  caseId: string,
  draftId: string,
  change: (draft: NoticeDraftWithState) => DocChange | 'stale',
  audited: (trx: Trx, stored: StoredChange) => Promise<void>,
): Promise<ChangeOutcome> {
  return db.transaction().execute(async trx => {
    const draft = await lockNoticeDraft(trx, caseId, draftId)
    if (!draft) throw new NoticeNotFound()
    if (draft.status !== 'draft') throw new NoticeClosed(draft.status)
    const result = change(draft)
    if (result === 'stale') return { kind: 'stale' as const, draft }
    if (!result.delta) return { kind: 'unchanged' as const, version: draft.version, updateId: draft.lastUpdateId }
    const stored = await storeNoticeChange(trx, draftId, {
      state: result.state,
      text: result.text,
      delta: result.delta,
      staffId: staff.id,
    })
    const encoded = Buffer.from(result.delta).toString('base64')
    await publishLive(trx, {
      topic: noticeTopic(draftId),
      kind: 'update',
      data: {
        updateId: stored.updateId,
        previousId: draft.lastUpdateId,
        version: stored.version,
        staffId: staff.id,
        ...(encoded.length <= INLINE_UPDATE_CHARS ? { update: encoded } : {}),
      },
    })
    await audited(trx, stored)
    return { kind: 'stored' as const, ...stored }
  })
}

/**
 * A Yjs update from an editor's browser: merged into the stored document under the draft's row lock.
 * Typing is audited once per person and draft every ten minutes, not per keystroke.
 */
export async function applyNoticeUpdate(
  db: Db,
  staff: StaffMember,
  caseId: string,
  draftId: string,
  update: Uint8Array,
): Promise<StoredChange> {
  const caseRecord = await caseForLeadStaff(db, staff, caseId)
  const result = await changeDraft(
    db,
    staff,
    caseId,
    draftId,
    draft => {
      try {
        return mergeUpdate(draft.state, update)
      } catch (error) {
        if (error instanceof InvalidUpdate) throw new NoticeUpdateInvalid()
        throw error
      }
    },
    async (trx, stored) => {
      if (await wasEditAuditedSince(trx, draftId, staff.id, new Date(Date.now() - EDIT_AUDIT_WINDOW_MS))) return
      await audit(trx, {
        actor: { staffId: staff.id },
        action: 'notice.edit',
        subjectType: 'notice_draft',
        subjectId: draftId,
        officeId: caseRecord.officeId,
        details: { caseId, version: stored.version },
      })
    },
  )
  if (result.kind === 'stale') throw new Error('a Yjs update is never stale')
  return { updateId: result.updateId, version: result.version }
}

export type SaveResult = { kind: 'saved'; version: number } | { kind: 'stale'; current: NoticeDraftRow }

/**
 * The form without JavaScript: the whole text, saved on the version the page showed. Someone else saved in
 * between → stale (the caller shows both versions). Otherwise the text goes into the document as the smallest edit.
 */
export async function saveNoticeText(
  db: Db,
  staff: StaffMember,
  caseId: string,
  draftId: string,
  input: { text: string; version: number },
): Promise<SaveResult> {
  const caseRecord = await caseForLeadStaff(db, staff, caseId)
  const result = await changeDraft(
    db,
    staff,
    caseId,
    draftId,
    draft => {
      if (draft.version !== input.version) return 'stale'
      return replaceText(draft.state, input.text)
    },
    async (trx, stored) => {
      await audit(trx, {
        actor: { staffId: staff.id },
        action: 'notice.save',
        subjectType: 'notice_draft',
        subjectId: draftId,
        officeId: caseRecord.officeId,
        details: { caseId, version: stored.version },
      })
    },
  )
  if (result.kind === 'stale') return { kind: 'stale', current: result.draft }
  return { kind: 'saved', version: result.version }
}

export interface UpdatesPage {
  updates: NoticeUpdateRow[]
  lastId: number
  version: number
  status: string
  more: boolean
}

/**
 * What an editor lacks after the update it saw last. Read in one snapshot with the draft's version, so
 * `version` belongs to the newest update handed out when nothing more is left.
 */
export async function listUpdatesForStaff(
  db: Db,
  staff: StaffMember,
  caseId: string,
  draftId: string,
  afterId: number,
): Promise<UpdatesPage> {
  await caseForStaff(db, staff, caseId)
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async trx => {
      const draft = await findNoticeDraft(trx, caseId, draftId)
      if (!draft) throw new NoticeNotFound()
      const updates = await listNoticeUpdates(trx, draftId, afterId, UPDATES_PAGE + 1)
      const more = updates.length > UPDATES_PAGE
      const page = updates.slice(0, UPDATES_PAGE)
      return {
        updates: page,
        lastId: page.at(-1)?.id ?? Math.max(afterId, 0),
        version: more ? 0 : draft.version,
        status: draft.status,
        more,
      }
    })
}

/** Gives a draft up (a wrong template); it stays in the list, read-only. */
export async function discardNoticeDraft(db: Db, staff: StaffMember, caseId: string, draftId: string): Promise<void> {
  const caseRecord = await caseForLeadStaff(db, staff, caseId)
  await db.transaction().execute(async trx => {
    const draft = await lockNoticeDraft(trx, caseId, draftId)
    if (!draft) throw new NoticeNotFound()
    if (draft.status !== 'draft') throw new NoticeClosed(draft.status)
    await setNoticeDiscarded(trx, draftId, staff.id)
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'notice.discard',
      subjectType: 'notice_draft',
      subjectId: draftId,
      officeId: caseRecord.officeId,
      details: { caseId },
    })
    await publishLive(trx, { topic: noticeTopic(draftId), kind: 'closed', data: { status: 'discarded' } })
    await announceNotices(trx, caseRecord, staff, 'notice_discarded')
  })
}
