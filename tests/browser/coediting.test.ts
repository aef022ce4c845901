import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { TestPlatform } from '../support/test-platform.js'
import { citizenBrowser, staffBrowser, submitCase } from '../support/casework.js'
import { addDays } from '../../src/platform/calendar/index.js'
import { todayInGermany, translator } from '../../src/platform/i18n/i18n.js'
import { demoStaffEmail } from '../../src/seed.js'
import { assertAccessible, signInStaff, startBrowserSuite, stopBrowserSuite } from './support.js'

/**
 * Two people of the lead office (Umweltamt: a caseworker and the team lead) write one notice at the same time in two
 * real browsers. Each sees the other's typing and presence without a reload, both edits survive, the lead signs. The
 * Grünflächenamt, asked for a statement, reads the draft and comments instead of editing it. axe on the draft page,
 * with and without someone else present, and on the consulted office's read-only page.
 */
let platform: TestPlatform
let browser: Browser
let baseUrl = ''
const audited = new Set<string>()
const de = translator('de')

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

const textOf = (page: Page) => page.locator('#notice-text').inputValue()
const waitForText = (page: Page, part: string) =>
  page.waitForFunction(
    expected =>
      (document.querySelector('#notice-text') as HTMLTextAreaElement | null)?.value.includes(expected) ?? false,
    part,
    { timeout: 15_000 },
  )
const waitForPresence = (page: Page, office: string) =>
  page.waitForFunction(
    name => (document.querySelector('#notice-presence-names')?.textContent ?? '').includes(name),
    office,
    { timeout: 15_000 },
  )
/** Marks the page, so a later check can tell that it was updated in place and not loaded anew. */
const markPage = (page: Page) =>
  page.evaluate(() => {
    ;(window as unknown as { coeditMark: number }).coeditMark = 1
  })
const stillSamePage = (page: Page) =>
  page.evaluate(() => (window as unknown as { coeditMark?: number }).coeditMark === 1)

describe('co-editing a notice in Chromium', () => {
  it("two people of the lead office type into one draft at once, see each other and each other's text, the consulted office comments, the lead signs", async () => {
    // The case, and the lead office asking the Grünflächenamt for a statement (over HTTP, as the browser would).
    const { caseId } = await submitCase(platform, await citizenBrowser(platform), 'baumfaellung', {
      measure: 'felling',
      treeCount: '1',
      species: 'Bergahorn',
    })
    const leadHttp = await staffBrowser(platform, 'umweltamt')
    await leadHttp.get(`/backoffice/cases/${caseId}`)
    const involve = await leadHttp.post(`/backoffice/cases/${caseId}/involvements`, {
      officeId: 'gruenflaechenamt',
      task: 'Ersatzpflanzung auf öffentlicher Fläche möglich?',
      dueOn: addDays(todayInGermany(), 14),
    })
    assert.equal(involve.statusCode, 303)

    const leadContext = await browser.newContext()
    const parksContext = await browser.newContext()
    const colleagueContext = await browser.newContext()
    try {
      const lead = await signIn(leadContext, 'umweltamt')
      const colleague = await signIn(colleagueContext, 'umweltamt', 'team_lead')
      const parks = await signIn(parksContext, 'gruenflaechenamt')

      // The lead drafts the permit from the template on the case page.
      await lead.goto(`${baseUrl}/backoffice/cases/${caseId}`)
      await assertAccessible(lead, audited)
      await lead.locator('#notice-template').selectOption('genehmigung')
      await lead.getByRole('button', { name: de.text('notices.section.create') }).click()
      await lead.waitForLoadState()
      assert.match(lead.url(), /\/notices\/[0-9a-f-]{36}$/)
      const draftUrl = new URL(lead.url()).pathname
      // Alone on the draft: the presence line says so. axe without anyone else present.
      await lead.locator('#notice-presence:not([hidden])').waitFor({ timeout: 10_000 })
      assert.match((await lead.locator('#notice-presence').textContent()) ?? '', /niemand außer Ihnen/)
      await assertAccessible(lead, audited)
      assert.match(await textOf(lead), /Art Bergahorn/)

      // The Grünflächenamt opens the same draft: it reads it, has no editor, and comments on it.
      await parks.goto(`${baseUrl}${draftUrl}`)
      assert.equal(await parks.locator('#notice-text').count(), 0)
      assert.equal(await parks.locator('#notice-sign-form').count(), 0)
      assert.match((await parks.locator('#notice-lead-only').textContent()) ?? '', /federführende Stelle \(Umweltamt\)/)
      const parksText = 'Stellungnahme Grünflächenamt: Ersatzpflanzung auf öffentlicher Fläche möglich.'
      await parks.locator('#notice-comment').fill(parksText)
      await parks.getByRole('button', { name: de.text('notices.comments.submit') }).click()
      await parks.waitForLoadState()
      await parks.locator('#notice-comments').getByText(parksText).waitFor()
      await assertAccessible(parks, audited)

      // The team lead opens the same draft: each sees the other as present.
      await colleague.goto(`${baseUrl}${draftUrl}`)
      await waitForPresence(colleague, 'Sachbearbeitung')
      await waitForPresence(lead, 'Teamleitung')
      assert.match(
        (await lead.locator('#notice-presence').textContent()) ?? '',
        /Bearbeitet gerade:.*Teamleitung.*\(Umweltamt\)/s,
      )
      assert.match(
        (await colleague.locator('#notice-comments').textContent()) ?? '',
        /Ersatzpflanzung auf öffentlicher/,
      )
      await assertAccessible(lead, audited)
      await assertAccessible(colleague, audited)
      await markPage(lead)
      await markPage(colleague)

      // Both type at the same time, at different places: the caseworker at the start, the team lead at the end,
      // taking the Grünflächenamt's comment into the text.
      const leadText = 'Vorabfassung zur Abstimmung. '
      const typeAtStart = async () => {
        await lead.locator('#notice-text').focus()
        await lead.keyboard.press('Control+Home')
        await lead.keyboard.type(leadText, { delay: 15 })
      }
      const typeAtEnd = async () => {
        await colleague.locator('#notice-text').focus()
        await colleague.keyboard.press('Control+End')
        await colleague.keyboard.press('Enter')
        await colleague.keyboard.type(parksText, { delay: 15 })
      }
      await Promise.all([typeAtStart(), typeAtEnd()])

      // Each sees the other's text appear, without a reload, and keeps their own.
      await waitForText(lead, parksText)
      await waitForText(colleague, leadText)
      assert.ok(await stillSamePage(lead), "the caseworker's page was updated in place")
      assert.ok(await stillSamePage(colleague), "the team lead's page was updated in place")
      const leadFinal = await textOf(lead)
      assert.ok(leadFinal.startsWith(`${leadText}Guten Tag`), leadFinal.slice(0, 80))
      assert.ok(leadFinal.endsWith(`\n${parksText}`), leadFinal.slice(-120))
      await colleague.waitForFunction(
        expected => (document.querySelector('#notice-text') as HTMLTextAreaElement).value === expected,
        leadFinal,
        { timeout: 15_000 },
      )

      // The server holds the merged text.
      const noticeId = draftUrl.split('/').pop()!
      for (let i = 0; i < 50; i++) {
        const row = await platform.database.db
          .selectFrom('notice_drafts')
          .select('body')
          .where('id', '=', noticeId)
          .executeTakeFirstOrThrow()
        if (row.body === leadFinal) break
        await new Promise(r => setTimeout(r, 100))
      }
      const stored = await platform.database.db
        .selectFrom('notice_drafts')
        .select(['body', 'status'])
        .where('id', '=', noticeId)
        .executeTakeFirstOrThrow()
      assert.equal(stored.body, leadFinal)

      // The template leaves the assessment to the caseworker: signing is refused while that passage is open.
      await lead.getByRole('button', { name: de.text('notices.sign.submit') }).click()
      await lead.getByText('Der Bescheid wurde nicht unterschrieben').waitFor({ timeout: 15_000 })
      await assertAccessible(lead, audited)
      await lead.goto(`${baseUrl}${draftUrl}`)
      await lead.locator('#notice-text').waitFor()
      // The caseworker selects the passage and writes the assessment over it; the team lead sees it.
      const assessment = 'Der Baum ist laut Ortsbesichtigung abgestorben und nicht mehr standsicher.'
      await lead.evaluate(() => {
        const area = document.querySelector('#notice-text') as HTMLTextAreaElement
        const match = /\[Bitte ergänzen[^\]]*\]/.exec(area.value)!
        area.focus()
        area.setSelectionRange(match.index, match.index + match[0].length)
      })
      await lead.keyboard.type(assessment)
      await waitForText(colleague, assessment)
      for (let i = 0; i < 50; i++) {
        const row = await platform.database.db
          .selectFrom('notice_drafts')
          .select('body')
          .where('id', '=', noticeId)
          .executeTakeFirstOrThrow()
        if (row.body.includes(assessment)) break
        await new Promise(r => setTimeout(r, 100))
      }

      // The lead opens the preview of the text as it now stands; signing sends that version once the editor caught up.
      const { version } = await platform.database.db
        .selectFrom('notice_drafts')
        .select('version')
        .where('id', '=', noticeId)
        .executeTakeFirstOrThrow()
      const preview = await lead.context().request.get(`${baseUrl}${draftUrl}/preview?version=${version}`)
      assert.equal(preview.headers()['content-type'], 'application/pdf')

      // The lead office signs.
      await lead.getByRole('button', { name: de.text('notices.sign.submit') }).click()
      await lead.getByText('Unterschrieben von').first().waitFor({ timeout: 15_000 })
      await assertAccessible(lead, audited)
      const signed = await platform.database.db
        .selectFrom('notice_drafts')
        .select(['status', 'body', 'file_id'])
        .where('id', '=', noticeId)
        .executeTakeFirstOrThrow()
      assert.equal(signed.status, 'signed')
      assert.ok(signed.body.includes(leadText) && signed.body.includes(parksText) && signed.body.includes(assessment))
      assert.ok(signed.file_id)
      // The other editor's page learns of it and shows the signed notice.
      await colleague.getByText('Unterschrieben von').first().waitFor({ timeout: 15_000 })
      await assertAccessible(colleague, audited)
    } finally {
      await leadContext.close()
      await parksContext.close()
      await colleagueContext.close()
    }
  })
})
