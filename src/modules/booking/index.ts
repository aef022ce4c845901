// The booking engine (M10, M11): resources as data, slots derived from rules, times held without double booking,
// cancel and move, calendar files (docs/booking.md). Appointments, facility booking and video consultations use it.
export {
  loadResources,
  syncResources,
  ResourceCatalogue,
  unitsOf,
  openingOn,
  type Resource,
} from './booking.resources.js'
export { deriveSlots, bookingWindow, cityInstant, type Slot } from './booking.slots.js'
export {
  reserve,
  cancelBooking,
  moveBooking,
  freeSlots,
  occupiedBetween,
  changeableUntil,
  findBookingByToken,
  hashToken,
  type NewBooking,
} from './booking.service.js'
export {
  findBooking,
  bookingsOfAccount,
  bookingsOfResource,
  bookingsOfCase,
  storedResources,
  type BookingRow,
} from './booking.queries.js'
export {
  ResourceNotFound,
  BookingNotFound,
  TimeNotOffered,
  TimeJustTaken,
  TooLateToChange,
} from './booking.errors.js'
export { calendarText } from './booking.ics.js'
export { bookingStaffRoutes } from './booking.staff.routes.js'
export { bookingFeedRoutes } from './booking.feeds.routes.js'
export { resourcesOfStaff } from './booking.staff.js'
export { seedDemoBookings } from './booking.demo.js'
