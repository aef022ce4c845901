import { BadRequest, Conflict, DomainError, NotFound } from '../../platform/http/errors.js'

export class NoticeNotFound extends NotFound {
  constructor() {
    super('notices.errors.notFound')
  }
}

export class NoticeTemplateNotFound extends BadRequest {
  constructor() {
    super('notices.errors.unknownTemplate')
  }
}

/** A signed or discarded notice takes no more changes. */
export class NoticeClosed extends Conflict {
  constructor(status: string) {
    super(status === 'signed' ? 'notices.errors.signed' : 'notices.errors.discarded')
  }
}

/** Someone changed the draft after the version the request was made on. */
export class NoticeStale extends Conflict {
  constructor() {
    super('notices.errors.stale')
  }
}

export class NoticeUpdateInvalid extends BadRequest {
  constructor() {
    super('notices.errors.invalidUpdate')
  }
}

export class NoticeEmpty extends BadRequest {
  constructor() {
    super('notices.errors.empty')
  }
}

/** Template passages marked "[Bitte ergänzen …]" / "[Please add …]" are still in the text. */
export class NoticeIncomplete extends BadRequest {
  constructor(passage: string) {
    super('notices.errors.incomplete', { passage })
  }
}

/** Only the lead office drafts, edits, signs or discards a notice; a consulted (involved) office reads and comments. */
export class NoticeLeadOfficeOnly extends DomainError {
  constructor() {
    super(403, 'notices.errors.leadOnly')
  }
}

/** The signer has not opened the PDF preview of the version they sign (or not of this version: the text changed since). */
export class NoticeNotPreviewed extends Conflict {
  constructor() {
    super('notices.errors.notPreviewed')
  }
}

/** The case is in a state where no notice is issued: closed (a final state), or not one the template lists. */
export class NoticeNotInThisState extends Conflict {
  constructor(status: string) {
    super('notices.errors.caseState', { status })
  }
}
