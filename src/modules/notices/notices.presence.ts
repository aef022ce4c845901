import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { publishLive } from '../../platform/live/index.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { checkDraftAccess, noticeTopic, officeOfStaffFor } from './notices.drafts.js'

// Who has a draft open, for the others: sent as live events only, never stored. Browsers repeat theirs every ten
// seconds and forget a person not heard of for 30 s (client/notice-editor.ts), so a closed laptop disappears by itself.

/** Dark enough for text and borders on white (contrast ≥ 4.5:1, WCAG 1.4.3), and apart from each other. */
const COLOURS = ['#1f4fa3', '#a3241f', '#1d6b3a', '#6b2fa3', '#8a4b00', '#0f6670', '#a0205e', '#4a4a8f'] as const

export function colourOf(staffId: string): string {
  return COLOURS[crypto.createHash('sha256').update(staffId).digest()[0]! % COLOURS.length]!
}

export interface PresenceInput {
  state: 'here' | 'left'
  caret: number | null
  joined: boolean
}

/** Announces that a person is (still) editing the draft, where their caret is, or that they left. */
export async function announcePresence(
  db: Db,
  services: ServiceRegistry,
  staff: StaffMember,
  caseId: string,
  draftId: string,
  input: PresenceInput,
): Promise<void> {
  // Only editors are present: a consulted office reads the draft without the live editor.
  const caseRecord = await checkDraftAccess(db, staff, caseId, draftId, 'write')
  const office = services.offices.find(o => o.id === officeOfStaffFor(staff, caseRecord))
  await publishLive(db, {
    topic: noticeTopic(draftId),
    kind: 'presence',
    data: {
      staffId: staff.id,
      name: staff.name.slice(0, 200),
      office: office ? { de: office.name.de, en: office.name.en } : null,
      colour: colourOf(staff.id),
      state: input.state,
      caret: input.caret,
      joined: input.joined,
    },
  })
}
