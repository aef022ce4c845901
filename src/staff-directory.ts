import type { FastifyInstance } from 'fastify'
import { ConfigError, type Config } from './platform/config.js'
import {
  DEMO_DIRECTORY_PREFIX,
  inProcessFetch,
  loadStaffDirectory,
  type StaffDirectory,
} from './modules/staff/index.js'

/**
 * The city's directory staff sign in with (STAFF_DIRECTORY_FILE), checked against the offices; undefined without
 * one. The client secret comes from the environment variable the file names. `app`, when given, lets the platform
 * reach its own demo directory in-process.
 */
export function staffDirectoryOf(
  config: Config,
  officeIds: readonly string[],
  app?: FastifyInstance,
): StaffDirectory | undefined {
  if (!config.staffDirectoryFile) {
    if (config.staffPasswordSignIn !== 'all')
      throw new ConfigError(
        'STAFF_PASSWORD_SIGN_IN',
        `"${config.staffPasswordSignIn}" needs a directory (STAFF_DIRECTORY_FILE); without one nobody could sign in`,
      )
    return undefined
  }
  const directory = loadStaffDirectory(config.staffDirectoryFile, {
    officeIds,
    env: process.env,
    baseUrl: config.baseUrl,
  })
  const demoIssuer = `${config.baseUrl.replace(/\/$/, '')}${DEMO_DIRECTORY_PREFIX}`
  if (app && config.identityDemo && directory.issuer === demoIssuer) directory.fetch = inProcessFetch(app)
  return directory
}
