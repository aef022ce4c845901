export { open311Routes, OPEN311_PREFIX } from './open311.routes.js'
export { apiKeyAdminRoutes } from './open311.admin.routes.js'
export {
  listApiKeys,
  createApiKey,
  revokeApiKey,
  checkApiKey,
  ApiKeyNotFound,
  API_KEY_NAME_MAX,
  type ApiKeyRow,
} from './open311.keys.js'
