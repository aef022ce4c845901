export { open311Routes, OPEN311_PREFIX } from './open311.routes.js'
export { apiKeyAdminRoutes } from './open311.admin.routes.js'
export {
  listApiKeys,
  createApiKey,
} from './open311.keys.js'
