export {
  CLEAN_UP_JOBS,
  cleanUpFinishedJobs,
  defineJobs,
  enqueueJob,
  startJobWorker,
  type JobContext,
  type JobLogger,
  type JobRegistry,
  type JobWorker,
  type JobWorkerOptions,
} from './jobs.js'
export { countJobsByStatus, listFailedJobs, retryFailedJob, type FailedJob, type RetryOutcome } from './jobs.queries.js'
