import type { FastifyInstance } from 'fastify'
import type { Locale } from '../../platform/i18n/i18n.js'
import type { PageContext } from '../../platform/views/page-context.js'

/**
 * A section that a feature adds to the account's start page ("Meine Anträge", /account/applications), after the
 * person's applications (the suggestions of what comes next). Applications names no feature: the composition root
 * lists the parts (src/extensions.ts) and passes them in.
 */
export interface ApplicationsPagePart<D = unknown> {
  id: string
  /** What the section shows for the signed-in person; only their own data. */
  load(app: FastifyInstance, who: { accountId: string; locale: Locale }): Promise<D>
  /** Pure: the data in, HTML out. */
  View(props: { data: D; ctx: PageContext }): JSX.Element
}
