// What each module holds about a person (Art. 15/20 export, Art. 17 erasure), in the order erasure runs them: the
// account last, since deleting it needs every other holder to have detached or deleted what points at it.
import type { PersonalDataHolder } from './platform/privacy/index.js'
import { auditHolder } from './platform/audit/audit.personal-data.js'
import { accountHolder } from './modules/accounts/index.js'
import { draftsHolder } from './modules/applications/index.js'
import { casesHolder } from './modules/cases/index.js'
import { efileHolder } from './modules/efile/index.js'
import { paymentsHolder } from './modules/payments/index.js'
import { postboxHolder } from './modules/postbox/index.js'
import { mandatesHolder } from './modules/mandates/index.js'
import { reportsHolder } from './modules/reports/index.js'
import { suggestionsHolder } from './modules/suggestions/index.js'
import { identityHolder } from './modules/identity/index.js'
import { appointmentsHolder } from './modules/appointments/index.js'
import { facilitiesHolder } from './modules/facilities/index.js'

export const personalDataHolders: readonly PersonalDataHolder[] = [
  suggestionsHolder,
  draftsHolder,
  // Before the cases: it deletes the proofs it uploaded, which the cases' erasure would only detach.
  mandatesHolder,
  // Before the cases and the account: it frees the account's live hall times.
  facilitiesHolder,
  reportsHolder,
  // Before the cases and the account: it detaches its bookings from both.
  appointmentsHolder,
  casesHolder,
  efileHolder,
  postboxHolder,
  paymentsHolder,
  auditHolder,
  identityHolder,
  accountHolder,
]
