import type { Db } from '../../platform/db/database.js'
import type { PageContext } from '../../platform/views/page-context.js'
import type { MessageRow } from './postbox.queries.js'

/**
 * What a feature shows on a message in the postbox (payments: "pay now" for the fee notice it delivers). The
 * postbox names no feature: the composition root lists the parts (src/extensions.ts) and passes them in.
 */
export interface MessagePart<D> {
  id: string
  /** The part's data for this message; undefined when it has nothing to show. */
  load(db: Db, message: MessageRow): Promise<D | undefined>
  /** Pure: data and page context in, HTML out. */
  View(props: { data: D; ctx: PageContext }): JSX.Element
}

/** The parts with something to show for this message, rendered in the order given. */
export async function renderMessageParts(
  db: Db,
  message: MessageRow,
  ctx: PageContext,
  parts: readonly MessagePart<unknown>[],
): Promise<string[]> {
  const rendered: string[] = []
  for (const part of parts) {
    const data = await part.load(db, message)
    if (data !== undefined) rendered.push(await part.View({ data, ctx }))
  }
  return rendered
}
