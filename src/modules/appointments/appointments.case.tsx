import type { CaseSection } from '../cases/index.js'
import { bookingsOfCase, storedResources, type BookingRow, type Resource } from '../booking/index.js'
import { formatDateTime } from '../../platform/i18n/i18n.js'
import { DescriptionItem } from '../../platform/views/components.js'
import { concernName } from './appointments.mail.js'

interface CaseAppointments {
  bookings: BookingRow[]
  resources: Resource[]
  /** The service ends by booking an appointment (services/<id>.yaml: appointment). */
  required: boolean
}

/** The appointment of an application that ends by booking one (or any booked for the case), beside the actions. */
export const appointmentSection: CaseSection<CaseAppointments> = {
  id: 'appointments',
  place: 'side',
  order: 25,
  async load({ db, record, definition }) {
    const bookings = await bookingsOfCase(db, record.id)
    if (!bookings.length && !definition.appointment) return undefined
    const resources = await storedResources(db, [...new Set(bookings.map(b => b.resource_id))])
    return { bookings, resources, required: !!definition.appointment }
  },
  View: ({ data, ctx }) => {
    const { t } = ctx
    return (
      <section class="case-section" aria-labelledby="case-appointments">
        <h2 class="kern-heading-small" id="case-appointments">
          {t('appointments.case.title')}
        </h2>
        {data.bookings.length === 0 ? <p class="kern-body">{t('appointments.case.none')}</p> : ''}
        {data.bookings.map(b => {
          const resource = data.resources.find(r => r.id === b.resource_id)
          return (
            <dl class="kern-description-list">
              <DescriptionItem label={t.text('appointments.when')} text={formatDateTime(b.starts_at, ctx.locale)} />
              <DescriptionItem
                label={t.text('appointments.place')}
                text={resource?.name[ctx.locale] ?? b.resource_id}
              />
              <DescriptionItem
                label={t.text('appointments.concern')}
                text={concernName(resource, { concern: b.concern, locale: ctx.locale })}
              />
              <DescriptionItem label={t.text('appointments.reference')} text={b.reference} />
              <DescriptionItem
                label={t.text('appointments.status')}
                text={t.text(`appointments.statusName.${b.status}`)}
              />
            </dl>
          )
        })}
      </section>
    )
  },
}
