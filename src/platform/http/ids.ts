const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether a value from outside (URL, form, cursor) can be a row id at all, before it reaches a uuid column. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}

/** JSON schema of route parameters that are all row ids: each required, each a UUID (anything else answers 400). */
export function uuidParams(...names: string[]) {
  return {
    type: 'object',
    properties: Object.fromEntries(names.map(name => [name, { type: 'string', format: 'uuid' }])),
    required: names,
  }
}
