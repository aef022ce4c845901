// Appointments at the citizens' offices and video desks (/termine, docs/appointments.md): booking without an account
// or from it, confirmation, reminder, cancel and rebook by link, the waiting list, and the appointment of a case.
export { appointmentRoutes, appointmentAccountRoutes } from './appointments.routes.js'
export { sendReminders, REMINDER_JOB } from './appointments.service.js'
export { appointmentSection } from './appointments.case.js'
export { appointmentsHolder, appointmentRetention } from './appointments.personal-data.js'
