import { loadConfig } from './platform/config.js'
import { openDatabase } from './platform/db/database.js'
import { migrate } from './platform/db/migrate.js'
import { DefinitionError, loadOffices, loadServiceDefinitions } from './modules/catalogue/definitions.load.js'

const usage = `Usage: bauhaus <command>
  migrate          apply database migrations
  seed             load offices, services and demo data
  check-services   validate every services/*.yaml against the schema
  worker           run background jobs only (no web server) until SIGINT/SIGTERM
  train-triage [--kind report|contact]
                   retrain the pre-sorting model(s) from the database and print the held-out figures
  eval-triage FILE [--kind report|contact]
                   accuracy, top-3 accuracy, macro-F1, per-class figures and confusions of the active
                   model on a labelled CSV (header text,label); --kind defaults to report`

async function main(argv: string[]): Promise<number> {
  const [command] = argv
  const config = loadConfig()
  switch (command) {
    case 'check-services': {
      try {
        const offices = loadOffices(config.servicesDir)
        const services = loadServiceDefinitions(config.servicesDir, offices)
        process.stdout.write(`${services.length} service definitions are valid.\n`)
        return 0
      } catch (error) {
        if (error instanceof DefinitionError) { process.stderr.write(`${error.message}\n`); return 1 }
        throw error
      }
    }
    case 'migrate': {
      const handle = await openDatabase(config)
      try {
        const applied = await migrate(handle)
        process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n')
      } finally { await handle.close() }
      return 0
    }
    case 'seed': {
      const { seedAll } = await import('./seed.js')
      const handle = await openDatabase(config)
      try {
        await migrate(handle)
        await seedAll(handle.db, config, { demo: true, demoCases: config.seedDemoCases })
        process.stdout.write('Seeded offices, services and demo data.\n')
      } finally { await handle.close() }
      return 0
    }
    case 'worker': {
      if (!config.databaseUrl) {
        // PGlite belongs to one process; `npm start` runs the jobs itself.
        process.stderr.write('bauhaus worker needs a PostgreSQL server (DATABASE_URL); with the embedded database, npm start runs the jobs.\n')
        return 2
      }
      const [{ pino }, { ServiceRegistry }, { startJobWorker }, { buildJobRegistry }] = await Promise.all([
        import('pino'), import('./modules/catalogue/index.js'), import('./platform/jobs/index.js'), import('./jobs.js'),
      ])
      const offices = loadOffices(config.servicesDir)
      const loaded = loadServiceDefinitions(config.servicesDir, offices)
      const handle = await openDatabase(config)
      try {
        await migrate(handle)
        const log = pino({ level: config.logLevel })
        const services = new ServiceRegistry(handle.db, offices, loaded)
        const worker = await startJobWorker(handle.db, buildJobRegistry({ db: handle.db, config, services, log }), { log })
        await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve) })
        log.info({}, 'stopping the job worker; waiting for running jobs')
        await worker.stop()
      } finally { await handle.close() }
      return 0
    }
    case 'train-triage':
    case 'eval-triage': {
      const { runTriageCommand } = await import('./modules/triage/triage.cli.js')
      return runTriageCommand(command, argv.slice(1), config, { out: process.stdout, err: process.stderr })
    }
    default:
      process.stderr.write(`${usage}\n`)
      return command ? 2 : 0
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
