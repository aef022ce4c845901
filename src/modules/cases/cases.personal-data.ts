import type { Db, Trx } from '../../platform/db/database.js'
import type { ExportedFile, PersonalDataHolder } from '../../platform/privacy/index.js'
import { forgetUploader } from '../../platform/files/files.js'

/**
 * Submitted cases (applications, defect reports, contact requests) with their answers, the timeline the applicant
 * sees and the files the person uploaded. The city must keep a case for its retention period (retain_until), so
 * erasure detaches every case from the account and minimises it (docs/privacy.md, "Deleting an account"); the
 * retention run deletes it once its period is over.
 */
export const casesHolder: PersonalDataHolder = {
  id: 'cases',
  async exportFor(db: Db, accountId: string) {
    const cases = await db
      .selectFrom('cases')
      .select([
        'id',
        'reference',
        'service_id as serviceId',
        'office_id as officeId',
        'status',
        'applicant_name as applicantName',
        'applicant_email as applicantEmail',
        'answers',
        'submitted_at as submittedAt',
        'updated_at as updatedAt',
        'retain_until as retainUntil',
        'assurance',
        'identity_provider as identityProvider',
      ])
      .where('account_id', '=', accountId)
      .orderBy('submitted_at')
      .execute()
    // No case: a list SQL allows in `in (…)` that matches no row.
    const caseIds = cases.length ? cases.map(c => c.id) : ['00000000-0000-0000-0000-000000000000']
    const events = await db
      .selectFrom('case_events')
      .select(['case_id as caseId', 'at', 'kind', 'data'])
      .where('case_id', 'in', caseIds)
      .where('internal', '=', false)
      .orderBy('id')
      .execute()
    const uploads = await db
      .selectFrom('files')
      .select(['id', 'case_id as caseId', 'filename', 'media_type as mediaType', 'size_bytes as sizeBytes'])
      .where('case_id', 'in', caseIds)
      .where('uploaded_by_account_id', '=', accountId)
      .orderBy('created_at')
      .execute()
    const referenceOf = new Map(cases.map(c => [c.id, c.reference]))
    const files: ExportedFile[] = uploads.map((upload, i) => ({
      path: `cases/${referenceOf.get(upload.caseId ?? '')}/${i + 1}-${upload.filename}`,
      read: async () =>
        (await db.selectFrom('files').select('content').where('id', '=', upload.id).executeTakeFirstOrThrow()).content,
    }))
    const data = cases.map(({ id, ...c }) => ({
      ...c,
      timeline: events.filter(e => e.caseId === id).map(({ caseId: _caseId, ...e }) => e),
      uploads: uploads.filter(u => u.caseId === id).map(({ id: _id, caseId: _caseId, ...u }) => u),
    }))
    return { data, files }
  },
  async eraseFor(trx: Trx, accountId: string) {
    const detached = await trx
      .updateTable('cases')
      .set({ account_id: null, applicant_email: null })
      .where('account_id', '=', accountId)
      .executeTakeFirst()
    await trx
      .updateTable('case_events')
      .set({ actor_account_id: null })
      .where('actor_account_id', '=', accountId)
      .execute()
    const files = await forgetUploader(trx, accountId)
    return [
      { subjectType: 'case', outcome: 'anonymised', count: Number(detached.numUpdatedRows) },
      { subjectType: 'file', outcome: 'anonymised', count: files },
    ]
  },
}
