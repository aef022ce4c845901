import type { ServicePagePart } from '../catalogue/index.js'
import type { MessagePart } from '../postbox/index.js'
import { findFeeNoticeOfMessage, type FeeNoticeRow } from './payments.queries.js'
import { FeeNoticeMessageLink, ServiceFees } from './views/payment-parts.js'

// What payments adds to the pages of lower layers; the composition root lists these (src/extensions.ts).

/** The fees on every service page. */
export const serviceFeesPart: ServicePagePart = { id: 'fees', View: ServiceFees }

/** The fee notice a message delivers: "pay now" while it is open. */
export const feeNoticeMessagePart: MessagePart<FeeNoticeRow> = {
  id: 'feeNotice',
  load: (db, message) => findFeeNoticeOfMessage(db, message.id),
  View: FeeNoticeMessageLink,
}
