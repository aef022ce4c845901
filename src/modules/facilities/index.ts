// Facility booking (M10, docs/facilities.md): sports halls and rooms at /buchung, single bookings with their fee and
// exemption, seasonal allocation of weekly slots to clubs, and closures that cancel with notice.
export { facilityPublicRoutes, facilityAccountRoutes } from './facilities.routes.js'
export { facilityOfficeRoutes, isSportsOffice } from './facilities.office.routes.js'
export { facilitiesHolder } from './facilities.personal-data.js'
