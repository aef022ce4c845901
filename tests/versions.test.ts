import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import type { Config } from '../src/platform/config.js'
import { startTestPlatform } from './support/test-platform.js'
import { staffBrowser, submitCase } from './support/casework.js'
import { TestBrowser, createServerDatabase } from './support/test-platform.js'

/** A database that outlives one platform start: a folder for PGlite, or a database on the server. */
async function persistentDatabase(): Promise<{ overrides: Partial<Config>; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-db-'))
    return {
      overrides: { databaseUrl: '', dataDir: dir },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    }
  }
  const database = await createServerDatabase(serverUrl, 'bauhaus_versions')
  return { overrides: { databaseUrl: database.url }, drop: database.drop }
}

function servicesCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-services-'))
  for (const f of fs.readdirSync('services')) fs.copyFileSync(path.join('services', f), path.join(dir, f))
  return dir
}

describe('service definition versions', () => {
  it('keeps a case on the version it was made with after the definition moves on, and refuses a change without a new version', async () => {
    const database = await persistentDatabase()
    const servicesDir = servicesCopy()
    const file = path.join(servicesDir, 'hundesteuer-anmeldung.yaml')
    const original = fs.readFileSync(file, 'utf8')
    try {
      const first = await startTestPlatform({ ...database.overrides, servicesDir })
      const oldVersion = first.app.services.get('hundesteuer-anmeldung').version
      const { caseId } = await submitCase(first, new TestBrowser(first), 'hundesteuer-anmeldung')
      await first.close()

      // Changed without raising the version: the start stops and says which file and what to do.
      fs.writeFileSync(file, original.replace('de: "Name des Hundes"', 'de: "Rufname des Hundes"'))
      await assert.rejects(
        startTestPlatform({ ...database.overrides, servicesDir }),
        /services\/hundesteuer-anmeldung\.yaml: \/version: the definition changed but "version" is still/,
      )

      fs.writeFileSync(
        file,
        original
          .replace('de: "Name des Hundes"', 'de: "Rufname des Hundes"')
          .replace(/^version: \d+$/m, `version: ${oldVersion + 1}`),
      )
      const second = await startTestPlatform({ ...database.overrides, servicesDir })
      try {
        assert.equal(second.app.services.get('hundesteuer-anmeldung').version, oldVersion + 1)
        const office = await staffBrowser(second, 'stadtkasse-steueramt')
        const view = await office.get(`/backoffice/cases/${caseId}`)
        assert.equal(view.statusCode, 200)
        assert.match(view.body, /Name des Hundes/, 'the old case shows the labels of its own version')
        assert.ok(!view.body.includes('Rufname des Hundes'))
        const applicant = new TestBrowser(second)
        await applicant.get('/services/hundesteuer-anmeldung')
        const start = await applicant.post('/services/hundesteuer-anmeldung/applications')
        const dog = await applicant.get(String(start.headers.location).replace('/keeper', '/dog'))
        assert.equal(dog.statusCode, 200)
        assert.match(dog.body, /Rufname des Hundes/, 'new applications use the new version')
      } finally {
        await second.close()
      }
    } finally {
      await database.drop()
      fs.rmSync(servicesDir, { recursive: true, force: true })
    }
  })
})

describe('bauhaus check-services', () => {
  /** The command as an operator runs it; DATABASE_URL and DATA_DIR say which database it may compare with. */
  const checkServices = (env: Record<string, string>, ...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'check-services', ...args], {
      env: { ...process.env, DATABASE_URL: '', ...env },
      encoding: 'utf8',
      timeout: 120_000,
    })

  it('refuses what the start refuses before the database, naming file and path: a broken definition, a broken letterhead', () => {
    const servicesDir = servicesCopy()
    const letterhead = path.join(servicesDir, '_letterhead.yaml')
    try {
      assert.equal(checkServices({ SERVICES_DIR: servicesDir }).status, 0)
      const dogTax = path.join(servicesDir, 'hundesteuer-anmeldung.yaml')
      const original = fs.readFileSync(dogTax, 'utf8')
      fs.writeFileSync(dogTax, original.replace(/^office: .*$/m, 'office: atlantis'))
      const badOffice = checkServices({ SERVICES_DIR: servicesDir })
      assert.equal(badOffice.status, 1)
      assert.match(
        badOffice.stderr,
        /services\/hundesteuer-anmeldung\.yaml: \/office \(line \d+\): unknown office "atlantis"/,
      )
      fs.writeFileSync(dogTax, original)

      fs.writeFileSync(
        letterhead,
        fs.readFileSync('config/letterhead.yaml', 'utf8').replace(/iban: .*$/m, 'iban: DE00 1234'),
      )
      const badLetterhead = checkServices({ SERVICES_DIR: servicesDir, LETTERHEAD_FILE: letterhead })
      assert.equal(badLetterhead.status, 1)
      assert.match(
        badLetterhead.stderr,
        new RegExp(`${letterhead.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: /bank/iban`),
      )
    } finally {
      fs.rmSync(servicesDir, { recursive: true, force: true })
    }
  })

  it('refuses, with the database, a changed definition whose version was not raised, in the words of the start', async () => {
    const database = await persistentDatabase()
    const servicesDir = servicesCopy()
    const file = path.join(servicesDir, 'hundesteuer-anmeldung.yaml')
    const env = {
      SERVICES_DIR: servicesDir,
      DATABASE_URL: database.overrides.databaseUrl ?? '',
      DATA_DIR: database.overrides.dataDir ?? '',
    }
    const args = database.overrides.databaseUrl ? [] : ['--database']
    try {
      const first = await startTestPlatform({ ...database.overrides, servicesDir })
      await first.close()
      assert.equal(checkServices(env, ...args).status, 0)
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('de: "Name des Hundes"', 'de: "Rufname des Hundes"'))
      const unraised = checkServices(env, ...args)
      assert.equal(unraised.status, 1)
      const message =
        /services\/hundesteuer-anmeldung\.yaml: \/version: the definition changed but "version" is still \d+/
      assert.match(unraised.stderr, message)
      await assert.rejects(startTestPlatform({ ...database.overrides, servicesDir }), message)
      const withoutDatabase = checkServices({ SERVICES_DIR: servicesDir, DATA_DIR: database.overrides.dataDir ?? '' })
      if (!database.overrides.databaseUrl)
        assert.match(withoutDatabase.stdout, /Not compared with the database/, 'says what it left out')
    } finally {
      await database.drop()
      fs.rmSync(servicesDir, { recursive: true, force: true })
    }
  })
})
