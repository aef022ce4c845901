export {
  CLEAN_UP_JOBS,
  DEFAULT_MAX_ATTEMPTS,
  cleanUpFinishedJobs,
  defaultBackoff,
  defineJobs,
  enqueueJob,
  startJobWorker,
  type JobContext,
  type JobHandler,
  type JobLogger,
  type JobRegistry,
  type JobSchedule,
  type JobWorker,
  type JobWorkerOptions,
  type NewJob,
} from './jobs.js'
export { countJobsByStatus, listFailedJobs, retryFailedJob, type FailedJob, type RetryOutcome } from './jobs.queries.js'
