import { uuidParams } from '../../platform/http/ids.js'

/** JSON schemas for params, query and body; a value outside them is a 400 naming the field, never a 500. */
export const CaseParams = uuidParams('caseId')

export const CaseFileParams = uuidParams('caseId', 'fileId')

export const InboxQuerySchema = {
  type: 'object',
  properties: {
    office: { type: 'string', maxLength: 80 },
    service: { type: 'string', maxLength: 80 },
    status: { type: 'string', maxLength: 80 },
    assignee: { type: 'string', enum: ['me', 'unassigned', 'any'] },
    overdue: { type: 'string', maxLength: 5 },
    after: { type: 'string', maxLength: 200 },
  },
} as const

/** Longer than the search takes, so an overlong query gets the search page's own message, not a bare 400. */
export const SearchQuerySchema = { type: 'object', properties: { q: { type: 'string', maxLength: 2000 } } } as const

/** The case version the form was rendered from (versioned writes); checked by the service, after access. */
const Version = { type: 'string', maxLength: 20 } as const

export const TransitionBody = {
  type: 'object',
  properties: { transitionId: { type: 'string', minLength: 1, maxLength: 80 }, version: Version },
  required: ['transitionId'],
} as const

export const AssignBody = {
  type: 'object',
  properties: {
    assigneeId: {
      anyOf: [
        { type: 'string', format: 'uuid' },
        { type: 'string', maxLength: 0 },
      ],
    },
    version: Version,
  },
} as const

/** involve: an office whose suggested request (from the definition) fills the request form. */
export const CaseQuery = { type: 'object', properties: { involve: { type: 'string', maxLength: 80 } } } as const

export const InvolvementParams = uuidParams('caseId', 'involvementId')

export const InvolvementFileParams = uuidParams('caseId', 'involvementId', 'fileId')

export const LiveQuery = {
  type: 'object',
  properties: { version: { type: 'integer', minimum: 0, maximum: 2147483647 } },
} as const
