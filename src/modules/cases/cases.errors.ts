import { DomainError } from '../../platform/http/errors.js'

/** Missing, or of an office the person holds no casework role in: both answer alike, so ids reveal nothing. */
export class CaseNotFound extends DomainError {
  constructor() { super(404, 'cases.errors.notFound') }
}

export class CaseFileNotFound extends DomainError {
  constructor() { super(404, 'cases.errors.fileNotFound') }
}

export class CaseAlreadyClaimed extends DomainError {
  constructor(assigneeName: string) { super(409, 'cases.errors.alreadyClaimed', { name: assigneeName }) }
}

export class CaseClosed extends DomainError {
  constructor() { super(409, 'cases.errors.closed') }
}

/** The transition exists but does not start from the case's current status. */
export class TransitionNotAllowed extends DomainError {
  constructor(transitionId: string, status: string) { super(409, 'cases.errors.transitionNotAllowed', { transition: transitionId, status }) }
}

export class UnknownTransition extends DomainError {
  constructor(transitionId: string) { super(400, 'cases.errors.unknownTransition', { transition: transitionId }) }
}

/** The person's roles in the case's office do not include one the transition or action needs. */
export class RoleMissing extends DomainError {
  constructor() { super(403, 'cases.errors.roleMissing') }
}

export class AssigneeNotInOffice extends DomainError {
  constructor() { super(400, 'cases.errors.assigneeNotInOffice') }
}

export class InvalidCursor extends DomainError {
  constructor() { super(400, 'cases.errors.invalidCursor') }
}

export class NoCaseworkOffice extends DomainError {
  constructor() { super(403, 'cases.errors.noCaseworkOffice') }
}

/** The workflow requires the fees to be paid before this step, and they are not. */
export class FeesOutstanding extends DomainError {
  constructor(transition: string) { super(409, 'cases.errors.feesOutstanding', { transition }) }
}
