import type { FileDocumentKindColumn } from '../../platform/db/schema.js'

export type FileDocumentKind = FileDocumentKindColumn

/**
 * The processes (Vorgänge, in xdomea's sense) a case file is divided into, in the order a file is read:
 * the application with its documents, correspondence, internal notes, statements, notices, fees.
 */
export type FileProcess = 'application' | 'correspondence' | 'notes' | 'statements' | 'notices' | 'fees' | 'other'

export const FILE_PROCESSES: readonly FileProcess[] = [
  'application',
  'correspondence',
  'notes',
  'statements',
  'notices',
  'fees',
  'other',
]

export function processOf(kind: FileDocumentKind): FileProcess {
  switch (kind) {
    case 'submission':
    case 'attachment':
      return 'application'
    case 'message':
      return 'correspondence'
    case 'note':
      return 'notes'
    case 'statement':
      return 'statements'
    case 'notice':
      return 'notices'
    case 'fee_notice':
    case 'receipt':
      return 'fees'
    case 'other':
      return 'other'
  }
}

/** The text search configuration of a case's language; 'simple' is added to every vector anyway. */
export function searchConfigOf(locale: string): 'german' | 'english' | 'simple' {
  return locale === 'de' ? 'german' : locale === 'en' ? 'english' : 'simple'
}
