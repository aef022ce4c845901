import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, TestBrowser, DEMO_PASSWORD, type TestPlatform } from './support/test-platform.js'
import { staffBrowser } from './support/casework.js'
import { enqueueJob } from '../src/platform/jobs/index.js'
import { DEMO_ADMIN, DEMO_OFFICE_ADMIN, DEMO_TREASURY, demoStaffEmail } from '../src/seed.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

/** Signs in at the back office and follows every redirect: the page the person lands on. */
async function landingOf(email: string) {
  const browser = new TestBrowser(platform)
  await browser.get('/backoffice/login')
  const login = await browser.post('/backoffice/login', { email, password: DEMO_PASSWORD })
  assert.equal(login.statusCode, 303, `sign-in of ${email}`)
  let url = String(login.headers.location)
  let res = await browser.get(url)
  for (let i = 0; i < 5 && res.statusCode >= 300 && res.statusCode < 400; i++) {
    url = String(res.headers.location)
    res = await browser.get(url)
  }
  return { url, res }
}

describe('where each role lands after signing in at the back office', () => {
  it('brings caseworkers and team leads to their inbox', async () => {
    for (const email of [demoStaffEmail('buergerdienste', 'caseworker'), demoStaffEmail('ordnungsamt', 'team_lead')]) {
      const { url, res } = await landingOf(email)
      assert.equal(url, '/backoffice')
      assert.equal(res.statusCode, 200)
      assert.match(res.body, /<h1[^>]*>Posteingang</)
    }
  })

  it('brings the platform admin to the administration overview', async () => {
    const { url, res } = await landingOf(DEMO_ADMIN)
    assert.equal(url, '/backoffice/admin')
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /Übersicht der Verwaltung/)
    assert.doesNotMatch(res.body, /Zugriff nicht möglich/)
  })

  it('brings an office admin without casework to the administration overview', async () => {
    const { url, res } = await landingOf(DEMO_OFFICE_ADMIN)
    assert.equal(url, '/backoffice/admin')
    assert.equal(res.statusCode, 200)
  })

  it('brings the treasury to its payments list', async () => {
    const { url, res } = await landingOf(DEMO_TREASURY)
    assert.equal(url, '/backoffice/treasury')
    assert.equal(res.statusCode, 200)
  })

  it('shows inbox, search and counter only to people who work on cases', async () => {
    const admin = await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_ADMIN)
    const page = await admin.get('/backoffice/admin')
    assert.doesNotMatch(page.body, /href="\/backoffice">Posteingang</)
    assert.doesNotMatch(page.body, /href="\/backoffice\/search"/)
    const caseworker = await staffBrowser(platform, 'buergerdienste')
    const inbox = await caseworker.get('/backoffice')
    assert.match(inbox.body, /href="\/backoffice">Posteingang</)
    assert.match(inbox.body, /href="\/backoffice\/search">Suche</)
  })
})

describe('the administration overview', () => {
  it('links a platform admin to every admin function, with the failed jobs counted', async () => {
    await enqueueJob(platform.database.db, { name: 'test.overview', payload: {} })
    await platform.database.db
      .updateTable('jobs')
      .set({ status: 'failed' })
      .where('name', '=', 'test.overview')
      .execute()
    const admin = await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_ADMIN)
    const page = await admin.get('/backoffice/admin')
    assert.equal(page.statusCode, 200)
    for (const href of [
      '/backoffice/admin/staff',
      '/backoffice/admin/audit',
      '/backoffice/admin/jobs',
      '/backoffice/admin/api-keys',
      '/backoffice/triage',
    ]) {
      assert.ok(page.body.includes(`href="${href}"`), `links ${href}`)
    }
    assert.match(page.body, /1 fehlgeschlagen/)
    assert.match(page.body, /href="\/backoffice\/admin">Verwaltung</, 'the navigation leads here')
    const english = await admin.get('/language/en?return=/backoffice/admin')
    assert.match((await admin.follow(english)).body, /Administration overview/)
  })

  it('shows an office admin only the functions of their offices', async () => {
    const officeAdmin = await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_OFFICE_ADMIN)
    const page = await officeAdmin.get('/backoffice/admin')
    assert.equal(page.statusCode, 200)
    assert.ok(page.body.includes('href="/backoffice/admin/staff"'))
    assert.ok(!page.body.includes('href="/backoffice/admin/jobs"'), 'background jobs are the platform admin’s')
    assert.ok(!page.body.includes('href="/backoffice/admin/api-keys"'))
    assert.match(page.body, /in 1 Dienststellen/)
  })

  it('answers 404 to caseworkers, team leads and the treasury, and sends visitors to the login', async () => {
    for (const browser of [
      await staffBrowser(platform, 'buergerdienste'),
      await staffBrowser(platform, 'ordnungsamt', 'team_lead'),
      await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_TREASURY),
    ]) {
      assert.equal((await browser.get('/backoffice/admin')).statusCode, 404)
    }
    const visitor = await new TestBrowser(platform).get('/backoffice/admin')
    assert.equal(visitor.statusCode, 303)
    assert.match(String(visitor.headers.location), /^\/backoffice\/login\?return=%2Fbackoffice%2Fadmin/)
  })
})
