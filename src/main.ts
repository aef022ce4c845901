import { loadConfig } from './platform/config.js'
import { bootPlatform } from './platform/boot.js'
import { DefinitionError } from './modules/catalogue/index.js'
import { SigningConfigError } from './platform/signing/index.js'
import { startMailDelivery } from './platform/mail/mail.js'
import { startJobWorker } from './platform/jobs/index.js'
import { buildJobRegistry } from './jobs.js'

async function main() {
  const config = loadConfig()
  const platform = await bootPlatform(config)
  await platform.app.listen({ port: config.port, host: config.host })
  platform.app.log.info(`Bauhaus is running at ${config.baseUrl} (${platform.database.kind === 'pglite' ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL server'})`)
  const stopMail = startMailDelivery(platform.database.db, config.smtpUrl, config.mailFrom, platform.app.log)
  const db = platform.database.db
  const log = platform.app.log
  // RUN_WORKER=false: this process only serves the web; `bauhaus worker` processes run the jobs.
  const worker = config.runWorker
    ? await startJobWorker(db, buildJobRegistry({ db, config, services: platform.app.services, log }), { log })
    : undefined
  const stop = async () => { stopMail(); await worker?.stop(); await platform.close(); process.exit(0) }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error) => {
  process.stderr.write(`${error instanceof DefinitionError || error instanceof SigningConfigError ? error.message : error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exit(1)
})
