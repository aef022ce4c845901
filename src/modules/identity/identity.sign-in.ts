import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../../platform/db/database.js'
import type { Config } from '../../platform/config.js'
import {
  accountProfileFor,
  applyVerifiedAttributes,
  createProviderAccount,
  establishAccountSession,
} from '../accounts/index.js'
import type { ExternalIdentity } from './identity.types.js'
import { audit } from '../../platform/audit/audit.js'

/** Why a provider sign-in that passed the protocol's checks still cannot go on; each has its page text. */
export type SignInProblem =
  /** The identity belongs to another account than the one signed in (a second account with the same identity). */
  | 'linkedToOtherAccount'
  /** The provider's address has an account that is not linked: its holder signs in with the password and links. */
  | 'emailTaken'
  /** The provider sent no address and none is known; the platform needs one to announce letters. */
  | 'emailMissing'
  /** A company identity for a person's account, or the other way round. */
  | 'wrongKind'

export type SignInOutcome =
  | { ok: true; accountId: string; created: boolean; linked: boolean }
  | { ok: false; problem: SignInProblem }

class LinkedMeanwhile extends Error {}

/**
 * The one end of every provider sign-in (OIDC, SAML), after the protocol checked the answer. A known identity signs
 * its account in (and refreshes what the provider vouches for); with `link`, the signed-in account gets the identity;
 * otherwise a new account is made from it. All in one transaction: nothing is half-created. A new session is issued
 * with the provider's level of assurance.
 */
export async function completeExternalSignIn(
  db: Db,
  req: FastifyRequest,
  reply: FastifyReply,
  config: Config,
  identity: ExternalIdentity,
  intent: { link: boolean },
): Promise<SignInOutcome> {
  const now = req.server.clock.now()
  const signedIn = req.session?.account ?? null
  let outcome: SignInOutcome
  try {
    outcome = await db.transaction().execute(async (trx): Promise<SignInOutcome> => {
      const known = await trx
        .selectFrom('account_identities')
        .select('account_id')
        .where('provider_id', '=', identity.providerId)
        .where('subject', '=', identity.subject)
        .forUpdate()
        .executeTakeFirst()
      if (known) {
        if (intent.link && signedIn && signedIn.id !== known.account_id)
          return { ok: false, problem: 'linkedToOtherAccount' }
        await trx
          .updateTable('account_identities')
          .set({ last_used_at: now, assurance: identity.assurance })
          .where('provider_id', '=', identity.providerId)
          .where('subject', '=', identity.subject)
          .execute()
        await applyVerifiedAttributes(trx, known.account_id, identity.attributes, identity.providerId, now)
        return { ok: true, accountId: known.account_id, created: false, linked: false }
      }

      let accountId: string
      let created = false
      if (intent.link && signedIn) {
        if (signedIn.kind !== identity.kind) return { ok: false, problem: 'wrongKind' }
        accountId = signedIn.id
      } else {
        if (!identity.email) return { ok: false, problem: 'emailMissing' }
        const id = await createProviderAccount(trx, {
          kind: identity.kind,
          email: identity.email,
          emailVerified: identity.emailVerified,
          locale: req.locale,
          attributes: identity.attributes,
          providerId: identity.providerId,
          at: now,
        })
        // Not linked automatically: whoever controls a provider account with this address is not thereby its holder.
        if (!id) return { ok: false, problem: 'emailTaken' }
        accountId = id
        created = true
      }
      const inserted = await trx
        .insertInto('account_identities')
        .values({
          provider_id: identity.providerId,
          subject: identity.subject,
          account_id: accountId,
          assurance: identity.assurance,
          linked_at: now,
          last_used_at: now,
        })
        .onConflict(oc => oc.columns(['provider_id', 'subject']).doNothing())
        .returning('account_id')
        .executeTakeFirst()
      if (!inserted) throw new LinkedMeanwhile()
      await audit(trx, {
        actor: { accountId },
        action: 'account.identity.link',
        subjectType: 'account',
        subjectId: accountId,
        details: { provider: identity.providerId, assurance: identity.assurance },
      })
      if (!created) await applyVerifiedAttributes(trx, accountId, identity.attributes, identity.providerId, now)
      return { ok: true, accountId, created, linked: !created }
    })
  } catch (error) {
    // The same identity arrived twice at once (a double click on the provider's page): the other one won.
    if (error instanceof LinkedMeanwhile) return { ok: false, problem: 'linkedToOtherAccount' }
    throw error
  }
  if (outcome.ok) {
    const account = await accountProfileFor(db, outcome.accountId)
    await establishAccountSession(
      db,
      req,
      reply,
      config,
      { accountId: outcome.accountId, locale: account.locale },
      {
        assurance: identity.assurance,
        identityProvider: identity.providerId,
        providerSession: identity.providerSession,
      },
    )
  }
  return outcome
}
