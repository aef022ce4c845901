export { treasuryRoutes } from './treasury.routes.js'
