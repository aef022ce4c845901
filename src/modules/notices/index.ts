// Notices (Bescheide): templates of a service filled from the case, co-edited with Yjs, signed (PAdES) and sent.
export { noticeRoutes } from './notices.routes.js'
export { noticeAssetRoutes } from './notices.assets.js'
export { noticeSection } from './notices.case.js'
export { caseNotices } from './notices.retention.js'
