export { legalRoutes } from './legal.routes.js'
export { cityConfigOf, loadCityConfig } from './legal.city.js'
