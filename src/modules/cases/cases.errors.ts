import { DomainError } from '../../platform/http/errors.js'

/** Missing, or of an office the person holds no casework role in: both answer alike, so ids reveal nothing. */
export class CaseNotFound extends DomainError {
  constructor() {
    super(404, 'cases.errors.notFound')
  }
}

export class CaseFileNotFound extends DomainError {
  constructor() {
    super(404, 'cases.errors.fileNotFound')
  }
}

export class CaseAlreadyClaimed extends DomainError {
  constructor(assigneeName: string) {
    super(409, 'cases.errors.alreadyClaimed', { name: assigneeName })
  }
}

export class CaseClosed extends DomainError {
  constructor() {
    super(409, 'cases.errors.closed')
  }
}

/** The transition exists but does not start from the case's current status. */
export class TransitionNotAllowed extends DomainError {
  constructor(transitionId: string, status: string) {
    super(409, 'cases.errors.transitionNotAllowed', { transition: transitionId, status })
  }
}

export class UnknownTransition extends DomainError {
  constructor(transitionId: string) {
    super(400, 'cases.errors.unknownTransition', { transition: transitionId })
  }
}

/** The person's roles in the case's office do not include one the transition or action needs. */
export class RoleMissing extends DomainError {
  constructor() {
    super(403, 'cases.errors.roleMissing')
  }
}

export class AssigneeNotInOffice extends DomainError {
  constructor() {
    super(400, 'cases.errors.assigneeNotInOffice')
  }
}

export class InvalidCursor extends DomainError {
  constructor() {
    super(400, 'cases.errors.invalidCursor')
  }
}

export class NoCaseworkOffice extends DomainError {
  constructor() {
    super(403, 'cases.errors.noCaseworkOffice')
  }
}

/**
 * A guard of the step (src/case-kernel.ts, e.g. the fees must be paid first) refused it. The route recovers by
 * showing the case with the guard's word on what to do next.
 */
export class TransitionRefused extends DomainError {
  constructor(
    readonly guardId: string,
    messageKey: string,
    readonly transition: string,
    readonly refusal: unknown,
  ) {
    super(409, messageKey, { transition })
  }
}

/** A case-changing form without the version it was rendered from: an old page or a hand-made request. */
export class CaseVersionMissing extends DomainError {
  constructor() {
    super(400, 'cases.errors.versionMissing')
  }
}

/**
 * The case changed since the page was rendered: the action is refused rather than overwriting what someone else
 * did. The route recovers by showing the case as it is now, what changed, and what the person typed.
 */
export class CaseChanged extends DomainError {
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(409, 'cases.errors.changed')
  }
}

/** The office already has an open request on this case. */
export class InvolvementAlreadyOpen extends DomainError {
  constructor(office: string, name: string) {
    super(409, 'cases.errors.involvementOpen', { office, name })
  }
}

/** The request is no longer open: answered or withdrawn meanwhile. */
export class InvolvementNotOpen extends DomainError {
  constructor(status: 'answered' | 'withdrawn', name: string) {
    super(409, `cases.errors.involvement.${status}`, { name })
  }
}

/**
 * Someone of the office saved the statement since the page was rendered. The route shows both texts: the
 * person's own (kept in the form) and the saved one.
 */
export class StatementChanged extends DomainError {
  constructor(readonly saved: { text: string; by: string | null; at: Date | null; version: number }) {
    super(409, 'cases.errors.statementChanged')
  }
}
