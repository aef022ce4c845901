import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { samplePdf, type TestBrowser, type TestPlatform } from '../support/test-platform.js'
import { caseVersion, citizenBrowser, staffBrowser, submitCase } from '../support/casework.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { demoStaffEmail } from '../../src/seed.js'
import { assertAccessible, signInStaff, startBrowserSuite, stopBrowserSuite } from './support.js'

/**
 * Offices working together in two real browsers: the Umweltamt (lead) and the Grünflächenamt (involved) have
 * the same case open; what one does appears on the other's page without a reload, typed input is never
 * overwritten, and a stale page without JavaScript gets the conflict page. axe on every page.
 */
let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const de = translator('de')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-collab-'))
const pdfPath = path.join(tmp, 'stellungnahme.pdf')
fs.writeFileSync(pdfPath, samplePdf)

before(async () => ({ platform, browser, baseUrl } = await startBrowserSuite()))
after(() => stopBrowserSuite({ platform, browser }, audited))

async function signIn(
  context: BrowserContext,
  officeId: string,
  role: 'caseworker' | 'team_lead' = 'caseworker',
): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${baseUrl}/backoffice/login`)
  await signInStaff(page, demoStaffEmail(officeId, role))
  return page
}

async function open(page: Page, url: string) {
  await page.goto(`${baseUrl}${url}`)
  await assertAccessible(page, audited)
}

/** Marks the page, so a later check can tell that it was updated in place and not loaded anew. */
const markPage = (page: Page) =>
  page.evaluate(() => {
    ;(window as unknown as { liveMark: number }).liveMark = 1
  })
const stillSamePage = (page: Page) => page.evaluate(() => (window as unknown as { liveMark?: number }).liveMark === 1)

/** Waits until the page has subscribed (the stream's "ready"), so no change is sent before it listens. */
async function waitForSubscription(page: Page) {
  await page.locator('[data-live-state="ready"]').waitFor({ state: 'attached', timeout: 10_000 })
}

const staffName = async (officeId: string, role: 'caseworker' | 'team_lead' = 'caseworker') =>
  (
    await platform.database.db
      .selectFrom('staff')
      .select('name')
      .where('email', '=', demoStaffEmail(officeId, role))
      .executeTakeFirstOrThrow()
  ).name

describe('two offices on one case, live, in Chromium', () => {
  it('shows a request, a step and an answer to the other office without reload, keeps typed input, and stays accessible', async () => {
    const { caseId, reference } = await submitCase(platform, await citizenBrowser(platform), 'baumfaellung')
    const caseUrl = `/backoffice/cases/${caseId}`
    const leadContext = await browser.newContext()
    const involvedContext = await browser.newContext()
    try {
      const lead = await signIn(leadContext, 'umweltamt')
      const involved = await signIn(involvedContext, 'gruenflaechenamt')

      // The involved office has its list of involvements open: still empty.
      await open(involved, '/backoffice/involvements')
      assert.match(
        (await involved.locator('main').textContent()) ?? '',
        new RegExp(de.text('cases.involvements.empty')),
      )
      await markPage(involved)
      await waitForSubscription(involved)

      // The lead office asks the Grünflächenamt for a statement, from the definition's suggestion.
      await open(lead, caseUrl)
      await lead.getByRole('link', { name: 'Grünflächenamt' }).first().click()
      await lead.waitForLoadState()
      await assertAccessible(lead, audited)
      assert.equal(await lead.locator('#involveOffice').inputValue(), 'gruenflaechenamt')
      await lead.locator('#involveTask').fill('Bitte prüfen: Straßenbaum vor dem Grundstück betroffen?')
      await lead.getByRole('button', { name: de.text('cases.involvement.request') }).click()
      await lead.waitForLoadState()
      await assertAccessible(lead, audited)

      // … and it appears in the involved office's open list, without a reload, announced politely.
      await involved.getByRole('link', { name: reference }).waitFor({ timeout: 10_000 })
      assert.ok(await stillSamePage(involved), 'updated in place')
      assert.match((await involved.locator('#live-status').textContent()) ?? '', /die Seite ist aktuell/)
      await assertAccessible(involved, audited)

      // The involved office opens the case and starts typing its statement.
      await involved.getByRole('link', { name: reference }).click()
      await involved.waitForLoadState()
      await assertAccessible(involved, audited)
      await markPage(involved)
      await waitForSubscription(involved)
      const statement = involved.locator('textarea[name="statement"]')
      await statement.fill('Keine Bedenken. Der Straßenbaum ist nicht betroffen.')

      // Meanwhile the lead office starts processing: the status changes on the involved office's page, and the
      // statement being typed (in a part of the page that did not change) stays as it is.
      await lead.getByRole('button', { name: 'Bearbeitung beginnen' }).click()
      await lead.waitForLoadState()
      await involved.locator('[data-live-region="summary"]').getByText('In Bearbeitung').waitFor({ timeout: 10_000 })
      assert.ok(await stillSamePage(involved))
      assert.equal(await statement.inputValue(), 'Keine Bedenken. Der Straßenbaum ist nicht betroffen.')
      assert.match(
        (await involved.locator('#live-status').textContent()) ?? '',
        new RegExp(`Geändert von ${(await staffName('umweltamt')).replace(/[()]/g, '.')}`),
      )
      await assertAccessible(involved, audited)

      // A colleague of the involved office saves a draft of the same statement: that part of the page is not
      // replaced under the typing hand; the notice says so and offers a reload.
      const colleague = await staffBrowser(platform, 'gruenflaechenamt', 'team_lead')
      const involvementId = (
        await platform.database.db
          .selectFrom('case_involvements')
          .select('id')
          .where('case_id', '=', caseId)
          .executeTakeFirstOrThrow()
      ).id
      const colleaguePage = await colleague.get(caseUrl)
      const statementVersion = new RegExp(
        `/involvements/${involvementId}/statement"[^>]*>[\\s\\S]*?name="version" value="(\\d+)"`,
      ).exec(colleaguePage.body)![1]!
      const saved = await colleague.post(
        `${caseUrl}/involvements/${involvementId}/statement`,
        { statement: 'Kollegin: Wurzelraum prüfen', action: 'save', version: statementVersion },
        { files: [] },
      )
      assert.equal(saved.statusCode, 303)
      await involved.locator('#live-status a').waitFor({ timeout: 10_000 })
      assert.match(
        (await involved.locator('#live-status').textContent()) ?? '',
        new RegExp(de.text('cases.live.kept').slice(0, 30)),
      )
      assert.equal(await involved.locator('#live-status a').getAttribute('href'), caseUrl)
      assert.equal(await statement.inputValue(), 'Keine Bedenken. Der Straßenbaum ist nicht betroffen.')
      assert.ok(await stillSamePage(involved))
      await assertAccessible(involved, audited)

      // Giving the statement from the older page is refused: both versions are shown, the own one kept.
      await involved.getByRole('button', { name: de.text('cases.involvement.answer') }).click()
      await involved.waitForLoadState()
      assert.match((await involved.locator('main').textContent()) ?? '', /Gespeicherte Fassung/)
      assert.match((await involved.locator('main').textContent()) ?? '', /Kollegin: Wurzelraum prüfen/)
      assert.equal(
        await involved.locator('textarea[name="statement"]').inputValue(),
        'Keine Bedenken. Der Straßenbaum ist nicht betroffen.',
      )
      await assertAccessible(involved, audited)

      // The lead office keeps its page open; the involved office gives its statement, now knowingly, with a document.
      await markPage(lead)
      await waitForSubscription(lead)
      await involved.locator('input[type="file"][name="documents"]').setInputFiles(pdfPath)
      await involved.getByRole('button', { name: de.text('cases.involvement.answer') }).click()
      await involved.waitForLoadState()
      await assertAccessible(involved, audited)
      assert.match((await involved.locator('main').textContent()) ?? '', /Stellungnahme von Grünflächenamt abgegeben/)

      // … and the lead office's open page shows it, with the document, without a reload.
      await lead.getByText('Keine Bedenken. Der Straßenbaum ist nicht betroffen.').waitFor({ timeout: 10_000 })
      assert.ok(await stillSamePage(lead), 'updated in place')
      await lead.getByRole('link', { name: 'stellungnahme.pdf' }).first().waitFor()
      assert.match(
        (await lead.locator('#live-status').textContent()) ?? '',
        new RegExp(`Geändert von ${(await staffName('gruenflaechenamt')).replace(/[()]/g, '.')}`),
      )
      // Its forms were replaced with the page: they carry the new version, so the next step is not refused …
      await lead.getByRole('button', { name: 'Ortsbesichtigung ansetzen' }).click()
      await lead.waitForLoadState()
      assert.match((await lead.locator('[data-live-region="summary"]').textContent()) ?? '', /Ortsbesichtigung geplant/)
      await assertAccessible(lead, audited)

      // … but a message being typed is kept when a colleague changes the case; sending it then gets the
      // conflict page, which names the change and keeps the text.
      await markPage(lead)
      await waitForSubscription(lead)
      await lead.locator('#subject').fill('Termin Ortsbesichtigung')
      await lead.locator('#body').fill('Passt Ihnen Dienstag?')
      const teamLead = await staffBrowser(platform, 'umweltamt', 'team_lead')
      assert.equal(
        (
          await teamLead.post(`${caseUrl}/transitions`, {
            transitionId: 'inspection_done',
            version: await caseVersion(teamLead, caseId),
          })
        ).statusCode,
        303,
      )
      await lead.locator('[data-live-region="summary"]').getByText('In Bearbeitung').waitFor({ timeout: 10_000 })
      assert.equal(await lead.locator('#body').inputValue(), 'Passt Ihnen Dienstag?')
      await lead.getByRole('button', { name: de.text('cases.case.send') }).click()
      await lead.waitForLoadState()
      const conflict = (await lead.locator('main').textContent()) ?? ''
      assert.match(conflict, /Nicht ausgeführt: „Nachricht senden“/)
      assert.match(
        conflict,
        new RegExp(
          `Status „In Bearbeitung“ gesetzt von ${(await staffName('umweltamt', 'team_lead')).replace(/[()]/g, '.')}`,
        ),
      )
      assert.equal(await lead.locator('#body').inputValue(), 'Passt Ihnen Dienstag?')
      await assertAccessible(lead, audited)
    } finally {
      await leadContext.close()
      await involvedContext.close()
    }
  })

  it('without JavaScript, a stale page gets the conflict page naming the change, accessibly', async () => {
    const { caseId } = await submitCase(platform, await citizenBrowser(platform), 'baumfaellung')
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await signIn(context, 'umweltamt')
      // axe needs JavaScript: the same conflict page is checked with it in the test above.
      await page.goto(`${baseUrl}/backoffice/cases/${caseId}`)
      // A colleague starts processing meanwhile.
      const colleague: TestBrowser = await staffBrowser(platform, 'umweltamt', 'team_lead')
      const res = await colleague.post(`/backoffice/cases/${caseId}/transitions`, {
        transitionId: 'start',
        version: await caseVersion(colleague, caseId),
      })
      assert.equal(res.statusCode, 303)
      await page.locator('#subject').fill('Rückfrage')
      await page.locator('#body').fill('Wie hoch ist der Baum?')
      await page.getByRole('button', { name: de.text('cases.case.send') }).click()
      await page.waitForLoadState()
      const main = (await page.locator('main').textContent()) ?? ''
      assert.match(main, /Nicht ausgeführt: „Nachricht senden“/)
      assert.match(
        main,
        new RegExp(
          `Status „In Bearbeitung“ gesetzt von ${(await staffName('umweltamt', 'team_lead')).replace(/[()]/g, '.')}`,
        ),
      )
      assert.equal(await page.locator('#subject').inputValue(), 'Rückfrage')
      assert.equal(await page.locator('#body').inputValue(), 'Wie hoch ist der Baum?')
      // Sent again from the conflict page, it goes through.
      await page.getByRole('button', { name: de.text('cases.case.send') }).click()
      await page.waitForLoadState()
      assert.match((await page.locator('main').textContent()) ?? '', /Nachricht gesendet von/)
    } finally {
      await context.close()
    }
  })

  // Co-editing of a notice (Bescheid) by two people, live: the notices engineer adds that scenario here.
})
