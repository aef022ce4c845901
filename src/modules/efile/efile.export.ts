import type { AssuranceLevel } from '../../platform/auth/assurance.js'
import crypto from 'node:crypto'
import { zipSync, type Zippable } from 'fflate'
import { XMLBuilder } from 'fast-xml-parser'
import type { Config } from '../../platform/config.js'
import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import { formatDateTime, isLocale, translator, type Locale } from '../../platform/i18n/i18n.js'
import { letterheadOf, renderLetterPdf, type Letterhead } from '../../platform/pdf/index.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { FILE_PROCESSES, type FileDocumentKind, type FileProcess } from './efile.kinds.js'
import type { CaseOfFile, EfileCaseAccess } from './efile.cases.js'
import {
  groupVersions,
  loadCaseFile,
  type Author,
  type CaseFile,
  type FileDocument,
  type FileVersion,
} from './efile.read.js'
import { findCaseRetention, listVersionsOfCase, readFilesOfCase } from './efile.queries.js'

export interface ArchiveFile {
  path: string
  originalName: string | null
  mediaType: string
  sizeBytes: number
  sha256: string
  role: 'original' | 'rendering'
}
export interface ArchiveVersion {
  number: number
  title: string
  createdAt: string
  createdBy: { type: Author['kind']; name: string | null }
  files: ArchiveFile[]
}
export interface ArchiveDocument {
  id: string
  kind: FileDocumentKind
  title: string
  versions: ArchiveVersion[]
}
export interface ArchiveProcess {
  id: FileProcess
  title: string
  documents: ArchiveDocument[]
}

/** What metadata.json holds, and xdomea.xml in xdomea's terms: Akte (the case) → Vorgang (process) → Dokument → Version. */
export interface ArchiveMetadata {
  format: 'bauhaus-efile-export/1'
  createdAt: string
  exportedBy: { staffId: string; name: string }
  file: {
    id: string
    reference: string
    title: string
    serviceId: string
    serviceVersion: number
    office: { id: string; name: string }
    applicant: string
    /** How sure the platform was of the applicant: eIDAS level (null: identified in person at the counter), provider. */
    identification: { assurance: AssuranceLevel | null; identityProvider: string | null }
    status: string
    language: string
    submittedAt: string
    period: { from: string; to: string }
    retainUntil: string
    processes: ArchiveProcess[]
  }
}

export interface ExportDeps {
  db: Db
  cases: EfileCaseAccess
  services: ServiceRegistry
  config: Config
}

/** A name that is safe in any archive tool and file system: ASCII letters, digits, dot, dash, underscore. */
export function archiveName(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
  const cleaned = ascii
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .replace(/_+/g, '_')
  return (cleaned.slice(-100) || 'file').replace(/^[._-]+/, '') || 'file'
}

const sha256 = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex')
const day = (value: Date | string | number) => new Date(value).toISOString().slice(0, 10)

function authorName(author: Author, t: ReturnType<typeof translator>): string | null {
  return author.kind === 'staff' ? author.name : author.kind === 'applicant' ? t.text('efile.author.applicant') : null
}

/** A text-only version (submission, message, note, statement) as a tagged PDF on the city's letterhead. */
function renderTextVersion(
  letterhead: Letterhead,
  input: { locale: Locale; officeName: string; reference: string; doc: FileDocument; version: FileVersion },
): Promise<Buffer> {
  const t = translator(input.locale)
  const { doc, version } = input
  const who = authorName(version.createdBy, t) ?? t.text('efile.author.system')
  const paragraphs = (version.text ?? '')
    .split(/\n\s*\n/)
    .map(p => p.trim())
    .filter(Boolean)
  return renderLetterPdf(
    {
      locale: input.locale,
      title: `${version.title} – ${t.text('efile.version', { version: version.version })}`,
      office: { name: input.officeName },
      date: new Date(version.createdAt),
      references: [
        { label: t.text('efile.pdf.caseReference'), value: input.reference },
        { label: t.text('efile.pdf.kind'), value: t.text(`efile.kind.${doc.kind}`) },
        { label: t.text('efile.pdf.version'), value: String(version.version) },
        { label: t.text('efile.pdf.createdBy'), value: `${who}, ${formatDateTime(version.createdAt, input.locale)}` },
      ],
      subject: version.title,
      body: paragraphs.length
        ? paragraphs.map(text => ({ kind: 'paragraph' as const, text }))
        : [{ kind: 'paragraph', text: '–' }],
    },
    letterhead,
  )
}

/**
 * The whole case file as one ZIP for hand-over to the archive: every version of every document (uploaded and
 * generated files as they are, text documents rendered as PDF), xdomea.xml and metadata.json describing them with
 * SHA-256 checksums. The export is in the audit log.
 */
export async function exportCaseFile(
  deps: ExportDeps,
  staff: StaffMember,
  caseId: string,
): Promise<{ filename: string; zip: Buffer; metadata: ArchiveMetadata }> {
  const { db, cases } = deps
  const { file, contents } = await db.transaction().execute(async trx => {
    // The hand-over to the archive is the case's office's: an involved office only reads.
    const loaded = await loadCaseFile(trx, cases, staff, caseId)
    const bytes = await readFilesOfCase(trx, caseId)
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'efile.export',
      subjectType: 'case',
      subjectId: caseId,
      officeId: loaded.record.officeId,
      details: {
        documents: loaded.documents.length,
        versions: loaded.documents.reduce((n, d) => n + d.versions.length, 0),
      },
    })
    return { file: loaded, contents: bytes }
  })
  const { entries, metadata } = await buildCaseArchive(deps, file, contents, { staffId: staff.id, name: staff.name })
  entries['metadata.json'] = new TextEncoder().encode(`${JSON.stringify(metadata, null, 2)}\n`)
  entries['xdomea.xml'] = new TextEncoder().encode(xdomeaXml(metadata))
  return {
    filename: `${archiveName(file.record.reference)}.zip`,
    zip: Buffer.from(zipSync(entries, { level: 6 })),
    metadata,
  }
}

/**
 * The case file's documents and their description, for the archive's hand-over at the end of retention
 * (Aussonderung): the caller (the retention run, inside its transaction) has decided the case goes to the archive,
 * so no staff member's access is asked. Paths in `entries` are relative to the case's folder.
 */
export async function archiveCaseFile(
  deps: Pick<ExportDeps, 'services' | 'config'>,
  db: Db,
  record: CaseOfFile,
  exportedBy: { staffId: string; name: string },
): Promise<{ entries: Zippable; metadata: ArchiveMetadata }> {
  const retention = await findCaseRetention(db, record.id)
  const documents = groupVersions(await listVersionsOfCase(db, record.id))
  const contents = await readFilesOfCase(db, record.id)
  return buildCaseArchive(deps, { record, retainUntil: retention?.retainUntil ?? '', documents }, contents, exportedBy)
}

async function buildCaseArchive(
  deps: Pick<ExportDeps, 'services' | 'config'>,
  file: CaseFile,
  contents: Map<string, Buffer>,
  exportedBy: { staffId: string; name: string },
): Promise<{ entries: Zippable; metadata: ArchiveMetadata }> {
  const { services, config } = deps
  const c = file.record
  const locale: Locale = isLocale(c.locale) ? c.locale : 'de'
  const t = translator(locale)
  const definition = await services.version(c.serviceId, c.serviceVersion)
  const officeName = services.office(c.officeId)?.name[locale] ?? c.officeId
  const letterhead = letterheadOf(config.letterheadFile)
  const entries: Zippable = {}
  const processes: ArchiveProcess[] = []
  let n = 0
  for (const processId of FILE_PROCESSES) {
    const documents: ArchiveDocument[] = []
    for (const doc of file.documents.filter(d => d.process === processId)) {
      n++
      const folder = `documents/${String(n).padStart(3, '0')}_${doc.kind}`
      const versions: ArchiveVersion[] = []
      for (const version of doc.versions) {
        const files: ArchiveFile[] = []
        const add = (
          path: string,
          bytes: Uint8Array,
          mediaType: string,
          originalName: string | null,
          role: ArchiveFile['role'],
        ) => {
          entries[path] = [bytes, { mtime: new Date(version.createdAt) }]
          files.push({ path, originalName, mediaType, sizeBytes: bytes.length, sha256: sha256(bytes), role })
        }
        if (version.file) {
          const bytes = contents.get(version.file.id)
          if (!bytes) throw new Error(`file ${version.file.id} of document ${doc.id} is missing`)
          add(
            `${folder}/v${version.version}_${archiveName(version.file.filename)}`,
            bytes,
            version.file.mediaType,
            version.file.filename,
            'original',
          )
        }
        if (version.text !== null) {
          const pdf = await renderTextVersion(letterhead, { locale, officeName, reference: c.reference, doc, version })
          add(
            `${folder}/v${version.version}_${version.file ? 'text' : archiveName(doc.kind)}.pdf`,
            pdf,
            'application/pdf',
            null,
            'rendering',
          )
        }
        versions.push({
          number: version.version,
          title: version.title,
          createdAt: new Date(version.createdAt).toISOString(),
          createdBy: { type: version.createdBy.kind, name: authorName(version.createdBy, t) },
          files,
        })
      }
      documents.push({ id: doc.id, kind: doc.kind, title: doc.title, versions })
    }
    if (documents.length) processes.push({ id: processId, title: t.text(`efile.process.${processId}`), documents })
  }
  const allDates = file.documents.flatMap(d => d.versions.map(v => new Date(v.createdAt).getTime()))
  const metadata: ArchiveMetadata = {
    format: 'bauhaus-efile-export/1',
    createdAt: new Date().toISOString(),
    exportedBy,
    file: {
      id: c.id,
      reference: c.reference,
      title: definition.title[locale],
      serviceId: c.serviceId,
      serviceVersion: c.serviceVersion,
      office: { id: c.officeId, name: officeName },
      applicant: c.applicantName,
      identification: { assurance: c.assurance, identityProvider: c.identityProvider },
      status: c.status,
      language: locale,
      submittedAt: new Date(c.submittedAt).toISOString(),
      period: {
        from: day(c.submittedAt),
        to: day(allDates.length ? Math.max(...allDates, new Date(c.submittedAt).getTime()) : c.submittedAt),
      },
      retainUntil: file.retainUntil,
      processes,
    },
  }
  return { entries, metadata }
}

// XML 1.0 allows no control characters other than tab, line feed and carriage return.
const xmlText = (value: string | number | null) =>
  value === null ? '' : String(value).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')

/**
 * metadata.json in xdomea's structure and names (Abgabe → Akte → Vorgang → Dokument → Version → Format →
 * Primaerdokument), simplified: not validated against the xdomea XSD, in our own namespace.
 */
export function xdomeaXml(m: ArchiveMetadata): string {
  const f = m.file
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    suppressEmptyNode: true,
  })
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    Abgabe: {
      '@_xmlns': 'urn:bauhaus:efile:export:1',
      '@_modell': 'xdomea',
      Kopf: {
        Erstellungszeitpunkt: m.createdAt,
        Absender: { Behoerde: xmlText(f.office.name), Verfahren: 'Bauhaus', Bearbeiter: xmlText(m.exportedBy.name) },
      },
      Akte: {
        Identifikation: { ID: f.id },
        AllgemeineMetadaten: {
          Betreff: xmlText(f.title),
          Kennzeichen: xmlText(f.reference),
          Leistung: { ID: xmlText(f.serviceId), Version: f.serviceVersion },
          Federfuehrung: { ID: xmlText(f.office.id), Name: xmlText(f.office.name) },
          Antragsteller: xmlText(f.applicant),
          // eIDAS level of assurance of the applicant's sign-in; in person at the counter there is none.
          Identitaetsnachweis:
            f.identification.assurance === null
              ? { Art: 'persoenlich' }
              : {
                  Art: 'elektronisch',
                  Vertrauensniveau: f.identification.assurance,
                  ...(f.identification.identityProvider
                    ? { Identitaetsanbieter: xmlText(f.identification.identityProvider) }
                    : {}),
                },
          Status: xmlText(f.status),
          Sprache: f.language,
        },
        Laufzeit: { Beginn: f.period.from, Ende: f.period.to },
        // An open case has no end of retention yet: it counts from the closure.
        ...(f.retainUntil ? { Aufbewahrung: { AufbewahrenBis: f.retainUntil } } : {}),
        Vorgang: f.processes.map(p => ({
          Identifikation: { ID: p.id },
          AllgemeineMetadaten: { Betreff: xmlText(p.title) },
          Dokument: p.documents.map(d => ({
            Identifikation: { ID: d.id },
            AllgemeineMetadaten: { Betreff: xmlText(d.title), Dokumenttyp: d.kind },
            Version: d.versions.map(v => ({
              Nummer: v.number,
              Betreff: xmlText(v.title),
              Erstellt: { Von: { '@_typ': v.createdBy.type, '#text': xmlText(v.createdBy.name) }, Am: v.createdAt },
              Format: v.files.map(file => ({
                Name: file.mediaType,
                Primaerdokument: {
                  '@_art': file.role,
                  Dateiname: xmlText(file.path),
                  DateinameOriginal: xmlText(file.originalName),
                  Groesse: file.sizeBytes,
                  Pruefsumme: { '@_algorithmus': 'SHA-256', '#text': file.sha256 },
                },
              })),
            })),
          })),
        })),
      },
    },
  }) as string
}
