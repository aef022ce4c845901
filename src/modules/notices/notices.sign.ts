import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.js'
import type { Config } from '../../platform/config.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import { storeFile } from '../../platform/files/files.js'
import { isLocale, translator } from '../../platform/i18n/i18n.js'
import { publishLive } from '../../platform/live/index.js'
import type { PdfSigners } from '../../platform/signing/index.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { insertCaseEvent } from '../cases/index.js'
import { deliverToApplicant } from '../postbox/index.js'
import { fileDocument } from '../efile/index.js'
import { letterRecipientOf } from '../accounts/index.js'
import { assertLeadOffice, findDraftForStaff, noticeTopic, officeNameOf, templateSourceOf } from './notices.drafts.js'
import { isNoticeAllowedIn, templatesOf } from './notices.templates.js'
import {
  NoticeClosed,
  NoticeEmpty,
  NoticeIncomplete,
  NoticeNotFound,
  NoticeNotInThisState,
  NoticeNotPreviewed,
  NoticeStale,
} from './notices.errors.js'
import { renderNoticePdf } from './notices.letter.js'
import {
  hasSeenPreview,
  insertNoticePreview,
  lockNoticeDraft,
  setNoticeSigned,
  type NoticeDraftRow,
} from './notices.queries.js'
import type { CaseRecord } from '../cases/index.js'

export interface SignDeps {
  db: Db
  services: ServiceRegistry
  config: Config
  signers: PdfSigners
}

/** How templates mark what the caseworker must write for the case; a notice is not signed while one is left. */
const PASSAGE_TO_COMPLETE = /\[(?:Bitte ergänzen|Please add)[^\]]*\]/

/** "Stadt Dortmund" → "Dortmund": the place of signing in the signature dictionary. */
const placeOf = (cityName: string) => cityName.replace(/^(Stadt|City of)\s+/i, '')

/** Refuses a notice in a case state where none is issued (see isNoticeAllowedIn), naming the state. */
async function assertNoticeAllowed(services: ServiceRegistry, c: CaseRecord, draft: NoticeDraftRow) {
  const source = await templateSourceOf(services, c)
  const template = templatesOf(source).find(tpl => tpl.id === draft.templateId)
  if (!isNoticeAllowedIn(source.caseDefinition, template, c.status)) {
    const state = source.caseDefinition.workflow.states.find(s => s.id === c.status)
    throw new NoticeNotInThisState(state?.label[draft.locale] ?? c.status)
  }
}

/** The draft as the letter it would become: the same PDF for the preview and for signing. */
async function renderDraftPdf(
  deps: Omit<SignDeps, 'signers'>,
  c: CaseRecord,
  draft: NoticeDraftRow,
  date: Date,
): Promise<Buffer> {
  const { caseDefinition } = await templateSourceOf(deps.services, c)
  return renderNoticePdf(deps.config, {
    locale: draft.locale,
    title: draft.title,
    text: draft.body,
    officeName: officeNameOf(deps.services, c.officeId, draft.locale),
    caseReference: c.reference,
    recipient: await letterRecipientOf(deps.db, c, caseDefinition),
    date,
  })
}

/**
 * The unsigned PDF of one version of the draft, for the signer to read before signing. Refused when the draft moved
 * on since the page asked for it (the person would see another text than they think); remembered per person and
 * version, which signing requires.
 */
export async function previewNotice(
  deps: Omit<SignDeps, 'signers'>,
  staff: StaffMember,
  caseId: string,
  draftId: string,
  version: number,
): Promise<{ pdf: Buffer; title: string }> {
  const { caseRecord: c, draft } = await findDraftForStaff(deps.db, staff, caseId, draftId)
  // The preview is the first half of signing, which is the lead office's.
  assertLeadOffice(staff, c)
  if (draft.status !== 'draft') throw new NoticeClosed(draft.status)
  if (draft.version !== version) throw new NoticeStale()
  const pdf = await renderDraftPdf(deps, c, draft, new Date())
  await deps.db.transaction().execute(async trx => {
    await insertNoticePreview(trx, { draftId, staffId: staff.id, version })
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'notice.preview',
      subjectType: 'notice_draft',
      subjectId: draftId,
      officeId: c.officeId,
      details: { caseId, version },
    })
  })
  return { pdf, title: draft.title }
}

/**
 * Signs a notice and sends it: the draft's text as a tagged PDF letter, signed with the lead office's certificate,
 * filed in the case and the e-file, delivered to the applicant's postbox (mailed with the PDF to someone without
 * an account), put on the timeline. Only the lead office signs; involved offices read and comment. The version the signer
 * saw must still be the draft's: a change made while the page was open (or while the PDF was signed) is a conflict.
 * The signer must have opened the preview of that version, and the case must be in a state that takes a notice.
 */
export async function signNotice(
  deps: SignDeps,
  staff: StaffMember,
  caseId: string,
  draftId: string,
  input: { version: number },
): Promise<{ fileId: string; messageId: string }> {
  const { db, services, config } = deps
  const { caseRecord: c, draft } = await findDraftForStaff(db, staff, caseId, draftId)
  assertLeadOffice(staff, c)
  if (draft.status !== 'draft') throw new NoticeClosed(draft.status)
  if (draft.version !== input.version) throw new NoticeStale()
  if (!draft.body.trim()) throw new NoticeEmpty()
  const openPassage = draft.body.match(PASSAGE_TO_COMPLETE)
  if (openPassage)
    throw new NoticeIncomplete(openPassage[0].length > 120 ? `${openPassage[0].slice(0, 117)}…]` : openPassage[0])
  await assertNoticeAllowed(services, c, draft)
  // The signer vouches for the letter as it will go out: they must have opened the PDF of exactly this version.
  if (!(await hasSeenPreview(db, { draftId, staffId: staff.id, version: draft.version })))
    throw new NoticeNotPreviewed()

  const date = new Date()
  const pdf = await renderDraftPdf(deps, c, draft, date)
  // Rendering and signing take a moment; they happen outside the transaction, which then checks nothing moved.
  const signed = await deps.signers.signerFor(c.officeId, officeNameOf(services, c.officeId, 'de')).sign(pdf, {
    reason: `Bescheid ${c.reference}`,
    location: placeOf(config.cityName),
    signerName: staff.name,
  })

  const caseLocale = isLocale(c.locale) ? c.locale : 'de'
  const t = translator(caseLocale)
  return db.transaction().execute(async trx => {
    const locked = await lockNoticeDraft(trx, caseId, draftId)
    if (!locked) throw new NoticeNotFound()
    if (locked.status !== 'draft') throw new NoticeClosed(locked.status)
    if (locked.version !== draft.version) throw new NoticeStale()
    const file = await storeFile(trx, {
      content: signed,
      filename: `${t.text('notices.pdf.filename')}-${c.reference}-${draft.title}.pdf`,
      mediaType: 'application/pdf',
      caseId,
      staffId: staff.id,
    })
    const messageId = await deliverToApplicant(
      trx,
      {
        caseId,
        reference: c.reference,
        accountId: c.accountId,
        applicantEmail: c.applicantEmail,
        locale: caseLocale,
        senderStaffId: staff.id,
        subject: t.text('notices.message.subject', { title: draft.title, reference: c.reference }),
        body: t.text('notices.message.body', {
          title: draft.title,
          reference: c.reference,
          office: officeNameOf(services, c.officeId, caseLocale),
        }),
        fileIds: [file.fileId],
      },
      config.baseUrl,
    )
    const filed = await fileDocument(trx, {
      caseId,
      kind: 'notice',
      title: draft.title,
      text: draft.body,
      fileId: file.fileId,
      actor: { staffId: staff.id },
    })
    await setNoticeSigned(trx, draftId, {
      staffId: staff.id,
      fileId: file.fileId,
      messageId,
      documentId: filed.documentId,
    })
    await insertCaseEvent(trx, {
      caseId,
      kind: 'notice_signed',
      internal: false,
      actorStaffId: staff.id,
      data: { noticeId: draftId, title: draft.title, fileId: file.fileId },
    })
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'notice.sign',
      subjectType: 'notice_draft',
      subjectId: draftId,
      officeId: c.officeId,
      details: {
        caseId,
        fileId: file.fileId,
        sha256: crypto.createHash('sha256').update(signed).digest('hex'),
        version: draft.version,
      },
    })
    await publishLive(trx, { topic: noticeTopic(draftId), kind: 'closed', data: { status: 'signed', by: staff.name } })
    return { fileId: file.fileId, messageId }
  })
}
