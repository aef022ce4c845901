// Notices (Bescheide): templates of a service filled from the case, co-edited with Yjs, signed (PAdES) and sent.
export { noticeRoutes } from './notices.routes.js'
export { noticeAssetRoutes } from './notices.assets.js'
export { noticeSectionData } from './notices.section.js'
export { NoticeSection, type NoticeSectionData } from './views/notice-section.js'
