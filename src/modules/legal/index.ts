export { legalRoutes } from './legal.routes.js'
export { loadCityConfig } from './legal.city.js'
