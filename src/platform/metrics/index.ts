// Prometheus metrics: request durations, cases submitted, job queue depth, overdue cases (`GET /metrics`, not public).
export { createMetrics, registerMetricsRoute, type Metrics } from './metrics.js'
