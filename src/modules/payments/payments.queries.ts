import type { Db, Trx } from '../../platform/db/database.js'
import type { PaymentStatus } from '../../platform/db/schema.js'

const paymentColumns = [
  'id', 'reference', 'service_id as serviceId', 'office_id as officeId', 'draft_id as draftId', 'case_id as caseId',
  'amount_cents as amountCents', 'currency', 'status', 'description', 'provider', 'provider_payment_id as providerPaymentId',
  'redirect_url as redirectUrl', 'created_at as createdAt', 'paid_at as paidAt',
] as const

export interface PaymentRow {
  id: string; reference: string; serviceId: string; officeId: string; draftId: string | null; caseId: string | null
  amountCents: number; currency: string; status: PaymentStatus; description: string; provider: string
  providerPaymentId: string | null; redirectUrl: string | null; createdAt: Date; paidAt: Date | null
}

export interface NewPayment {
  id: string; reference: string; serviceId: string; officeId: string; draftId: string; accountId: string | null
  amountCents: number; description: string; provider: string
}

export async function insertPayment(db: Db, p: NewPayment) {
  await db.insertInto('payments').values({
    id: p.id, reference: p.reference, service_id: p.serviceId, office_id: p.officeId, draft_id: p.draftId,
    account_id: p.accountId, amount_cents: p.amountCents, description: p.description, provider: p.provider,
  }).execute()
}

export async function setProviderPayment(db: Db, paymentId: string, providerPaymentId: string, redirectUrl: string) {
  await db.updateTable('payments').set({ provider_payment_id: providerPaymentId, redirect_url: redirectUrl, updated_at: new Date() })
    .where('id', '=', paymentId).execute()
}

export function findPayment(db: Db, paymentId: string): Promise<PaymentRow | undefined> {
  return db.selectFrom('payments').select(paymentColumns).where('id', '=', paymentId).executeTakeFirst()
}

/** Every payment of a draft, newest first. */
export function listPaymentsOfDraft(db: Db, draftId: string): Promise<PaymentRow[]> {
  return db.selectFrom('payments').select(paymentColumns).where('draft_id', '=', draftId)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').execute()
}

export function listPaymentsOfCaseRows(db: Db, caseId: string): Promise<PaymentRow[]> {
  return db.selectFrom('payments').select(paymentColumns).where('case_id', '=', caseId)
    .orderBy('created_at').orderBy('id').execute()
}

/** Serialises notifications for one payment, so two deliveries at once are booked one after the other. */
export function lockPaymentOfProvider(trx: Trx, provider: string, providerPaymentId: string): Promise<PaymentRow | undefined> {
  return trx.selectFrom('payments').select(paymentColumns)
    .where('provider', '=', provider).where('provider_payment_id', '=', providerPaymentId)
    .forUpdate().executeTakeFirst()
}

export async function setPaymentStatus(db: Db, paymentId: string, status: PaymentStatus) {
  const now = new Date()
  await db.updateTable('payments').set({ status, updated_at: now, ...(status === 'paid' ? { paid_at: now } : {}) })
    .where('id', '=', paymentId).execute()
}

export interface NewPaymentEvent {
  paymentId: string | null; provider: string; providerEventId: string | null; verified: boolean
  outcome: string; reportedStatus: string | null; raw: string
}

/** Records an event; a verified event id seen before is not inserted again (returns false). */
export async function insertPaymentEvent(db: Db, e: NewPaymentEvent): Promise<boolean> {
  const row = await db.insertInto('payment_events').values({
    payment_id: e.paymentId, provider: e.provider, provider_event_id: e.providerEventId, verified: e.verified,
    outcome: e.outcome, reported_status: e.reportedStatus, raw: e.raw,
  }).onConflict((oc) => oc.columns(['provider', 'provider_event_id']).doNothing()).returning('id').executeTakeFirst()
  return !!row
}

/** Hands all payments of a draft to the case made from it; returns those that were paid. */
export function linkDraftPaymentsToCase(trx: Trx, draftId: string, caseId: string) {
  return trx.updateTable('payments').set({ case_id: caseId, updated_at: new Date() })
    .where('draft_id', '=', draftId).where('case_id', 'is', null)
    .returning(['id', 'reference', 'amount_cents as amountCents', 'status']).execute()
}
