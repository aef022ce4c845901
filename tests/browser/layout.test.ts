import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { samplePdf, samplePng } from '../support/test-platform.js'
import { translator } from '../../src/platform/i18n/i18n.js'
import { demoStaffEmail } from '../../src/seed.js'
import {
  assertAccessible,
  fillFormPage,
  signInStaff,
  startBrowserSuite,
  stopBrowserSuite,
  type BrowserSuite,
} from './support.js'

let suite: BrowserSuite
const audited = new Set<string>()
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-layout-'))
const files = { pdf: path.join(tmp, 'gewerbeanmeldung.pdf'), png: path.join(tmp, 'stand.png') }
fs.writeFileSync(files.pdf, samplePdf)
fs.writeFileSync(files.png, samplePng)
const de = translator('de')

const MOBILE = { width: 390, height: 844 }
const DESKTOP = { width: 1440, height: 900 }
/** The official-site bar and one row of site name and menu button, with room for a name on two lines. */
const MAX_MOBILE_HEADER_PX = 160

before(async () => {
  suite = await startBrowserSuite()
})
after(() => stopBrowserSuite(suite, audited, 'pages checked for layout and'))

/**
 * What a person would see as broken, measured in the rendered page: a page wider than the window, a checkbox or
 * radio over its label's text, text broken into a narrow column (a word or two a line) although the page has room.
 */
function layoutFaults(page: Page): Promise<string[]> {
  // No named helpers inside: tsx would wrap them in its __name(), which the page does not have.
  return page.evaluate(() => {
    const faults: string[] = []
    const root = document.documentElement
    if (root.scrollWidth > window.innerWidth)
      faults.push(`page ${root.scrollWidth}px wide in a ${window.innerWidth}px window`)
    const range = document.createRange()

    for (const input of document.querySelectorAll<HTMLInputElement>('.kern-form-check input')) {
      const label = document.querySelector(`label[for="${CSS.escape(input.id)}"]`)
      if (!label) {
        faults.push(`no label for ${input.id}`)
        continue
      }
      const box = input.getBoundingClientRect()
      range.selectNodeContents(label)
      if (
        [...range.getClientRects()].some(
          r => r.width > 0 && r.left < box.right && box.left < r.right && r.top < box.bottom && box.top < r.bottom,
        )
      ) {
        faults.push(`${input.type} ${input.id} overlaps its label text`)
      }
    }

    const main = document.querySelector('main')!
    const mainWidth = main.getBoundingClientRect().width
    for (const el of main.querySelectorAll('label, legend, .kern-hint, p, h1, h2, h3')) {
      const rects: DOMRect[] = []
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        range.selectNodeContents(node)
        rects.push(...[...range.getClientRects()].filter(r => r.width > 0 && r.height > 0))
      }
      if (!rects.length) continue
      const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 24
      const tops = rects.map(r => r.top).sort((a, b) => a - b)
      const lines = tops.filter((top, i) => i === 0 || top - tops[i - 1]! > lineHeight / 2).length
      const columnWidth = Math.max(...rects.map(r => r.right)) - Math.min(...rects.map(r => r.left))
      // Three lines or more in a column under 40 % of the page's width: the text has been squeezed, not wrapped.
      if (lines >= 3 && columnWidth < 0.4 * mainWidth) {
        faults.push(
          `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}" on ${lines} lines ${Math.round(columnWidth)}px wide`,
        )
      }
    }
    return faults
  })
}

/** Checks the page in a phone's and a desktop's window (and with axe), then leaves it at the phone's size. */
async function assertLaidOut(page: Page) {
  for (const size of [MOBILE, DESKTOP]) {
    await page.setViewportSize(size)
    assert.deepEqual(await layoutFaults(page), [], `layout of ${page.url()} at ${size.width}px`)
    // An open menu pushes the page down by design; the header is measured with it closed.
    if (size === MOBILE && !(await page.locator('.site-menu[open]').count())) {
      const header = await page.locator('header.site-header').boundingBox()
      assert.ok(
        header && header.height <= MAX_MOBILE_HEADER_PX,
        `header ${header?.height}px tall at 390px on ${page.url()}`,
      )
    }
  }
  await assertAccessible(page, audited)
  await page.setViewportSize(MOBILE)
}

async function continueForm(page: Page) {
  // Waits for the answer itself: an upload's post can outlast the click's own wait.
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Weiter', exact: true }).click()])
}

describe('form patterns laid out at 390px and 1440px', () => {
  it('every page of the weekly-market form, empty with its errors and filled in, and a page with an upload already made', async () => {
    const context = await suite.browser.newContext({ viewport: MOBILE })
    const page = await context.newPage()
    await page.goto(`${suite.baseUrl}/services/wochenmarkt-standplatz`)
    await assertLaidOut(page)
    await page.getByRole('button', { name: de.text('catalogue.service.start') }).click()
    await page.waitForLoadState()
    const definition = suite.platform.app.services.get('wochenmarkt-standplatz')
    const answers = {}
    let attachmentsUrl = ''
    // Text, address, e-mail, phone, radio; checkbox group with hint, date; select, textarea, number; files.
    const seen = new Set<string>()
    for (let step = 0; step < 10 && page.url().includes('/pages/'); step++) {
      const pageUrl = page.url()
      const pageId = new URL(pageUrl).pathname.split('/pages/')[1]!
      // Sent back from the check page for an answer a later page made necessary: filled in, not emptied again.
      if (!seen.has(pageId)) {
        seen.add(pageId)
        await continueForm(page)
        assert.equal(page.url(), pageUrl, `the empty page ${pageId} is shown again`)
        assert.ok(await page.locator('.error-summary').count(), `errors shown on the empty page ${pageId}`)
        await assertLaidOut(page)
      }
      // Flowers need no hygiene certificate: the layout, not the conditions across pages, is under test here.
      await fillFormPage(page, definition.form.pages.find(p => p.id === pageId)!, answers, files, { goods: 'flowers' })
      await assertLaidOut(page)
      if (pageId === 'attachments') attachmentsUrl = page.url()
      await continueForm(page)
    }
    assert.match(page.url(), /\/check$/)
    assert.ok(attachmentsUrl, 'the form has a page of uploads')

    await page.goto(attachmentsUrl)
    await assert.doesNotReject(
      page.locator('[id="tradeRegistration.remove"]').waitFor(),
      'the upload made is offered for removal',
    )
    await assertLaidOut(page)
    await context.close()
  })

  it('the defect report form with its single checkbox and hint, empty and with errors', async () => {
    const context = await suite.browser.newContext({ viewport: MOBILE })
    const page = await context.newPage()
    await page.goto(`${suite.baseUrl}/maengel/melden`)
    await assertLaidOut(page)
    await page.getByRole('button', { name: de.text('reports.form.submit') }).click()
    await page.waitForLoadState()
    assert.match(await page.title(), /^Fehler:/)
    await assertLaidOut(page)
    await context.close()
  })

  it('the back-office inbox with its navigation folded into the menu on a phone', async () => {
    const context = await suite.browser.newContext({ viewport: MOBILE })
    const page = await context.newPage()
    await page.goto(`${suite.baseUrl}/backoffice/login`)
    await signInStaff(page, demoStaffEmail('buergerdienste', 'caseworker'))
    assert.equal(
      await page.locator('nav[aria-label="Hauptnavigation"]').isVisible(),
      false,
      'the navigation waits behind the menu button',
    )
    await assertLaidOut(page)
    await page.locator('.site-menu > summary').click()
    assert.equal(await page.locator('nav[aria-label="Hauptnavigation"]').isVisible(), true)
    await assertLaidOut(page)
    await context.close()
  })
})
