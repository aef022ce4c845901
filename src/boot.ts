import type { FastifyInstance } from 'fastify'
import type { Config } from './platform/config.js'
import { systemClock, type Clock } from './platform/clock.js'
import { openDatabase, type DatabaseHandle } from './platform/db/database.js'
import { migrate } from './platform/db/migrate.js'
import { ServiceRegistry } from './modules/catalogue/index.js'
import { seedAll } from './seed.js'
import { buildApp, type AppDeps } from './app.js'
import { LiveHub } from './platform/live/index.js'
import { checkStartFiles } from './boot.checks.js'
import { ResourceCatalogue } from './modules/booking/index.js'

export interface Platform {
  app: FastifyInstance
  clock: Clock
  database: DatabaseHandle
  close(): Promise<void>
}

/** Database up and migrated, services checked and synced, demo data if configured, app built. */
export async function bootPlatform(
  config: Config,
  opts: { logger?: boolean; clock?: Clock; caseKernel?: AppDeps['caseKernel']; pgliteTemplate?: Blob } = {},
): Promise<Platform> {
  const clock = opts.clock ?? systemClock
  // Files are checked before anything touches the database: a broken one stops the start with its name and path.
  const { offices, loaded, offline, signers, lifeEvents, resources } = checkStartFiles(config)
  const database = await openDatabase({ ...config, pgliteTemplate: opts.pgliteTemplate })
  try {
    await migrate(database)
    await seedAll(database.db, config, {
      demo: config.seedDemoData,
      demoCases: config.seedDemoCases,
      loaded: { offices, services: loaded, resources },
    })
    const services = new ServiceRegistry(database.db, offices, loaded, offline)
    services.warmSearch() // the search index now, not at the first visitor's search (6,000 services: under a second)
    const live = await LiveHub.start(database, { streamsPerUser: config.liveStreamsPerUser })
    const app = await buildApp({
      config,
      clock,
      db: database.db,
      services,
      live,
      signers,
      lifeEvents,
      resources: new ResourceCatalogue(resources),
      logger: opts.logger,
      caseKernel: opts.caseKernel,
    })
    return {
      app,
      clock,
      database,
      close: async () => {
        await app.close()
        await database.close()
      },
    }
  } catch (error) {
    await database.close()
    throw error
  }
}
