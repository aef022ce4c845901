import type { CaseSection, TransitionEffect } from '../cases/index.js'
import { reportCaseTransitioned, reportSectionData, type ReportSectionData } from './reports.casework.js'
import { ReportCaseSection } from './views/report-case.js'

/** A defect report: category, place, photos; in the reading column after the answers. */
export const reportSection: CaseSection<ReportSectionData> = {
  id: 'report',
  place: 'main',
  // After the answers (KERNEL_ORDER.main.answers); a number, as the kernel may still be loading when this is.
  order: 20,
  load: ({ db, services, record, staff }) => reportSectionData(db, services, record, staff),
  View: ({ data, ctx, record }) => (
    <div data-live-region="report">
      <ReportCaseSection
        ctx={ctx}
        caseId={record.id}
        reference={record.reference}
        version={record.version}
        data={data}
      />
    </div>
  ),
}

/** A defect report mirrors its case's state for the public list; its followers get the applicant's message. */
export const reportFollowers: TransitionEffect = {
  id: 'report-followers',
  inTransaction: (trx, done) =>
    reportCaseTransitioned(trx, {
      caseId: done.caseId,
      reference: done.reference,
      definition: done.definition,
      to: done.to,
      notify: done.transition.notifyApplicant,
      baseUrl: done.baseUrl,
    }),
}
