import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { samplePdf, startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser, staffBrowser } from './support/casework.js'
import {
  extractFacts,
  recordRoutingDecision,
  retrainTriage,
  suggestRouting,
  activeTriageModel,
} from '../src/modules/triage/index.js'
import { groupOf, parseLabelledCsv } from '../src/modules/triage/triage.csv.js'
import { evaluateModel, isHeldOut } from '../src/modules/triage/triage.eval.js'
import { trainModel } from '../src/modules/triage/triage.model.js'
import { MODEL_CHECK_MS, readStarterExamples } from '../src/modules/triage/triage.service.js'
import type { StaffMember } from '../src/platform/auth/sessions.js'

/** Floors of the held-out evaluation, stated in docs/triage.md; a little under what the shipped starter sets reach. */
const FLOORS = {
  report: { accuracy: 0.74, top3: 0.88, macroF1: 0.72 },
  contact: { accuracy: 0.66, top3: 0.82, macroF1: 0.65 },
} as const

/** A demo staff member as a signed-in session holds them: with their roles. */
async function staffMember(db: TestPlatform['database']['db'], email: string): Promise<StaffMember> {
  const row = await db
    .selectFrom('staff')
    .select(['id', 'email', 'name'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  const roles = await db
    .selectFrom('staff_roles')
    .select(['office_id as officeId', 'role'])
    .where('staff_id', '=', row.id)
    .execute()
  return { ...row, roles }
}

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

describe('the shipped starter model, on the held-out fifth of the starter set', () => {
  for (const kind of ['report', 'contact'] as const) {
    it(`meets the ${kind} floors (accuracy ≥ ${FLOORS[kind].accuracy}, top-3 ≥ ${FLOORS[kind].top3}, macro-F1 ≥ ${FLOORS[kind].macroF1})`, () => {
      const rows = readStarterExamples(kind, platform.config.servicesDir)
      // Split by group: a base text and its typo/dialect variations are all trained on or all held out.
      const train = rows.filter(r => !isHeldOut(r.groupKey))
      const test = rows.filter(r => isHeldOut(r.groupKey))
      assert.ok(test.length > 100, `${test.length} held-out examples`)
      const model = trainModel(train, { kind, offices: {} })
      const e = evaluateModel(model, test)
      assert.ok(e.accuracy >= FLOORS[kind].accuracy, `accuracy ${e.accuracy}`)
      assert.ok(e.top3 >= FLOORS[kind].top3, `top-3 ${e.top3}`)
      assert.ok(e.macroF1 >= FLOORS[kind].macroF1, `macro-F1 ${e.macroF1}`)
    })
  }

  it('has at least 60 examples per report category and 30 per contact office, and names a source for each row', () => {
    for (const [kind, min] of [
      ['report', 60],
      ['contact', 30],
    ] as const) {
      const rows = parseLabelledCsv(fs.readFileSync(path.resolve(`data/triage/${kind}-starter.csv`), 'utf8'))
      const counts = new Map<string, number>()
      for (const r of rows) {
        counts.set(r.label, (counts.get(r.label) ?? 0) + 1)
        assert.ok(r.source && groupOf(r), `source of "${r.text}"`)
      }
      for (const [label, n] of counts) assert.ok(n >= min, `${kind} ${label}: ${n}`)
    }
  })

  it('trains deterministically: the same examples give the same model', () => {
    const rows = readStarterExamples('contact', platform.config.servicesDir).slice(0, 300)
    const a = trainModel(rows, { kind: 'contact', offices: {} })
    const b = trainModel(rows, { kind: 'contact', offices: {} })
    assert.deepEqual([...a.weights.slice(0, 500)], [...b.weights.slice(0, 500)])
  })
})

describe('suggestRouting', () => {
  it('routes defect reports despite typos and dialect, to the office of the category', async () => {
    const db = platform.database.db
    for (const [text, label] of [
      ['Strassenlaterne kaput, seit gestern dunkel', 'street-light'],
      ['Die Laternsche vor Hausnummer 5 is hinüber', 'street-light'],
      ['Muellkipp im Wald hinter den Garagen', 'illegal-dumping'],
      ['Riesiges Schlachloch auf der Fahrbahn', 'pothole'],
      ['the bin at the bus stop is overflowing', 'litter-bin'],
      ['Grafitti an der Brücke gesprüht', 'graffiti'],
    ] as const) {
      const s = await suggestRouting(db, text, 'report', platform.config)
      assert.equal(s.suggestions[0]?.label, label, `${text} → ${JSON.stringify(s.suggestions)}`)
    }
    const light = await suggestRouting(db, 'Straßenlaterne defekt, es ist dunkel', 'report', platform.config)
    assert.equal(light.suggestions[0]!.office, 'tiefbauamt')
    assert.equal(light.confident, true)
  })

  it('explains a prediction with the words that drove it', async () => {
    const s = await suggestRouting(
      platform.database.db,
      'Am Spielplatz ist die Schaukel kaputt',
      'report',
      platform.config,
    )
    assert.equal(s.suggestions[0]!.label, 'playground')
    const terms = s.explanation.map(e => e.term)
    assert.ok(terms.includes('Schaukel') || terms.includes('Spielplatz'), JSON.stringify(s.explanation))
    assert.ok(s.explanation.every(e => e.weight > 0))
  })

  it('routes a contact question to the office that answers it', async () => {
    const s = await suggestRouting(
      platform.database.db,
      'Ich habe eine Frage zur Hundesteuer für meinen zweiten Hund',
      'contact',
      platform.config,
    )
    assert.equal(s.suggestions[0]!.office, 'stadtkasse-steueramt')
    assert.equal(s.confident, true)
  })

  it('is not confident about a text that says nothing, and asks a person', async () => {
    for (const text of ['Hallo', 'Guten Tag, ich hätte da mal was.', '']) {
      const s = await suggestRouting(platform.database.db, text, 'report', platform.config)
      assert.equal(s.confident, false, `${text}: ${JSON.stringify(s.suggestions[0])}`)
    }
  })
})

describe('learning from caseworkers', () => {
  it('records confirmed and corrected decisions and a retraining changes the prediction', async () => {
    const db = platform.database.db
    const staff = await staffMember(db, 'sb.tiefbauamt@stadt.example')
    const text = 'Quietschendes Wartehäuschen-Drehkreuz am Bürgerpark'
    const before = await suggestRouting(db, text, 'report', platform.config)
    assert.notEqual(before.suggestions[0]?.label, 'park-bench')
    const variants = [
      'Quietschendes Wartehäuschen-Drehkreuz am Bürgerpark',
      'Wartehäuschen-Drehkreuz quietscht',
      'Drehkreuz am Wartehäuschen defekt',
      'Wartehäuschen im Park: Drehkreuz kaputt',
      'Das Drehkreuz vom Wartehäuschen klemmt',
      'Wartehäuschen-Drehkreuz quietscht fürchterlich',
      'quietschendes Drehkreuz Wartehäuschen',
      'Drehkreuz Wartehäuschen Bürgerpark kaputt',
    ]
    for (const v of variants) {
      await recordRoutingDecision(
        db,
        {
          text: v,
          label: 'park-bench',
          office: 'gruenflaechenamt',
          kind: 'report',
          // Reports filed with the Tiefbauamt, which moves them on to the Grünflächenamt.
          decidedBy: staff,
          caseOfficeId: 'tiefbauamt',
          corrected: true,
        },
        platform.config,
      )
    }
    const rows = await db
      .selectFrom('triage_examples')
      .select(['source', 'confirmed_by_staff_id'])
      .where('text', '=', text)
      .execute()
    assert.deepEqual(rows, [{ source: 'corrected', confirmed_by_staff_id: staff.id }])
    const report = await retrainTriage(db, 'report', { force: true })
    assert.equal(report.activated, true)
    const afterwards = await suggestRouting(db, text, 'report', platform.config)
    assert.equal(afterwards.suggestions[0]!.label, 'park-bench', JSON.stringify(afterwards.suggestions))
  })

  it('queues the retraining job once after TRIAGE_RETRAIN_AFTER decisions', async () => {
    const small = await startTestPlatform({ triageRetrainAfter: 2 })
    try {
      const db = small.database.db
      const staff = await staffMember(db, 'sb.tiefbauamt@stadt.example')
      const jobs = () =>
        db
          .selectFrom('jobs')
          .select('name')
          .where('name', '=', 'triage.retrain')
          .where('status', '=', 'queued')
          .execute()
      await recordRoutingDecision(
        db,
        {
          text: 'Laterne dunkel',
          label: 'street-light',
          office: 'tiefbauamt',
          kind: 'report',
          decidedBy: staff,
          caseOfficeId: 'tiefbauamt',
        },
        small.config,
      )
      assert.equal((await jobs()).length, 0)
      await recordRoutingDecision(
        db,
        {
          text: 'Lampe aus',
          label: 'street-light',
          office: 'tiefbauamt',
          kind: 'report',
          decidedBy: staff,
          caseOfficeId: 'tiefbauamt',
        },
        small.config,
      )
      await recordRoutingDecision(
        db,
        {
          text: 'Leuchte flackert',
          label: 'street-light',
          office: 'tiefbauamt',
          kind: 'report',
          decidedBy: staff,
          caseOfficeId: 'tiefbauamt',
        },
        small.config,
      )
      assert.equal((await jobs()).length, 1)
    } finally {
      await small.close()
    }
  })

  it('another process sees a newer model version within a minute, not on every call', async () => {
    const db = platform.database.db
    const now = Date.now()
    const first = (await activeTriageModel(db, 'contact', now))!
    // A retraining elsewhere: a new active version written straight to the table, as another process would.
    const row = await db
      .selectFrom('triage_models')
      .selectAll()
      .where('kind', '=', 'contact')
      .where('version', '=', first.version)
      .executeTakeFirstOrThrow()
    await db.updateTable('triage_models').set({ active: false }).where('kind', '=', 'contact').execute()
    await db
      .insertInto('triage_models')
      .values({
        kind: 'contact',
        version: first.version + 1,
        meta: JSON.stringify(row.meta),
        weights: row.weights,
        active: true,
      })
      .execute()
    assert.equal(
      (await activeTriageModel(db, 'contact', now + 1000))!.version,
      first.version,
      'cached within the minute',
    )
    assert.equal(
      (await activeTriageModel(db, 'contact', now + MODEL_CHECK_MS + 1))!.version,
      first.version + 1,
      'reloaded after it',
    )
  })
})

describe('bauhaus eval-triage and train-triage', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-cli-'))
  // Its own embedded database in memory, never the test server's.
  const env = { ...process.env, DATABASE_URL: '', DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env, encoding: 'utf8', timeout: 120_000 })

  it('prints accuracy, top-3, macro-F1, per-class figures and confusions for a labelled CSV', () => {
    const file = path.join(dir, 'labelled.csv')
    fs.writeFileSync(
      file,
      'text,label\n"Laterne kaputt, alles dunkel",street-light\nSchlagloch in der Straße,pothole\nHundekot auf dem Gehweg,dog-waste\nGraffiti an der Schule,street-light\n',
    )
    const res = cli('eval-triage', file, '--kind', 'report')
    assert.equal(res.status, 0, res.stderr)
    assert.match(res.stdout, /accuracy:\s+75\.0 %/)
    assert.match(res.stdout, /top-3 accuracy:/)
    assert.match(res.stdout, /macro-F1:/)
    assert.match(res.stdout, /street-light\s+[\d.]+ \/ [\d.]+ \/ [\d.]+/)
    assert.match(res.stdout, /street-light → graffiti: 1/)
  })

  it('refuses a missing file, a bad header, an unknown kind and a missing argument with a clear message', () => {
    const bad = path.join(dir, 'bad.csv')
    fs.writeFileSync(bad, 'message,category\nx,y\n')
    for (const [args, message] of [
      [['eval-triage', path.join(dir, 'nope.csv')], /no such file/],
      [['eval-triage', bad], /header must name the columns "text" and "label"/],
      [['eval-triage', bad, '--kind', 'potato'], /unknown kind "potato"/],
      [['eval-triage'], /name a labelled CSV file/],
      [['train-triage', '--kind'], /--kind needs a value/],
    ] as const) {
      const res = cli(...args)
      assert.equal(res.status, 2, `${args.join(' ')}: ${res.stdout} ${res.stderr}`)
      assert.match(res.stderr, message)
    }
  })

  it('train-triage retrains and prints the held-out figures', () => {
    const res = cli('train-triage', '--kind', 'contact')
    assert.equal(res.status, 0, res.stderr)
    assert.match(res.stdout, /contact: \d+ examples, trained in \d+ ms; version 2 activated/)
    assert.match(res.stdout, /held-out \(\d+\): accuracy [\d.]+ %, top-3 [\d.]+ %, macro-F1 [\d.]+/)
  })
})

describe('extractFacts', () => {
  const kinds = (text: string) => extractFacts(text).map(f => [f.kind, f.value])

  it('finds German and English dates in every common spelling, as ISO dates', () => {
    for (const text of [
      'am 3.4.2026',
      'am 03.04.26',
      'am 3. April 2026',
      'am 2026-04-03',
      'on April 3, 2026',
      'on 3rd April 2026',
    ]) {
      assert.deepEqual(kinds(text), [['date', '2026-04-03']], text)
    }
    assert.deepEqual(kinds('am 31.02.2026'), [], 'no 31 February')
  })

  it('finds Dortmund addresses with street suffixes and abbreviations, and rejects other postcodes', () => {
    assert.deepEqual(kinds('Hohe Straße 12, 44139 Dortmund'), [['address', 'Hohe Straße 12, 44139 Dortmund']])
    assert.deepEqual(kinds('Kaiserstr. 5a'), [['address', 'Kaiserstraße 5a, Dortmund']])
    assert.deepEqual(kinds('Wilhelm-Brand-Weg 3'), [['address', 'Wilhelm-Brand-Weg 3, Dortmund']])
    assert.deepEqual(kinds('Am Rombergpark 49'), [['address', 'Am Rombergpark 49, Dortmund']])
    for (const suffix of ['platz', 'allee', 'ring', 'gasse', 'damm'])
      assert.equal(extractFacts(`Königs${suffix} 7`)[0]?.kind, 'address', suffix)
    assert.deepEqual(kinds('Hohe Straße 12, 50667 Köln'), [], 'a Cologne postcode')
    const found = extractFacts('Rheinische Straße 88, 44137 Dortmund')[0]!
    assert.equal(found.text, 'Rheinische Straße 88, 44137 Dortmund')
    assert.equal(found.start, 0)
  })

  it('finds German licence plates and rejects impossible ones', () => {
    assert.deepEqual(kinds('Kennzeichen DO-AB 123'), [['licence-plate', 'DO-AB 123']])
    assert.deepEqual(kinds('Kennzeichen DO AB 1234E'), [['licence-plate', 'DO-AB 1234E']])
    assert.deepEqual(kinds('DO-AB 0123'), [], 'no leading zero')
    assert.deepEqual(kinds('DOR-AB 1234'), [], 'more than eight characters')
    assert.deepEqual(kinds('ABCD-X 1'), [], 'no four-letter district')
  })

  it('finds IBANs with a valid checksum only', () => {
    assert.deepEqual(kinds('IBAN DE89 3704 0044 0532 0130 00'), [['iban', 'DE89370400440532013000']])
    assert.deepEqual(kinds('IBAN DE89 3704 0044 0532 0130 01'), [])
  })

  it('finds case, fee and payment references, phone numbers and amounts', () => {
    assert.deepEqual(kinds('Aktenzeichen DO-2026-000123'), [['case-reference', 'DO-2026-000123']])
    assert.deepEqual(kinds('Kassenzeichen GB-2026-7K3M9Q2X4P'), [['fee-reference', 'GB-2026-7K3M9Q2X4P']])
    assert.deepEqual(kinds('Referenz BH-2026-7K3M9Q2X4P'), [['payment-reference', 'BH-2026-7K3M9Q2X4P']])
    assert.deepEqual(kinds('Tel. 0231 50-12345'), [['phone', '+492315012345']])
    assert.deepEqual(kinds('Tel. +49 (0)231 5012345'), [['phone', '+492315012345']])
    assert.deepEqual(kinds('mobil 0170/1234567'), [['phone', '+491701234567']])
    assert.deepEqual(kinds('Gebühr 12,50 €'), [['amount', '12.50 EUR']])
    assert.deepEqual(kinds('EUR 1.234,56 überwiesen'), [['amount', '1234.56 EUR']])
  })

  it('gives each fact its place in the text, and never reads the same characters twice', () => {
    const text = 'Zahlung DE89 3704 0044 0532 0130 00 am 3.4.2026'
    const facts = extractFacts(text)
    assert.deepEqual(
      facts.map(f => f.kind),
      ['iban', 'date'],
    )
    for (const f of facts) assert.equal(text.slice(f.start, f.end), f.text)
  })
})

describe('the staff page /backoffice/triage and its JSON endpoint', () => {
  it('sends anonymous people and citizens to the login, and refuses their posts', async () => {
    for (const browser of [new TestBrowser(platform), await citizenBrowser(platform)]) {
      const res = await browser.get('/backoffice/triage')
      assert.equal(res.statusCode, 303)
      assert.match(String(res.headers.location), /\/backoffice\/login/)
    }
    const anonymous = new TestBrowser(platform)
    await anonymous.get('/services/hundesteuer-anmeldung')
    assert.equal((await anonymous.post('/backoffice/triage/extract', { text: 'DO-2026-000123' })).statusCode, 403)
  })

  it('shows the suggestion with its confidence and words, and the facts to confirm — nothing taken over unasked', async () => {
    const staff = await staffBrowser(platform, 'tiefbauamt')
    assert.equal((await staff.get('/backoffice/triage')).statusCode, 200)
    const res = await staff.post('/backoffice/triage', {
      kind: 'report',
      text: 'Straßenlaterne kaputt vor Hohe Straße 12, 44139 Dortmund, seit 3.4.2026',
    })
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /Straßenbeleuchtung/)
    assert.match(res.body, /id="explanation"/)
    assert.match(res.body, /type="checkbox" id="fact-0" name="confirm" value="0"(?! checked)/)
    assert.doesNotMatch(res.body, /id="confirmed-facts"/)
    const confirmed = await staff.post('/backoffice/triage', {
      kind: 'report',
      text: 'Hohe Straße 12, 44139 Dortmund, seit 3.4.2026',
      action: 'confirm',
      confirm: '1',
    })
    assert.match(confirmed.body, /id="confirmed-facts"[\s\S]*2026-04-03/)
    assert.doesNotMatch(confirmed.body.split('id="confirmed-facts"')[1]!, /Hohe Straße 12, 44139 Dortmund<\/dd>/)
  })

  it('reads an uploaded PDF or text file and refuses other files', async () => {
    const staff = await staffBrowser(platform, 'tiefbauamt')
    await staff.get('/backoffice/triage')
    const txt = await staff.post(
      '/backoffice/triage',
      { kind: 'contact', text: '' },
      {
        files: [
          {
            field: 'document',
            filename: 'frage.txt',
            content: Buffer.from('Frage zur Hundesteuer, Aktenzeichen DO-2026-000123'),
            contentType: 'text/plain',
          },
        ],
      },
    )
    assert.equal(txt.statusCode, 200)
    assert.match(txt.body, /DO-2026-000123/)
    const pdf = await staff.post(
      '/backoffice/triage',
      { kind: 'report', text: 'Laterne' },
      { files: [{ field: 'document', filename: 'leer.pdf', content: samplePdf, contentType: 'application/pdf' }] },
    )
    assert.equal(pdf.statusCode, 200)
    const binary = await staff.post(
      '/backoffice/triage',
      { kind: 'report' },
      { files: [{ field: 'document', filename: 'x.bin', content: Buffer.from([0, 1, 2, 3, 255]) }] },
    )
    assert.equal(binary.statusCode, 400)
  })

  it('records a caseworker’s decision from the page', async () => {
    const staff = await staffBrowser(platform, 'tiefbauamt')
    await staff.get('/backoffice/triage')
    const res = await staff.post('/backoffice/triage/decision', {
      kind: 'report',
      text: 'Gully am Markt läuft über',
      label: 'blocked-drain',
      suggested: 'blocked-drain',
    })
    assert.equal(res.statusCode, 200)
    const row = await platform.database.db
      .selectFrom('triage_examples')
      .select(['label', 'office', 'source'])
      .where('text', '=', 'Gully am Markt läuft über')
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { label: 'blocked-drain', office: 'tiefbauamt', source: 'confirmed' })
    assert.equal(
      (await staff.post('/backoffice/triage/decision', { kind: 'report', text: 'x', label: 'no-such-label' }))
        .statusCode,
      400,
    )
  })

  it('trains only on decisions of the responsible office or the triage role; anyone else gets 403 and teaches nothing', async () => {
    const db = platform.database.db
    const examples = (text: string) =>
      db.selectFrom('triage_examples').select('office').where('text', '=', text).execute()
    // In code: a caseworker of another office deciding a Tiefbauamt case is refused, nothing is stored.
    const outsider = await staffMember(db, 'sb.ordnungsamt@stadt.example')
    await assert.rejects(
      recordRoutingDecision(
        db,
        {
          text: 'Ampel Ecke Hansastraße',
          label: 'street-light',
          office: 'tiefbauamt',
          kind: 'report',
          decidedBy: outsider,
          caseOfficeId: 'tiefbauamt',
        },
        platform.config,
      ),
      (error: Error & { statusCode?: number }) => error.statusCode === 403,
    )
    assert.deepEqual(await examples('Ampel Ecke Hansastraße'), [])

    // On the page: the Ordnungsamt is offered only its own categories, and a forged post for another office is 403.
    const ordnungsamt = await staffBrowser(platform, 'ordnungsamt')
    await ordnungsamt.get('/backoffice/triage')
    const page = await ordnungsamt.post('/backoffice/triage', {
      kind: 'report',
      text: 'Gully am Westenhellweg läuft über',
    })
    assert.equal(page.statusCode, 200)
    const offered = [...page.body.matchAll(/<option value="([^"]+)"/g)].map(m => m[1])
    assert.ok(!offered.includes('blocked-drain'), offered.join(','))
    const forged = await ordnungsamt.post('/backoffice/triage/decision', {
      kind: 'report',
      text: 'Gully am Westenhellweg läuft über',
      label: 'blocked-drain',
      suggested: 'blocked-drain',
    })
    assert.equal(forged.statusCode, 403)
    assert.match(forged.body, /Rolle „Vorsortierung“/)
    assert.deepEqual(await examples('Gully am Westenhellweg läuft über'), [])

    // The same person with the triage role decides for any office.
    await db
      .insertInto('staff_roles')
      .values({ staff_id: outsider.id, office_id: 'ordnungsamt', role: 'triage' })
      .execute()
    const sorter = await staffBrowser(platform, 'ordnungsamt')
    await sorter.get('/backoffice/triage')
    const allowed = await sorter.post('/backoffice/triage/decision', {
      kind: 'report',
      text: 'Gully am Westenhellweg läuft über',
      label: 'blocked-drain',
      suggested: 'blocked-drain',
    })
    assert.equal(allowed.statusCode, 200)
    assert.deepEqual(await examples('Gully am Westenhellweg läuft über'), [{ office: 'tiefbauamt' }])
    await db.deleteFrom('staff_roles').where('staff_id', '=', outsider.id).where('role', '=', 'triage').execute()
  })

  it('answers the JSON endpoint with facts, and bad input with 400, never 5xx', async () => {
    const staff = await staffBrowser(platform, 'tiefbauamt')
    await staff.get('/backoffice/triage')
    const ok = await staff.post('/backoffice/triage/extract', { text: 'Kennzeichen DO-AB 123' })
    assert.equal(ok.statusCode, 200)
    assert.deepEqual(
      JSON.parse(ok.body).facts.map((f: { kind: string }) => f.kind),
      ['licence-plate'],
    )
    for (const form of [{}, { text: 'x'.repeat(30_000) }, { text: ['a', 'b'] }]) {
      const res = await staff.post('/backoffice/triage/extract', form as Record<string, string | string[]>)
      assert.equal(res.statusCode, 400, JSON.stringify(form).slice(0, 40))
    }
  })
})
