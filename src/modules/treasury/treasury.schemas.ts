import type { PaymentStatus } from '../../platform/db/schema.js'
import type { LedgerRow } from '../payments/index.js'

export const PAYMENT_STATUSES: readonly PaymentStatus[] = ['open', 'pending', 'paid', 'failed', 'cancelled', 'refunded']

/** A payment of the ledger with the names the list and the exports show. */
export interface LedgerEntry extends LedgerRow {
  serviceTitle: string
  officeName: string
  caseReference: string | null
}

const day = {
  anyOf: [
    { type: 'string', format: 'date' },
    { type: 'string', maxLength: 0 },
  ],
} as const

/** The filters of the list, its exports and its paging, all in the query string (a GET form, no JavaScript). */
export const TreasuryQuerySchema = {
  type: 'object',
  properties: {
    // Ajv's coerceTypes 'array' turns a single ?status=paid into ['paid'].
    status: { type: 'array', items: { type: 'string', enum: PAYMENT_STATUSES }, maxItems: PAYMENT_STATUSES.length },
    service: { type: 'string', maxLength: 100 },
    office: { type: 'string', maxLength: 80 },
    provider: { type: 'string', maxLength: 40 },
    from: day,
    to: day,
    q: { type: 'string', maxLength: 100 },
    refunds: { type: 'string', enum: ['', '1'] },
    after: { type: 'string', maxLength: 200 },
  },
} as const

export interface TreasuryQuery {
  status?: PaymentStatus[]
  service?: string
  office?: string
  provider?: string
  from?: string
  to?: string
  q?: string
  refunds?: '' | '1'
  after?: string
}
