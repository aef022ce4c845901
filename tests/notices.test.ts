import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import * as Y from 'yjs'
import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { pdfsig } from './support/pdf.js'
import { caseVersion, citizenBrowser, staffBrowser, submitCase } from './support/casework.js'
import { checkDefinitionText, loadOffices } from '../src/modules/catalogue/definitions.load.js'
import { addDays } from '../src/platform/calendar/index.js'
import { todayInGermany } from '../src/platform/i18n/i18n.js'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-notices-'))
let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})
const db = () => platform.database.db

/** A tree-felling case of the demo citizen, and the Umweltamt (lead office) caseworker's browser on its page. */
async function treeCase(overrides: Record<string, string> = {}) {
  const citizen = await citizenBrowser(platform)
  const { caseId, reference } = await submitCase(platform, citizen, 'baumfaellung', {
    measure: 'felling',
    treeCount: '2',
    species: 'Stieleiche',
    ...overrides,
  })
  const lead = await staffBrowser(platform, 'umweltamt')
  assert.equal((await lead.get(`/backoffice/cases/${caseId}`)).statusCode, 200)
  const { applicant_name: applicantName } = await db()
    .selectFrom('cases')
    .select('applicant_name')
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow()
  return { citizen, caseId, reference, lead, applicantName }
}

/** Writes the caseworker's own text over the passages the template leaves open ("[Bitte ergänzen …]"); returns the new version. */
async function completePassages(staff: TestBrowser, url: string): Promise<string> {
  const page = await staff.get(url)
  const text = decodeHtml(/<textarea[^>]*id="notice-text"[^>]*>([\s\S]*?)<\/textarea>/.exec(page.body)![1]!)
  const version = /name="version" value="(\d+)"/.exec(page.body)![1]!
  const completed = text.replace(
    /\[(?:Bitte ergänzen|Please add)[^\]]*\]/g,
    'Der Baum ist abgestorben und nicht mehr standsicher.',
  )
  assert.notEqual(completed, text, 'the template had a passage to complete')
  assert.equal((await staff.post(url, { version, text: completed })).statusCode, 303)
  return /name="version" value="(\d+)"/.exec((await staff.get(url)).body)![1]!
}

async function draftNotice(staff: TestBrowser, caseId: string, templateId = 'genehmigung', locale: 'de' | 'en' = 'de') {
  const res = await staff.post(`/backoffice/cases/${caseId}/notices`, { templateId, locale })
  assert.equal(res.statusCode, 303, res.body.slice(0, 300))
  const url = String(res.headers.location)
  const noticeId = /\/notices\/([0-9a-f-]{36})$/.exec(url)![1]!
  return { noticeId, url }
}

/** Opens the PDF preview of a version, as the signer must before signing it; returns the response. */
async function openPreview(staff: TestBrowser, url: string, version: string) {
  return staff.get(`${url}/preview?version=${version}`)
}

/** The text of a PDF as a reader sees it (poppler's pdftotext). */
function pdfText(bytes: Buffer, name: string): string {
  const file = path.join(tmp, name)
  fs.writeFileSync(file, bytes)
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
}

const cookieOf = (browser: TestBrowser) => (browser as unknown as { cookieHeader(): string }).cookieHeader()

function postJson(browser: TestBrowser, url: string, body: Record<string, unknown>, opts: { raw?: string } = {}) {
  return platform.app.inject({
    method: 'POST',
    url,
    payload: opts.raw ?? JSON.stringify({ _csrf: browser.csrfToken(), ...body }),
    headers: { cookie: cookieOf(browser), 'content-type': 'application/json' },
  })
}

/** The textarea's text as a browser would submit it (HTML entities decoded). */
function textareaOf(html: string): string {
  const raw = /<textarea[^>]*id="notice-text"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1] ?? ''
  return decodeHtml(raw)
}
const decodeHtml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCharCode(parseInt(code, 16)))
    .replace(/&amp;/g, '&')

/** An editor as a browser runs it: the document from the page, updates posted and fetched over HTTP. */
class YjsClient {
  readonly doc = new Y.Doc()
  lastId = 0
  private readonly outbox: Uint8Array[] = []
  constructor(
    private readonly browser: TestBrowser,
    private readonly base: string,
  ) {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'local') this.outbox.push(update)
    })
  }

  static async open(browser: TestBrowser, base: string) {
    const client = new YjsClient(browser, base)
    const page = await browser.get(base)
    assert.equal(page.statusCode, 200)
    const state = /data-state="([^"]+)"/.exec(page.body)?.[1]
    assert.ok(state, 'the page hands the editor its document')
    Y.applyUpdate(client.doc, Buffer.from(state, 'base64'), 'server')
    client.lastId = Number(/data-last-update-id="(\d+)"/.exec(page.body)![1])
    return client
  }

  get text() {
    return this.doc.getText('body').toString()
  }

  edit(change: (text: Y.Text) => void) {
    this.doc.transact(() => change(this.doc.getText('body')), 'local')
  }

  async push(): Promise<LightMyRequestResponse> {
    const update = Y.mergeUpdates(this.outbox.splice(0))
    return postJson(this.browser, `${this.base}/updates`, { update: Buffer.from(update).toString('base64') })
  }

  async pull() {
    const res = await this.browser.get(`${this.base}/updates?after=${this.lastId}`)
    assert.equal(res.statusCode, 200)
    const page = JSON.parse(res.body) as { updates: { id: number; update: string }[]; lastId: number; version: number }
    for (const u of page.updates) Y.applyUpdate(this.doc, Buffer.from(u.update, 'base64'), 'remote')
    this.lastId = page.lastId
    return page
  }
}

async function storedDraft(noticeId: string) {
  return db().selectFrom('notice_drafts').selectAll().where('id', '=', noticeId).executeTakeFirstOrThrow()
}

/** The lead office asks the Grünflächenamt for a statement, which lets its caseworkers read the case and co-edit notices. */
async function involveParksDepartment(lead: TestBrowser, caseId: string) {
  await lead.get(`/backoffice/cases/${caseId}`)
  const res = await lead.post(`/backoffice/cases/${caseId}/involvements`, {
    officeId: 'gruenflaechenamt',
    task: 'Bitte Stellungnahme zur Ersatzpflanzung.',
    dueOn: addDays(todayInGermany(), 14),
  })
  assert.equal(res.statusCode, 303, res.body.slice(0, 500))
  return staffBrowser(platform, 'gruenflaechenamt')
}

describe('notice templates in service definitions', () => {
  const offices = loadOffices(path.resolve('services'))
  const tree = fs.readFileSync(path.resolve('services/baumfaellung.yaml'), 'utf8')

  it('accepts the shipped templates and names the file, the path and the line of an unknown placeholder or field', () => {
    assert.deepEqual(checkDefinitionText(tree, 'services/baumfaellung.yaml', offices), [])
    const broken = tree
      .replace(
        'der Art {{answers.species}} auf dem Grundstück {{answers.treeLocation}} (Lage',
        'der Art {{answers.treeSpecie}} auf dem Grundstück {{answers.treeLocation}} (Lage',
      )
      .replace(
        'title:\n      de: "Ablehnung der Fällgenehmigung"\n      en: "Refusal of the tree felling permit"',
        'title:\n      de: "Ablehnung der Fällgenehmigung"\n      en: "Refusal {{case.number}}"',
      )
      .replace(
        'Ihre Angabe im Antrag zur Ersatzpflanzung: {{answers.replacementPlanting}}',
        'Lageplan: {{answers.sitePlan}} {{answers.replacementPlanting}',
      )
    const problems = checkDefinitionText(broken, 'services/baumfaellung.yaml', offices)
    const lines = broken.split('\n')
    const line = lines.findIndex((l, i) => i > lines.indexOf('notices:') && l.trim() === 'de: |') + 1
    assert.ok(
      problems.some(p =>
        new RegExp(
          `^services/baumfaellung\\.yaml: /notices/0/body/de \\(line ${line}\\): unknown placeholder \\{\\{answers\\.treeSpecie\\}\\}: the form has no field "treeSpecie"$`,
        ).test(p),
      ),
      problems.join('\n'),
    )
    assert.ok(
      problems.some(p =>
        /^services\/baumfaellung\.yaml: \/notices\/1\/title\/en \(line \d+\): unknown placeholder \{\{case\.number\}\}/.test(
          p,
        ),
      ),
      problems.join('\n'),
    )
    assert.ok(
      problems.some(p => /\/notices\/0\/body\/de .*\{\{answers\.sitePlan\}\}: "sitePlan" is a file field/.test(p)),
      problems.join('\n'),
    )
    assert.ok(
      problems.some(p => /\/notices\/0\/body\/de .*unbalanced/.test(p)),
      problems.join('\n'),
    )
    assert.equal(problems.length, 4, problems.join('\n'))
  })

  it('refuses a template state that is unknown or final', () => {
    const problems = checkDefinitionText(
      tree.replace('  - id: ablehnung\n', '  - id: ablehnung\n    states: [in_progress, rejected, nowhere]\n'),
      'services/baumfaellung.yaml',
      offices,
    )
    assert.ok(
      problems.some(p => p.includes('/notices/1/states/1') && p.includes('final state')),
      problems.join('\n'),
    )
    assert.ok(
      problems.some(p => p.includes('/notices/1/states/2') && p.includes('unknown workflow state "nowhere"')),
      problems.join('\n'),
    )
    assert.equal(problems.length, 2, problems.join('\n'))
  })

  it('refuses two templates with the same id', () => {
    const twice = tree.replace('  - id: ablehnung\n', '  - id: genehmigung\n')
    const problems = checkDefinitionText(twice, 'services/baumfaellung.yaml', offices)
    assert.ok(
      problems.some(p => p.includes('/notices/1/id') && p.includes('used twice')),
      problems.join('\n'),
    )
  })
})

describe('drafting a notice on a case', () => {
  it('fills the placeholders from the case in German, with option labels and dates as the case view shows them', async () => {
    const { caseId, reference, lead, applicantName } = await treeCase()
    const casePage = await lead.get(`/backoffice/cases/${caseId}`)
    assert.match(casePage.body, /data-live-region="notices"/)
    assert.match(casePage.body, /Fällgenehmigung nach der Baumschutzsatzung/)
    const { url, noticeId } = await draftNotice(lead, caseId, 'genehmigung', 'de')
    const page = await lead.get(url)
    assert.equal(page.statusCode, 200)
    const text = textareaOf(page.body)
    assert.ok(text.startsWith(`Guten Tag ${applicantName},\n\nauf Ihren Antrag vom `), text.slice(0, 100))
    assert.match(text, /Maßnahme „Fällung“ an 2 Baum\/Bäumen der Art Stieleiche/)
    assert.match(text, new RegExp(`Aktenzeichens ${reference}`))
    assert.match(text, /Umweltamt, \d{1,2}\. \p{L}+ \d{4}$/u)
    assert.match(text, /Verwaltungsgericht Gelsenkirchen/)
    assert.doesNotMatch(text, /\{\{|\}\}/)
    const row = await storedDraft(noticeId)
    assert.equal(row.status, 'draft')
    assert.equal(row.locale, 'de')
    assert.equal(row.body, text)
    const audits = await db().selectFrom('audit_log').select('action').where('subject_id', '=', noticeId).execute()
    assert.deepEqual(audits.map(a => a.action).sort(), ['notice.draft', 'notice.read'])
    const back = await lead.get(`/backoffice/cases/${caseId}`)
    assert.match(back.body, new RegExp(`/notices/${noticeId}`))
  })

  it('drafts the same template in English', async () => {
    const { caseId, lead, applicantName } = await treeCase({ measure: 'heavyPruning' })
    const { url } = await draftNotice(lead, caseId, 'ablehnung', 'en')
    const text = textareaOf((await lead.get(url)).body)
    assert.ok(text.startsWith(`Dear ${applicantName},\n\non your application of `), text.slice(0, 100))
    assert.match(text, /work "Heavy pruning \(e\.g\. topping\)" on 2 tree\(s\)/)
    assert.match(text, /Administrative Court of Gelsenkirchen/)
    assert.match(text, /Environmental Office, \d{1,2} \p{L}+ \d{4}$/u)
  })

  it('refuses an unknown template or language with 400', async () => {
    const { caseId, lead } = await treeCase()
    assert.equal(
      (await lead.post(`/backoffice/cases/${caseId}/notices`, { templateId: 'nonsense', locale: 'de' })).statusCode,
      400,
    )
    assert.equal(
      (await lead.post(`/backoffice/cases/${caseId}/notices`, { templateId: 'genehmigung', locale: 'fr' })).statusCode,
      400,
    )
  })
})

describe('editing a notice together', () => {
  it('merges two editors typing at the same time at different places; both and the server end with the same text', async () => {
    const { caseId, lead } = await treeCase()
    const { url, noticeId } = await draftNotice(lead, caseId)
    const colleague = await staffBrowser(platform, 'umweltamt', 'team_lead')
    const a = await YjsClient.open(lead, url)
    const b = await YjsClient.open(colleague, url)
    const original = a.text
    a.edit(t => t.insert(0, 'ENTWURF – '))
    b.edit(t => t.insert(t.length, '\nAnlage: Lageplan'))
    b.edit(t => {
      const at = t.toString().indexOf('Stieleiche')
      t.delete(at, 'Stieleiche'.length)
      t.insert(at, 'Rotbuche')
    })
    const [ra, rb] = await Promise.all([a.push(), b.push()])
    assert.equal(ra.statusCode, 200, ra.body)
    assert.equal(rb.statusCode, 200, rb.body)
    await a.pull()
    await b.pull()
    const expected = `ENTWURF – ${original.replace('Stieleiche', 'Rotbuche')}\nAnlage: Lageplan`
    assert.equal(a.text, expected)
    assert.equal(b.text, expected)
    const row = await storedDraft(noticeId)
    assert.equal(row.body, expected)
    assert.equal(row.version, 3)
    // The plain page shows the merged text too.
    assert.equal(textareaOf((await lead.get(url)).body), expected)
    // An update sent twice changes nothing and stores nothing.
    b.edit(t => t.insert(0, 'x'))
    const once = Y.encodeStateAsUpdate(b.doc)
    await postJson(colleague, `${url}/updates`, { update: Buffer.from(once).toString('base64') })
    await postJson(colleague, `${url}/updates`, { update: Buffer.from(once).toString('base64') })
    assert.equal((await storedDraft(noticeId)).version, 4)
    // Typing is audited once per person and draft, not per keystroke.
    const edits = await db()
      .selectFrom('audit_log')
      .select('actor_staff_id')
      .where('subject_id', '=', noticeId)
      .where('action', '=', 'notice.edit')
      .execute()
    assert.equal(edits.length, 2)
  })

  it('answers a form saved on an older version with 409, both versions shown and the typed text kept', async () => {
    const { caseId, lead } = await treeCase()
    const { url, noticeId } = await draftNotice(lead, caseId)
    const colleague = await staffBrowser(platform, 'umweltamt', 'team_lead')
    const mine = await lead.get(url)
    const theirs = await colleague.get(url)
    const version = /name="version" value="(\d+)"/.exec(mine.body)![1]!
    const theirText = `${textareaOf(theirs.body)}\n\nErgänzung der Kollegin.`
    const saved = await colleague.post(url, { version, text: theirText.replace(/\n/g, '\r\n') })
    assert.equal(saved.statusCode, 303)
    assert.equal(saved.headers.location, `${url}?saved=1`)
    assert.equal((await storedDraft(noticeId)).body, theirText, 'CRLF from the form is stored as LF')

    const myText = `Meine eigene Fassung.\n${textareaOf(mine.body)}`
    const stale = await lead.post(url, { version, text: myText })
    assert.equal(stale.statusCode, 409)
    assert.match(stale.body, /Ihre Fassung/)
    assert.match(stale.body, /Gespeicherte Fassung/)
    assert.match(stale.body, /Ergänzung der Kollegin\./)
    assert.equal(textareaOf(stale.body), myText, 'what was typed stays in the field')
    assert.equal((await storedDraft(noticeId)).body, theirText, 'nothing was overwritten')
    // Saving again on the version shown now is a conscious decision: it goes through, as the smallest edit.
    const newVersion = /name="version" value="(\d+)"/.exec(stale.body)![1]!
    assert.equal((await lead.post(url, { version: newVersion, text: myText })).statusCode, 303)
    assert.equal((await storedDraft(noticeId)).body, myText)
    const english = await staffBrowser(platform, 'umweltamt', 'team_lead')
    await english.get('/language/en?return=/')
    const page = await english.get(url)
    const again = await english.post(url, { version, text: 'x' })
    assert.equal(page.statusCode, 200)
    assert.equal(again.statusCode, 409)
    assert.match(again.body, /Your version/)
    assert.match(again.body, /Saved version/)
  })

  it("keeps a co-editor's typing when someone saves the plain form meanwhile", async () => {
    const { caseId, lead } = await treeCase()
    const { url } = await draftNotice(lead, caseId)
    const colleague = await staffBrowser(platform, 'umweltamt', 'team_lead')
    const live = await YjsClient.open(colleague, url)
    const form = await lead.get(url)
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!
    // The form is saved first, on the current version: it goes in as an edit at the end.
    assert.equal((await lead.post(url, { version, text: `${textareaOf(form.body)}\nNachtrag.` })).statusCode, 303)
    live.edit(t => t.insert(0, 'Vorab: '))
    assert.equal((await live.push()).statusCode, 200)
    await live.pull()
    assert.match(live.text, /^Vorab: Guten Tag/)
    assert.match(live.text, /\nNachtrag\.$/)
  })

  it('refuses malformed updates with 400 and keeps the stored text', async () => {
    const { caseId, lead } = await treeCase()
    const { url, noticeId } = await draftNotice(lead, caseId)
    const before = await storedDraft(noticeId)
    const other = new Y.Doc()
    other.getMap('sneaky').set('x', 1)
    const orphan = new Y.Doc()
    orphan.getText('body').insert(0, 'a')
    const vector = Y.encodeStateVector(orphan)
    orphan.getText('body').insert(1, 'b')
    const cases: [string, LightMyRequestResponse][] = [
      ['not base64', await postJson(lead, `${url}/updates`, { update: '@@@ not base64 @@@' })],
      ['no update', await postJson(lead, `${url}/updates`, {})],
      ['a number', await postJson(lead, `${url}/updates`, { update: 42 })],
      [
        'garbage bytes',
        await postJson(lead, `${url}/updates`, {
          update: Buffer.from('this is not a Yjs update at all').toString('base64'),
        }),
      ],
      [
        'another shared type',
        await postJson(lead, `${url}/updates`, {
          update: Buffer.from(Y.encodeStateAsUpdate(other)).toString('base64'),
        }),
      ],
      [
        'changes the server never saw',
        await postJson(lead, `${url}/updates`, {
          update: Buffer.from(Y.encodeStateAsUpdate(orphan, vector)).toString('base64'),
        }),
      ],
      ['huge', await postJson(lead, `${url}/updates`, { update: Buffer.alloc(300 * 1024, 7).toString('base64') })],
      ['broken JSON', await postJson(lead, `${url}/updates`, {}, { raw: '{"update": "AAA' })],
    ]
    for (const [what, res] of cases)
      assert.equal(res.statusCode, 400, `${what}: ${res.statusCode} ${res.body.slice(0, 200)}`)
    const tooBig = await postJson(lead, `${url}/updates`, { update: Buffer.alloc(1024 * 1024, 7).toString('base64') })
    assert.equal(tooBig.statusCode, 413)
    const longText = await lead.post(url, { version: String(before.version), text: 'x'.repeat(70_000) })
    assert.equal(longText.statusCode, 400)
    assert.match(longText.body, /zu lang/)
    const afterwards = await storedDraft(noticeId)
    assert.equal(afterwards.body, before.body)
    assert.equal(afterwards.version, before.version)
    const junkAfter = await lead.get(`${url}/updates?after=abc`)
    assert.equal(junkAfter.statusCode, 400)
  })

  it('answers random bytes posted as updates by an editor with 400 (or 200 for a harmless no-op), never 5xx', async () => {
    const { caseId, lead } = await treeCase()
    const { url, noticeId } = await draftNotice(lead, caseId)
    const before = await storedDraft(noticeId)
    const statuses = new Set<number>()
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 400 }), async bytes => {
        const res = await postJson(lead, `${url}/updates`, { update: Buffer.from(bytes).toString('base64') })
        statuses.add(res.statusCode)
        return res.statusCode === 400 || res.statusCode === 200
      }),
      { numRuns: 150, seed: 4 },
    )
    assert.ok(statuses.has(400))
    // Whatever was accepted left a document that still loads and reads as the stored text.
    const afterwards = await storedDraft(noticeId)
    assert.ok(afterwards.version >= before.version)
    assert.equal(textareaOf((await lead.get(url)).body), afterwards.body)
  })

  it("announces updates and presence to the draft's event stream", async () => {
    const { caseId, lead } = await treeCase()
    const { url, noticeId } = await draftNotice(lead, caseId)
    const events: { kind: string; data?: Record<string, unknown> }[] = []
    const stop = platform.app.live.subscribe(`notice:${noticeId}`, e => events.push(e))
    try {
      const client = await YjsClient.open(lead, url)
      client.edit(t => t.insert(0, 'Hallo '))
      const pushed = JSON.parse((await client.push()).body) as { updateId: number }
      const presence = await postJson(lead, `${url}/presence`, { state: 'here', caret: 3, joined: true })
      assert.equal(presence.statusCode, 204)
      for (let i = 0; i < 50 && events.length < 2; i++) await new Promise(r => setTimeout(r, 20))
      const update = events.find(e => e.kind === 'update')
      assert.equal(update?.data?.updateId, pushed.updateId)
      assert.equal(update?.data?.previousId, 0)
      assert.equal(typeof update?.data?.update, 'string', 'a small update travels inline')
      const here = events.find(e => e.kind === 'presence')
      assert.match(String(here?.data?.name), /Sachbearbeitung/)
      assert.deepEqual(here?.data?.office, { de: 'Umweltamt', en: 'Environmental Office' })
      assert.equal(here?.data?.caret, 3)
      assert.match(String(here?.data?.colour), /^#[0-9a-f]{6}$/)
    } finally {
      stop()
    }
  })
})

describe('signing and sending a notice', () => {
  it('signs as the lead office: a PAdES-signed PDF in the postbox and the case, valid for pdfsig, broken by any change', async () => {
    const { caseId, reference, lead, citizen } = await treeCase()
    const { url, noticeId } = await draftNotice(lead, caseId)
    const page = await lead.get(url)
    const draftVersion = /id="notice-sign-form"[\s\S]*?name="version" value="(\d+)"/.exec(page.body)![1]!
    // Not while the template's passage for the case's own assessment is still open: the draft page says which.
    const refused = await lead.post(`${url}/sign`, { version: draftVersion })
    assert.equal(refused.statusCode, 400)
    assert.match(refused.body, /Der Bescheid wurde nicht unterschrieben/)
    assert.match(refused.body, /noch eine Stelle, die für diesen Fall zu ergänzen ist: „\[Bitte ergänzen/)
    assert.match(refused.body, /id="notice-text"/, 'the draft page, with the text to complete')
    assert.equal((await storedDraft(noticeId)).status, 'draft')
    const version = await completePassages(lead, url)
    assert.equal((await openPreview(lead, url, version)).statusCode, 200)
    const res = await lead.post(`${url}/sign`, { version })
    assert.equal(res.statusCode, 303, res.body.slice(0, 500))
    const row = await storedDraft(noticeId)
    assert.equal(row.status, 'signed')
    assert.ok(row.file_id && row.message_id && row.signed_at)

    const file = await db()
      .selectFrom('files')
      .select(['content', 'media_type', 'case_id', 'filename'])
      .where('id', '=', row.file_id)
      .executeTakeFirstOrThrow()
    assert.equal(file.media_type, 'application/pdf')
    assert.equal(file.case_id, caseId)
    const report = await pdfsig(file.content, 'signed.pdf')
    assert.match(report, /Signature Validation: Signature is Valid\./, report)
    assert.match(report, /Signer Certificate Common Name: Stadt Dortmund – Umweltamt/, report)
    assert.match(report, /Signature Type: ETSI\.CAdES\.detached/, report)
    assert.match(report, /Total document signed/, report)
    // The signer's name and the reason are in the signature dictionary (UTF-16BE hex strings).
    const hex = (s: string) => Buffer.from(s, 'utf16le').swap16().toString('hex').toUpperCase()
    const pdfText = Buffer.from(file.content).toString('latin1')
    const signerName = (
      await db()
        .selectFrom('staff')
        .select('name')
        .where('email', '=', 'sb.umweltamt@stadt.example')
        .executeTakeFirstOrThrow()
    ).name
    assert.ok(pdfText.includes(hex(signerName)), 'the signer is named')
    assert.ok(pdfText.includes(hex(`Bescheid ${reference}`)), 'the reason names the case')

    // One byte changed inside the signed range of the text: the signature no longer holds.
    const tampered = Buffer.from(file.content)
    const byteRange = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(pdfText)!
    const at = Math.floor(Number(byteRange[2]) / 2)
    tampered[at] = tampered[at]! ^ 0x01
    const broken = await pdfsig(tampered, 'tampered.pdf')
    assert.doesNotMatch(broken, /Signature is Valid/, broken)

    // In the applicant's postbox, with the PDF; on the case's timeline and in the e-file.
    const message = await citizen.get(`/account/postbox/${row.message_id}`)
    assert.equal(message.statusCode, 200)
    assert.match(message.body, new RegExp(`/account/files/${row.file_id}`))
    const download = await citizen.get(`/account/files/${row.file_id}`)
    assert.equal(download.statusCode, 200)
    assert.equal(download.headers['content-type'], 'application/pdf')
    const events = await db()
      .selectFrom('case_events')
      .select(['kind', 'internal'])
      .where('case_id', '=', caseId)
      .where('kind', '=', 'notice_signed')
      .execute()
    assert.deepEqual(events, [{ kind: 'notice_signed', internal: false }])
    const filed = await db()
      .selectFrom('file_documents')
      .select(['kind', 'title'])
      .where('case_id', '=', caseId)
      .where('kind', '=', 'notice')
      .execute()
    assert.equal(filed.length, 1)
    const application = await citizen.get(`/account/applications/${caseId}`)
    assert.match(application.body, /Fällgenehmigung nach der Baumschutzsatzung/)

    // The keystroke-sized sync history goes with the last edit; the signed text stays on the draft and in the file.
    assert.equal(
      (await db().selectFrom('notice_draft_updates').select('id').where('draft_id', '=', noticeId).execute()).length,
      0,
    )

    // Signed means final: no more updates, saves or signatures.
    const signedPage = await lead.get(url)
    assert.match(signedPage.body, /Unterschrieben von/)
    assert.doesNotMatch(signedPage.body, /data-notice-editor/)
    const client = new Y.Doc()
    client.getText('body').insert(0, 'zu spät')
    assert.equal(
      (
        await postJson(lead, `${url}/updates`, {
          update: Buffer.from(Y.encodeStateAsUpdate(client)).toString('base64'),
        })
      ).statusCode,
      409,
    )
    assert.equal((await lead.post(url, { version: String(row.version), text: 'zu spät' })).statusCode, 409)
    assert.equal((await lead.post(`${url}/sign`, { version: String(row.version) })).statusCode, 409)
    const audits = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', noticeId)
      .where('action', '=', 'notice.sign')
      .execute()
    assert.equal(audits.length, 1)
  })

  it('mails the signed PDF to an applicant without an account', async () => {
    const anonymous = new TestBrowser(platform)
    const { caseId } = await submitCase(platform, anonymous, 'baumfaellung', {
      measure: 'felling',
      treeCount: '1',
      email: 'ohne.konto.bescheid@example.org',
    })
    const lead = await staffBrowser(platform, 'umweltamt')
    await lead.get(`/backoffice/cases/${caseId}`)
    const { url, noticeId } = await draftNotice(lead, caseId, 'ablehnung')
    const version = await completePassages(lead, url)
    await openPreview(lead, url, version)
    assert.equal((await lead.post(`${url}/sign`, { version })).statusCode, 303)
    const row = await storedDraft(noticeId)
    const mail = await db()
      .selectFrom('mail_outbox')
      .innerJoin('mail_attachments', 'mail_attachments.mail_id', 'mail_outbox.id')
      .select(['mail_outbox.body_text'])
      .where('mail_outbox.recipient', '=', 'ohne.konto.bescheid@example.org')
      .where('mail_attachments.file_id', '=', row.file_id!)
      .executeTakeFirstOrThrow()
    assert.match(mail.body_text, /Ablehnung der Fällgenehmigung/)
  })

  it('signs only the version whose PDF preview the signer opened', async () => {
    const { caseId, lead, applicantName } = await treeCase()
    const { url, noticeId } = await draftNotice(lead, caseId)
    const first = await completePassages(lead, url)
    const unseen = await lead.post(`${url}/sign`, { version: first })
    assert.equal(unseen.statusCode, 409)
    assert.match(unseen.body, /Sie haben die Vorschau dieser Fassung noch nicht geöffnet/)
    assert.match(
      unseen.body,
      new RegExp(`id="notice-preview-form"[\\s\\S]*?name="version" value="${first}"`),
      'the page offers the preview of this version',
    )

    const preview = await openPreview(lead, url, first)
    assert.equal(preview.statusCode, 200)
    assert.equal(preview.headers['content-type'], 'application/pdf')
    assert.match(String(preview.headers['content-disposition']), /^inline;/)
    const text = pdfText(preview.rawPayload, 'preview.pdf')
    assert.match(text, /Fällgenehmigung nach der Baumschutzsatzung/)
    assert.match(text, new RegExp(applicantName))
    assert.match(text, /Der Baum ist abgestorben/)

    // A colleague's preview does not count for the signer, and a text changed after the preview must be seen again.
    const lead2 = await staffBrowser(platform, 'umweltamt', 'team_lead')
    const page = await lead2.get(url)
    assert.equal(
      (await lead2.post(url, { version: first, text: `${textareaOf(page.body)}\nAnlage: Lageplan` })).statusCode,
      303,
    )
    const second = /name="version" value="(\d+)"/.exec((await lead2.get(url)).body)![1]!
    assert.equal((await openPreview(lead2, url, second)).statusCode, 200)
    assert.equal((await lead.post(`${url}/sign`, { version: second })).statusCode, 409)
    const stalePreview = await openPreview(lead, url, first)
    assert.equal(stalePreview.statusCode, 409)
    assert.match(stalePreview.body, /Der Text hat sich geändert/)
    assert.equal((await openPreview(lead, url, second)).statusCode, 200)
    assert.equal((await lead.post(`${url}/sign`, { version: second })).statusCode, 303)
    assert.equal((await storedDraft(noticeId)).status, 'signed')
    const previews = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', noticeId)
      .where('action', '=', 'notice.preview')
      .execute()
    assert.equal(previews.length, 3)
  })

  it('issues no notice on a closed case: neither signs a draft nor starts one, and says why', async () => {
    const { caseId, lead } = await treeCase()
    const { url, noticeId } = await draftNotice(lead, caseId, 'ablehnung')
    const version = await completePassages(lead, url)
    await openPreview(lead, url, version)
    for (const transitionId of ['start', 'reject']) {
      assert.equal(
        (
          await lead.post(`/backoffice/cases/${caseId}/transitions`, {
            transitionId,
            version: await caseVersion(lead, caseId),
          })
        ).statusCode,
        303,
      )
    }
    const refused = await lead.post(`${url}/sign`, { version })
    assert.equal(refused.statusCode, 409)
    assert.match(refused.body, /Im Status „Abgelehnt“ wird kein Bescheid erlassen/)
    assert.equal((await storedDraft(noticeId)).status, 'draft')
    assert.equal(
      (await lead.post(`/backoffice/cases/${caseId}/notices`, { templateId: 'genehmigung', locale: 'de' })).statusCode,
      409,
    )
    const caseView = await lead.get(`/backoffice/cases/${caseId}`)
    assert.match(caseView.body, /Im Status „Abgelehnt“ wird kein Bescheid erlassen\./)
    assert.doesNotMatch(caseView.body, /id="notice-template"/)
  })

  it('refuses to sign a version the signer has not seen (409)', async () => {
    const { caseId, lead } = await treeCase()
    const { url, noticeId } = await draftNotice(lead, caseId)
    const version = /name="version" value="(\d+)"/.exec((await lead.get(url)).body)![1]!
    const client = await YjsClient.open(lead, url)
    client.edit(t => t.insert(0, 'Neu: '))
    await client.push()
    assert.equal((await lead.post(`${url}/sign`, { version })).statusCode, 409)
    assert.equal((await storedDraft(noticeId)).status, 'draft')
  })

  it('discards a draft: it stays listed, read-only, and takes no more changes', async () => {
    const { caseId, lead } = await treeCase()
    const { url, noticeId } = await draftNotice(lead, caseId)
    const client = await YjsClient.open(lead, url)
    const discard = await lead.post(`${url}/discard`)
    assert.equal(discard.statusCode, 303)
    assert.equal((await storedDraft(noticeId)).status, 'discarded')
    client.edit(t => t.insert(0, 'zu spät '))
    assert.equal((await client.push()).statusCode, 409)
    const page = await lead.get(url)
    assert.match(page.body, /Dieser Entwurf wurde verworfen/)
    assert.doesNotMatch(page.body, /<textarea/)
    assert.match((await lead.get(`/backoffice/cases/${caseId}`)).body, /Verworfen/)
  })
})

describe('who may see, edit and sign a notice', () => {
  it('lets an involved office read and comment but not draft, edit, preview, sign or discard; a caseworker of an office not involved gets 404 everywhere', async () => {
    const { caseId, lead } = await treeCase()
    const { url, noticeId } = await draftNotice(lead, caseId)
    const parks = await involveParksDepartment(lead, caseId)
    const page = await parks.get(url)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /nur die federführende Stelle \(Umweltamt\)/)
    assert.doesNotMatch(page.body, /id="notice-sign-form"|id="notice-form"|data-notice-editor|\/discard"/)
    assert.doesNotMatch((await parks.get(`/backoffice/cases/${caseId}`)).body, /id="notice-template"/)
    const client = await YjsClient.open(lead, url)
    const row = await storedDraft(noticeId)
    const consultedTries: [string, LightMyRequestResponse][] = [
      [
        'new draft',
        await parks.post(`/backoffice/cases/${caseId}/notices`, { templateId: 'genehmigung', locale: 'de' }),
      ],
      ['save', await parks.post(url, { version: String(row.version), text: 'Umgeschrieben' })],
      [
        'post update',
        await postJson(parks, `${url}/updates`, {
          update: Buffer.from(Y.encodeStateAsUpdate(client.doc)).toString('base64'),
        }),
      ],
      ['bad update', await postJson(parks, `${url}/updates`, { update: '@@@' })],
      ['presence', await postJson(parks, `${url}/presence`, { state: 'here' })],
      ['preview', await parks.get(`${url}/preview?version=${row.version}`)],
      ['sign', await parks.post(`${url}/sign`, { version: String(row.version) })],
      ['discard', await parks.post(`${url}/discard`)],
    ]
    for (const [what, res] of consultedTries) {
      assert.equal(res.statusCode, 403, `${what}: ${res.statusCode}`)
      assert.match(res.body, /nur die federführende Stelle/, what)
    }
    const unchanged = await storedDraft(noticeId)
    assert.deepEqual([unchanged.status, unchanged.version, unchanged.body], ['draft', row.version, row.body])
    assert.equal(
      (await db().selectFrom('notice_drafts').select('id').where('case_id', '=', caseId).execute()).length,
      1,
    )

    // A comment instead: shown to the lead office with who and when, counted on the case page, audited.
    const empty = await parks.post(`${url}/comments`, { comment: '   ' })
    assert.equal(empty.statusCode, 400)
    assert.match(empty.body, /Bitte geben Sie Ihre Anmerkung ein/)
    const tooLong = await parks.post(`${url}/comments`, { comment: `Ersatzpflanzung ${'x'.repeat(4000)}` })
    assert.equal(tooLong.statusCode, 400)
    assert.match(tooLong.body, /höchstens 4000 Zeichen/)
    assert.match(tooLong.body, /Ersatzpflanzung x/, 'what was typed stays in the field')
    const comment = await parks.post(`${url}/comments`, {
      comment: 'Bitte Ersatzpflanzung: 2 Bäume, Stammumfang 18 cm.',
    })
    assert.equal(comment.statusCode, 303)
    const leadPage = (await lead.get(url)).body
    assert.match(leadPage, /Bitte Ersatzpflanzung: 2 Bäume, Stammumfang 18 cm\./)
    assert.match(leadPage, /\(Grünflächenamt\) am \d/)
    assert.match((await lead.get(`/backoffice/cases/${caseId}`)).body, /1 Anmerkung\(en\)/)
    const audited = await db()
      .selectFrom('audit_log')
      .select(['action', 'subject_id'])
      .where('action', '=', 'notice.comment')
      .where('subject_id', '=', noticeId)
      .execute()
    assert.equal(audited.length, 1)
    // The lead office still edits and signs; a comment on a closed draft is refused.
    client.edit(t => t.insert(t.length, '\nStellungnahme Grünflächenamt berücksichtigt.'))
    assert.equal((await client.push()).statusCode, 200)
    assert.equal((await lead.post(`${url}/discard`)).statusCode, 303)
    assert.equal((await parks.post(`${url}/comments`, { comment: 'Noch etwas.' })).statusCode, 409)

    const outsider = await staffBrowser(platform, 'ordnungsamt')
    await outsider.get('/backoffice')
    const update = Buffer.from(Y.encodeStateAsUpdate(client.doc)).toString('base64')
    const tries: [string, LightMyRequestResponse][] = [
      ['draft page', await outsider.get(url)],
      ['updates', await outsider.get(`${url}/updates?after=0`)],
      ['live', await outsider.get(`${url}/live`)],
      ['post update', await postJson(outsider, `${url}/updates`, { update })],
      ['bad update', await postJson(outsider, `${url}/updates`, { update: '@@@' })],
      ['presence', await postJson(outsider, `${url}/presence`, { state: 'here' })],
      ['save', await outsider.post(url, { version: String(row.version), text: 'x' })],
      ['sign', await outsider.post(`${url}/sign`, { version: String(row.version) })],
      ['discard', await outsider.post(`${url}/discard`)],
      ['comment', await outsider.post(`${url}/comments`, { comment: 'x' })],
      [
        'new draft',
        await outsider.post(`/backoffice/cases/${caseId}/notices`, { templateId: 'genehmigung', locale: 'de' }),
      ],
    ]
    for (const [what, res] of tries) {
      assert.equal(res.statusCode, 404, `${what}: ${res.statusCode}`)
      assert.doesNotMatch(res.body, /Stieleiche|Grünflächenamt berücksichtigt/, what)
    }
    const untouched = await storedDraft(noticeId)
    assert.equal(untouched.status, 'discarded')
    // The draft of one case is not reachable through another case of the same office.
    const other = await treeCase()
    assert.equal((await lead.get(`/backoffice/cases/${other.caseId}/notices/${noticeId}`)).statusCode, 404)
  })
})
