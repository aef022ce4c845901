import crypto from 'node:crypto'
import type { Db, Trx } from '../../platform/db/database.js'
import { audit, type Actor } from '../../platform/audit/audit.js'
import { publishLive } from '../../platform/live/index.js'
import { DomainError } from '../../platform/http/errors.js'
import { checkUpload, storeFile, type UploadedFile } from '../../platform/files/files.js'
import type { VirusScanner } from '../../platform/files/virus-scan.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { fileDocument } from '../efile/index.js'
import { canWorkOn, findCase, findCaseIdByReference, insertCaseEvent } from '../cases/index.js'
import type { VideoBooking } from './video.access.js'
import {
  deleteSignalsOfCall,
  findCall,
  insertSignal,
  lockCall,
  updateCall,
  type VideoCallRow,
} from './video.queries.js'
import {
  CallNotRunning,
  CallNotYetOpen,
  CallOver,
  NoCaseLinked,
  NobodyWaiting,
  SignalMalformed,
} from './video.errors.js'

const MINUTE = 60_000
/** The waiting room opens this long before the booked time … */
const EARLY_MINUTES = 10
/** … and a call can still begin this long after the booked end (a caseworker running late). */
const LATE_MINUTES = 30

/** Everyone with the call open (both sides, on any app instance) listens to this topic. */
export const videoTopic = (bookingId: string) => `video:${bookingId}`

export type Side = 'person' | 'staff'

/** From when to when the person may come into the waiting room. */
export function joinWindow(booking: VideoBooking['booking']): { from: Date; until: Date } {
  return {
    from: new Date(booking.starts_at.getTime() - EARLY_MINUTES * MINUTE),
    until: new Date(booking.ends_at.getTime() + LATE_MINUTES * MINUTE),
  }
}

function ensureBookingLive({ booking }: VideoBooking) {
  if (booking.status === 'cancelled' || booking.status === 'no_show') throw new CallOver()
}

/** What both pages learn of a change of the call: its state, never content. */
async function announce(trx: Db | Trx, bookingId: string, data: Record<string, unknown>) {
  await publishLive(trx, { topic: videoTopic(bookingId), kind: 'state', data })
}

const stateOf = (call: VideoCallRow) => ({
  state: call.state,
  waiting: call.state === 'waiting' && !!call.waiting_since,
  caseLinked: !!call.case_id,
  identityChecked: !!call.identity_checked_at,
})

/** The call as the pages show it; a booking nobody has joined yet has none. */
export async function callOf(db: Db, bookingId: string): Promise<VideoCallRow | undefined> {
  return findCall(db, bookingId)
}

export function callState(call: VideoCallRow | undefined) {
  return call ? stateOf(call) : { state: 'none' as const, waiting: false, caseLinked: false, identityChecked: false }
}

/**
 * The person comes into the waiting room (from a few minutes before the booked time). Coming back after a hang-up
 * puts them in the waiting room again; coming back into a running call (a reloaded page) tells the caseworker's
 * page to connect anew.
 */
export async function joinWaitingRoom(db: Db, found: VideoBooking, actor: Actor, now: Date): Promise<VideoCallRow> {
  ensureBookingLive(found)
  const { from, until } = joinWindow(found.booking)
  if (now < from) throw new CallNotYetOpen(from.toISOString())
  if (now > until) throw new CallOver()
  return db.transaction().execute(async trx => {
    const call = await lockCall(trx, found.booking.id, found.booking.case_id)
    const joined =
      call.state === 'admitted'
        ? call
        : await updateCall(trx, found.booking.id, {
            state: 'waiting',
            waiting_since: now,
            ended_at: null,
            ended_by: null,
          })
    await audit(trx, {
      actor,
      action: 'video.join',
      subjectType: 'booking',
      subjectId: found.booking.id,
      officeId: found.resource.office,
    })
    await announce(trx, found.booking.id, { ...stateOf(joined), joined: true })
    return joined
  })
}

/** The caseworker lets the waiting person in: the call begins, and the case (if any) notes that it did. */
export async function admitPerson(db: Db, staff: StaffMember, found: VideoBooking, now: Date): Promise<void> {
  ensureBookingLive(found)
  await db.transaction().execute(async trx => {
    const call = await lockCall(trx, found.booking.id, found.booking.case_id)
    if (call.state !== 'waiting' || !call.waiting_since) throw new NobodyWaiting()
    const admitted = await updateCall(trx, found.booking.id, {
      state: 'admitted',
      admitted_at: now,
      admitted_by: staff.id,
    })
    if (admitted.case_id) await noteCallStarted(trx, admitted.case_id, staff.id, found, now)
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'video.admit',
      subjectType: 'booking',
      subjectId: found.booking.id,
      officeId: found.resource.office,
    })
    await announce(trx, found.booking.id, stateOf(admitted))
  })
}

async function noteCallStarted(trx: Trx, caseId: string, staffId: string, found: VideoBooking, at: Date) {
  await insertCaseEvent(trx, {
    caseId,
    kind: 'video_call_started',
    internal: true,
    actorStaffId: staffId,
    // Who took part, by role; nothing of what was said or shown.
    data: { booking: found.booking.reference, at: at.toISOString(), participants: ['person', 'caseworker'] },
  })
}

/** Either side hangs up (or the person leaves the waiting room). The case notes a call that ran, and how long. */
export async function endCall(db: Db, by: Side, actor: Actor, found: VideoBooking, now: Date): Promise<void> {
  await db.transaction().execute(async trx => {
    const call = await lockCall(trx, found.booking.id, found.booking.case_id)
    if (call.state === 'ended') return
    const ended = await updateCall(trx, found.booking.id, { state: 'ended', ended_at: now, ended_by: by })
    if (call.state === 'admitted' && call.case_id && call.admitted_at)
      await insertCaseEvent(trx, {
        caseId: call.case_id,
        kind: 'video_call_ended',
        internal: true,
        actorStaffId: actor.staffId ?? null,
        actorAccountId: actor.accountId ?? null,
        data: {
          booking: found.booking.reference,
          minutes: Math.max(1, Math.round((now.getTime() - call.admitted_at.getTime()) / MINUTE)),
          endedBy: by,
        },
      })
    await deleteSignalsOfCall(trx, found.booking.id)
    await audit(trx, {
      actor,
      action: 'video.end',
      subjectType: 'booking',
      subjectId: found.booking.id,
      officeId: found.resource.office,
      details: { by, wasRunning: call.state === 'admitted' },
    })
    await announce(trx, found.booking.id, { ...stateOf(ended), endedBy: by })
  })
}

/**
 * The caseworker links the call to a case of their office by its reference (a call booked without an application):
 * documents sent during the call and an identity check go into that case.
 */
export async function linkCase(
  db: Db,
  staff: StaffMember,
  found: VideoBooking,
  reference: string,
  now: Date,
): Promise<void> {
  const caseId = /^[A-Za-z0-9-]{3,40}$/.test(reference) ? await findCaseIdByReference(db, reference) : undefined
  const linkedCase = caseId ? await findCase(db, caseId) : undefined
  // A case of another office answers like a missing one.
  if (!linkedCase || !canWorkOn(staff, linkedCase.officeId))
    throw new DomainError(422, 'video.errors.caseUnknown', { reference: reference.slice(0, 40) })
  await db.transaction().execute(async trx => {
    const call = await lockCall(trx, found.booking.id, found.booking.case_id)
    const linked = await updateCall(trx, found.booking.id, { case_id: linkedCase.id })
    if (call.state === 'admitted' && call.case_id !== linkedCase.id)
      await noteCallStarted(trx, linkedCase.id, staff.id, found, call.admitted_at ?? now)
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'video.case_link',
      subjectType: 'booking',
      subjectId: found.booking.id,
      officeId: found.resource.office,
      details: { caseId: linkedCase.id },
    })
    await announce(trx, found.booking.id, stateOf(linked))
  })
}

/** "Identität per Video geprüft": the person showed the ID document in the camera; the case notes it. */
export async function confirmIdentity(db: Db, staff: StaffMember, found: VideoBooking, now: Date): Promise<void> {
  await db.transaction().execute(async trx => {
    const call = await lockCall(trx, found.booking.id, found.booking.case_id)
    if (call.state !== 'admitted') throw new CallNotRunning()
    if (!call.case_id) throw new NoCaseLinked('staff')
    const checked = await updateCall(trx, found.booking.id, { identity_checked_at: now, identity_checked_by: staff.id })
    await insertCaseEvent(trx, {
      caseId: call.case_id,
      kind: 'video_identity_checked',
      internal: false,
      actorStaffId: staff.id,
      data: { booking: found.booking.reference, at: now.toISOString() },
    })
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'video.identity',
      subjectType: 'booking',
      subjectId: found.booking.id,
      officeId: found.resource.office,
      details: { caseId: call.case_id },
    })
    await announce(trx, found.booking.id, stateOf(checked))
  })
}

/**
 * The person sends a document during the call: checked like every upload (content type, virus scan), stored and
 * filed in the e-file of the call's case, noted on its timeline. Without a linked case it is refused with a message
 * that asks the caseworker to link one, so nothing lands where nobody looks.
 */
export async function fileCallDocument(
  db: Db,
  scanner: VirusScanner,
  found: VideoBooking,
  actor: Actor,
  file: UploadedFile | undefined,
): Promise<{ filename: string }> {
  const call = await findCall(db, found.booking.id)
  if (call?.state !== 'admitted') throw new CallNotRunning()
  if (!call.case_id) throw new NoCaseLinked('person')
  const caseId = call.case_id
  if (!file) throw new DomainError(422, 'video.errors.documentMissing')
  const check = await checkUpload(scanner, file.content)
  if (!check.ok) throw new DomainError(422, check.key, check.params)
  return db.transaction().execute(async trx => {
    const stored = await storeFile(trx, {
      content: file.content,
      filename: file.filename,
      mediaType: check.mediaType,
      caseId,
      accountId: actor.accountId ?? null,
    })
    await fileDocument(trx, {
      caseId,
      kind: 'attachment',
      title: stored.filename,
      fileId: stored.fileId,
      actor: { accountId: actor.accountId ?? null },
    })
    await insertCaseEvent(trx, {
      caseId,
      kind: 'video_document_filed',
      internal: false,
      actorAccountId: actor.accountId ?? null,
      data: { booking: found.booking.reference, filename: stored.filename },
    })
    await audit(trx, {
      actor,
      action: 'video.document',
      subjectType: 'booking',
      subjectId: found.booking.id,
      officeId: found.resource.office,
      details: { caseId, fileId: stored.fileId },
    })
    await announce(trx, found.booking.id, { ...stateOf(call), document: stored.filename })
    return { filename: stored.filename }
  })
}

export type SignalKind = 'offer' | 'answer' | 'candidate' | 'chat'
const SIGNAL_KINDS: readonly string[] = ['offer', 'answer', 'candidate', 'chat']
const MAX_CHAT = 1000
const MAX_DESCRIPTION = 30_000
const MAX_CANDIDATE = 2000
// NOTIFY carries up to 7,900 bytes; a session description is often larger and goes through the table instead.
const INLINE_BYTES = 6000

/** Checks one message the way the page sends it; returns the value to relay. */
export function parseSignal(kind: string, data: string): { kind: SignalKind; data: string } {
  if (!SIGNAL_KINDS.includes(kind)) throw new SignalMalformed('kind')
  if (kind === 'chat') {
    const text = data.trim()
    if (!text) throw new SignalMalformed('chatEmpty')
    if (text.length > MAX_CHAT) throw new SignalMalformed('chatTooLong')
    return { kind, data: text }
  }
  if (kind === 'candidate') {
    let parsed: unknown
    try {
      parsed = JSON.parse(data)
    } catch {
      throw new SignalMalformed('candidate')
    }
    if (data.length > MAX_CANDIDATE || !parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new SignalMalformed('candidate')
    return { kind, data }
  }
  if (data.length > MAX_DESCRIPTION || !data.startsWith('v=0')) throw new SignalMalformed('description')
  return { kind: kind as SignalKind, data }
}

/**
 * Relays one message of the call to the other side, over the live channel (every app instance): connection set-up
 * while the call runs, chat lines in the waiting room too. Nothing is kept: a large description waits in a table
 * only until the call ends.
 */
export async function relaySignal(
  db: Db,
  found: VideoBooking,
  from: Side,
  message: { kind: SignalKind; data: string },
  now: Date,
): Promise<void> {
  const call = await findCall(db, found.booking.id)
  const open =
    message.kind === 'chat' ? call?.state === 'waiting' || call?.state === 'admitted' : call?.state === 'admitted'
  if (!call || !open) throw new CallNotRunning()
  const event = { from, kind: message.kind, data: message.data }
  if (Buffer.byteLength(JSON.stringify(event)) <= INLINE_BYTES) {
    await publishLive(db, { topic: videoTopic(found.booking.id), kind: 'signal', data: event })
    return
  }
  const id = crypto.randomUUID()
  await db.transaction().execute(async trx => {
    await insertSignal(trx, { id, bookingId: found.booking.id, sender: from, body: message.data, at: now })
    await publishLive(trx, {
      topic: videoTopic(found.booking.id),
      kind: 'signal',
      data: { from, kind: message.kind, stored: id },
    })
  })
}
