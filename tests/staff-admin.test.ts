import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { staffBrowser } from './support/casework.js'
import { createCase } from '../src/modules/cases/index.js'
import { audit } from '../src/platform/audit/audit.js'
import { DEMO_ADMIN, DEMO_OFFICE_ADMIN, demoStaffEmail } from '../src/seed.js'
import { grantRoleFromShell } from '../src/modules/staff/index.js'
import { spawnSync } from 'node:child_process'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

const db = () => platform.database.db
const platformAdmin = () => staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_ADMIN)
const officeAdmin = () => staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_OFFICE_ADMIN)

async function staffIdOf(email: string) {
  return (await db().selectFrom('staff').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id
}
async function rolesOf(email: string) {
  const rows = await db()
    .selectFrom('staff_roles')
    .innerJoin('staff', 'staff.id', 'staff_roles.staff_id')
    .select(['staff_roles.office_id as officeId', 'staff_roles.role'])
    .where('staff.email', '=', email)
    .execute()
  return rows.map(r => `${r.officeId}:${r.role}`).sort()
}
async function newCase(serviceId: string, applicantName: string) {
  return db()
    .transaction()
    .execute(trx =>
      createCase(trx, {
        draftId: crypto.randomUUID(),
        definition: platform.app.services.get(serviceId),
        answers: {},
        applicantName,
        applicantEmail: null,
        accountId: null,
        filedByStaffId: null,
        locale: 'de',
      }),
    )
}

describe('who reaches the administration', () => {
  it('answers 404 to caseworkers and team leads on every admin route, whatever they send', async () => {
    const someone = await staffIdOf(demoStaffEmail('buergerdienste', 'caseworker'))
    for (const browser of [
      await staffBrowser(platform, 'buergerdienste'),
      await staffBrowser(platform, 'ordnungsamt', 'team_lead'),
    ]) {
      assert.equal((await browser.get('/backoffice/admin/staff')).statusCode, 404)
      assert.equal((await browser.get('/backoffice/admin/audit')).statusCode, 404)
      assert.equal((await browser.get('/backoffice/admin/audit?after=nonsense')).statusCode, 404)
      assert.equal(
        (
          await browser.post('/backoffice/admin/staff', {
            name: 'X',
            email: 'x@stadt.example',
            password: 'long-enough-1',
            officeId: 'buergerdienste',
            role: 'caseworker',
          })
        ).statusCode,
        404,
      )
      assert.equal(
        (
          await browser.post(`/backoffice/admin/staff/${someone}/roles`, {
            officeId: 'buergerdienste',
            role: 'office_admin',
          })
        ).statusCode,
        404,
      )
      assert.equal(
        (
          await browser.post('/backoffice/admin/staff/not-a-uuid/roles/remove', {
            officeId: 'buergerdienste',
            role: 'caseworker',
          })
        ).statusCode,
        404,
      )
      const inbox = await browser.get('/backoffice')
      assert.doesNotMatch(inbox.body, /\/backoffice\/admin/, 'no link to the administration')
    }
    assert.deepEqual(await rolesOf(demoStaffEmail('buergerdienste', 'caseworker')), ['buergerdienste:caseworker'])
    assert.equal(
      await db().selectFrom('staff').select('id').where('email', '=', 'x@stadt.example').executeTakeFirst(),
      undefined,
    )
  })

  it('sends a visitor without a staff session to the login, and refuses their posts', async () => {
    const visitor = new TestBrowser(platform)
    const res = await visitor.get('/backoffice/admin/staff')
    assert.equal(res.statusCode, 303)
    assert.match(String(res.headers.location), /^\/backoffice\/login\?return=/)
    await visitor.get('/backoffice/login')
    assert.equal((await visitor.post('/backoffice/admin/staff', { name: 'X' })).statusCode, 403)
  })

  it('shows the administration link to office and platform admins', async () => {
    for (const admin of [await platformAdmin(), await officeAdmin()]) {
      const inbox = await admin.get('/backoffice/admin/staff')
      assert.equal(inbox.statusCode, 200)
      assert.match(inbox.body, /href="\/backoffice\/admin">Verwaltung</)
    }
  })
})

describe('staff of an office', () => {
  it('lists a platform admin every office, chosen with ?office=, in a KERN table', async () => {
    const admin = await platformAdmin()
    const first = await admin.get('/backoffice/admin/staff')
    assert.match(first.body, /class="kern-table"/)
    assert.match(first.body, /<select[^>]*id="office"/)
    assert.ok(first.body.includes(demoStaffEmail('buergerdienste', 'caseworker')))
    const other = await admin.get('/backoffice/admin/staff?office=ordnungsamt')
    assert.equal(other.statusCode, 200)
    assert.ok(other.body.includes(demoStaffEmail('ordnungsamt', 'team_lead')))
    assert.ok(!other.body.includes(demoStaffEmail('buergerdienste', 'caseworker')))
    assert.match(other.body, /Teamleitung/)
  })

  it('lets a platform admin add a caseworker who can then sign in and work', async () => {
    const admin = await platformAdmin()
    await admin.get('/backoffice/admin/staff?office=ordnungsamt')
    const res = await admin.post('/backoffice/admin/staff', {
      name: 'Neue Kollegin',
      email: ' Neu.Kollegin@Stadt.example ',
      password: 'erstes-Passwort-1',
      officeId: 'ordnungsamt',
      role: 'caseworker',
    })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/backoffice/admin/staff?office=ordnungsamt&notice=created')
    const page = await admin.follow(res)
    assert.match(page.body, /Neue Kollegin/)
    assert.match(page.body, /angelegt/)
    assert.deepEqual(await rolesOf('neu.kollegin@stadt.example'), ['ordnungsamt:caseworker'])
    const row = await db()
      .selectFrom('staff')
      .select(['id', 'password_hash'])
      .where('email', '=', 'neu.kollegin@stadt.example')
      .executeTakeFirstOrThrow()
    assert.ok(row.password_hash.startsWith('$argon2id$'), 'the password is stored hashed')
    const entry = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'staff.create')
      .where('subject_id', '=', row.id)
      .executeTakeFirstOrThrow()
    assert.equal(entry.office_id, 'ordnungsamt')
    assert.equal(entry.actor_staff_id, await staffIdOf(DEMO_ADMIN))

    const colleague = new TestBrowser(platform)
    await colleague.get('/backoffice/login')
    const login = await colleague.post('/backoffice/login', {
      email: 'neu.kollegin@stadt.example',
      password: 'erstes-Passwort-1',
    })
    assert.equal(login.statusCode, 303)
    assert.equal((await colleague.get('/backoffice')).statusCode, 200)
    assert.equal((await colleague.get('/backoffice/admin/staff')).statusCode, 404)
  })

  it('answers bad input with 400, an error summary linking each field and the typed values, never the password', async () => {
    const admin = await platformAdmin()
    await admin.get('/backoffice/admin/staff')
    const empty = await admin.post('/backoffice/admin/staff', {
      name: '',
      email: 'kein-at-zeichen',
      password: 'kurz',
      officeId: 'buergerdienste',
      role: 'caseworker',
    })
    assert.equal(empty.statusCode, 400)
    assert.match(empty.body, /id="error-summary"/)
    for (const field of ['name', 'email', 'password']) assert.match(empty.body, new RegExp(`href="#${field}"`))
    assert.match(empty.body, /value="kein-at-zeichen"/)
    assert.doesNotMatch(empty.body, /value="kurz"/)

    const wrongChoices = await admin.post('/backoffice/admin/staff', {
      name: 'A',
      email: 'a@stadt.example',
      password: 'long-enough-1',
      officeId: 'nirgendwo',
      role: 'superuser',
    })
    assert.equal(wrongChoices.statusCode, 400)
    assert.match(wrongChoices.body, /href="#officeId"/)
    assert.match(wrongChoices.body, /href="#role"/)

    const tooLong = await admin.post('/backoffice/admin/staff', {
      name: 'N'.repeat(5000),
      email: `${'e'.repeat(300)}@stadt.example`,
      password: 'p'.repeat(500),
      officeId: 'buergerdienste',
      role: 'caseworker',
    })
    assert.equal(tooLong.statusCode, 400)
    assert.match(tooLong.body, /Höchstens 200 Zeichen/)
    assert.equal(
      await db().selectFrom('staff').select('id').where('email', '=', 'a@stadt.example').executeTakeFirst(),
      undefined,
    )
  })

  it('refuses an e-mail address that is taken, with a clear message on the field', async () => {
    const admin = await platformAdmin()
    await admin.get('/backoffice/admin/staff')
    const res = await admin.post('/backoffice/admin/staff', {
      name: 'Doppelt',
      email: demoStaffEmail('buergerdienste', 'caseworker').toUpperCase(),
      password: 'long-enough-1',
      officeId: 'buergerdienste',
      role: 'caseworker',
    })
    assert.equal(res.statusCode, 409)
    assert.match(res.body, /href="#email"/)
    assert.match(res.body, /bereits ein Konto/)
    assert.match(res.body, /value="Doppelt"/)
  })
})

describe('roles', () => {
  it('lets an office admin see and manage only their own office', async () => {
    const admin = await officeAdmin()
    const page = await admin.get('/backoffice/admin/staff?office=ordnungsamt')
    assert.equal(page.statusCode, 200)
    assert.ok(page.body.includes(demoStaffEmail('buergerdienste', 'caseworker')), 'falls back to the own office')
    assert.ok(!page.body.includes(demoStaffEmail('ordnungsamt', 'caseworker')))
    assert.doesNotMatch(page.body, /<select[^>]*id="office"/)
    assert.doesNotMatch(page.body, /value="platform_admin"/, 'offers no role it may not grant')

    const stranger = await staffIdOf(demoStaffEmail('ordnungsamt', 'caseworker'))
    assert.equal(
      (await admin.post(`/backoffice/admin/staff/${stranger}/roles`, { officeId: 'buergerdienste', role: 'team_lead' }))
        .statusCode,
      404,
    )
    assert.equal(
      (
        await admin.post(`/backoffice/admin/staff/${stranger}/roles/remove`, {
          officeId: 'ordnungsamt',
          role: 'caseworker',
        })
      ).statusCode,
      404,
    )
    assert.equal(
      (
        await admin.post(`/backoffice/admin/staff/${crypto.randomUUID()}/roles`, {
          officeId: 'buergerdienste',
          role: 'team_lead',
        })
      ).statusCode,
      404,
    )
    assert.deepEqual(await rolesOf(demoStaffEmail('ordnungsamt', 'caseworker')), ['ordnungsamt:caseworker'])

    const own = await staffIdOf(demoStaffEmail('buergerdienste', 'caseworker'))
    assert.equal(
      (await admin.post(`/backoffice/admin/staff/${own}/roles`, { officeId: 'ordnungsamt', role: 'caseworker' }))
        .statusCode,
      403,
    )
    assert.equal(
      (
        await admin.post('/backoffice/admin/staff', {
          name: 'Fremd',
          email: 'fremd@stadt.example',
          password: 'long-enough-1',
          officeId: 'ordnungsamt',
          role: 'caseworker',
        })
      ).statusCode,
      400,
    )
  })

  it('lets an office admin grant and remove roles in their office, each change audited', async () => {
    const admin = await officeAdmin()
    await admin.get('/backoffice/admin/staff')
    const email = demoStaffEmail('buergerdienste', 'caseworker')
    const id = await staffIdOf(email)
    const granted = await admin.post(`/backoffice/admin/staff/${id}/roles`, {
      officeId: 'buergerdienste',
      role: 'team_lead',
    })
    assert.equal(granted.statusCode, 303)
    assert.deepEqual(await rolesOf(email), ['buergerdienste:caseworker', 'buergerdienste:team_lead'])
    const removed = await admin.post(`/backoffice/admin/staff/${id}/roles/remove`, {
      officeId: 'buergerdienste',
      role: 'team_lead',
    })
    assert.equal(removed.statusCode, 303)
    assert.deepEqual(await rolesOf(email), ['buergerdienste:caseworker'])
    const rows = await db()
      .selectFrom('audit_log')
      .select(['action', 'office_id', 'details'])
      .where('subject_id', '=', id)
      .where('action', 'like', 'staff.role.%')
      .orderBy('id')
      .execute()
    assert.deepEqual(
      rows.map(r => [r.action, r.office_id, r.details.role]),
      [
        ['staff.role.grant', 'buergerdienste', 'team_lead'],
        ['staff.role.revoke', 'buergerdienste', 'team_lead'],
      ],
    )
  })

  it('answers 403 when an office admin grants or removes platform_admin; a platform admin may', async () => {
    const admin = await officeAdmin()
    await admin.get('/backoffice/admin/staff')
    const id = await staffIdOf(demoStaffEmail('buergerdienste', 'team_lead'))
    const refused = await admin.post(`/backoffice/admin/staff/${id}/roles`, {
      officeId: 'buergerdienste',
      role: 'platform_admin',
    })
    assert.equal(refused.statusCode, 403)
    assert.match(refused.body, /Plattform-Administration/)
    const platformAdminId = await staffIdOf(DEMO_ADMIN)
    assert.equal(
      (
        await admin.post(`/backoffice/admin/staff/${platformAdminId}/roles/remove`, {
          officeId: 'buergerdienste',
          role: 'platform_admin',
        })
      ).statusCode,
      403,
    )
    assert.equal(
      (
        await admin.post('/backoffice/admin/staff', {
          name: 'Chef',
          email: 'chef@stadt.example',
          password: 'long-enough-1',
          officeId: 'buergerdienste',
          role: 'platform_admin',
        })
      ).statusCode,
      403,
    )
    assert.deepEqual(await rolesOf(demoStaffEmail('buergerdienste', 'team_lead')), [
      'buergerdienste:caseworker',
      'buergerdienste:team_lead',
    ])

    const root = await platformAdmin()
    await root.get('/backoffice/admin/staff')
    assert.equal(
      (await root.post(`/backoffice/admin/staff/${id}/roles`, { officeId: 'buergerdienste', role: 'platform_admin' }))
        .statusCode,
      303,
    )
    assert.equal(
      (
        await root.post(`/backoffice/admin/staff/${id}/roles/remove`, {
          officeId: 'buergerdienste',
          role: 'platform_admin',
        })
      ).statusCode,
      303,
    )
    assert.deepEqual(await rolesOf(demoStaffEmail('buergerdienste', 'team_lead')), [
      'buergerdienste:caseworker',
      'buergerdienste:team_lead',
    ])
  })

  it('answers 409 to anyone removing their own last admin role, and allows it while another remains', async () => {
    const admin = await officeAdmin()
    await admin.get('/backoffice/admin/staff')
    const self = await staffIdOf(DEMO_OFFICE_ADMIN)
    const res = await admin.post(`/backoffice/admin/staff/${self}/roles/remove`, {
      officeId: 'buergerdienste',
      role: 'office_admin',
    })
    assert.equal(res.statusCode, 409)
    assert.match(res.body, /letzte Administrationsrolle/)
    assert.deepEqual(await rolesOf(DEMO_OFFICE_ADMIN), ['buergerdienste:office_admin'])

    const root = await platformAdmin()
    await root.get('/backoffice/admin/staff')
    const rootId = await staffIdOf(DEMO_ADMIN)
    assert.equal(
      (
        await root.post(`/backoffice/admin/staff/${rootId}/roles/remove`, {
          officeId: 'buergerdienste',
          role: 'platform_admin',
        })
      ).statusCode,
      409,
    )
    // With a second admin role (granted by the platform admin) the office admin may give one up.
    assert.equal(
      (await root.post(`/backoffice/admin/staff/${self}/roles`, { officeId: 'tierheim', role: 'office_admin' }))
        .statusCode,
      303,
    )
    assert.equal(
      (await admin.post(`/backoffice/admin/staff/${self}/roles/remove`, { officeId: 'tierheim', role: 'office_admin' }))
        .statusCode,
      303,
    )
    assert.deepEqual(await rolesOf(DEMO_OFFICE_ADMIN), ['buergerdienste:office_admin'])
  })

  it('answers malformed ids, unknown roles and offices, and overlong values with 4xx, never 5xx', async () => {
    const admin = await platformAdmin()
    await admin.get('/backoffice/admin/staff')
    const id = await staffIdOf(demoStaffEmail('buergerdienste', 'caseworker'))
    const cases: [string, Record<string, string | string[]>, number][] = [
      ['/backoffice/admin/staff/not-a-uuid/roles', { officeId: 'buergerdienste', role: 'caseworker' }, 400],
      [`/backoffice/admin/staff/${id}/roles`, { officeId: 'buergerdienste', role: 'superuser' }, 400],
      [`/backoffice/admin/staff/${id}/roles`, { officeId: 'x'.repeat(500), role: 'caseworker' }, 400],
      [`/backoffice/admin/staff/${id}/roles`, { officeId: 'nirgendwo', role: 'caseworker' }, 400],
      [`/backoffice/admin/staff/${id}/roles`, { role: 'caseworker' }, 400],
      [
        `/backoffice/admin/staff/${id}/roles/remove`,
        { officeId: ['buergerdienste', 'tierheim'], role: 'caseworker' },
        400,
      ],
      ['/backoffice/admin/staff', { name: '\u0000', email: ['a', 'b'], password: '' }, 400],
    ]
    for (const [url, form, status] of cases) {
      const res = await admin.post(url, form)
      assert.equal(res.statusCode, status, `${url} ${JSON.stringify(form).slice(0, 80)}`)
    }
    for (const query of [
      'after=abc',
      'after=-1',
      'from=2026-13-45',
      'to=gestern',
      'action=drop',
      `subject=${'x'.repeat(500)}`,
      `actor=${'a'.repeat(500)}`,
    ]) {
      const res = await admin.get(`/backoffice/admin/audit?${query}`)
      assert.equal(res.statusCode, 400, query)
    }
    assert.equal((await admin.get(`/backoffice/admin/staff?office=${'x'.repeat(500)}`)).statusCode, 400)
    assert.equal((await admin.get('/backoffice/admin/staff?notice=<script>')).statusCode, 400)
    assert.deepEqual(await rolesOf(demoStaffEmail('buergerdienste', 'caseworker')), ['buergerdienste:caseworker'])
  })
})

describe('four eyes: an admin giving themself a role', () => {
  const roleActions = async (subjectId: string) =>
    (
      await db()
        .selectFrom('audit_log')
        .select(['action', 'actor_staff_id', 'details'])
        .where('subject_id', '=', subjectId)
        .where('action', 'like', 'staff.role.%')
        .orderBy('id')
        .execute()
    ).map(r => [r.action, r.actor_staff_id, r.details.role, r.details.requestedBy ?? null, r.details.via ?? null])

  it('turns a self-grant into a request that only a second admin confirms, both names recorded', async () => {
    const officeAdminId = await staffIdOf(DEMO_OFFICE_ADMIN)
    const rootId = await staffIdOf(DEMO_ADMIN)
    const admin = await officeAdmin()
    await admin.get('/backoffice/admin/staff')
    const asked = await admin.post(`/backoffice/admin/staff/${officeAdminId}/roles`, {
      officeId: 'buergerdienste',
      role: 'caseworker',
    })
    assert.equal(asked.statusCode, 303)
    assert.match(String(asked.headers.location), /notice=requested/)
    assert.deepEqual(await rolesOf(DEMO_OFFICE_ADMIN), ['buergerdienste:office_admin'], 'not granted yet')
    // Asking again makes no second request.
    await admin.post(`/backoffice/admin/staff/${officeAdminId}/roles`, {
      officeId: 'buergerdienste',
      role: 'caseworker',
    })
    const open = await db()
      .selectFrom('staff_role_requests')
      .selectAll()
      .where('staff_id', '=', officeAdminId)
      .execute()
    assert.equal(open.length, 1)
    const requestId = open[0]!.id

    // The requester sees it waiting, without buttons, and cannot approve it by posting anyway.
    const page = await admin.get('/backoffice/admin/staff?office=buergerdienste&notice=requested')
    assert.match(page.body, /zweite Administration sie bestätigt/)
    assert.match(page.body, /Wartet auf eine zweite Administration/)
    assert.doesNotMatch(page.body, new RegExp(`role-requests/${requestId}/approve`))
    const self = await admin.post(`/backoffice/admin/role-requests/${requestId}/approve`)
    assert.equal(self.statusCode, 403)
    assert.match(self.body, /bestätigt eine andere Administration/)
    assert.deepEqual(await rolesOf(DEMO_OFFICE_ADMIN), ['buergerdienste:office_admin'])
    // A caseworker does not reach the route at all.
    const caseworker = await staffBrowser(platform, 'buergerdienste')
    assert.equal((await caseworker.post(`/backoffice/admin/role-requests/${requestId}/approve`)).statusCode, 404)

    // The platform admin sees the request with both buttons and confirms it.
    const root = await platformAdmin()
    const rootPage = await root.get('/backoffice/admin/staff?office=buergerdienste')
    assert.match(rootPage.body, /Rollen, die auf eine zweite Administration warten/)
    assert.match(rootPage.body, new RegExp(`role-requests/${requestId}/approve`))
    const approved = await root.post(`/backoffice/admin/role-requests/${requestId}/approve`)
    assert.equal(approved.statusCode, 303)
    assert.deepEqual(await rolesOf(DEMO_OFFICE_ADMIN), ['buergerdienste:caseworker', 'buergerdienste:office_admin'])
    const decided = await db()
      .selectFrom('staff_role_requests')
      .select(['requested_by', 'decided_by', 'outcome'])
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(decided, { requested_by: officeAdminId, decided_by: rootId, outcome: 'approved' })
    // Decided once: a second decision is 409.
    assert.equal((await root.post(`/backoffice/admin/role-requests/${requestId}/reject`)).statusCode, 409)
    // The last two of the office admin's role entries (earlier tests changed their roles too).
    assert.deepEqual((await roleActions(officeAdminId)).slice(-2), [
      ['staff.role.request', officeAdminId, 'caseworker', null, null],
      ['staff.role.approve', rootId, 'caseworker', officeAdminId, null],
    ])
    await db()
      .deleteFrom('staff_roles')
      .where('staff_id', '=', officeAdminId)
      .where('role', '=', 'caseworker')
      .execute()
  })

  it('lets a second admin reject a request, and an office admin decide only in their office', async () => {
    const rootId = await staffIdOf(DEMO_ADMIN)
    const root = await platformAdmin()
    await root.get('/backoffice/admin/staff')
    // The platform admin asks for casework in the Tierheim: the Bürgerdienste' office admin may not decide it.
    await root.post(`/backoffice/admin/staff/${rootId}/roles`, { officeId: 'tierheim', role: 'caseworker' })
    const tierheim = await db()
      .selectFrom('staff_role_requests')
      .select('id')
      .where('staff_id', '=', rootId)
      .where('office_id', '=', 'tierheim')
      .executeTakeFirstOrThrow()
    const admin = await officeAdmin()
    assert.doesNotMatch((await admin.get('/backoffice/admin/staff')).body, new RegExp(tierheim.id))
    assert.equal((await admin.post(`/backoffice/admin/role-requests/${tierheim.id}/approve`)).statusCode, 404)
    // A platform admin sees it whichever office the page shows.
    const second = await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_ADMIN)
    assert.match((await second.get('/backoffice/admin/staff?office=buergerdienste')).body, /Sachbearbeitung · Tierheim/)
    // In the Bürgerdienste it may: it rejects.
    await root.post(`/backoffice/admin/staff/${rootId}/roles`, { officeId: 'buergerdienste', role: 'team_lead' })
    const own = await db()
      .selectFrom('staff_role_requests')
      .select('id')
      .where('staff_id', '=', rootId)
      .where('office_id', '=', 'buergerdienste')
      .executeTakeFirstOrThrow()
    const rejected = await admin.post(`/backoffice/admin/role-requests/${own.id}/reject`)
    assert.equal(rejected.statusCode, 303)
    assert.match(String(rejected.headers.location), /notice=rejected/)
    assert.deepEqual(await rolesOf(DEMO_ADMIN), ['buergerdienste:platform_admin'])
    const actions = await roleActions(rootId)
    assert.deepEqual(actions.at(-1), [
      'staff.role.reject',
      await staffIdOf(DEMO_OFFICE_ADMIN),
      'team_lead',
      rootId,
      null,
    ])
  })

  it('grants from the server’s shell where one admin is alone, audited via cli, closing the open request', async () => {
    const rootId = await staffIdOf(DEMO_ADMIN)
    const officeIds = platform.app.services.offices.map(o => o.id)
    assert.equal(
      await grantRoleFromShell(db(), officeIds, { email: DEMO_ADMIN, officeId: 'tierheim', role: 'caseworker' }),
      'granted',
    )
    assert.deepEqual(await rolesOf(DEMO_ADMIN), ['buergerdienste:platform_admin', 'tierheim:caseworker'])
    const request = await db()
      .selectFrom('staff_role_requests')
      .select(['outcome', 'decided_by'])
      .where('staff_id', '=', rootId)
      .where('office_id', '=', 'tierheim')
      .executeTakeFirstOrThrow()
    assert.deepEqual(request, { outcome: 'approved', decided_by: null })
    assert.deepEqual((await roleActions(rootId)).at(-1), ['staff.role.grant', null, 'caseworker', null, 'cli'])
    assert.equal(
      await grantRoleFromShell(db(), officeIds, { email: DEMO_ADMIN, officeId: 'tierheim', role: 'caseworker' }),
      'unchanged',
    )
    await assert.rejects(
      grantRoleFromShell(db(), officeIds, { email: DEMO_ADMIN, officeId: 'tierheim', role: 'boss' }),
      /staff.admin.errors.unknownRole/,
    )
    await db().deleteFrom('staff_roles').where('staff_id', '=', rootId).where('office_id', '=', 'tierheim').execute()
    // The command itself says what is wrong, in words (its own empty database knows nobody).
    const env = { ...process.env, DATABASE_URL: '', DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'grant-role', ...args], {
        env,
        encoding: 'utf8',
        timeout: 120_000,
      })
    const usage = cli('nobody@stadt.example')
    assert.equal(usage.status, 2)
    assert.match(usage.stderr, /Usage: bauhaus grant-role EMAIL OFFICE ROLE/)
    const unknown = cli('nobody@stadt.example', 'tierheim', 'caseworker')
    assert.equal(unknown.status, 1, unknown.stderr)
    assert.match(unknown.stderr, /bauhaus grant-role: This person was not found\./)
  })
})

describe('the audit log', () => {
  it('lists case.read rows after a caseworker opens a case, scoped to the admin’s offices', async () => {
    const own = await newCase('meldebescheinigung', 'Audit Bürgerdienste')
    const foreign = await newCase('gewerbe-anmeldung', 'Audit Ordnungsamt')
    const ownReader = await staffBrowser(platform, 'buergerdienste')
    assert.equal((await ownReader.get(`/backoffice/cases/${own.id}`)).statusCode, 200)
    const foreignReader = await staffBrowser(platform, 'ordnungsamt')
    assert.equal((await foreignReader.get(`/backoffice/cases/${foreign.id}`)).statusCode, 200)

    const admin = await officeAdmin()
    const page = await admin.get('/backoffice/admin/audit?action=case.read')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /class="kern-table"/)
    assert.ok(page.body.includes(`href="/backoffice/cases/${own.id}"`))
    assert.ok(page.body.includes(own.reference))
    assert.ok(page.body.includes(demoStaffEmail('buergerdienste', 'caseworker')))
    assert.match(page.body, /Akte gelesen/)
    assert.ok(!page.body.includes(foreign.reference), 'another office’s entries stay hidden')
    assert.ok(!page.body.includes(demoStaffEmail('ordnungsamt', 'caseworker')))

    const root = await platformAdmin()
    const all = await root.get('/backoffice/admin/audit?action=case.read')
    assert.ok(all.body.includes(own.reference) && all.body.includes(foreign.reference))
    const byReference = await root.get(`/backoffice/admin/audit?subject=${encodeURIComponent(foreign.reference)}`)
    assert.ok(byReference.body.includes(foreign.reference) && !byReference.body.includes(own.reference))
    assert.match(byReference.body, /Antrag eingegangen/, 'the case.create row of the case too')
    assert.match(byReference.body, /Bürgerin, Bürger oder Unternehmen|System/)
    const byActor = await root.get(
      `/backoffice/admin/audit?actor=${encodeURIComponent(demoStaffEmail('ordnungsamt', 'caseworker').toUpperCase())}`,
    )
    assert.ok(byActor.body.includes(foreign.reference) && !byActor.body.includes(own.reference))
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date())
    const byDay = await root.get(`/backoffice/admin/audit?action=case.read&from=${today}&to=${today}`)
    assert.ok(byDay.body.includes(own.reference))
    const before = await root.get('/backoffice/admin/audit?action=case.read&to=2000-01-01&subject=&actor=&from=')
    assert.equal(before.statusCode, 200)
    assert.ok(!before.body.includes(own.reference))
  })

  it('records every reading of the log as audit.read, per office read', async () => {
    const admin = await officeAdmin()
    const adminId = await staffIdOf(DEMO_OFFICE_ADMIN)
    const count = async () =>
      (
        await db()
          .selectFrom('audit_log')
          .select('id')
          .where('action', '=', 'audit.read')
          .where('actor_staff_id', '=', adminId)
          .execute()
      ).length
    const beforeReads = await count()
    await admin.get('/backoffice/admin/audit?action=case.read')
    assert.equal(await count(), beforeReads + 1)
    const row = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'audit.read')
      .where('actor_staff_id', '=', adminId)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.equal(row.office_id, 'buergerdienste')
    assert.deepEqual(row.details, { filters: { action: 'case.read' } })
  })

  it('pages by id, 50 per page, without losing or repeating an entry', async () => {
    const subject = crypto.randomUUID()
    await db()
      .transaction()
      .execute(async trx => {
        for (let i = 0; i < 73; i++)
          await audit(trx, {
            actor: { staffId: null },
            action: 'case.note',
            subjectType: 'case',
            subjectId: subject,
            officeId: 'buergerdienste',
          })
      })
    const admin = await officeAdmin()
    const first = await admin.get(`/backoffice/admin/audit?subject=${subject}`)
    const rowsOf = (html: string) =>
      (html.match(/<code class="kern-body kern-body--small">case\.note<\/code>/g) ?? []).length
    assert.equal(rowsOf(first.body), 50)
    const next = /rel="next" href="([^"]+)"/.exec(first.body)?.[1]?.replace(/&amp;/g, '&')
    assert.ok(next, 'a link to the next page')
    const second = await admin.get(next)
    assert.equal(second.statusCode, 200)
    assert.equal(rowsOf(second.body), 23)
    assert.doesNotMatch(second.body, /rel="next"/)
  })
})
