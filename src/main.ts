import { ConfigError, isLoopbackHost, loadConfig } from './platform/config.js'
import { bootPlatform } from './boot.js'
import { DefinitionError } from './modules/catalogue/index.js'
import { ConfigFileError } from './platform/config-file.js'
import { startMailDelivery } from './platform/mail/mail.js'
import { startJobWorker } from './platform/jobs/index.js'
import { buildJobRegistry } from './jobs.js'

async function main() {
  const config = loadConfig()
  const platform = await bootPlatform(config)
  await platform.app.listen({ port: config.port, host: config.host })
  const reach = isLoopbackHost(config.host)
    ? 'only this machine; HOST=0.0.0.0 opens it to the network'
    : 'reachable from the network'
  platform.app.log.info(
    `Bauhaus is running at ${config.baseUrl}, listening on ${config.host}:${config.port} (${reach}), ` +
      `${platform.database.kind === 'pglite' ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL server'}`,
  )
  if (config.seedDemoData) {
    platform.app.log.warn(
      'Demo accounts with the password published in the README exist, a platform admin among them ' +
        '(SEED_DEMO_DATA); whoever reaches this address can sign in with them. Never on a server others can reach.',
    )
  }
  if (config.devMail && !isLoopbackHost(config.host)) {
    platform.app.log.warn(
      '/dev/mail shows every mail (sign-in and password-reset links included) to whoever reaches this address (DEV_MAIL).',
    )
  }
  const stopMail = startMailDelivery(platform.database.db, config.smtpUrl, config.mailFrom, platform.app.log)
  const db = platform.database.db
  const log = platform.app.log
  // RUN_WORKER=false: this process only serves the web; `bauhaus worker` processes run the jobs.
  const worker = config.runWorker
    ? await startJobWorker(db, buildJobRegistry({ db, config, services: platform.app.services, log }), {
        log,
        clock: platform.clock,
      })
    : undefined
  const stop = async () => {
    stopMail()
    await worker?.stop()
    await platform.close()
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch(error => {
  process.stderr.write(
    `${
      error instanceof DefinitionError || error instanceof ConfigFileError || error instanceof ConfigError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error)
    }\n`,
  )
  process.exit(1)
})
