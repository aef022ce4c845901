import crypto from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { caseVersion, citizenBrowser, staffBrowser, submitCase } from './support/casework.js'
import { paySandboxIfAsked } from './support/autofill.js'
import { DEMO_BUSINESS, DEMO_CITIZEN, DEMO_TREASURY } from '../src/seed.js'
import { startJobWorker, type JobWorker } from '../src/platform/jobs/index.js'
import { buildJobRegistry } from '../src/jobs.js'
import { issueRecurringFeeNotices, periodContaining, reconcilePayments } from '../src/modules/payments/index.js'
import { countWeekdays, parseEuroAmount } from '../src/modules/payments/payments.fees.js'
import { submitPaidDraft } from '../src/modules/applications/index.js'

let platform: TestPlatform
let worker: JobWorker
const silent = { info() {}, warn() {}, error() {} }
before(async () => {
  platform = await startTestPlatform()
  worker = await startJobWorker(
    platform.database.db,
    buildJobRegistry({
      db: platform.database.db,
      config: platform.config,
      services: platform.app.services,
      log: silent,
    }),
    { log: silent, polling: false },
  )
})
after(async () => {
  await worker.stop()
  await platform.close()
})

const db = () => platform.database.db
const noticesOf = (caseId: string) =>
  db().selectFrom('fee_notices').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute()
const paymentsOfCase = (caseId: string) =>
  db().selectFrom('payments').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute()
const fileText = async (fileId: string) => {
  const file = await db()
    .selectFrom('files')
    .select(['content', 'media_type'])
    .where('id', '=', fileId)
    .executeTakeFirstOrThrow()
  assert.equal(file.media_type, 'application/pdf')
  const tmp = path.join(os.tmpdir(), `bauhaus-${fileId}.pdf`)
  fs.writeFileSync(tmp, file.content)
  try {
    return execFileSync('pdftotext', ['-layout', tmp, '-'], { encoding: 'utf8' })
  } finally {
    fs.rmSync(tmp)
  }
}

/** A tree-felling case of the demo citizen, and the Umweltamt caseworker's browser. */
async function treeCase(treeCount = '3') {
  const citizen = await citizenBrowser(platform)
  const { caseId, reference } = await submitCase(platform, citizen, 'baumfaellung', { measure: 'felling', treeCount })
  return { citizen, caseId, reference, staff: await staffBrowser(platform, 'umweltamt') }
}

async function issueNotice(staff: TestBrowser, caseId: string, form: Record<string, string> = {}) {
  const page = await staff.get(`/backoffice/cases/${caseId}/fee-notice`)
  assert.equal(page.statusCode, 200)
  const dueOn = /name="dueOn" type="date" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
  return staff.post(`/backoffice/cases/${caseId}/fee-notice`, { dueOn, extraLabel: '', extraAmount: '', ...form })
}

/** The citizen pays a notice from the postbox like a person would: message, notice page, "pay now", sandbox. */
async function payNotice(citizen: TestBrowser, noticeId: string, action: 'pay' | 'fail' = 'pay') {
  const page = await citizen.get(`/account/fee-notices/${noticeId}`)
  assert.equal(page.statusCode, 200)
  const res = await citizen.post(`/account/fee-notices/${noticeId}/pay`)
  assert.equal(res.statusCode, 303)
  assert.match(String(res.headers.location), /^\/payments\/sandbox\//)
  return paySandboxIfAsked(citizen, res, action)
}

describe('fee notices', () => {
  it('a caseworker issues a fee notice from the definition; it reaches the postbox as a tagged PDF and is paid online', async () => {
    const { citizen, caseId, reference, staff } = await treeCase('3')
    const form = await staff.get(`/backoffice/cases/${caseId}/fee-notice`)
    assert.match(form.body, /150,00/) // 3 trees × 50,00 €
    const res = await issueNotice(staff, caseId, { extraLabel: 'Auslagen Ortsbesichtigung', extraAmount: '12,50' })
    assert.equal(res.statusCode, 303)
    const [notice] = await noticesOf(caseId)
    assert.ok(notice)
    assert.equal(notice.amount_cents, 16250)
    assert.equal(notice.status, 'open')
    assert.match(notice.number, /^GB-\d{4}-[0-9A-Z]{10}$/)

    const text = await fileText(notice.file_id!)
    assert.match(text, /Gebührenbescheid/)
    assert.match(text, new RegExp(notice.number))
    assert.match(text, /162,50/)
    assert.match(text, /Kassenzeichen/)
    assert.match(text, /Rechtsbehelfsbelehrung/)
    // DIN 5008: the applicant's name and postal address (from the answers) stand in the window, above the subject.
    const c = await db()
      .selectFrom('cases')
      .select(['applicant_name', 'answers'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow()
    const address = (
      c.answers as Record<string, { street: string; houseNumber: string; postalCode: string; city: string }>
    ).applicantAddress!
    const window = text.slice(0, text.indexOf('Gebührenbescheid'))
    assert.match(window, new RegExp(c.applicant_name))
    assert.match(window, new RegExp(`${address.street} ${address.houseNumber}`))
    assert.match(window, new RegExp(`${address.postalCode} ${address.city}`))
    const caseView = await staff.get(`/backoffice/cases/${caseId}`)
    assert.match(caseView.body, new RegExp(`Gebührenbescheid ${notice.number}`))

    // The postbox message carries the PDF and leads to "pay now".
    const message = await citizen.get(`/account/postbox/${notice.message_id}`)
    assert.equal(message.statusCode, 200)
    assert.match(message.body, new RegExp(`/account/files/${notice.file_id}`))
    assert.match(message.body, new RegExp(`/account/fee-notices/${notice.id}`))
    const download = await citizen.get(`/account/files/${notice.file_id}`)
    assert.equal(download.statusCode, 200)
    assert.equal(download.headers['content-type'], 'application/pdf')

    // A failed attempt changes nothing; the second one pays.
    await payNotice(citizen, notice.id, 'fail')
    assert.equal((await noticesOf(caseId))[0]!.status, 'open')
    const afterFail = await citizen.get(`/account/fee-notices/${notice.id}`)
    assert.match(afterFail.body, /fehlgeschlagen/)
    await payNotice(citizen, notice.id)
    assert.equal((await noticesOf(caseId))[0]!.status, 'paid')
    const paid = (await paymentsOfCase(caseId)).filter(p => p.status === 'paid')
    assert.equal(paid.length, 1)
    assert.equal(paid[0]!.amount_cents, 16250)
    assert.equal(paid[0]!.fee_notice_id, notice.id)
    const again = await citizen.post(`/account/fee-notices/${notice.id}/pay`)
    assert.equal(again.headers.location, `/account/fee-notices/${notice.id}`, 'a paid notice is not paid twice')

    // The receipt job puts a PDF receipt into the postbox, once.
    await worker.runDueJobs()
    await worker.runDueJobs()
    const receipts = await db()
      .selectFrom('messages')
      .select('id')
      .where('case_id', '=', caseId)
      .where('subject', 'like', 'Zahlungsquittung%')
      .execute()
    assert.equal(receipts.length, 1)
    const payment = await db()
      .selectFrom('payments')
      .select(['receipt_file_id', 'reference'])
      .where('id', '=', paid[0]!.id)
      .executeTakeFirstOrThrow()
    const receipt = await fileText(payment.receipt_file_id!)
    assert.match(receipt, /Zahlungsquittung/)
    assert.match(receipt, /162,50/)
    assert.match(receipt, new RegExp(payment.reference))
    assert.match(receipt, new RegExp(reference))
    const events = await db().selectFrom('case_events').select('kind').where('case_id', '=', caseId).execute()
    assert.ok(events.some(e => e.kind === 'fee_notice_issued'))
    assert.ok(events.some(e => e.kind === 'payment_paid'))
  })

  it('mails the notice as a PDF to an applicant without an account, who has no postbox', async () => {
    const anonymous = new TestBrowser(platform)
    const { caseId } = await submitCase(platform, anonymous, 'baumfaellung', {
      measure: 'felling',
      treeCount: '1',
      email: 'ohne.konto@example.org',
    })
    const staff = await staffBrowser(platform, 'umweltamt')
    await issueNotice(staff, caseId)
    const [notice] = await noticesOf(caseId)
    assert.equal(notice!.account_id, null, 'payable by transfer only')
    const mail = await db()
      .selectFrom('mail_outbox')
      .innerJoin('mail_attachments', 'mail_attachments.mail_id', 'mail_outbox.id')
      .select(['mail_outbox.body_text', 'mail_attachments.file_id'])
      .where('mail_outbox.recipient', '=', 'ohne.konto@example.org')
      .where('mail_attachments.file_id', '=', notice!.file_id!)
      .executeTakeFirstOrThrow()
    assert.match(mail.body_text, new RegExp(`Kassenzeichen ${notice!.number}`))
  })

  it('a second "pay now" while the first is still reaching the provider opens no second payment', async () => {
    const { citizen, caseId, staff } = await treeCase('1')
    await issueNotice(staff, caseId)
    const [notice] = await noticesOf(caseId)
    // The first click's payment exists but has no provider page yet (it is being started right now).
    await db()
      .insertInto('payments')
      .values({
        id: crypto.randomUUID(),
        reference: 'BH-TEST-STARTING',
        service_id: 'baumfaellung',
        office_id: 'umweltamt',
        case_id: caseId,
        fee_notice_id: notice!.id,
        account_id: notice!.account_id,
        amount_cents: notice!.amount_cents,
        description: 'x',
        provider: 'sandbox',
      })
      .execute()
    await citizen.get(`/account/fee-notices/${notice!.id}`)
    const second = await citizen.post(`/account/fee-notices/${notice!.id}/pay`)
    assert.equal(second.headers.location, `/account/fee-notices/${notice!.id}`, 'waits for the first attempt')
    assert.deepEqual(
      (await paymentsOfCase(caseId)).map(p => [p.reference, p.status]),
      [['BH-TEST-STARTING', 'open']],
    )
  })

  it('refuses wrong input on the notice form with messages that keep what was typed', async () => {
    const { caseId, staff } = await treeCase('1')
    await staff.get(`/backoffice/cases/${caseId}/fee-notice`)
    const res = await staff.post(`/backoffice/cases/${caseId}/fee-notice`, {
      dueOn: '2020-01-01',
      extraLabel: '',
      extraAmount: '12,5x',
    })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /Betrag in Euro/)
    assert.match(res.body, /Fälligkeitsdatum muss zwischen/)
    assert.match(res.body, /value="12,5x"/)
    const impossible = await staff.post(`/backoffice/cases/${caseId}/fee-notice`, {
      dueOn: '2030-02-30',
      extraLabel: '',
      extraAmount: '',
    })
    assert.equal(impossible.statusCode, 400)
    assert.match(impossible.body, /Fälligkeitsdatum als Datum/)
    assert.equal((await noticesOf(caseId)).length, 0)
  })

  it('only the addressee can see or pay a notice; other offices cannot issue one', async () => {
    const { caseId, staff } = await treeCase('2')
    await issueNotice(staff, caseId)
    const [notice] = await noticesOf(caseId)
    const business = await citizenBrowser(platform, DEMO_BUSINESS)
    assert.equal((await business.get(`/account/fee-notices/${notice!.id}`)).statusCode, 404)
    await business.get('/account/postbox')
    assert.equal((await business.post(`/account/fee-notices/${notice!.id}/pay`)).statusCode, 404)
    assert.equal((await paymentsOfCase(caseId)).length, 0)
    const refused = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'fee_notice.pay.refused')
      .where('subject_id', '=', notice!.id)
      .executeTakeFirst()
    assert.ok(refused, 'the refused attempt is in the audit log')
    const otherOffice = await staffBrowser(platform, 'buergerdienste')
    assert.equal((await otherOffice.get(`/backoffice/cases/${caseId}/fee-notice`)).statusCode, 404)
    await otherOffice.get('/backoffice')
    assert.equal(
      (await otherOffice.post(`/backoffice/cases/${caseId}/fee-notice`, { dueOn: '2030-01-01' })).statusCode,
      404,
    )
  })

  it('an open notice can be withdrawn and issued anew; a paid one cannot', async () => {
    const { citizen, caseId, staff } = await treeCase('2')
    await issueNotice(staff, caseId)
    const [first] = await noticesOf(caseId)
    await citizen.post(`/account/fee-notices/${first!.id}/pay`) // an open payment at the provider, abandoned
    const view = await staff.get(`/backoffice/cases/${caseId}`)
    assert.match(view.body, new RegExp(`/backoffice/fee-notices/${first!.id}/cancel`))
    assert.equal((await staff.post(`/backoffice/fee-notices/${first!.id}/cancel`)).statusCode, 303)
    assert.equal((await noticesOf(caseId))[0]!.status, 'cancelled')
    assert.deepEqual(
      (await paymentsOfCase(caseId)).map(p => p.status),
      ['cancelled'],
    )
    const told = await db()
      .selectFrom('messages')
      .select('subject')
      .where('case_id', '=', caseId)
      .where('subject', 'like', '%aufgehoben%')
      .execute()
    assert.equal(told.length, 1)
    assert.equal(
      (await citizen.post(`/account/fee-notices/${first!.id}/pay`)).headers.location,
      `/account/fee-notices/${first!.id}`,
      'a withdrawn notice is not paid',
    )
    await staff.get(`/backoffice/cases/${caseId}`)
    assert.equal((await staff.post(`/backoffice/fee-notices/${first!.id}/cancel`)).statusCode, 409)

    await issueNotice(staff, caseId)
    const second = (await noticesOf(caseId))[1]!
    await payNotice(citizen, second.id)
    await staff.get(`/backoffice/cases/${caseId}`)
    const refused = await staff.post(`/backoffice/fee-notices/${second.id}/cancel`)
    assert.equal(refused.statusCode, 409)
    assert.match(refused.body, /erstatten Sie bitte die Zahlung/)
    const other = await staffBrowser(platform, 'buergerdienste')
    await other.get('/backoffice')
    assert.equal((await other.post(`/backoffice/fee-notices/${second.id}/cancel`)).statusCode, 404)
  })

  it('a transition that requires payment waits until the fee notice is paid', async () => {
    const citizen = await citizenBrowser(platform)
    const { caseId } = await submitCase(platform, citizen, 'bewohnerparkausweis')
    const staff = await staffBrowser(platform, 'strassenverkehrsamt')
    assert.equal(
      (
        await staff.post(`/backoffice/cases/${caseId}/transitions`, {
          transitionId: 'start',
          version: await caseVersion(staff, caseId),
        })
      ).statusCode,
      303,
    )
    const blocked = await staff.post(`/backoffice/cases/${caseId}/transitions`, {
      transitionId: 'approve',
      version: await caseVersion(staff, caseId),
    })
    assert.equal(blocked.statusCode, 409)
    // The case again, not an error page: what was refused, and the fee notice as the way forward.
    assert.match(blocked.body, /„Ausweis ausstellen“ wurde nicht ausgeführt: Gebühr noch offen/)
    assert.match(
      blocked.body,
      new RegExp(`href="/backoffice/cases/${caseId}/fee-notice">Gebührenbescheid jetzt erstellen`),
    )
    assert.match(
      blocked.body,
      /<button type="submit" class="kern-btn kern-btn--secondary" name="transitionId" value="approve" disabled/,
    )
    await issueNotice(staff, caseId)
    const [notice] = await noticesOf(caseId)
    assert.equal(notice!.amount_cents, 3070)
    const waiting = await staff.post(`/backoffice/cases/${caseId}/transitions`, {
      transitionId: 'approve',
      version: await caseVersion(staff, caseId),
    })
    assert.equal(waiting.statusCode, 409, 'an open notice still blocks')
    assert.match(waiting.body, /erst möglich, wenn der Gebührenbescheid bezahlt ist/)
    await payNotice(citizen, notice!.id)
    assert.equal(
      (
        await staff.post(`/backoffice/cases/${caseId}/transitions`, {
          transitionId: 'approve',
          version: await caseVersion(staff, caseId),
        })
      ).statusCode,
      303,
    )
    const row = await db().selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow()
    assert.equal(row.status, 'approved')
  })
})

/** A tree-felling case whose fee notice (50,00 € a tree) the citizen paid online. */
async function paidCase(treeCount = '2') {
  const { caseId, citizen, reference, staff } = await treeCase(treeCount)
  await issueNotice(staff, caseId)
  const [notice] = await noticesOf(caseId)
  await payNotice(citizen, notice!.id)
  const [payment] = (await paymentsOfCase(caseId)).filter(p => p.status === 'paid')
  return { caseId, citizen, reference, staff, payment: payment! }
}

const providerRefunded = async (providerPaymentId: string) =>
  Number(
    (
      await db()
        .selectFrom('sandbox_provider_refunds')
        .select(eb => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), eb.lit(0)).as('sum'))
        .where('payment_id', '=', providerPaymentId)
        .executeTakeFirstOrThrow()
    ).sum,
  )
const requestsOf = (paymentId: string) =>
  db().selectFrom('payment_refund_requests').selectAll().where('payment_id', '=', paymentId).execute()

describe('refunds', () => {
  it('refunds part, then the rest; never more than was paid; a reason is required', async () => {
    const { caseId, staff, payment } = await paidCase()
    const form = await staff.get(`/backoffice/payments/${payment.id}/refund`)
    assert.equal(form.statusCode, 200)
    assert.match(form.body, /100,00/)
    const noReason = await staff.post(`/backoffice/payments/${payment.id}/refund`, { amount: '30,00', reason: '' })
    assert.equal(noReason.statusCode, 400)
    assert.match(noReason.body, /begründen/)
    assert.match(noReason.body, /value="30,00"/)
    assert.equal(
      (await staff.post(`/backoffice/payments/${payment.id}/refund`, { amount: '30,00', reason: 'Ein Baum entfällt' }))
        .statusCode,
      303,
    )
    let row = await db()
      .selectFrom('payments')
      .select(['status', 'refunded_cents'])
      .where('id', '=', payment.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { status: 'paid', refunded_cents: 3000 })
    await staff.get(`/backoffice/payments/${payment.id}/refund`)
    const tooMuch = await staff.post(`/backoffice/payments/${payment.id}/refund`, {
      amount: '70,01',
      reason: 'zu viel',
    })
    assert.equal(tooMuch.statusCode, 409)
    assert.match(tooMuch.body, /höher als das, was noch erstattet werden kann \(70,00/)
    assert.equal(
      (
        await staff.post(`/backoffice/payments/${payment.id}/refund`, {
          amount: '70,00',
          reason: 'Antrag zurückgenommen',
        })
      ).statusCode,
      303,
    )
    row = await db()
      .selectFrom('payments')
      .select(['status', 'refunded_cents'])
      .where('id', '=', payment.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { status: 'refunded', refunded_cents: 10000 })
    const provider = await db()
      .selectFrom('sandbox_provider_refunds')
      .select(eb => eb.fn.sum<number>('amount_cents').as('sum'))
      .where('payment_id', '=', payment.provider_payment_id!)
      .executeTakeFirstOrThrow()
    assert.equal(Number(provider.sum), 10000, 'the provider paid back exactly what we booked')
    const events = await db()
      .selectFrom('case_events')
      .select('kind')
      .where('case_id', '=', caseId)
      .where('kind', '=', 'payment_refunded')
      .execute()
    assert.equal(events.length, 2)
  })

  it('two refunds at once can never together exceed the payment', async () => {
    const { staff, payment } = await paidCase()
    const second = await staffBrowser(platform, 'umweltamt', 'team_lead')
    await staff.get(`/backoffice/payments/${payment.id}/refund`)
    await second.get(`/backoffice/payments/${payment.id}/refund`)
    const results = await Promise.all([
      staff.post(`/backoffice/payments/${payment.id}/refund`, { amount: '60,00', reason: 'erste' }),
      second.post(`/backoffice/payments/${payment.id}/refund`, { amount: '60,00', reason: 'zweite' }),
    ])
    assert.deepEqual(results.map(r => r.statusCode).sort(), [303, 409])
    const row = await db()
      .selectFrom('payments')
      .select('refunded_cents')
      .where('id', '=', payment.id)
      .executeTakeFirstOrThrow()
    assert.equal(row.refunded_cents, 6000)
  })

  it('only staff of the case office can refund', async () => {
    const { payment } = await paidCase()
    const other = await staffBrowser(platform, 'buergerdienste')
    assert.equal((await other.get(`/backoffice/payments/${payment.id}/refund`)).statusCode, 404)
    await other.get('/backoffice')
    assert.equal(
      (await other.post(`/backoffice/payments/${payment.id}/refund`, { amount: '1,00', reason: 'x' })).statusCode,
      404,
    )
    const citizen = await citizenBrowser(platform)
    assert.equal(
      (await citizen.post(`/backoffice/payments/${payment.id}/refund`, { amount: '1,00', reason: 'x' })).statusCode,
      403,
    )
  })
})

describe('refunds above the approval amount (four-eyes principle)', () => {
  /** 150,00 € paid, above the default REFUND_APPROVAL_ABOVE_CENTS of 100,00 €; the caseworker asks to pay it all back. */
  async function requestedRefund() {
    const paid = await paidCase('3')
    assert.equal(paid.payment.amount_cents, 15000)
    await paid.staff.get(`/backoffice/payments/${paid.payment.id}/refund`)
    const res = await paid.staff.post(`/backoffice/payments/${paid.payment.id}/refund`, {
      amount: '150,00',
      reason: 'Fällung nicht nötig',
    })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/backoffice/payments/${paid.payment.id}/refund`)
    const [request] = await requestsOf(paid.payment.id)
    assert.ok(request)
    return { ...paid, request }
  }

  it('only requests a refund above the amount: nothing is reserved or paid back until a second person approves', async () => {
    const { staff, payment, request } = await requestedRefund()
    assert.equal(request.status, 'requested')
    assert.equal(
      (await db().selectFrom('payment_refunds').select('id').where('payment_id', '=', payment.id).execute()).length,
      0,
      'nothing reserved',
    )
    assert.equal(await providerRefunded(payment.provider_payment_id!), 0)
    const page = await staff.get(`/backoffice/payments/${payment.id}/refund`)
    assert.match(page.body, /wartet auf Freigabe/)
    assert.match(page.body, /zusammen 100,00\s€, wird erst ausgezahlt/)

    const lead = await staffBrowser(platform, 'umweltamt', 'team_lead')
    assert.match(
      (await lead.get('/backoffice')).body,
      /href="\/backoffice\/refund-requests"/,
      'found from the navigation',
    )
    const list = await lead.get('/backoffice/refund-requests')
    assert.equal(list.statusCode, 200)
    assert.match(list.body, new RegExp(payment.reference))
    assert.match(list.body, /Fällung nicht nötig/)
    assert.equal((await lead.post(`/backoffice/refund-requests/${request.id}/approve`)).statusCode, 303)
    const row = await db()
      .selectFrom('payments')
      .select(['status', 'refunded_cents'])
      .where('id', '=', payment.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { status: 'refunded', refunded_cents: 15000 })
    assert.equal(await providerRefunded(payment.provider_payment_id!), 15000)
    const [decided] = await requestsOf(payment.id)
    assert.equal(decided!.status, 'approved')
    const actions = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', payment.id)
      .where('action', 'like', 'payment.refund%')
      .orderBy('id')
      .execute()
    assert.deepEqual(
      actions.map(a => a.action),
      ['payment.refund.approvalRequest', 'payment.refund.approve', 'payment.refund.request', 'payment.refund'],
    )
  })

  it('counts what the payment already paid back, so splitting a large refund does not avoid the second person', async () => {
    const { staff, payment } = await paidCase('3')
    await staff.get(`/backoffice/payments/${payment.id}/refund`)
    assert.equal(
      (await staff.post(`/backoffice/payments/${payment.id}/refund`, { amount: '80,00', reason: 'erster Teil' }))
        .statusCode,
      303,
    )
    assert.equal(await providerRefunded(payment.provider_payment_id!), 8000, 'up to 100,00 € one person suffices')
    await staff.get(`/backoffice/payments/${payment.id}/refund`)
    const second = await staff.post(`/backoffice/payments/${payment.id}/refund`, {
      amount: '70,00',
      reason: 'zweiter Teil',
    })
    assert.equal(second.headers.location, `/backoffice/payments/${payment.id}/refund`)
    assert.equal(await providerRefunded(payment.provider_payment_id!), 8000, '150,00 € in all waits for approval')
    assert.deepEqual(
      (await requestsOf(payment.id)).map(r => [r.amount_cents, r.status]),
      [[7000, 'requested']],
    )
  })

  it('never lets the requester approve or reject their own request, only withdraw it', async () => {
    const { staff, payment, request } = await requestedRefund()
    const list = await staff.get('/backoffice/refund-requests')
    assert.match(list.body, /Diese Erstattung haben Sie beantragt/)
    assert.doesNotMatch(list.body, new RegExp(`${request.id}/approve`))
    const own = await staff.post(`/backoffice/refund-requests/${request.id}/approve`)
    assert.equal(own.statusCode, 403)
    assert.match(own.body, /nur eine zweite Person freigeben/)
    assert.equal(
      (await staff.post(`/backoffice/refund-requests/${request.id}/reject`, { reason: 'doch nicht' })).statusCode,
      403,
    )
    assert.equal(await providerRefunded(payment.provider_payment_id!), 0)
    const lead = await staffBrowser(platform, 'umweltamt', 'team_lead')
    await lead.get('/backoffice/refund-requests')
    assert.equal(
      (await lead.post(`/backoffice/refund-requests/${request.id}/withdraw`)).statusCode,
      403,
      'only the requester withdraws',
    )
    assert.equal((await staff.post(`/backoffice/refund-requests/${request.id}/withdraw`)).statusCode, 303)
    assert.equal((await requestsOf(payment.id))[0]!.status, 'withdrawn')
    assert.equal(
      (await lead.post(`/backoffice/refund-requests/${request.id}/approve`)).statusCode,
      409,
      'a withdrawn request cannot be approved',
    )
    assert.equal(await providerRefunded(payment.provider_payment_id!), 0)
  })

  it('is rejected by a second person with a reason the requester sees', async () => {
    const { staff, payment, request } = await requestedRefund()
    const kasse = await staffBrowser(platform, 'stadtkasse-steueramt', 'caseworker', DEMO_TREASURY)
    assert.match(
      (await kasse.get('/backoffice/treasury')).body,
      /href="\/backoffice\/treasury\/refund-requests"/,
      'found from the treasury page',
    )
    const list = await kasse.get('/backoffice/treasury/refund-requests')
    assert.equal(list.statusCode, 200)
    assert.match(list.body, new RegExp(payment.reference))
    const noReason = await kasse.post(`/backoffice/treasury/refund-requests/${request.id}/reject`, { reason: '' })
    assert.equal(noReason.statusCode, 400)
    assert.match(noReason.body, new RegExp(`href="#reason-${request.id}"`))
    assert.equal(
      (
        await kasse.post(`/backoffice/treasury/refund-requests/${request.id}/reject`, {
          reason: 'Gebühr bleibt fällig',
        })
      ).statusCode,
      303,
    )
    const [rejected] = await requestsOf(payment.id)
    assert.equal(rejected!.status, 'rejected')
    assert.equal(await providerRefunded(payment.provider_payment_id!), 0)
    const page = await staff.get(`/backoffice/payments/${payment.id}/refund`)
    assert.match(page.body, /abgelehnt/)
    assert.match(page.body, /Gebühr bleibt fällig/)
  })

  it('pays back once when two people approve the same request at the same moment', async () => {
    const { payment, request } = await requestedRefund()
    const lead = await staffBrowser(platform, 'umweltamt', 'team_lead')
    const kasse = await staffBrowser(platform, 'stadtkasse-steueramt', 'caseworker', DEMO_TREASURY)
    await lead.get('/backoffice/refund-requests')
    await kasse.get('/backoffice/treasury/refund-requests')
    const results = await Promise.all([
      lead.post(`/backoffice/refund-requests/${request.id}/approve`),
      kasse.post(`/backoffice/treasury/refund-requests/${request.id}/approve`),
    ])
    assert.deepEqual(results.map(r => r.statusCode).sort(), [303, 409])
    assert.equal(await providerRefunded(payment.provider_payment_id!), 15000)
    const refunds = await db()
      .selectFrom('payment_refunds')
      .select(['id', 'status'])
      .where('payment_id', '=', payment.id)
      .execute()
    assert.deepEqual(refunds, [{ id: request.id, status: 'succeeded' }])
  })

  it('answers 404 to staff of another office, and 403 to a citizen', async () => {
    const { payment, request } = await requestedRefund()
    const other = await staffBrowser(platform, 'buergerdienste', 'team_lead')
    const list = await other.get('/backoffice/refund-requests')
    assert.equal(list.statusCode, 200)
    assert.doesNotMatch(list.body, new RegExp(payment.reference))
    for (const action of ['approve', 'withdraw'])
      assert.equal((await other.post(`/backoffice/refund-requests/${request.id}/${action}`)).statusCode, 404, action)
    assert.equal(
      (await other.post(`/backoffice/refund-requests/${request.id}/reject`, { reason: 'x' })).statusCode,
      404,
    )
    assert.equal((await other.post(`/backoffice/refund-requests/${crypto.randomUUID()}/approve`)).statusCode, 404)
    assert.equal((await other.get('/backoffice/treasury/refund-requests')).statusCode, 403)
    const citizen = await citizenBrowser(platform)
    assert.equal((await citizen.post(`/backoffice/refund-requests/${request.id}/approve`)).statusCode, 403)
    assert.equal((await requestsOf(payment.id))[0]!.status, 'requested')
  })
})

describe('the payer is told of a refund', () => {
  it('gets a postbox message and a mail in the language of the application, with amount, reason and reference', async () => {
    const { caseId, reference, staff, payment } = await paidCase('1')
    await staff.get(`/backoffice/payments/${payment.id}/refund`)
    assert.equal(
      (await staff.post(`/backoffice/payments/${payment.id}/refund`, { amount: '20,00', reason: 'Ortstermin entfiel' }))
        .statusCode,
      303,
    )
    const messages = await db()
      .selectFrom('messages')
      .select(['subject', 'body', 'account_id'])
      .where('case_id', '=', caseId)
      .where('subject', 'like', 'Erstattung%')
      .execute()
    assert.equal(messages.length, 1)
    const [message] = messages
    assert.equal(message!.subject, `Erstattung zu Ihrem Antrag ${reference}`)
    assert.match(message!.body, /20,00\s€/)
    assert.match(message!.body, /Ortstermin entfiel/)
    assert.match(message!.body, new RegExp(payment.reference))
    assert.ok(message!.account_id, "in the account holder's postbox")
    const mails = await db()
      .selectFrom('mail_outbox')
      .select(['recipient', 'subject'])
      .where('subject', 'like', `%${reference}%`)
      .execute()
    assert.ok(
      mails.some(m => m.recipient === DEMO_CITIZEN),
      'and a mail that points to it',
    )
  })

  it('writes to someone who applied in English in English', async () => {
    const citizen = await citizenBrowser(platform)
    await citizen.get('/language/en?return=/')
    const { caseId, reference } = await submitCase(platform, citizen, 'baumfaellung', {
      measure: 'felling',
      treeCount: '1',
    })
    const staff = await staffBrowser(platform, 'umweltamt')
    await issueNotice(staff, caseId)
    const [notice] = await noticesOf(caseId)
    await payNotice(citizen, notice!.id)
    const [payment] = await paymentsOfCase(caseId)
    await staff.get(`/backoffice/payments/${payment!.id}/refund`)
    assert.equal(
      (
        await staff.post(`/backoffice/payments/${payment!.id}/refund`, {
          amount: '50,00',
          reason: 'Felling not needed',
        })
      ).statusCode,
      303,
    )
    const message = await db()
      .selectFrom('messages')
      .select(['subject', 'body'])
      .where('case_id', '=', caseId)
      .where('subject', 'like', 'Refund%')
      .executeTakeFirstOrThrow()
    assert.equal(message.subject, `Refund for your application ${reference}`)
    assert.match(message.body, /We have refunded €50\.00/)
    assert.match(message.body, /Felling not needed/)
  })
})

describe('reconciliation', () => {
  it('books a payment the provider took while its notification never arrived, and makes the case', async () => {
    const citizen = await citizenBrowser(platform)
    const { fillDraft } = await import('./support/autofill.js')
    const { draftId } = await fillDraft(citizen, platform.app.services.get('fuehrungszeugnis'), { feeExemption: 'no' })
    const res = await citizen.post(`/applications/${draftId}/submit`)
    const providerPaymentId = String(res.headers.location).split('/').pop()!
    // The payer paid at the provider, but the notification was lost (our server was down).
    await db()
      .updateTable('sandbox_provider_payments')
      .set({ status: 'paid', completed_at: new Date() })
      .where('id', '=', providerPaymentId)
      .execute()
    const onDraftPaid = (id: string) => submitPaidDraft(db(), platform.app.services, id, platform.app.contactRouting)
    const early = await reconcilePayments(db(), platform.app.paymentProvider, {
      onDraftPaid,
      baseUrl: platform.config.baseUrl,
    })
    assert.equal(early.checked, 0, 'young payments are left to their notification')
    const later = new Date(Date.now() + 10 * 60_000)
    const report = await reconcilePayments(db(), platform.app.paymentProvider, {
      onDraftPaid,
      now: later,
      baseUrl: platform.config.baseUrl,
    })
    assert.equal(report.booked, 1)
    const payment = await db()
      .selectFrom('payments')
      .select(['status', 'case_id', 'provider_status'])
      .where('draft_id', '=', draftId)
      .executeTakeFirstOrThrow()
    assert.equal(payment.status, 'paid')
    assert.equal(payment.provider_status, 'paid')
    assert.ok(payment.case_id, 'the paid draft became a case')
    const again = await reconcilePayments(db(), platform.app.paymentProvider, {
      onDraftPaid,
      now: later,
      baseUrl: platform.config.baseUrl,
    })
    assert.equal(again.booked, 0, 'asking again books nothing twice')
  })

  it('records, and never un-books, a paid payment the provider does not confirm', async () => {
    const { citizen, caseId, staff } = await treeCase('1')
    await issueNotice(staff, caseId)
    const [notice] = await noticesOf(caseId)
    await payNotice(citizen, notice!.id)
    const [payment] = await paymentsOfCase(caseId)
    // The provider's book says otherwise (e.g. a charge-back): a discrepancy for the treasury.
    await db()
      .updateTable('sandbox_provider_payments')
      .set({ status: 'failed' })
      .where('id', '=', payment!.provider_payment_id!)
      .execute()
    const report = await reconcilePayments(db(), platform.app.paymentProvider, {
      onDraftPaid: async () => {},
      baseUrl: platform.config.baseUrl,
      now: new Date(Date.now() + 10 * 60_000),
    })
    assert.ok(report.disagreements >= 1)
    const row = await db()
      .selectFrom('payments')
      .select(['status', 'provider_status'])
      .where('id', '=', payment!.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { status: 'paid', provider_status: 'failed' })
  })
})

describe('recurring market fees', () => {
  it('charges an admitted stall once per month for its market days from the first market day', async () => {
    const business = await citizenBrowser(platform, DEMO_BUSINESS)
    const { caseId } = await submitCase(platform, business, 'wochenmarkt-standplatz', {
      stallLength: '4',
      weekdays: ['tuesday', 'friday'],
    })
    await db().updateTable('cases').set({ status: 'approved' }).where('id', '=', caseId).execute()
    const c = await db().selectFrom('cases').select('answers').where('id', '=', caseId).executeTakeFirstOrThrow()
    const firstMarketDay = String((typeof c.answers === 'string' ? JSON.parse(c.answers) : c.answers).firstMarketDay)
    const deps = { db: db(), services: platform.app.services, config: platform.config }
    const issued = await issueRecurringFeeNotices(deps, firstMarketDay)
    assert.ok(issued >= 1)
    assert.equal(await issueRecurringFeeNotices(deps, firstMarketDay), 0, 'the same period is not charged twice')
    const [notice] = await noticesOf(caseId)
    const period = periodContaining(firstMarketDay, 'month')
    const days = countWeekdays(firstMarketDay, period.end, new Set([2, 5]))
    assert.equal(notice!.amount_cents, 250 * 4 * days)
    assert.equal(notice!.period_start, period.start)
    assert.equal(notice!.account_id !== null, true, 'payable online from the business account')
  })
})

describe('money arithmetic', () => {
  it('parses typed euro amounts exactly', () => {
    assert.equal(parseEuroAmount('12,50'), 1250)
    assert.equal(parseEuroAmount('12.5'), 1250)
    assert.equal(parseEuroAmount('1.234,56 €'), 123456)
    assert.equal(parseEuroAmount('0,1'), 10)
    assert.equal(parseEuroAmount('19.99'), 1999)
    for (const bad of ['', '-1', '1,234', 'abc', '1e3', '12,5x', '99999999'])
      assert.equal(parseEuroAmount(bad), null, bad)
  })

  it('counts weekdays and periods across month ends and leap years', () => {
    assert.deepEqual(periodContaining('2028-02-10', 'month'), { start: '2028-02-01', end: '2028-02-29' })
    assert.deepEqual(periodContaining('2027-11-30', 'quarter'), { start: '2027-10-01', end: '2027-12-31' })
    assert.equal(countWeekdays('2028-02-01', '2028-02-29', new Set([2])), 5) // Tuesdays in February 2028
    assert.equal(countWeekdays('2026-03-01', '2026-03-31', new Set([0, 6])), 9)
  })
})
