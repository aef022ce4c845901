import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { escapeHtml } from '@kitajs/html'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { staffBrowser, submitCase, versionOnPage } from './support/casework.js'
import {
  caseKernel,
  KERNEL_ORDER,
  type CaseSection,
  type CaseTransitioned,
  type TransitionGuard,
} from '../src/modules/cases/index.js'

// The kernel's extension points, with throw-away extensions instead of the platform's features: the case page
// shows a section it has never heard of where its place and order say, a guard keeps a step closed, and an effect
// follows a step in its transaction and after the commit.

const probeSection: CaseSection<{ reference: string }> = {
  id: 'probe',
  place: 'main',
  // Between the kernel's files and messages.
  order: KERNEL_ORDER.main.files + 5,
  load: ({ record }) => ({ reference: record.reference }),
  View: ({ data }) => `<section id="probe-section">Probe of ${escapeHtml(data.reference)}</section>`,
}

const absentSection: CaseSection<string> = {
  id: 'absent',
  place: 'side',
  order: 1,
  load: () => undefined,
  View: () => '<section id="absent-section">never</section>',
}

/** Keeps "approve" closed for as long as the test wants. */
let approveClosed = true
const probeGuard: TransitionGuard<string> = {
  id: 'probe',
  messageKey: 'errors.badRequest',
  check: async (_db, { transition, loadCase }) =>
    approveClosed && transition.id === 'approve' ? `closed for ${(await loadCase()).reference}` : undefined,
  Blocked: ({ alertId, refusal }) => `<p id="${escapeHtml(alertId)}">Blocked: ${escapeHtml(refusal)}</p>`,
  Refused: ({ transition, refusal }) =>
    `<p id="probe-refused">Refused ${escapeHtml(transition)}: ${escapeHtml(refusal)}</p>`,
}

const seen: { phase: 'inTransaction' | 'afterCommit'; from: string; to: string }[] = []
const probeEffect = {
  id: 'probe',
  inTransaction: async (_trx: unknown, done: CaseTransitioned) => {
    seen.push({ phase: 'inTransaction', from: done.from, to: done.to })
  },
  afterCommit: async (_db: unknown, done: CaseTransitioned) => {
    seen.push({ phase: 'afterCommit', from: done.from, to: done.to })
  },
}

let platform: TestPlatform

before(async () => {
  platform = await startTestPlatform(
    {},
    {
      caseKernel: caseKernel({
        sections: [probeSection, absentSection],
        guards: [probeGuard],
        effects: [probeEffect],
      }),
    },
  )
})
after(async () => {
  await platform.close()
})

const caseUrl = (id: string) => `/backoffice/cases/${id}`

describe('the case kernel with extensions of its own', () => {
  it('shows a section where its place and order put it, leaves out one without data, and no feature it was not given', async () => {
    const { caseId, reference } = await submitCase(platform, new TestBrowser(platform), 'gewerbe-anmeldung')
    const page = await (await staffBrowser(platform, 'ordnungsamt')).get(caseUrl(caseId))
    assert.equal(page.statusCode, 200)
    assert.ok(page.body.includes(`<section id="probe-section">Probe of ${reference}</section>`))
    const at = (marker: string) => page.body.indexOf(marker)
    assert.ok(at('id="files"') < at('id="probe-section"'), 'after the files')
    assert.ok(at('id="probe-section"') < at('id="messages"'), 'before the messages')
    assert.ok(!page.body.includes('absent-section'))
    // The platform's features are not wired into this kernel.
    assert.ok(!page.body.includes('data-live-region="payments"'))
  })

  it('shows a step its guard refuses disabled, refuses it when tried, and lets it go once the guard agrees', async () => {
    const { caseId, reference } = await submitCase(platform, new TestBrowser(platform), 'gewerbe-anmeldung')
    const worker = await staffBrowser(platform, 'ordnungsamt')
    let page = await worker.get(caseUrl(caseId))
    assert.equal(
      (
        await worker.post(`${caseUrl(caseId)}/transitions`, {
          transitionId: 'start',
          version: versionOnPage(page.body),
        })
      ).statusCode,
      303,
    )
    assert.deepEqual(seen.slice(-2), [
      { phase: 'inTransaction', from: 'submitted', to: 'in_progress' },
      { phase: 'afterCommit', from: 'submitted', to: 'in_progress' },
    ])

    page = await worker.get(caseUrl(caseId))
    assert.match(page.body, /value="approve"\s+disabled\s+aria-describedby="probe-blocked-approve"/)
    assert.ok(page.body.includes(`<p id="probe-blocked-approve">Blocked: closed for ${reference}</p>`))

    const tried = await worker.post(`${caseUrl(caseId)}/transitions`, {
      transitionId: 'approve',
      version: versionOnPage(page.body),
    })
    assert.equal(tried.statusCode, 409)
    assert.match(tried.body, new RegExp(`<p id="probe-refused">Refused [^:]+: closed for ${reference}</p>`))
    const status = async () =>
      (
        await platform.database.db
          .selectFrom('cases')
          .select('status')
          .where('id', '=', caseId)
          .executeTakeFirstOrThrow()
      ).status
    assert.equal(await status(), 'in_progress')
    assert.equal(seen.length, 2, 'no effect of a refused step')

    approveClosed = false
    page = await worker.get(caseUrl(caseId))
    assert.ok(!page.body.includes('probe-blocked-approve'))
    assert.equal(
      (
        await worker.post(`${caseUrl(caseId)}/transitions`, {
          transitionId: 'approve',
          version: versionOnPage(page.body),
        })
      ).statusCode,
      303,
    )
    assert.equal(await status(), 'approved')
  })
})
