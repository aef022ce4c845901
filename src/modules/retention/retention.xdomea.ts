import { XMLBuilder } from 'fast-xml-parser'
import type { ArchiveMetadata } from '../efile/index.js'

/** One case of a hand-over: its folder in the package and its file's description. */
export interface TransferredCase {
  folder: string
  metadata: ArchiveMetadata
}

// XML 1.0 allows no control characters other than tab, line feed and carriage return.
const xmlText = (value: string | number | null) =>
  value === null ? '' : String(value).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')

/** The message's file name as xdomea names it: the process id, then the message type. */
export const aussonderungFilename = (processId: string) => `${processId}_Aussonderung.Aussonderung.0503.xml`

/**
 * The hand-over message of an Aussonderung in xdomea's structure and names (Aussonderung.Aussonderung.0503: Kopf,
 * then per case Schriftgutobjekt → Akte → Akteninhalt → Vorgang → Dokument → Version → Format → Primaerdokument, whose
 * Dateiname is the path of the file in the same ZIP). Simplified: written in the xdomea 3.0 namespace but not
 * validated against its XSD, and without the preceding offer and evaluation messages (0501/0502): the archivist
 * decides in the back office.
 */
export function aussonderungMessage(input: {
  processId: string
  createdAt: Date
  sender: string
  cases: TransferredCase[]
}): string {
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true })
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    'xdomea:Aussonderung.Aussonderung.0503': {
      '@_xmlns:xdomea': 'urn:xoev-de:xdomea:schema:3.0.0',
      '@_produkt': 'Bauhaus',
      '@_standard': 'xdomea',
      '@_version': '3.0.0',
      'xdomea:Kopf': {
        'xdomea:ProzessID': input.processId,
        'xdomea:Nachrichtentyp': { code: '0503' },
        'xdomea:Erstellungszeitpunkt': input.createdAt.toISOString(),
        'xdomea:Absender': { 'xdomea:Behoerdenkennung': { 'xdomea:Behoerde': xmlText(input.sender) } },
        'xdomea:Empfaenger': { 'xdomea:Behoerdenkennung': { 'xdomea:Behoerde': 'Archiv' } },
        'xdomea:SendendesSystem': { 'xdomea:Produktname': 'Bauhaus' },
        'xdomea:Importbestaetigung': 'true',
      },
      'xdomea:Schriftgutobjekt': input.cases.map(({ folder, metadata }) => ({ 'xdomea:Akte': akte(folder, metadata) })),
    },
  }) as string
}

function akte(folder: string, m: ArchiveMetadata) {
  const f = m.file
  return {
    'xdomea:Identifikation': { 'xdomea:ID': f.id },
    'xdomea:AllgemeineMetadaten': {
      'xdomea:Betreff': xmlText(f.title),
      'xdomea:Kennzeichen': xmlText(f.reference),
      'xdomea:Bemerkung': xmlText(`${f.serviceId}@${f.serviceVersion}, ${f.status}`),
    },
    'xdomea:Laufzeit': { 'xdomea:Beginn': f.period.from, 'xdomea:Ende': f.period.to },
    'xdomea:ArchivischeBewertung': { 'xdomea:Aussonderungsart': { code: 'A' } },
    'xdomea:Akteninhalt': {
      'xdomea:Vorgang': f.processes.map(p => ({
        'xdomea:Identifikation': { 'xdomea:ID': p.id },
        'xdomea:AllgemeineMetadaten': { 'xdomea:Betreff': xmlText(p.title) },
        'xdomea:Dokument': p.documents.map(d => ({
          'xdomea:Identifikation': { 'xdomea:ID': d.id },
          'xdomea:AllgemeineMetadaten': { 'xdomea:Betreff': xmlText(d.title) },
          'xdomea:Typ': d.kind,
          'xdomea:Version': d.versions.map(v => ({
            'xdomea:Nummer': v.number,
            'xdomea:Format': v.files.map(file => ({
              'xdomea:Name': xmlText(file.mediaType),
              'xdomea:Primaerdokument': {
                'xdomea:Dateiname': xmlText(`${folder}/${file.path}`),
                'xdomea:DateinameOriginal': xmlText(file.originalName ?? file.path),
                'xdomea:Ersteller': xmlText(v.createdBy.name ?? v.createdBy.type),
                'xdomea:DatumUhrzeit': v.createdAt,
              },
            })),
          })),
        })),
      })),
    },
  }
}
