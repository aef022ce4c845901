import { DomainError } from '../../platform/http/errors.js'

/** Missing, or of another case: both answer alike, so ids reveal nothing. */
export class FileDocumentNotFound extends DomainError {
  constructor() {
    super(404, 'efile.errors.documentNotFound')
  }
}

/** Staff who may read the file (an involved office) but do not work on the case in its own office. */
export class NoteNotEditable extends DomainError {
  constructor() {
    super(403, 'efile.errors.noteNotEditable')
  }
}

export interface CurrentNote {
  version: number
  text: string
  createdAt: Date
  createdByName: string | null
}

/** Someone saved a newer version of the note after the editor opened it; the route shows both texts. */
export class NoteEditConflict extends DomainError {
  constructor(readonly current: CurrentNote) {
    super(409, 'efile.errors.noteConflict', { version: current.version })
  }
}
