import { loadConfig } from './platform/config.js'
import { openDatabase } from './platform/db/database.js'
import { migrate } from './platform/db/migrate.js'
import { systemClock } from './platform/clock.js'
import { DefinitionError, loadOffices, loadServiceDefinitions } from './modules/catalogue/definitions.load.js'

const usage = `Usage: bauhaus <command>
  migrate          apply database migrations
  seed             load offices, services and demo data
  check-services [--database]
                   run the checks of the start on services/ (schema, cross-checks, letterhead, signing
                   certificates) and, with DATABASE_URL or --database (embedded, app stopped), that every
                   changed definition raised its version; names file and path of each problem
  worker           run background jobs only (no web server) until SIGINT/SIGTERM
  grant-role EMAIL OFFICE ROLE
                   give a staff member a role from the server's shell (audited, via: cli): where the city has one
                   admin only, who cannot confirm a role they asked for themselves (four eyes, docs/security.md)
  train-triage [--kind report|contact]
                   retrain the pre-sorting model(s) from the database and print the held-out figures
  eval-triage FILE [--kind report|contact]
                   accuracy, top-3 accuracy, macro-F1, per-class figures and confusions of the active
                   model on a labelled CSV (header text,label); --kind defaults to report
  generate-cases N [--offices K]
                   add N generated cases (1 to 10,000,000) for load tests, spread over K offices
                   (default 35; beyond services/_offices.yaml, load-test offices are added to the database);
                   COPY on a PostgreSQL server, insert … select on the embedded database; progress on stderr
  backup FILE [--force]
                   the whole database (uploads included) into FILE: the embedded one (stopped) as a .tar.gz,
                   a PostgreSQL server's with pg_dump --format=custom; --force overwrites FILE
  restore FILE [--force]
                   FILE into an empty DATA_DIR or database; --force replaces a non-empty one (see docs/operations.md)`

async function main(argv: string[]): Promise<number> {
  const [command] = argv
  const config = loadConfig()
  switch (command) {
    case 'check-services': {
      const [{ checkStartFiles }, { checkVersionsRaised }, { LetterheadError }, { ConfigFileError }] =
        await Promise.all([
          import('./boot.checks.js'),
          import('./modules/catalogue/index.js'),
          import('./platform/pdf/index.js'),
          import('./platform/config-file.js'),
        ])
      let startFiles: ReturnType<typeof checkStartFiles>
      try {
        startFiles = checkStartFiles(config)
      } catch (error) {
        if (error instanceof DefinitionError || error instanceof LetterheadError || error instanceof ConfigFileError) {
          process.stderr.write(`${error.message}\n`)
          return 1
        }
        throw error
      }
      const { loaded, offline, lifeEvents, resources } = startFiles
      // The records of processing (Art. 30 DSGVO) need these parts; a gap is a warning, not a refusal to start.
      const { processingGaps } = await import('./modules/retention/index.js')
      for (const gap of processingGaps(loaded.map(l => l.definition))) process.stderr.write(`warning: ${gap}\n`)
      // The version check needs the database. A server is asked read-only; the embedded database belongs to the
      // running app (one process only), so it is opened only when asked to, with the app stopped.
      if (!config.databaseUrl && !argv.includes('--database')) {
        process.stdout.write(
          `${loaded.length} service definitions, ${offline.length} offline services, ${lifeEvents.length} life-event rules and ${resources.length} bookable resources are valid. Not compared with the database (embedded; add --database while the app is stopped, or set DATABASE_URL).\n`,
        )
        return 0
      }
      const handle = await openDatabase(config)
      try {
        const problems = await checkVersionsRaised(handle.db, loaded)
        if (problems.length) {
          process.stderr.write(`${new DefinitionError(problems).message}\n`)
          return 1
        }
      } finally {
        await handle.close()
      }
      process.stdout.write(
        `${loaded.length} service definitions, ${offline.length} offline services, ${lifeEvents.length} life-event rules and ${resources.length} bookable resources are valid, and every changed one raised its version.\n`,
      )
      return 0
    }
    case 'migrate': {
      const handle = await openDatabase(config)
      try {
        const applied = await migrate(handle)
        process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n')
      } finally {
        await handle.close()
      }
      return 0
    }
    case 'seed': {
      const { seedAll } = await import('./seed.js')
      const handle = await openDatabase(config)
      try {
        await migrate(handle)
        await seedAll(handle.db, config, { demo: true, demoCases: config.seedDemoCases })
        process.stdout.write('Seeded offices, services and demo data.\n')
      } finally {
        await handle.close()
      }
      return 0
    }
    case 'grant-role': {
      const [email, officeId, role] = argv.slice(1)
      if (!email || !officeId || !role) {
        process.stderr.write('Usage: bauhaus grant-role EMAIL OFFICE ROLE\n')
        return 2
      }
      const [{ grantRoleFromShell }, { DomainError }, { translator }] = await Promise.all([
        import('./modules/staff/index.js'),
        import('./platform/http/errors.js'),
        import('./platform/i18n/i18n.js'),
      ])
      const handle = await openDatabase(config)
      try {
        await migrate(handle)
        const officeIds = loadOffices(config.servicesDir).map(o => o.id)
        const outcome = await grantRoleFromShell(handle.db, officeIds, { email, officeId, role })
        process.stdout.write(
          outcome === 'granted'
            ? `Granted ${role} in ${officeId} to ${email}.\n`
            : `${email} holds ${role} in ${officeId} already.\n`,
        )
        return 0
      } catch (error) {
        if (!(error instanceof DomainError)) throw error
        process.stderr.write(`bauhaus grant-role: ${translator('en').text(error.messageKey, error.params)}\n`)
        return 1
      } finally {
        await handle.close()
      }
    }
    case 'worker': {
      if (!config.databaseUrl) {
        // PGlite belongs to one process; `npm start` runs the jobs itself.
        process.stderr.write(
          'bauhaus worker needs a PostgreSQL server (DATABASE_URL); with the embedded database, npm start runs the jobs.\n',
        )
        return 2
      }
      const [{ pino }, { ServiceRegistry }, { startJobWorker }, { buildJobRegistry }] = await Promise.all([
        import('pino'),
        import('./modules/catalogue/index.js'),
        import('./platform/jobs/index.js'),
        import('./jobs.js'),
      ])
      const offices = loadOffices(config.servicesDir)
      const loaded = loadServiceDefinitions(config.servicesDir, offices)
      const handle = await openDatabase(config)
      try {
        await migrate(handle)
        const log = pino({ level: config.logLevel })
        const services = new ServiceRegistry(handle.db, offices, loaded)
        const worker = await startJobWorker(handle.db, buildJobRegistry({ db: handle.db, config, services, log }), {
          log,
          clock: systemClock,
        })
        await new Promise<void>(resolve => {
          process.once('SIGINT', resolve)
          process.once('SIGTERM', resolve)
        })
        log.info({}, 'stopping the job worker; waiting for running jobs')
        await worker.stop()
      } finally {
        await handle.close()
      }
      return 0
    }
    case 'train-triage':
    case 'eval-triage': {
      const { runTriageCommand } = await import('./modules/triage/triage.cli.js')
      return runTriageCommand(command, argv.slice(1), config, { out: process.stdout, err: process.stderr })
    }
    case 'generate-cases': {
      const { parseGenerateCasesArgs } = await import('./modules/cases/index.js')
      const args = parseGenerateCasesArgs(argv.slice(1))
      if ('error' in args) {
        process.stderr.write(
          `bauhaus generate-cases: ${args.error}\nUsage: bauhaus generate-cases N [--offices K]   (N from 1 to 10,000,000)\n`,
        )
        return 2
      }
      return generateCasesCommand(config, args.count, args.offices)
    }
    case 'backup':
    case 'restore': {
      const { parseBackupArgs, backupDatabase, restoreDatabase, BackupRefused } = await import(
        './platform/db/backup.js'
      )
      const args = parseBackupArgs(argv.slice(1))
      if ('error' in args) {
        process.stderr.write(`bauhaus ${command}: ${args.error}\nUsage: bauhaus ${command} FILE [--force]\n`)
        return 2
      }
      const io = {
        say: (line: string) => {
          process.stderr.write(`${line}\n`)
        },
        env: process.env,
      }
      try {
        await (command === 'backup' ? backupDatabase : restoreDatabase)(config, args, io)
        return 0
      } catch (error) {
        if (error instanceof BackupRefused) {
          process.stderr.write(`bauhaus ${command}: ${error.message}\n`)
          return 2
        }
        throw error
      }
    }
    default:
      process.stderr.write(`${usage}\n`)
      return command ? 2 : 0
  }
}

/** Migrates, syncs offices and services (as a start would), generates, and says how it went. */
async function generateCasesCommand(
  config: ReturnType<typeof loadConfig>,
  count: number,
  officeCount: number,
): Promise<number> {
  const [{ generateCases }, { syncServices }, { progressBar }] = await Promise.all([
    import('./modules/cases/index.js'),
    import('./modules/catalogue/index.js'),
    import('./platform/progress.js'),
  ])
  const offices = loadOffices(config.servicesDir)
  const loaded = loadServiceDefinitions(config.servicesDir, offices)
  const handle = await openDatabase(config)
  try {
    await migrate(handle)
    await syncServices(handle.db, offices, loaded)
    const how =
      handle.kind === 'postgres'
        ? 'PostgreSQL server, COPY … FROM STDIN'
        : 'embedded database (PGlite), insert … select from generate_series in chunks of 50,000'
    process.stderr.write(`Generating ${count.toLocaleString('en')} cases over ${officeCount} offices (${how})\n`)
    const progress = progressBar(process.stderr, count, 'cases')
    const result = await generateCases({
      db: handle.db,
      databaseUrl: handle.kind === 'postgres' ? config.databaseUrl : undefined,
      offices,
      services: loaded.map(l => l.definition),
      count,
      officeCount,
      onProgress: done => progress.update(done),
    })
    progress.finish()
    const total = result.casesSeconds + result.eventsSeconds + result.analyzeSeconds
    process.stdout.write(
      [
        `Generated ${count.toLocaleString('en')} cases with references ${result.prefix}1 … ${result.prefix}${count} in ${result.officeIds.length} offices` +
          ` (${result.generatedOffices} load-test offices and ${result.generatedStaff} load-test staff added) by ${result.method === 'copy' ? 'COPY' : 'insert … select'}.`,
        `Time: ${total.toFixed(1)} s (${Math.round(count / total).toLocaleString('en')} cases/s): cases ${result.casesSeconds.toFixed(1)} s` +
          `${result.method === 'copy' ? `, timeline entries ${result.eventsSeconds.toFixed(1)} s` : ' (with their timeline entries)'}, ANALYZE ${result.analyzeSeconds.toFixed(1)} s.`,
        '',
      ].join('\n'),
    )
  } finally {
    await handle.close()
  }
  return 0
}

main(process.argv.slice(2)).then(
  code => process.exit(code),
  error => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  },
)
