import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { samplePdf, startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { caseVersion, citizenBrowser, staffBrowser, submitCase } from './support/casework.js'
import { DEMO_BUSINESS, DEMO_BUSINESS_OWNER, DEMO_CITIZEN } from '../src/seed.js'
import { mandatesHolder } from '../src/modules/mandates/index.js'

/**
 * Acting on behalf (docs/mandates.md): a parent, guardian or authorised representative applies for someone once the
 * office checked the proof; company members apply for the company; who may see a case follows the mandate and the
 * membership of this very moment.
 */
let platform: TestPlatform
let erika: TestBrowser
let office: TestBrowser
const db = () => platform.database.db

before(async () => {
  platform = await startTestPlatform()
  erika = await citizenBrowser(platform)
  office = await staffBrowser(platform, 'buergerdienste')
})
after(async () => {
  await platform.close()
})

const proof = { field: 'proof', filename: 'geburtsurkunde.pdf', content: samplePdf, contentType: 'application/pdf' }

async function requestMandate(
  browser: TestBrowser,
  values: Partial<Record<'kind' | 'givenName' | 'familyName' | 'birthDate' | 'principalEmail', string>> = {},
) {
  await browser.get('/account/mandates/new')
  const res = await browser.post(
    '/account/mandates',
    { kind: 'parent', givenName: 'Max', familyName: 'Mustermann', birthDate: '2016-05-20', ...values },
    { files: [proof] },
  )
  assert.equal(res.statusCode, 303, res.body.slice(0, 300))
  const row = await db()
    .selectFrom('mandates')
    .select(['id', 'status'])
    .where('principal_given_name', '=', values.givenName ?? 'Max')
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow()
  return row.id
}

async function approve(mandateId: string) {
  await office.get(`/backoffice/mandates/${mandateId}`)
  const res = await office.post(`/backoffice/mandates/${mandateId}/approve`)
  assert.equal(res.statusCode, 303)
}

async function mailTo(address: string, subject: RegExp) {
  const mails = await db()
    .selectFrom('mail_outbox')
    .select(['subject', 'body_text'])
    .where('recipient', '=', address)
    .orderBy('created_at', 'desc')
    .execute()
  const mail = mails.find(m => subject.test(m.subject))
  assert.ok(mail, `a mail to ${address} about ${subject}: ${mails.map(m => m.subject).join(' | ')}`)
  return mail
}

async function accountId(email: string) {
  return (await db().selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id
}

describe('asking for a mandate', () => {
  it('says what is wrong with each value, keeps what was typed, and stores nothing', async () => {
    const before = (await db().selectFrom('mandates').select('id').execute()).length
    await erika.get('/account/mandates/new')
    const noProof = await erika.post('/account/mandates', {
      kind: 'parent',
      givenName: 'Max',
      familyName: 'Mustermann-Mitbindestrich',
      birthDate: '2099-01-01',
    })
    assert.equal(noProof.statusCode, 400)
    assert.match(noProof.body, /Laden Sie einen Nachweis hoch/)
    assert.match(noProof.body, /Das Geburtsdatum darf nicht in der Zukunft liegen/)
    assert.ok(noProof.body.includes('value="Mustermann-Mitbindestrich"'), 'the typed name is kept')

    const wrong = await erika.post(
      '/account/mandates',
      {
        kind: 'uncle',
        givenName: '',
        familyName: 'x'.repeat(101),
        birthDate: '2016-02-30',
        principalEmail: 'nicht-gültig',
      },
      {
        files: [{ field: 'proof', filename: 'notiz.txt', content: Buffer.from('nur Text'), contentType: 'text/plain' }],
      },
    )
    assert.equal(wrong.statusCode, 400)
    for (const message of [
      /Wählen Sie aus, wie Sie zu der Person stehen/,
      /Geben Sie den Vornamen der vertretenen Person an/,
      /Höchstens 100 Zeichen/,
      /gültiges Geburtsdatum/,
      /E-Mail-Adresse im Format/,
      /notiz\.txt: /,
    ])
      assert.match(wrong.body, message)

    const own = await erika.post(
      '/account/mandates',
      {
        kind: 'authorised',
        givenName: 'Max',
        familyName: 'Mustermann',
        birthDate: '2016-05-20',
        principalEmail: DEMO_CITIZEN,
      },
      { files: [proof] },
    )
    assert.equal(own.statusCode, 400)
    assert.match(own.body, /nicht Ihre eigene/)
    assert.match(own.body, /Nachweis noch einmal aus/)

    const english = new TestBrowser(platform, 'en')
    await english.get('/login')
    await english.post('/login', { email: DEMO_CITIZEN, password: 'Bauhaus-Demo-2026' })
    await english.get('/account/mandates/new')
    const en = await english.post('/account/mandates', { kind: 'parent' })
    assert.equal(en.statusCode, 400)
    assert.match(en.body, /Upload a proof/)
    // Signing in in English made English the account's language; back to German for the mails below.
    await english.get('/language/de')
    assert.equal((await db().selectFrom('mandates').select('id').execute()).length, before)
  })

  it('waits for the checking office, which opens the proof (audited) and approves once; the agent gets a mail', async () => {
    const mandateId = await requestMandate(erika)
    const list = await erika.get('/account/mandates')
    assert.match(list.body, /Max Mustermann/)
    assert.match(list.body, /Wird geprüft/)

    const pending = await office.get('/backoffice/mandates')
    assert.equal(pending.statusCode, 200)
    assert.ok(pending.body.includes(`/backoffice/mandates/${mandateId}`))
    const proofFile = await office.get(`/backoffice/mandates/${mandateId}/proof`)
    assert.equal(proofFile.statusCode, 200)
    assert.equal(proofFile.headers['content-type'], 'application/pdf')
    const read = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'mandate.proof.read')
      .where('subject_id', '=', mandateId)
      .executeTakeFirst()
    assert.ok(read, 'reading the proof is audited')

    await approve(mandateId)
    assert.equal((await office.post(`/backoffice/mandates/${mandateId}/approve`)).statusCode, 409, 'decided once')
    await mailTo(DEMO_CITIZEN, /Vollmacht für Max Mustermann ist bestätigt/)
    assert.match((await erika.get('/account/mandates')).body, /Gültig/)
  })

  it('shows mandates to the checking office only', async () => {
    const mandateId = await requestMandate(erika, { givenName: 'Moritz' })
    for (const other of [
      await staffBrowser(platform, 'ordnungsamt'),
      await staffBrowser(platform, 'ordnungsamt', 'team_lead'),
    ]) {
      assert.equal((await other.get('/backoffice/mandates')).statusCode, 403)
      assert.equal((await other.get(`/backoffice/mandates/${mandateId}/proof`)).statusCode, 403)
      await other.get('/backoffice')
      assert.equal((await other.post(`/backoffice/mandates/${mandateId}/approve`)).statusCode, 403)
    }
    const status = await db()
      .selectFrom('mandates')
      .select('status')
      .where('id', '=', mandateId)
      .executeTakeFirstOrThrow()
    assert.equal(status.status, 'pending')
    assert.equal((await erika.get(`/backoffice/mandates/${mandateId}`)).statusCode, 303, 'a citizen goes to the login')
  })

  it('rejects only with a reason, which the agent receives; the proof is deleted', async () => {
    const mandateId = await requestMandate(erika, { givenName: 'Lotte', kind: 'guardian' })
    await office.get(`/backoffice/mandates/${mandateId}`)
    const empty = await office.post(`/backoffice/mandates/${mandateId}/reject`, { reason: '  ' })
    assert.equal(empty.statusCode, 400)
    assert.match(empty.body, /Geben Sie eine Begründung an/)
    const tooLong = await office.post(`/backoffice/mandates/${mandateId}/reject`, { reason: 'x'.repeat(1001) })
    assert.equal(tooLong.statusCode, 400)
    assert.match(tooLong.body, /Höchstens 1000 Zeichen/)
    const proofId = (
      await db().selectFrom('mandates').select('proof_file_id').where('id', '=', mandateId).executeTakeFirstOrThrow()
    ).proof_file_id!
    const res = await office.post(`/backoffice/mandates/${mandateId}/reject`, {
      reason: 'Die Bestellungsurkunde ist nicht lesbar.',
    })
    assert.equal(res.statusCode, 303)
    const mail = await mailTo(DEMO_CITIZEN, /Vollmacht für Lotte Mustermann wurde abgelehnt/)
    assert.match(mail.body_text, /Bestellungsurkunde ist nicht lesbar/)
    assert.equal(await db().selectFrom('files').select('id').where('id', '=', proofId).executeTakeFirst(), undefined)
    assert.match((await erika.get('/account/mandates')).body, /Abgelehnt/)
  })
})

describe('applying for a child', () => {
  let mandateId = ''
  let caseId = ''
  let reference = ''

  before(async () => {
    mandateId = await requestMandate(erika, { givenName: 'Mia', birthDate: '2015-03-14' })
    await approve(mandateId)
  })

  it('asks "Für wen stellen Sie diesen Antrag?" before the form and refuses an unknown choice', async () => {
    await erika.get('/services/meldebescheinigung')
    const ask = await erika.post('/services/meldebescheinigung/applications')
    assert.equal(ask.statusCode, 200)
    assert.match(ask.body, /Für wen stellen Sie diesen Antrag\?/)
    assert.match(ask.body, /Mia Mustermann/)
    assert.match(ask.body, /Für mich selbst/)
    const drafts = async () => (await db().selectFrom('drafts').select('id').execute()).length
    const count = await drafts()
    for (const bogus of ['mandate:00000000-0000-0000-0000-000000000000', 'business:x', 'jemand']) {
      const res = await erika.post('/services/meldebescheinigung/applications', { for: bogus })
      assert.equal(res.statusCode, 400, bogus)
      assert.match(res.body, /Wählen Sie aus, für wen Sie den Antrag stellen/)
    }
    assert.equal(await drafts(), count, 'no draft for a refused choice')
  })

  it('prefills what the mandate holds and records who acted for whom', async () => {
    const submitted = await submitCase(platform, erika, 'meldebescheinigung', {}, { forWhom: `mandate:${mandateId}` })
    caseId = submitted.caseId
    reference = submitted.reference
    const row = await db()
      .selectFrom('cases')
      .select(['applicant_name', 'acted_by_name', 'represented_name', 'represented_relation', 'mandate_id', 'answers'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow()
    assert.equal(row.applicant_name, 'Mia Mustermann')
    assert.equal(row.acted_by_name, 'Erika Mustermann')
    assert.equal(row.represented_relation, 'parent')
    assert.equal(row.mandate_id, mandateId)
    const answers = row.answers as Record<string, unknown>
    assert.equal(answers.givenName, 'Mia')
    assert.equal(answers.birthDate, '2015-03-14')

    const mine = await erika.get('/account/applications')
    assert.ok(mine.body.includes(reference))
    assert.match(mine.body, /Gestellt von Erika Mustermann für Mia Mustermann \(Kind\)/)
    const view = await erika.get(`/account/applications/${caseId}`)
    assert.equal(view.statusCode, 200)
    assert.match(view.body, /Gestellt von Erika Mustermann für Mia Mustermann \(Kind\)/)
    const staffView = await office.get(`/backoffice/cases/${caseId}`)
    assert.match(staffView.body, /Gestellt von Erika Mustermann für Mia Mustermann \(Kind\)/)
  })

  it('stops every route of the case at once when the mandate is revoked', async () => {
    await office.get(`/backoffice/cases/${caseId}`)
    await office.post(`/backoffice/cases/${caseId}/messages`, {
      subject: 'Rückfrage zu Mia',
      body: 'Bitte senden Sie uns den Kinderausweis.',
      version: await caseVersion(office, caseId),
    })
    const message = await db()
      .selectFrom('messages')
      .select('id')
      .where('case_id', '=', caseId)
      .where('direction', '=', 'to_applicant')
      .where('subject', '=', 'Rückfrage zu Mia')
      .executeTakeFirstOrThrow()
    const fileId = (await db().selectFrom('files').select('id').where('case_id', '=', caseId).executeTakeFirst())?.id
    assert.equal((await erika.get(`/account/postbox/${message.id}`)).statusCode, 200)
    // A draft begun for Mia stops too.
    await erika.get('/services/meldebescheinigung')
    const started = await erika.post('/services/meldebescheinigung/applications', { for: `mandate:${mandateId}` })
    const draftPage = String(started.headers.location)
    assert.equal((await erika.get(draftPage)).statusCode, 200)

    await erika.get('/account/mandates')
    assert.equal((await erika.post(`/account/mandates/${mandateId}/revoke`)).statusCode, 303)

    assert.equal((await erika.get(`/account/applications/${caseId}`)).statusCode, 404)
    assert.ok(!(await erika.get('/account/applications')).body.includes(reference))
    assert.equal((await erika.get(`/account/postbox/${message.id}`)).statusCode, 404)
    assert.doesNotMatch((await erika.get('/account/postbox')).body, /Rückfrage zu Mia/)
    assert.equal((await erika.post(`/account/postbox/${message.id}/reply`, { body: 'Hier' })).statusCode, 404)
    if (fileId) assert.equal((await erika.get(`/account/files/${fileId}`)).statusCode, 404)
    assert.equal((await erika.get(draftPage)).statusCode, 404)
    const again = await erika.post('/services/meldebescheinigung/applications', { for: `mandate:${mandateId}` })
    assert.equal(again.statusCode, 400, 'a revoked mandate is no choice any more')
    assert.equal((await erika.post(`/account/mandates/${mandateId}/revoke`)).statusCode, 409)
    // The office still has the case.
    assert.equal((await office.get(`/backoffice/cases/${caseId}`)).statusCode, 200)
  })
})

describe('a principal with an account of their own', () => {
  it('confirms through the link with their own address, sees the cases made for them, and may end the mandate', async () => {
    const paul = await citizenBrowser(platform, DEMO_BUSINESS_OWNER)
    const mandateId = await requestMandate(erika, {
      kind: 'authorised',
      givenName: 'Paul',
      familyName: 'Beispiel',
      birthDate: '1979-04-02',
      principalEmail: DEMO_BUSINESS_OWNER,
    })
    const mail = await mailTo(DEMO_BUSINESS_OWNER, /bestätigen Sie eine Vollmacht/)
    const link = /\/account\/mandates\/confirm\/[A-Za-z0-9_-]{43}/.exec(mail.body_text)![0]
    // Nobody else uses the link: not the agent, not an account of another address.
    assert.equal((await erika.get(link)).statusCode, 404)
    const business = await citizenBrowser(platform, DEMO_BUSINESS)
    const foreign = await business.get(link)
    assert.equal(foreign.statusCode, 403)
    assert.match(foreign.body, /an eine andere E-Mail-Adresse geschickt/)
    assert.equal((await business.post(link)).statusCode, 403)

    const page = await paul.get(link)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Erika Mustermann möchte für Paul Beispiel handeln/)
    assert.equal((await paul.post(link)).statusCode, 303)
    assert.equal((await paul.get(link)).statusCode, 404, 'used once')
    await approve(mandateId)

    const { caseId, reference } = await submitCase(
      platform,
      erika,
      'meldebescheinigung',
      {},
      {
        forWhom: `mandate:${mandateId}`,
      },
    )
    const list = await paul.get('/account/applications')
    assert.ok(list.body.includes(reference), 'the principal sees the case made for them')
    assert.equal((await paul.get(`/account/applications/${caseId}`)).statusCode, 200)
    assert.match((await paul.get('/account/mandates')).body, /Erika Mustermann handelt für Sie/)

    assert.equal((await paul.post(`/account/mandates/${mandateId}/revoke`)).statusCode, 303)
    await mailTo(DEMO_CITIZEN, /Vollmacht für Paul Beispiel ist beendet/)
    assert.equal((await erika.get(`/account/applications/${caseId}`)).statusCode, 404, 'the agent at once')
    assert.equal((await paul.get(`/account/applications/${caseId}`)).statusCode, 200, 'the principal keeps it')
    const ended = await db()
      .selectFrom('mandates')
      .select(['status', 'ended_by'])
      .where('id', '=', mandateId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(ended, { status: 'revoked', ended_by: 'principal' })
  })
})

describe('business accounts and their members', () => {
  let businessId = ''
  let ownerCase = { caseId: '', reference: '' }

  before(async () => {
    businessId = await accountId(DEMO_BUSINESS)
  })

  it('lets an owner apply for the company; the company and its owners see the case', async () => {
    const paul = await citizenBrowser(platform, DEMO_BUSINESS_OWNER)
    // A service for businesses only is open to a member (for the company), not to another person.
    const action = /action="\/services\/wochenmarkt-standplatz\/applications"/
    assert.match((await paul.get('/services/wochenmarkt-standplatz')).body, action)
    const outsider = await erika.get('/services/wochenmarkt-standplatz')
    assert.doesNotMatch(outsider.body, action)
    await erika.get('/services')
    assert.equal((await erika.post('/services/wochenmarkt-standplatz/applications')).statusCode, 403)
    ownerCase = await submitCase(platform, paul, 'wochenmarkt-standplatz', {}, { forWhom: `business:${businessId}` })
    const row = await db()
      .selectFrom('cases')
      .select(['applicant_name', 'business_account_id', 'represented_relation'])
      .where('id', '=', ownerCase.caseId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, {
      applicant_name: 'Bäckerei Beispiel GmbH',
      business_account_id: businessId,
      represented_relation: 'owner',
    })
    const company = await citizenBrowser(platform, DEMO_BUSINESS)
    const list = await company.get('/account/applications')
    assert.ok(list.body.includes(ownerCase.reference))
    assert.match(list.body, /Gestellt von Paul Beispiel für Bäckerei Beispiel GmbH/)
    assert.equal((await company.get(`/account/applications/${ownerCase.caseId}`)).statusCode, 200)
  })

  it('invites a clerk by e-mail, who applies for the company and sees only their own; removal stops it at once', async () => {
    const company = await citizenBrowser(platform, DEMO_BUSINESS)
    const membersUrl = `/account/business/${businessId}/members`
    assert.equal((await company.get(membersUrl)).statusCode, 200)
    const bad = await company.post(membersUrl, { email: 'kein-at-zeichen', role: 'boss' })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /E-Mail-Adresse im Format/)
    assert.match(bad.body, /Wählen Sie eine Rolle aus/)
    assert.ok(bad.body.includes('value="kein-at-zeichen"'))
    assert.equal((await company.post(membersUrl, { email: DEMO_CITIZEN, role: 'clerk' })).statusCode, 303)
    const mail = await mailTo(DEMO_CITIZEN, /Einladung von Bäckerei Beispiel GmbH/)
    const link = /\/account\/business\/invitations\/[A-Za-z0-9_-]{43}/.exec(mail.body_text)![0]
    const paul = await citizenBrowser(platform, DEMO_BUSINESS_OWNER)
    assert.equal((await paul.get(link)).statusCode, 403, 'another address')
    assert.equal((await erika.get(link)).statusCode, 200)
    assert.equal((await erika.post(link)).statusCode, 303)

    const clerkCase = await submitCase(
      platform,
      erika,
      'wochenmarkt-standplatz',
      {},
      { forWhom: `business:${businessId}` },
    )
    const erikaList = (await erika.get('/account/applications')).body
    assert.ok(erikaList.includes(clerkCase.reference))
    assert.ok(!erikaList.includes(ownerCase.reference), "a clerk does not see the owner's cases")
    assert.equal((await erika.get(`/account/applications/${ownerCase.caseId}`)).statusCode, 404)
    assert.ok((await paul.get('/account/applications')).body.includes(clerkCase.reference), 'the owner sees all')
    // A clerk does not manage members.
    assert.equal((await erika.get(membersUrl)).statusCode, 403)

    const member = await db()
      .selectFrom('business_members')
      .select('id')
      .where('business_account_id', '=', businessId)
      .where('invited_email', '=', DEMO_CITIZEN)
      .executeTakeFirstOrThrow()
    await company.get(membersUrl)
    assert.equal((await company.post(`${membersUrl}/${member.id}/remove`)).statusCode, 303)
    assert.equal((await erika.get(`/account/applications/${clerkCase.caseId}`)).statusCode, 404)
    assert.ok(!(await erika.get('/account/applications')).body.includes(clerkCase.reference))
    assert.equal((await company.get(`/account/applications/${clerkCase.caseId}`)).statusCode, 200)
  })

  it('answers 404 to outsiders for a company they do not belong to', async () => {
    const stranger = await citizenBrowser(platform)
    assert.equal((await stranger.get(`/account/business/${businessId}/members`)).statusCode, 404)
    await stranger.get('/account/mandates')
    assert.equal(
      (await stranger.post(`/account/business/${businessId}/members`, { email: 'a@b.de', role: 'owner' })).statusCode,
      404,
    )
  })
})

describe('my data', () => {
  it('exports the mandates of agent and principal, and erasure ends them and deletes their proofs', async () => {
    const erikaId = await accountId(DEMO_CITIZEN)
    const exported = (await mandatesHolder.exportFor(db(), erikaId)).data as { mandates: { youAre: string }[] }
    assert.ok(exported.mandates.length >= 4)
    assert.ok(exported.mandates.every(m => m.youAre === 'agent'))
    const paulId = await accountId(DEMO_BUSINESS_OWNER)
    const paulData = (await mandatesHolder.exportFor(db(), paulId)).data as {
      mandates: { youAre: string }[]
      memberships: unknown[]
    }
    assert.deepEqual(
      paulData.mandates.map(m => m.youAre),
      ['principal'],
    )
    assert.equal(paulData.memberships.length, 1)

    const open = await requestMandate(erika, { givenName: 'Emil' })
    const counts = await db()
      .transaction()
      .execute(trx => mandatesHolder.eraseFor(trx, erikaId))
    assert.ok(counts.some(c => c.subjectType === 'mandate-proof' && c.count >= 1))
    const row = await db()
      .selectFrom('mandates')
      .select(['status', 'ended_by', 'agent_account_id', 'proof_file_id'])
      .where('id', '=', open)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { status: 'revoked', ended_by: 'erasure', agent_account_id: null, proof_file_id: null })
  })
})
