export { treasuryRoutes } from './treasury.routes.js'
export { isTreasury } from './treasury.access.js'
