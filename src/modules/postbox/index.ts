import type { FastifyPluginAsync } from 'fastify'
import type { Db } from '../../platform/db/database.js'

export async function countUnreadMessages(db: Db, accountId: string): Promise<number> {
  const row = await db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId).where('direction', '=', 'to_applicant').where('read_at', 'is', null).executeTakeFirst()
  return Number(row?.n ?? 0)
}

export const postboxRoutes: FastifyPluginAsync = async () => {}
