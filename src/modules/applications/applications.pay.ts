import type { Db } from '../../platform/db/database.js'
import type { Config } from '../../platform/config.js'
import { NotFound } from '../../platform/http/errors.js'
import type { ServiceDefinition } from '../catalogue/index.js'
import {
  notifyUrlOf,
  prepareDraftPayment,
  startProviderPayment,
  type FeeCalculation,
  type PaymentProvider,
} from '../payments/index.js'
import type { Draft } from './applications.drafts.js'
import { lockDraft } from './applications.queries.js'

export type PaymentNextStep =
  | { kind: 'redirect'; url: string }
  | { kind: 'wait' }
  | { kind: 'paid' }
  | { kind: 'submitted' }

/**
 * Submitting a draft whose fee is due now: with the draft locked, reuse or open its payment, then send
 * the payer to the provider. A double click finds the payment the first click opened.
 */
export async function payForDraft(
  db: Db,
  provider: PaymentProvider,
  config: Config,
  input: {
    draft: Draft
    definition: ServiceDefinition
    fees: FeeCalculation
    description: string
  },
): Promise<PaymentNextStep> {
  const { draft, definition, fees } = input
  const step = await db.transaction().execute(async trx => {
    const locked = await lockDraft(trx, draft.id)
    if (!locked) throw new NotFound('applications.errors.draftNotFound')
    if (locked.case_id) return { kind: 'submitted' } as const
    return prepareDraftPayment(trx, {
      draftId: draft.id,
      serviceId: definition.id,
      officeId: definition.office,
      accountId: draft.accountId,
      staffId: draft.filedByStaffId,
      amountCents: fees.totalCents,
      description: input.description,
      provider: provider.id,
    })
  })
  if (step.kind === 'start') {
    const url = await startProviderPayment(db, provider, step.paymentId, {
      returnUrl: `${config.baseUrl}/applications/${draft.id}/payment-return`,
      notifyUrl: notifyUrlOf(config, provider),
    })
    return { kind: 'redirect', url }
  }
  if (step.kind === 'paid') return { kind: 'paid' }
  return step
}
