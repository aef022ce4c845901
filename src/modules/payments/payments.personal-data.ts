import type { Db, Trx } from '../../platform/db/database.js'
import type { PersonalDataHolder } from '../../platform/privacy/index.js'

/**
 * Payments and fee notices. Bookkeeping records must be kept (§ 147 AO, the municipal budget law), so erasure
 * detaches them from the account; they stay with their case and in the treasury.
 */
export const paymentsHolder: PersonalDataHolder = {
  id: 'payments',
  async exportFor(db: Db, accountId: string) {
    const payments = await db
      .selectFrom('payments')
      .select([
        'reference',
        'service_id as serviceId',
        'amount_cents as amountCents',
        'currency',
        'status',
        'description',
        'provider',
        'created_at as createdAt',
        'paid_at as paidAt',
        'refunded_cents as refundedCents',
      ])
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .execute()
    const feeNotices = await db
      .selectFrom('fee_notices')
      .select([
        'number',
        'service_id as serviceId',
        'lines',
        'amount_cents as amountCents',
        'currency',
        'due_on as dueOn',
        'status',
        'created_at as createdAt',
        'paid_at as paidAt',
      ])
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .execute()
    return { data: { payments, feeNotices } }
  },
  async eraseFor(trx: Trx, accountId: string) {
    const payments = await trx
      .updateTable('payments')
      .set({ account_id: null })
      .where('account_id', '=', accountId)
      .executeTakeFirst()
    const notices = await trx
      .updateTable('fee_notices')
      .set({ account_id: null })
      .where('account_id', '=', accountId)
      .executeTakeFirst()
    return [
      { subjectType: 'payment', outcome: 'anonymised', count: Number(payments.numUpdatedRows) },
      { subjectType: 'fee-notice', outcome: 'anonymised', count: Number(notices.numUpdatedRows) },
    ]
  },
}
