import type { Trx } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { queueMail } from '../../platform/mail/mail.js'
import { formatDateTime, isLocale, translator } from '../../platform/i18n/i18n.js'
import { findAccountContact } from '../accounts/index.js'
import { deliverToApplicant } from '../postbox/index.js'
import type { Resource } from './booking.resources.js'
import type { BookingRow } from './booking.queries.js'

/**
 * Tells the person that staff moved or cancelled their appointment. A booking made for a case (an application that
 * ended by booking) gets a postbox message on the case, which also mails them; any other gets an e-mail to the
 * address given, or the account's. (The postbox holds messages of cases only, so a booking without a case has no
 * postbox channel.) A booking without any address (a walk-in entered at the counter) is not told.
 */
export async function messageThePerson(
  trx: Trx,
  m: {
    booking: BookingRow
    resource: Resource
    staff: StaffMember
    kind: 'moved' | 'cancelled'
    note: string
    baseUrl: string
  },
): Promise<void> {
  const { booking, resource } = m
  const account = booking.account_id ? await findAccountContact(trx, booking.account_id) : undefined
  const email = booking.person_email ?? account?.email ?? null
  const locale = isLocale(booking.locale) ? booking.locale : 'de'
  const t = translator(locale)
  const params = {
    reference: booking.reference,
    place: `${resource.name[locale] ?? resource.name.de}${resource.address ? `, ${resource.address}` : ''}`,
    start: formatDateTime(booking.starts_at, locale),
    note: m.note || t.text('booking.staff.mail.noNote'),
  }
  const subject = t.text(`booking.staff.mail.${m.kind}.subject`, params)
  const body = t.text(`booking.staff.mail.${m.kind}.body`, params)
  if (booking.case_id) {
    await deliverToApplicant(
      trx,
      {
        caseId: booking.case_id,
        reference: booking.reference,
        accountId: booking.account_id,
        applicantEmail: email,
        locale,
        senderStaffId: m.staff.id,
        subject,
        body,
      },
      m.baseUrl,
    )
    return
  }
  if (email) await queueMail(trx, { to: email, subject, text: body })
}
