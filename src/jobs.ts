import type { Config } from './platform/config.js'
import { todayInGermany } from './platform/i18n/i18n.js'
import type { Db } from './platform/db/database.js'
import type { ServiceRegistry } from './modules/catalogue/index.js'
import {
  CLEAN_UP_JOBS,
  cleanUpFinishedJobs,
  defineJobs,
  type JobLogger,
  type JobRegistry,
} from './platform/jobs/index.js'
import { FORGET_PROOFS_OF_WORK_JOB, forgetProofsOfWork } from './platform/http/proof-of-work.js'
import { SWEEP_SESSIONS_JOB, sweepExpiredSessions } from './platform/auth/sessions.js'
import { FORGET_IDEMPOTENCY_KEYS_JOB, forgetIdempotencyKeys, submitPaidDraft } from './modules/applications/index.js'
import { contactRoutingSettings } from './modules/contact/index.js'
import {
  DIRECTORY_SYNC_JOB,
  forgetAbandonedSignIns,
  forgetDirectorySignIns,
  syncDirectoryMembers,
} from './modules/staff/index.js'
import { staffDirectoryOf } from './staff-directory.js'
import { forgetExpiredSamlSignIns } from './modules/identity/index.js'
import { DEADLINE_SWEEP_JOB, sweepDeadlines } from './modules/cases/index.js'
import { EXTRACT_TEXT_JOB, extractVersionText } from './modules/efile/index.js'
import {
  createPaymentProvider,
  issueRecurringFeeNotices,
  reconcilePayments,
  sendReceipt,
  RECEIPT_JOB,
  RECONCILE_JOB,
  RECURRING_FEES_JOB,
} from './modules/payments/index.js'
import { isTriageKind, retrainTriage, TRIAGE_KINDS, TRIAGE_RETRAIN_JOB } from './modules/triage/index.js'
import { EXPIRE_EXPORTS_JOB, expireExports, prepareExport, PRIVACY_EXPORT_JOB } from './modules/privacy/index.js'
import { personalDataHolders } from './personal-data.js'
import { RETENTION_JOB, runRetention } from './modules/retention/index.js'
import { caseRecordHolders, retentionSweeps } from './retention.js'
import { REMINDER_JOB, sendReminders } from './modules/appointments/index.js'
import { loadResources, ResourceCatalogue } from './modules/booking/index.js'

export interface JobDeps {
  db: Db
  config: Config
  services: ServiceRegistry
  log: JobLogger
}

/**
 * Every background job of the platform and its recurring schedules, in one place: `npm start` and
 * `bauhaus worker` both run this registry. A module's handler goes here, keyed by the job's name.
 */
export function buildJobRegistry(deps: JobDeps): JobRegistry {
  const { db, config, services } = deps
  const provider = createPaymentProvider(config, db)
  const contactRouting = contactRoutingSettings(config, services.offices)
  const directory = staffDirectoryOf(
    config,
    services.offices.map(o => o.id),
  )
  const resources = new ResourceCatalogue(
    loadResources(
      config.servicesDir,
      services.offices.map(o => o.id),
    ),
  )
  return defineJobs(
    {
      [CLEAN_UP_JOBS]: cleanUpFinishedJobs,
      [FORGET_IDEMPOTENCY_KEYS_JOB]: async (_payload, { log, clock }) => {
        const forgotten = await forgetIdempotencyKeys(db, clock.now())
        if (forgotten) log.info({ forgotten }, 'idempotency keys of old submissions forgotten')
      },
      [FORGET_PROOFS_OF_WORK_JOB]: async (_payload, { log, clock }) => {
        const forgotten = await forgetProofsOfWork(db, clock.now())
        if (forgotten) log.info({ forgotten }, 'used proof-of-work solutions of expired challenges forgotten')
      },
      [SWEEP_SESSIONS_JOB]: async (_payload, { log, clock }) => {
        const swept = await sweepExpiredSessions(db, config, clock.now())
        await forgetAbandonedSignIns(db, clock.now())
        await forgetExpiredSamlSignIns(db, clock.now())
        // A sign-in sent to the directory an hour ago will not come back.
        await forgetDirectorySignIns(db, new Date(clock.now().getTime() - 3600_000))
        if (swept) log.info({ swept }, 'expired sessions deleted')
      },
      [EXTRACT_TEXT_JOB]: async (payload, { log }) => {
        await extractVersionText(db, payload, log)
      },
      [RECEIPT_JOB]: async payload => {
        await sendReceipt({ db, services, config }, String(payload.paymentId))
      },
      [RECONCILE_JOB]: async (_payload, { log, clock }) => {
        const report = await reconcilePayments(db, provider, {
          onDraftPaid: draftId => submitPaidDraft(db, services, draftId, contactRouting),
          baseUrl: config.baseUrl,
          now: clock.now(),
        })
        if (report.checked || report.refundsRetried) log.info(report, 'payment reconciliation')
      },
      [DEADLINE_SWEEP_JOB]: async (_payload, { log, clock }) => {
        const report = await sweepDeadlines({ db, services, config }, clock.now())
        if (report.reminders || report.escalations) log.info(report, 'deadline sweep')
      },
      [RECURRING_FEES_JOB]: async (_payload, { log, clock }) => {
        const issued = await issueRecurringFeeNotices({ db, services, config }, todayInGermany(clock.now()))
        if (issued) log.info({ issued }, 'recurring fee notices issued')
      },
      [PRIVACY_EXPORT_JOB]: async (payload, { clock, attempt }) => {
        await prepareExport({ db, config, services, holders: personalDataHolders }, String(payload.exportId), {
          now: clock.now(),
          attempt,
        })
      },
      [EXPIRE_EXPORTS_JOB]: async (_payload, { log, clock }) => {
        const expired = await expireExports(db, clock.now())
        if (expired) log.info({ expired }, 'exports of "Meine Daten" past their download time deleted')
      },
      [RETENTION_JOB]: async (_payload, { log, clock }) => {
        const report = await runRetention(
          { db, services, config, sweeps: retentionSweeps(config), holders: caseRecordHolders },
          clock.now(),
        )
        log.info(report, 'retention run')
      },
      [REMINDER_JOB]: async (_payload, { log, clock }) => {
        const sent = await sendReminders({ db, resources, baseUrl: config.baseUrl }, clock.now())
        if (sent) log.info({ sent }, 'appointment reminders for tomorrow sent')
      },
      [DIRECTORY_SYNC_JOB]: async (_payload, { log, clock }) => {
        if (!directory) return
        const report = await syncDirectoryMembers(db, directory, config.staffDirectoryTokenKey, () => clock.now(), log)
        if (report.checked || report.unreachable) log.info(report, 'staff directory checked')
      },
      [TRIAGE_RETRAIN_JOB]: async (payload, { log }) => {
        // Queued after enough new routing decisions (one kind) or daily (both kinds).
        for (const kind of isTriageKind(payload.kind) ? [payload.kind] : TRIAGE_KINDS) {
          const { trainMs, ...report } = await retrainTriage(db, kind)
          log.info({ ...report, trainMs: Math.round(trainMs) }, 'pre-sorting model retrained')
        }
      },
    },
    {
      schedules: [
        { name: CLEAN_UP_JOBS, everySeconds: 3600 },
        { name: RECONCILE_JOB, everySeconds: 300 },
        { name: DEADLINE_SWEEP_JOB, everySeconds: 900 },
        // Hourly, so a stall admitted today is charged today; a period never gets a second notice.
        { name: RECURRING_FEES_JOB, everySeconds: 3600 },
        { name: TRIAGE_RETRAIN_JOB, everySeconds: 86_400 },
        { name: FORGET_IDEMPOTENCY_KEYS_JOB, everySeconds: 86_400 },
        { name: FORGET_PROOFS_OF_WORK_JOB, everySeconds: 3600 },
        { name: SWEEP_SESSIONS_JOB, everySeconds: 900 },
        // Every 15 minutes: someone the directory disabled loses access within that time even if never signing in.
        { name: DIRECTORY_SYNC_JOB, everySeconds: 900 },
        { name: EXPIRE_EXPORTS_JOB, everySeconds: 3600 },
        { name: RETENTION_JOB, everySeconds: 86_400 },
        { name: REMINDER_JOB, everySeconds: 900 },
      ],
    },
  )
}
