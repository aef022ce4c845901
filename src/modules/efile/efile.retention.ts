import type { Trx } from '../../platform/db/database.js'

/**
 * Deletes the e-file of cases whose retention has ended (the database's triggers refuse it before), documents and
 * versions first: a version's file may not go while the version points at it, and a cascade from the case would
 * reach the files before the versions.
 */
export async function deleteCaseFiles(trx: Trx, caseIds: string[]): Promise<number> {
  const deleted = await trx.deleteFrom('file_documents').where('case_id', 'in', caseIds).executeTakeFirst()
  return Number(deleted.numDeletedRows)
}
