import type { Config } from './platform/config.js'
import type { RetentionSweep } from './platform/privacy/index.js'
import { auditRetention } from './platform/audit/audit.retention.js'
import { mailRetention } from './platform/mail/mail.retention.js'
import { caseDrafts, draftRetention } from './modules/applications/index.js'
import type { CaseRecordHolder } from './modules/cases/index.js'
import { casePayments } from './modules/payments/index.js'
import { caseNotices } from './modules/notices/index.js'
import { caseReports } from './modules/reports/index.js'
import { archiveTransferRetention } from './modules/retention/index.js'
import { videoSignalRetention } from './modules/video/index.js'
import { appointmentRetention } from './modules/appointments/index.js'

/**
 * What the daily retention run (docs/retention.md) deletes besides expired cases: each module's own expiring data,
 * with the periods from the configuration. Sessions and idempotency keys have jobs of their own.
 */
export function retentionSweeps(config: Config): RetentionSweep[] {
  return [
    draftRetention(config.draftRetentionDays),
    mailRetention(config.mailRetentionDays),
    auditRetention(config.auditRetentionDays),
    archiveTransferRetention(config.archiveTransferRetentionDays),
    videoSignalRetention,
    appointmentRetention(),
  ]
}

/** What other modules hold of a case and forget (or detach) before the case goes, in this order. */
export const caseRecordHolders: CaseRecordHolder[] = [casePayments, caseNotices, caseReports, caseDrafts]
