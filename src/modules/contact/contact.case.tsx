import type { CaseEventDescriber, CaseSection } from '../cases/index.js'
import { contactSectionData, type ContactSectionData } from './contact.casework.js'
import { ContactCaseSection } from './views/contact-case.js'
import { describeContactEvent } from './views/contact-events.js'

/** A free-text enquiry's routing, in the acting column after the actions: the office forwards or confirms it. */
export const contactSection: CaseSection<ContactSectionData> = {
  id: 'contact',
  place: 'side',
  // After the actions (KERNEL_ORDER.side.actions); a number, as the kernel may still be loading when this is.
  order: 20,
  load: ({ definition, services, record, events, staff }) =>
    contactSectionData(definition, services, record, events, staff),
  View: ({ data, ctx, record, form }) => (
    <div data-live-region="contact">
      <ContactCaseSection
        ctx={ctx}
        caseId={record.id}
        version={record.version}
        data={data}
        errors={form?.errors ?? []}
      />
    </div>
  ),
}

/** The routing entries of an enquiry's timeline (internal: staff only). */
export const contactEvents: CaseEventDescriber = {
  kinds: ['contact_routed', 'contact_forwarded', 'contact_confirmed'],
  describe: (event, t) => describeContactEvent(event.kind, event.data, event.actorStaffName ?? '', t),
}
