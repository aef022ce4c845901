import type { Db } from '../../platform/db/database.js'
import { publishLive } from '../../platform/live/index.js'

/** Everyone who has the case open (its office and the involved offices) listens to this topic. */
export const caseTopic = (caseId: string) => `case:${caseId}`

/** An office's list of statements requested from it ("Beteiligungen") listens to this topic. */
export const involvementsTopic = (officeId: string) => `involvements:${officeId}`

export interface CaseChange {
  /** The case's version after the change; a page rendered from an older one is out of date. */
  version: number
  /** Who changed it: a staff member's name; null for the applicant or the platform itself. */
  by: string | null
  byApplicant?: boolean
  /** A short key of what changed: the timeline entry's kind, or e.g. statement_saved. */
  what: string
  /** Changes that do not raise the case's version (a statement draft) but still change what a page shows. */
  minor?: boolean
}

/** Tells every page showing the case, in this and every other app process, once the caller's transaction commits. */
export async function announceCaseChange(db: Db, caseId: string, change: CaseChange): Promise<void> {
  await publishLive(db, { topic: caseTopic(caseId), kind: 'changed', data: { ...change } })
}
