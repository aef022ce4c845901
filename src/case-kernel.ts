import { caseKernel, type CaseKernel } from './modules/cases/index.js'
import { contactEvents, contactSection } from './modules/contact/index.js'
import { noticeSection } from './modules/notices/index.js'
import { feeNoticeAction, feeSection, feesSettled } from './modules/payments/index.js'
import { reportFollowers, reportSection } from './modules/reports/index.js'
import { detectedFactsSection } from './modules/triage/index.js'
import { videoEvents } from './modules/video/index.js'
import { appointmentSection } from './modules/appointments/index.js'

/**
 * What the features add to a case: the only list of them. The kernel (modules/cases) names none; it renders the
 * sections by place and order, asks the guards before a step, and runs the effects after it.
 */
export function platformCaseKernel(): CaseKernel {
  return caseKernel({
    sections: [
      detectedFactsSection,
      reportSection,
      feeSection,
      feeNoticeAction,
      contactSection,
      noticeSection,
      appointmentSection,
    ],
    guards: [feesSettled],
    effects: [reportFollowers],
    events: [contactEvents, videoEvents],
  })
}
