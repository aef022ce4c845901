import type { Db } from '../../platform/db/database.js'
import { isLocale } from '../../platform/i18n/i18n.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import type { CaseRecord } from '../cases/index.js'
import { listTemplatesForCase } from './notices.drafts.js'
import { countNoticeCommentsOfCase, listNoticeDraftsOfCase } from './notices.queries.js'
import type { NoticeSectionData } from './views/notice-section.js'

/** What the case view shows under "Bescheide": the case's notices and the templates to draft one from. */
export async function noticeSectionData(
  db: Db,
  services: ServiceRegistry,
  caseRecord: CaseRecord,
): Promise<NoticeSectionData> {
  const { templates, allowed, statusLabel } = await listTemplatesForCase(services, caseRecord)
  return {
    drafts: await listNoticeDraftsOfCase(db, caseRecord.id),
    commentCounts: await countNoticeCommentsOfCase(db, caseRecord.id),
    templates: allowed,
    // Templates exist, but none in this state: the section says why instead of offering none.
    notInState:
      templates.length > 0 && allowed.length === 0
        ? (statusLabel ?? { de: caseRecord.status, en: caseRecord.status })
        : undefined,
    caseLocale: isLocale(caseRecord.locale) ? caseRecord.locale : 'de',
  }
}
