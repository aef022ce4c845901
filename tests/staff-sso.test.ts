import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startTestPlatform, TestBrowser, DEMO_PASSWORD, type TestPlatform } from './support/test-platform.js'
import {
  DirectoryBrowser,
  startDirectoryServer,
  TEST_MAPPING,
  type DirectoryServer,
} from './support/directory-server.js'
import { staffDirectoryOf } from '../src/staff-directory.js'
import { loadStaffDirectory, syncDirectoryMembers } from '../src/modules/staff/index.js'
import { ConfigFileError } from '../src/platform/config-file.js'
import { DEMO_ADMIN, demoStaffEmail } from '../src/seed.js'

const user = (sub: string, groups: string[], extra: Partial<{ email: string; amr: string[] }> = {}) => ({
  sub,
  email: extra.email ?? `${sub}@stadt.example`,
  name: sub.replace(/\./g, ' '),
  groups,
  amr: extra.amr ?? ['pwd'],
})

/** Starts a directory sign-in at the platform and comes back from the directory; the platform's answer. */
async function signInThroughDirectory(browser: TestBrowser, directory: DirectoryServer, sub: string) {
  directory.nextUser = sub
  const begin = await browser.get('/backoffice/login/directory')
  assert.equal(begin.statusCode, 303, begin.body.slice(0, 300))
  const back = await new DirectoryBrowser().signIn(String(begin.headers.location))
  return { back, res: await browser.get(back) }
}

const silentLog = { warn: () => undefined }

describe('staff single sign-on through the city directory', () => {
  let directory: DirectoryServer
  let platform: TestPlatform
  const db = () => platform.database.db
  const staffByEmail = (email: string) =>
    db().selectFrom('staff').selectAll().where('email', '=', email).executeTakeFirst()
  const rolesOf = async (email: string) =>
    (
      await db()
        .selectFrom('staff_roles')
        .innerJoin('staff', 'staff.id', 'staff_roles.staff_id')
        .select(['office_id', 'role'])
        .where('staff.email', '=', email)
        .orderBy('office_id')
        .orderBy('role')
        .execute()
    ).map(r => `${r.office_id}/${r.role}`)
  const sync = () =>
    syncDirectoryMembers(
      db(),
      staffDirectoryOf(
        platform.config,
        platform.app.services.offices.map(o => o.id),
      )!,
      platform.config.staffDirectoryTokenKey,
      () => platform.clock.now(),
      silentLog,
    )

  before(async () => {
    directory = await startDirectoryServer()
    directory.users = [
      user('lena.hoffmann', ['sb-buergerdienste']),
      user('jonas.becker', ['tl-bauamt', 'sb-bauamt']),
      user('kai.wagner', ['alle-beschaeftigten']),
      user('sb.linked', ['sb-buergerdienste'], { email: demoStaffEmail('buergerdienste', 'caseworker') }),
      user('admin.directory', ['sb-buergerdienste'], { email: DEMO_ADMIN }),
    ]
    platform = await startTestPlatform({ staffDirectoryFile: directory.writeConfig(`breakGlass: [${DEMO_ADMIN}]\n`) })
  })
  after(async () => {
    await platform.close()
    await directory.close()
  })

  it('offers the directory on the back-office sign-in page', async () => {
    const page = await new TestBrowser(platform).get('/backoffice/login')
    assert.match(page.body, /href="\/backoffice\/login\/directory"/)
    assert.match(page.body, /Mit dem Verzeichnis der Stadt anmelden/)
  })

  it('creates a staff member at their first sign-in with exactly the roles their groups map to, audited as the directory’s doing', async () => {
    const browser = new TestBrowser(platform)
    const { back, res } = await signInThroughDirectory(browser, directory, 'lena.hoffmann')
    assert.match(back, /^\/backoffice\/login\/directory\/callback\?/)
    assert.equal(res.statusCode, 303, res.body.slice(0, 400))
    assert.equal(res.headers.location, '/backoffice')
    const created = await staffByEmail('lena.hoffmann@stadt.example')
    assert.ok(created)
    assert.equal(created.password_hash, '!', 'no local password')
    assert.deepEqual(await rolesOf('lena.hoffmann@stadt.example'), ['buergerdienste/caseworker'])
    const link = await db()
      .selectFrom('staff_directory_identities')
      .selectAll()
      .where('staff_id', '=', created.id)
      .executeTakeFirstOrThrow()
    assert.equal(link.issuer, directory.issuer)
    assert.equal(link.subject, 'lena.hoffmann')
    assert.ok(link.refresh_token && !link.refresh_token.includes(directory.clientId), 'refresh token kept, sealed')
    const audits = await db()
      .selectFrom('audit_log')
      .select(['action', 'details', 'actor_staff_id'])
      .where('subject_id', '=', created.id)
      .orderBy('id')
      .execute()
    assert.deepEqual(
      audits.map(a => a.action),
      ['staff.create', 'staff.directory.link', 'staff.role.grant'],
    )
    for (const a of audits) {
      assert.equal(a.actor_staff_id, null)
      assert.equal((a.details as { by?: string }).by, 'directory')
    }
    const inbox = await browser.get('/backoffice')
    assert.equal(inbox.statusCode, 200)
  })

  it('sets the roles anew at every sign-in: granted and revoked as the directory says', async () => {
    directory.users[0] = user('lena.hoffmann', ['tl-bauamt'])
    const { res } = await signInThroughDirectory(new TestBrowser(platform), directory, 'lena.hoffmann')
    assert.equal(res.statusCode, 303)
    assert.deepEqual(await rolesOf('lena.hoffmann@stadt.example'), ['bauordnungsamt/team_lead'])
    const id = (await staffByEmail('lena.hoffmann@stadt.example'))!.id
    const revoke = await db()
      .selectFrom('audit_log')
      .select(['details', 'office_id'])
      .where('subject_id', '=', id)
      .where('action', '=', 'staff.role.revoke')
      .executeTakeFirstOrThrow()
    assert.deepEqual(revoke.details, { role: 'caseworker', by: 'directory' })
    assert.equal(revoke.office_id, 'buergerdienste')
    assert.equal(
      (await db().selectFrom('staff').where('email', '=', 'lena.hoffmann@stadt.example').select('id').execute()).length,
      1,
    )
  })

  it('refuses a person in no mapped group with a clear page, creating nobody', async () => {
    for (const [lang, text] of [
      ['de', /Kein Zugang zum Verwaltungsbereich/],
      ['en', /No access to the back office/],
    ] as const) {
      const { res } = await signInThroughDirectory(new TestBrowser(platform, lang), directory, 'kai.wagner')
      assert.equal(res.statusCode, 403)
      assert.match(res.body, text)
    }
    assert.equal(await staffByEmail('kai.wagner@stadt.example'), undefined)
  })

  it('takes every role and ends every session of someone removed from all mapped groups, at their next sign-in', async () => {
    const first = new TestBrowser(platform)
    directory.users[1] = user('jonas.becker', ['tl-bauamt', 'sb-bauamt'])
    assert.equal((await signInThroughDirectory(first, directory, 'jonas.becker')).res.statusCode, 303)
    assert.equal((await first.get('/backoffice')).statusCode, 200)
    directory.users[1] = user('jonas.becker', ['alle-beschaeftigten'])
    const { res } = await signInThroughDirectory(new TestBrowser(platform), directory, 'jonas.becker')
    assert.equal(res.statusCode, 403)
    assert.deepEqual(await rolesOf('jonas.becker@stadt.example'), [])
    const again = await first.get('/backoffice')
    assert.equal(again.statusCode, 303, 'the open session ended')
    assert.match(String(again.headers.location), /^\/backoffice\/login/)
    const id = (await staffByEmail('jonas.becker@stadt.example'))!.id
    const link = await db()
      .selectFrom('staff_directory_identities')
      .select('deprovisioned_at')
      .where('staff_id', '=', id)
      .executeTakeFirstOrThrow()
    assert.ok(link.deprovisioned_at)
    // Back in a group: the next sign-in gives the roles again and clears the mark.
    directory.users[1] = user('jonas.becker', ['sb-bauamt'])
    assert.equal(
      (await signInThroughDirectory(new TestBrowser(platform), directory, 'jonas.becker')).res.statusCode,
      303,
    )
    assert.deepEqual(await rolesOf('jonas.becker@stadt.example'), ['bauordnungsamt/caseworker'])
  })

  it('the periodic check resyncs changed groups, and deprovisions someone disabled at the directory at once', async () => {
    const browser = new TestBrowser(platform)
    directory.users[0] = user('lena.hoffmann', ['sb-buergerdienste'])
    assert.equal((await signInThroughDirectory(browser, directory, 'lena.hoffmann')).res.statusCode, 303)
    directory.users[0] = user('lena.hoffmann', ['sb-buergerdienste', 'sb-bauamt'])
    const first = await sync()
    assert.equal(first.unreachable, 0)
    assert.ok(first.changed >= 1)
    assert.deepEqual(await rolesOf('lena.hoffmann@stadt.example'), [
      'bauordnungsamt/caseworker',
      'buergerdienste/caseworker',
    ])
    assert.equal((await browser.get('/backoffice')).statusCode, 200)

    directory.users = directory.users.filter(u => u.sub !== 'lena.hoffmann')
    const second = await sync()
    assert.ok(second.deprovisioned >= 1)
    assert.deepEqual(await rolesOf('lena.hoffmann@stadt.example'), [])
    assert.equal((await browser.get('/backoffice')).statusCode, 303, 'signed out at once')
    const id = (await staffByEmail('lena.hoffmann@stadt.example'))!.id
    const audit = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('subject_id', '=', id)
      .where('action', '=', 'staff.directory.deprovision')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.equal((audit.details as { reason: string }).reason, 'disabled')
    // Disabled at the directory: signing in is refused there, and the platform gives no roles back.
    directory.users.push(user('lena.hoffmann', ['sb-buergerdienste']))
  })

  it('changes nothing when the directory cannot be asked', async () => {
    const down = await startDirectoryServer()
    const file = down.writeConfig()
    await down.close()
    const report = await syncDirectoryMembers(
      db(),
      loadStaffDirectory(file, {
        officeIds: platform.app.services.offices.map(o => o.id),
        env: process.env,
        baseUrl: platform.config.baseUrl,
      }),
      platform.config.staffDirectoryTokenKey,
      () => platform.clock.now(),
      silentLog,
    )
    assert.deepEqual(report, { checked: 0, changed: 0, deprovisioned: 0, unchecked: 0, unreachable: 0 })
  })

  it('links a staff member who had a local account by e-mail; their password then no longer opens it', async () => {
    const email = demoStaffEmail('buergerdienste', 'caseworker')
    const before = await staffByEmail(email)
    const { res } = await signInThroughDirectory(new TestBrowser(platform), directory, 'sb.linked')
    assert.equal(res.statusCode, 303)
    assert.equal((await staffByEmail(email))!.id, before!.id, 'the same person, not a second one')
    const browser = new TestBrowser(platform, 'en')
    await browser.get('/backoffice/login')
    const refused = await browser.post('/backoffice/login', { email, password: DEMO_PASSWORD })
    assert.equal(refused.statusCode, 403)
    assert.match(
      refused.body,
      /Please sign in through the city&#39;s directory|Please sign in through the city's directory/,
    )
    assert.match(refused.body, new RegExp(`value="${email.replace(/\./g, '\\.')}"`), 'keeps what was typed')
  })

  it('shows directory members and their last sync in the staff administration, their roles not editable by hand', async () => {
    const admin = new TestBrowser(platform)
    await admin.get('/backoffice/login')
    assert.equal(
      (await admin.post('/backoffice/login', { email: DEMO_ADMIN, password: DEMO_PASSWORD })).statusCode,
      303,
    )
    const page = await admin.get('/backoffice/admin/staff?office=buergerdienste')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Zuletzt abgeglichen/)
    assert.match(page.body, /Rollen werden im Verzeichnis der Stadt gepflegt/)
    const linked = (await staffByEmail(demoStaffEmail('buergerdienste', 'caseworker')))!
    const remove = await admin.post(`/backoffice/admin/staff/${linked.id}/roles/remove`, {
      officeId: 'buergerdienste',
      role: 'caseworker',
    })
    assert.equal(remove.statusCode, 409)
    const grant = await admin.post(`/backoffice/admin/staff/${linked.id}/roles`, {
      officeId: 'buergerdienste',
      role: 'team_lead',
    })
    assert.equal(grant.statusCode, 409)
    assert.deepEqual(await rolesOf(linked.email), ['buergerdienste/caseworker'])
  })

  it('keeps break-glass accounts apart from the directory', async () => {
    const { res } = await signInThroughDirectory(new TestBrowser(platform), directory, 'admin.directory')
    assert.equal(res.statusCode, 403)
    assert.match(res.body, /Notfallkonto/)
    const browser = new TestBrowser(platform)
    await browser.get('/backoffice/login')
    assert.equal(
      (await browser.post('/backoffice/login', { email: DEMO_ADMIN, password: DEMO_PASSWORD })).statusCode,
      303,
    )
  })

  it('answers a state it never issued, or one used already (replay), with 400 and creates nothing', async () => {
    const browser = new TestBrowser(platform, 'en')
    await browser.get('/backoffice/login')
    const forged = await browser.get('/backoffice/login/directory/callback?code=abc&state=forged')
    assert.equal(forged.statusCode, 400)
    assert.match(forged.body, /This sign-in is no longer valid/)
    const missing = await browser.get('/backoffice/login/directory/callback')
    assert.equal(missing.statusCode, 400)

    directory.users.push(user('mia.replay', ['sb-buergerdienste']))
    const { back, res } = await signInThroughDirectory(browser, directory, 'mia.replay')
    assert.equal(res.statusCode, 303)
    const replay = await new TestBrowser(platform).get(back)
    assert.equal(replay.statusCode, 400)
    const sameBrowser = await browser.get(back)
    assert.equal(sameBrowser.statusCode, 400)
  })

  it('refuses an answer brought back in another browser than the one that started (login CSRF)', async () => {
    directory.nextUser = 'jonas.becker'
    const starter = new TestBrowser(platform)
    const begin = await starter.get('/backoffice/login/directory')
    const back = await new DirectoryBrowser().signIn(String(begin.headers.location))
    const victim = new TestBrowser(platform)
    await victim.get('/backoffice/login')
    assert.equal((await victim.get(back)).statusCode, 400)
  })

  it('refuses an answer that comes back after ten minutes', async () => {
    const browser = new TestBrowser(platform)
    directory.nextUser = 'jonas.becker'
    const begin = await browser.get('/backoffice/login/directory')
    const back = await new DirectoryBrowser().signIn(String(begin.headers.location))
    platform.clock.advance(11 * 60_000)
    const res = await browser.get(back)
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /zu lange gedauert/)
  })

  it('refuses a tampered ID token, one for another audience or another issuer, creating nobody', async () => {
    const cases: [DirectoryServer['tamper'], string][] = [
      ['signature', 'tamper.signature'],
      [claims => ({ ...claims, aud: 'another-client' }), 'tamper.audience'],
      [claims => ({ ...claims, iss: 'https://evil.example' }), 'tamper.issuer'],
      [claims => ({ ...claims, exp: Math.floor(Date.now() / 1000) - 600 }), 'tamper.expired'],
      [claims => ({ ...claims, nonce: 'replayed-nonce' }), 'tamper.nonce'],
    ]
    for (const [tamper, sub] of cases) {
      directory.users.push(user(sub, ['sb-buergerdienste']))
      directory.tamper = tamper
      try {
        const { res } = await signInThroughDirectory(new TestBrowser(platform, 'en'), directory, sub)
        assert.equal(res.statusCode, 400, sub)
        assert.match(
          res.body,
          /The directory’s answer is invalid|The directory&#39;s answer is invalid|The directory's answer is invalid/,
          sub,
        )
      } finally {
        directory.tamper = undefined
      }
      assert.equal(await staffByEmail(`${sub}@stadt.example`), undefined, sub)
    }
  })

  it('says so when the directory is down, at the start and on the way back', async () => {
    const down = await startDirectoryServer()
    down.users = [user('otto.down', ['sb-buergerdienste'])]
    down.nextUser = 'otto.down'
    const closedFile = (() => {
      const file = down.writeConfig()
      return file
    })()
    const other = await startTestPlatform({ staffDirectoryFile: closedFile })
    try {
      const browser = new TestBrowser(other, 'en')
      const begin = await browser.get('/backoffice/login/directory')
      assert.equal(begin.statusCode, 303)
      const back = await new DirectoryBrowser().signIn(String(begin.headers.location))
      await down.close()
      const res = await browser.get(back)
      assert.equal(res.statusCode, 502)
      assert.match(res.body, /cannot be reached/)
      assert.equal(
        await other.database.db
          .selectFrom('staff')
          .where('email', '=', 'otto.down@stadt.example')
          .select('id')
          .executeTakeFirst(),
        undefined,
      )
    } finally {
      await other.close()
    }
    const nowhere = await startDirectoryServer()
    const file = nowhere.writeConfig()
    await nowhere.close()
    const third = await startTestPlatform({ staffDirectoryFile: file })
    try {
      const res = await new TestBrowser(third).get('/backoffice/login/directory')
      assert.equal(res.statusCode, 502)
      assert.match(res.body, /nicht erreichbar/)
    } finally {
      await third.close()
    }
  })

  it('asks for the platform’s second factor unless the directory says it asked for one', async () => {
    const mfa = await startTestPlatform({
      staffDirectoryFile: directory.writeConfig(),
      staffSecondFactorRoles: ['all'],
    })
    try {
      directory.users.push(user('pia.nomfa', ['sb-buergerdienste']))
      const { res } = await signInThroughDirectory(new TestBrowser(mfa), directory, 'pia.nomfa')
      assert.equal(res.statusCode, 303)
      assert.equal(res.headers.location, '/backoffice/login/enrol')
    } finally {
      await mfa.close()
    }
  })
})

describe('password sign-in with a directory: STAFF_PASSWORD_SIGN_IN', () => {
  let directory: DirectoryServer
  before(async () => {
    directory = await startDirectoryServer()
  })
  after(async () => {
    await directory.close()
  })

  it('break-glass: only the listed accounts sign in with a password; the others are told to use the directory', async () => {
    const platform = await startTestPlatform({
      staffDirectoryFile: directory.writeConfig(`breakGlass: [${DEMO_ADMIN}]\n`),
      staffPasswordSignIn: 'break-glass',
    })
    try {
      const browser = new TestBrowser(platform)
      const page = await browser.get('/backoffice/login')
      assert.match(page.body, /Nur für Notfallkonten/)
      const email = demoStaffEmail('buergerdienste', 'caseworker')
      const refused = await browser.post('/backoffice/login', { email, password: DEMO_PASSWORD })
      assert.equal(refused.statusCode, 403)
      assert.match(refused.body, /Bitte melden Sie sich über das Verzeichnis der Stadt an/)
      assert.equal(
        (await browser.post('/backoffice/login', { email: DEMO_ADMIN, password: DEMO_PASSWORD })).statusCode,
        303,
      )
    } finally {
      await platform.close()
    }
  })

  it('off: no password form, and a posted password is refused', async () => {
    const platform = await startTestPlatform({
      staffDirectoryFile: directory.writeConfig(`breakGlass: [${DEMO_ADMIN}]\n`),
      staffPasswordSignIn: 'off',
    })
    try {
      const browser = new TestBrowser(platform)
      const page = await browser.get('/backoffice/login')
      assert.doesNotMatch(page.body, /type="password"/)
      await browser.get('/services/hundesteuer-anmeldung')
      const refused = await browser.post('/backoffice/login', { email: DEMO_ADMIN, password: DEMO_PASSWORD })
      assert.equal(refused.statusCode, 403)
    } finally {
      await platform.close()
    }
  })

  it('all (development): every local password works as before', async () => {
    const platform = await startTestPlatform({ staffDirectoryFile: '' })
    try {
      const browser = new TestBrowser(platform)
      const page = await browser.get('/backoffice/login')
      assert.doesNotMatch(page.body, /\/backoffice\/login\/directory/)
      const email = demoStaffEmail('buergerdienste', 'caseworker')
      assert.equal((await browser.post('/backoffice/login', { email, password: DEMO_PASSWORD })).statusCode, 303)
      assert.equal((await new TestBrowser(platform).get('/backoffice/login/directory')).statusCode, 404)
    } finally {
      await platform.close()
    }
  })
})

describe('the directory file', () => {
  const write = (text: string) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-dir-')), 'staff-directory.yaml')
    fs.writeFileSync(file, text)
    return file
  }
  const context = { officeIds: ['buergerdienste'], env: { SECRET: 'x'.repeat(20) }, baseUrl: 'http://localhost:3000' }

  it('stops the start naming file and path for an unknown office, an unknown role or a missing secret', () => {
    const file = write(
      'issuer: https://login.stadt.example/realms/stadt\nclientId: bauhaus\nclientSecretEnv: MISSING_SECRET\nmapping:\n  - { group: a, office: nirgendwo, role: caseworker }\n  - { group: b, office: buergerdienste, role: king }\n',
    )
    assert.throws(
      () => loadStaffDirectory(file, context),
      (error: unknown) => {
        assert.ok(error instanceof ConfigFileError)
        assert.match(error.message, new RegExp(`${file}: /mapping/0/office: "nirgendwo" is no office`))
        assert.match(error.message, /\/mapping\/1\/role: "king" is no staff role/)
        assert.match(error.message, /\/clientSecretEnv: the environment variable MISSING_SECRET is not set/)
        return true
      },
    )
  })

  it('refuses a secret written into the file and unknown keys', () => {
    const file = write('issuer: https://login.example\nclientId: x\nclientSecret: geheim\nmapping: []\n')
    assert.throws(() => loadStaffDirectory(file, context), /clientSecret/)
  })

  it('reads the demo file with the platform’s own address as issuer', () => {
    const directory = loadStaffDirectory(path.resolve('config/staff-directory.demo.yaml'), {
      ...context,
      officeIds: ['buergerdienste', 'bauordnungsamt'],
    })
    assert.equal(directory.issuer, 'http://localhost:3000/dev/identity/directory')
    assert.deepEqual(directory.claims, { groups: 'groups', email: 'email', name: 'name' })
    void TEST_MAPPING
  })
})

describe('the demo directory (IDENTITY_DEMO)', () => {
  let platform: TestPlatform
  before(async () => {
    platform = await startTestPlatform()
  })
  after(async () => {
    await platform.close()
  })

  it('signs a demo person in through the platform’s own OpenID provider, with no network', async () => {
    const browser = new TestBrowser(platform)
    const login = await browser.get('/backoffice/login')
    assert.match(login.body, /Mit dem Verzeichnis der Stadt anmelden \(Demo\)/)
    const begin = await browser.get('/backoffice/login/directory?return=/backoffice/search')
    assert.equal(begin.statusCode, 303)
    assert.match(String(begin.headers.location), /^http:\/\/localhost:3000\/dev\/identity\/directory\/auth\?/)
    const toPicker = await browser.get(String(begin.headers.location))
    assert.equal(toPicker.statusCode, 303)
    const picker = await browser.get(String(toPicker.headers.location))
    assert.equal(picker.statusCode, 200)
    assert.match(picker.body, /Jonas Becker/)
    const action = /<form method="post" action="([^"]+)"/.exec(picker.body)?.[1]
    assert.ok(action)
    let res = await browser.post(action, { user: 'demo-jonas-becker' }, { csrf: false })
    for (let i = 0; i < 5 && res.statusCode === 303; i++) {
      const location = String(res.headers.location)
      if (location.startsWith('/backoffice/search')) break
      res = await browser.get(location.replace(/^http:\/\/localhost(:\d+)?/, ''))
    }
    assert.equal(res.statusCode, 303, res.body.slice(0, 300))
    assert.equal(res.headers.location, '/backoffice/search')
    const roles = await platform.database.db
      .selectFrom('staff_roles')
      .innerJoin('staff', 'staff.id', 'staff_roles.staff_id')
      .select(['office_id', 'role'])
      .where('staff.email', '=', 'jonas.becker@stadt.example')
      .orderBy('role')
      .execute()
    assert.deepEqual(
      roles.map(r => `${r.office_id}/${r.role}`),
      ['bauordnungsamt/caseworker', 'bauordnungsamt/team_lead'],
    )
  })

  it('answers an unknown or expired interaction of the demo directory with 404', async () => {
    const res = await new TestBrowser(platform).get('/dev/identity/directory/interaction/nope')
    assert.equal(res.statusCode, 404)
  })
})
