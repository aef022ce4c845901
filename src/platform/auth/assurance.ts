/**
 * eIDAS levels of assurance (Regulation (EU) 910/2014, Art. 8), lowest first: how sure the platform is of who signed in.
 * A password the platform made up is `low`; BundID with the online ID card (eID) is `high`, with ELSTER certificate
 * `substantial`. A service definition names the level it needs (`assurance`), a session the level it was signed in with.
 */
export const ASSURANCE_LEVELS = ['low', 'substantial', 'high'] as const
export type AssuranceLevel = (typeof ASSURANCE_LEVELS)[number]

/** Whether a sign-in at `have` is enough for something that needs `need`. */
export function meetsAssurance(have: AssuranceLevel, need: AssuranceLevel): boolean {
  return ASSURANCE_LEVELS.indexOf(have) >= ASSURANCE_LEVELS.indexOf(need)
}
