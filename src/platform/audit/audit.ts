import type { Db } from '../db/database.js'

/** Every action the platform writes, for the audit log's filter; a new audit() call adds its action here. */
export const AUDIT_ACTIONS = [
  'case.create',
  'case.read',
  'case.search',
  'case.file.read',
  'case.claim',
  'case.assign',
  'case.transition',
  'case.note',
  'case.message.send',
  'case.involvement.request',
  'case.involvement.withdraw',
  'case.involvement.save',
  'case.involvement.answer',
  'message.read',
  'message.reply',
  'account.update',
  'account.identity.link',
  'account.identity.unlink',
  'account.password_reset',
  'staff.create',
  'staff.role.grant',
  'staff.role.revoke',
  'staff.totp.enrol',
  'staff.totp.remove',
  'staff.passkey.add',
  'staff.passkey.remove',
  'staff.recovery.use',
  'staff.recovery.regenerate',
  'staff.secondFactor.reset',
  'staff.role.request',
  'staff.role.approve',
  'staff.role.reject',
  'staff.directory.link',
  'staff.directory.deprovision',
  'audit.read',
  'payment.start',
  'payment.status',
  'payment.refund',
  'payment.refund.request',
  'payment.refund.approvalRequest',
  'payment.refund.approve',
  'payment.refund.reject',
  'payment.refund.withdraw',
  'payment.refundRequests.read',
  'treasury.list',
  'treasury.export',
  'treasury.discrepancies',
  'efile.read',
  'efile.export',
  'efile.note.edit',
  'notice.draft',
  'notice.read',
  'notice.edit',
  'notice.save',
  'notice.sign',
  'notice.discard',
  'notice.comment',
  'open311.key.create',
  'open311.key.revoke',
  'triage.decision',
  'privacy.export.request',
  'privacy.export.download',
  'consent.give',
  'consent.withdraw',
  'suggestion.dismiss',
  'archive.decide',
  'mandate.request',
  'mandate.approve',
  'mandate.reject',
  'mandate.revoke',
  'mandate.confirm',
  'mandate.proof.read',
  'business.member.invite',
  'business.member.accept',
  'business.member.remove',
  'booking.create',
  'booking.cancel',
  'booking.move',
  'booking.read',
  'booking.attendance',
  'booking.block',
  'booking.feed.create',
  'booking.feed.revoke',
  'video.open',
  'video.join',
  'video.admit',
  'video.end',
  'video.identity',
  'video.document',
  'video.case_link',
  'booking.waitlist.join',
  'booking.waitlist.withdraw',
  'facility.exemption.decide',
  'facility.season.create',
  'facility.season.allocate',
  'facility.season.publish',
  'facility.application.create',
  'facility.closure.create',
  'facility.organisation.update',
] as const

export interface Actor {
  staffId?: string | null
  accountId?: string | null
}

export interface AuditEntry {
  actor: Actor
  /** verb in dotted form, e.g. "case.read", "case.transition", "account.update" */
  action: string
  subjectType: string
  subjectId: string
  officeId?: string | null
  details?: Record<string, unknown>
}

/** Writes who did what to which personal data; call it inside the transaction that does the change. */
export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_staff_id: entry.actor.staffId ?? null,
      actor_account_id: entry.actor.accountId ?? null,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      office_id: entry.officeId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute()
}
