import type { CaseSection } from '../cases/index.js'
import { noticeSectionData } from './notices.section.js'
import { NoticeSection, type NoticeSectionData } from './views/notice-section.js'

/** Bescheide: the case's notices and the templates to draft one from, in the acting column after the writing. */
export const noticeSection: CaseSection<NoticeSectionData> = {
  id: 'notices',
  place: 'side',
  // After the writing (KERNEL_ORDER.side.writing); a number, as the kernel may still be loading when this is.
  order: 40,
  load: ({ db, services, record }) => noticeSectionData(db, services, record),
  View: ({ data, ctx, record, canAct }) => <NoticeSection ctx={ctx} caseId={record.id} data={data} canAct={canAct} />,
}
