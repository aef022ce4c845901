import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, type TestPlatform } from './support/test-platform.js'
import { apiAnswers } from './support/autofill.js'
import { forgetIdempotencyKeys, IDEMPOTENCY_KEY_DAYS } from '../src/modules/applications/applications.submit.js'
import { formatDate, todayInGermany } from '../src/platform/i18n/i18n.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform?.close()
})

const submit = (serviceId: string, body: unknown, headers: Record<string, string> = {}) =>
  platform.app.inject({
    method: 'POST',
    url: `/api/v1/services/${serviceId}/applications`,
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  })

async function caseRows(reference: string) {
  const db = platform.database.db
  const found = await db
    .selectFrom('cases')
    .select(['id', 'office_id', 'applicant_email', 'answers'])
    .where('reference', '=', reference)
    .execute()
  const audits = await db
    .selectFrom('audit_log')
    .select('id')
    .where('action', '=', 'case.create')
    .where('subject_id', 'in', found.length ? found.map(c => c.id) : ['00000000-0000-0000-0000-000000000000'])
    .execute()
  return { found, audits }
}

test('a complete submission opens one case with its timeline, audit row, e-file document and receipt mail', async () => {
  const definition = platform.app.services.get('fundtier-tierheim')
  const answers = apiAnswers(definition, { email: 'finder@example.org' })
  const res = await submit('fundtier-tierheim', { answers, lang: 'en' })
  assert.equal(res.statusCode, 201, res.body)
  assert.equal(res.headers['idempotent-replayed'], 'false')
  const { reference, service, replayed } = res.json()
  assert.match(reference, /^DO-\d{4}-\d{6}$/)
  assert.equal(service, 'fundtier-tierheim')
  assert.equal(replayed, false)
  const { found, audits } = await caseRows(reference)
  assert.equal(found.length, 1)
  assert.equal(audits.length, 1)
  assert.equal(found[0]!.applicant_email, 'finder@example.org')
  const events = await platform.database.db
    .selectFrom('case_events')
    .select('kind')
    .where('case_id', '=', found[0]!.id)
    .execute()
  assert.deepEqual(
    events.map(e => e.kind),
    ['submitted'],
  )
  const mail = await platform.database.db
    .selectFrom('mail_outbox')
    .select(['subject', 'body_text'])
    .where('recipient', '=', 'finder@example.org')
    .execute()
  assert.equal(mail.length, 1)
  assert.match(mail[0]!.subject, new RegExp(`Receipt: .*\\(${reference}\\)`))
})

test('the same Idempotency-Key returns the first case; the key with other answers is refused', async () => {
  const definition = platform.app.services.get('fundtier-tierheim')
  const answers = apiAnswers(definition, { email: 'retry@example.org' })
  const key = `retry-${Date.now()}`
  const first = await submit('fundtier-tierheim', { answers }, { 'idempotency-key': key })
  assert.equal(first.statusCode, 201, first.body)
  // Keys in another order are the same submission.
  const reordered = Object.fromEntries(Object.entries(answers).reverse())
  const [again, concurrent] = await Promise.all([
    submit('fundtier-tierheim', { answers: reordered }, { 'idempotency-key': key }),
    submit('fundtier-tierheim', { answers }, { 'idempotency-key': key }),
  ])
  for (const res of [again, concurrent]) {
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.headers['idempotent-replayed'], 'true')
    assert.equal(res.json().reference, first.json().reference)
  }
  const cases = await platform.database.db
    .selectFrom('cases')
    .select('id')
    .where('applicant_email', '=', 'retry@example.org')
    .execute()
  assert.equal(cases.length, 1)
  const other = await submit(
    'fundtier-tierheim',
    { answers: { ...answers, description: 'Ein anderer Hund, schwarz-weiß.' } },
    { 'idempotency-key': key, 'accept-language': 'de' },
  )
  assert.equal(other.statusCode, 422)
  assert.match(other.json().message, /schon für einen anderen Antrag/)
  const badKey = await submit('fundtier-tierheim', { answers }, { 'idempotency-key': 'mit leerzeichen' })
  assert.equal(badKey.statusCode, 400)
  assert.match(badKey.json().message, /Idempotency-Key/)
})

test('wrong answers get 422 naming each field and page in the asked language; nothing is written', async () => {
  const definition = platform.app.services.get('fundtier-tierheim')
  const answers = apiAnswers(definition, { email: 'kein-at-zeichen', nickname: 'Bello' })
  delete answers.description
  const before = await platform.database.db
    .selectFrom('cases')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  for (const [lang, unknown, email] of [
    ['de', /gibt es in diesem Antrag nicht/, /E-Mail/i],
    ['en', /has no field/, /e-mail/i],
  ] as const) {
    const res = await submit('fundtier-tierheim', { answers, lang })
    assert.equal(res.statusCode, 422)
    const body = res.json() as { message: string; errors: { field: string; page: string; message: string }[] }
    const byField = Object.fromEntries(body.errors.map(e => [e.field, e]))
    assert.match(byField.nickname!.message, unknown)
    assert.match(byField.email!.message, email)
    assert.ok(byField.description!.page, 'the page of a missing answer is named')
    assert.equal(
      byField.description!.page,
      definition.form.pages.find(p => p.fields.some(f => f.id === 'description'))!.id,
    )
  }
  const after = await platform.database.db
    .selectFrom('cases')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  assert.equal(Number(after.n), Number(before.n))
})

test('uploads travel base64-encoded, are judged by content and filed with the case', async () => {
  const definition = platform.app.services.get('bewohnerparkausweis')
  const answers = apiAnswers(definition, { email: 'anwohner@example.org' })
  const res = await submit('bewohnerparkausweis', { answers })
  assert.equal(res.statusCode, 201, res.body)
  const { found } = await caseRows(res.json().reference)
  const files = await platform.database.db
    .selectFrom('files')
    .select(['media_type', 'case_id'])
    .where('case_id', '=', found[0]!.id)
    .execute()
  const sent = Object.keys(answers).filter(
    id => typeof answers[id] === 'object' && answers[id] !== null && 'contentBase64' in (answers[id] as object),
  )
  assert.ok(sent.length > 0)
  assert.equal(files.length, sent.length)
  assert.ok(files.every(f => f.media_type === 'application/pdf' || f.media_type === 'image/png'))
  const fileField = { id: sent[0]! }
  const wrongType = await submit('bewohnerparkausweis', {
    answers: {
      ...answers,
      [fileField.id]: { filename: 'x.pdf', contentBase64: Buffer.from('just text, not a document').toString('base64') },
    },
    lang: 'en',
  })
  assert.equal(wrongType.statusCode, 422)
  assert.equal(wrongType.json().errors[0].field, fileField.id)
})

test('services the API does not take, unknown services and malformed bodies get 4xx with a message', async () => {
  const loginService = platform.app.services.all().find(d => d.loginRequired && !d.report)!
  const login = await submit(loginService.id, { answers: {} })
  assert.equal(login.statusCode, 403)
  assert.match(login.json().message, /Anmeldung|signing in/)
  const report = await submit('maengelmelder', { answers: {} })
  assert.equal(report.statusCode, 409)
  assert.equal((await submit('gibt-es-nicht', { answers: {} })).statusCode, 404)
  for (const body of [
    '{',
    '[]',
    JSON.stringify({ answers: [] }),
    JSON.stringify({ answers: { a: 1 } }),
    JSON.stringify({ answers: {}, extra: true }),
    JSON.stringify({ answers: { email: { contentBase64: '!!!', filename: 'a' } } }),
  ]) {
    const res = await submit('fundtier-tierheim', body)
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${body} → ${res.statusCode}`)
    assert.ok(typeof res.json().message === 'string')
  }
  const docs = await platform.app.inject({ method: 'GET', url: '/api/openapi.json' })
  assert.ok(docs.json().paths['/api/v1/services/{serviceId}/applications'].post)
})

test('idempotency keys are kept for 30 days; after that the same key is a new application', async () => {
  const definition = platform.app.services.get('fundtier-tierheim')
  const answers = apiAnswers(definition, { email: 'late-retry@example.org' })
  const key = `late-${Date.now()}`
  const first = await submit('fundtier-tierheim', { answers }, { 'idempotency-key': key })
  assert.equal(first.statusCode, 201)
  const db = platform.database.db
  assert.equal(await forgetIdempotencyKeys(db, new Date(Date.now() + (IDEMPOTENCY_KEY_DAYS - 1) * 86_400_000)), 0)
  assert.equal((await submit('fundtier-tierheim', { answers }, { 'idempotency-key': key })).statusCode, 200)
  assert.ok((await forgetIdempotencyKeys(db, new Date(Date.now() + (IDEMPOTENCY_KEY_DAYS + 1) * 86_400_000))) >= 1)
  const again = await submit('fundtier-tierheim', { answers }, { 'idempotency-key': key })
  assert.equal(again.statusCode, 201)
  assert.notEqual(again.json().reference, first.json().reference)
})

test("a date outside its bounds is refused with the bound written the reader's way, in German and English", async () => {
  const definition = platform.app.services.get('fundtier-tierheim')
  const future = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10)
  const today = formatDate(todayInGermany(), 'de')
  const german = await submit('fundtier-tierheim', {
    answers: apiAnswers(definition, { eventDate: future }),
    lang: 'de',
  })
  assert.equal(german.statusCode, 422, german.body)
  const problem = (lang: typeof german) =>
    (lang.json().errors as { field: string; message: string }[]).find(e => e.field === 'eventDate')!.message
  assert.ok(problem(german).endsWith(`darf nicht nach dem ${today} liegen.`), problem(german))
  assert.doesNotMatch(problem(german), /\d{4}-\d{2}-\d{2}/)
  const english = await submit('fundtier-tierheim', {
    answers: apiAnswers(definition, { eventDate: future }),
    lang: 'en',
  })
  assert.ok(problem(english).endsWith(`must not be after ${formatDate(todayInGermany(), 'en')}.`), problem(english))
})
