import { DomainError } from '../../platform/http/errors.js'

/** A staff member the admin may not see answers like a missing one, so ids reveal nothing. */
export class StaffNotFound extends DomainError {
  constructor() {
    super(404, 'staff.admin.errors.staffNotFound')
  }
}
export class UnknownOffice extends DomainError {
  constructor() {
    super(400, 'staff.admin.errors.unknownOffice')
  }
}
export class OfficeNotAdministered extends DomainError {
  constructor() {
    super(403, 'staff.admin.errors.officeNotAdministered')
  }
}
export class RoleNotGrantable extends DomainError {
  constructor() {
    super(403, 'staff.admin.errors.roleNotGrantable')
  }
}
export class LastAdminRole extends DomainError {
  constructor() {
    super(409, 'staff.admin.errors.lastAdminRole')
  }
}
export class StaffEmailTaken extends DomainError {
  constructor() {
    super(409, 'staff.admin.errors.emailTaken')
  }
}

export class OwnSecondFactor extends DomainError {
  constructor() {
    super(409, 'staff.admin.errors.ownSecondFactor')
  }
}
/** Four eyes: the admin who asked for a role for themself does not approve it. */
export class SecondAdminRequired extends DomainError {
  constructor() {
    super(403, 'staff.admin.errors.secondAdminRequired')
  }
}
/** The request was decided (or withdrawn) meanwhile, or never existed. */
export class RoleRequestNotOpen extends DomainError {
  constructor() {
    super(409, 'staff.admin.errors.requestNotOpen')
  }
}
/** The roles of someone who signs in through the city's directory follow its groups, not the administration. */
export class RolesFromDirectory extends DomainError {
  constructor() {
    super(409, 'staff.admin.errors.rolesFromDirectory')
  }
}
