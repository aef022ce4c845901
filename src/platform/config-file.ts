import fs from 'node:fs'
import type { Static, TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { parseDocument } from 'yaml'

/**
 * A configuration file that cannot be used; names the file, the path in it and what is wrong. The start and
 * `check-services` print its message alone (no stack): it is the operator's to fix, not a bug.
 */
export class ConfigFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
    /** What the file is, for the first line: "Invalid city configuration:". */
    what = 'configuration',
  ) {
    super(`Invalid ${what}:\n${problems.map(p => `  - ${file}: ${p}`).join('\n')}`)
  }
}

/**
 * Reads a YAML file and checks it against its schema; every problem at once, each with its path (`/a/b/en`), in a
 * ConfigFileError that names the file as `what`.
 */
export function readYamlConfig<S extends TSchema>(file: string, schema: S, what?: string): Static<S> {
  const fail = (problems: string[]) => new ConfigFileError(file, problems, what)
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    throw fail([`cannot be read: ${(error as Error).message}`])
  }
  const doc = parseDocument(text)
  if (doc.errors.length) throw fail(doc.errors.map(e => `YAML syntax error: ${e.message.split('\n')[0]}`))
  const value: unknown = doc.toJSON()
  // The first error per path: a missing property is also "not a string", which says nothing new.
  const problems = new Map<string, string>()
  for (const e of Value.Errors(schema, value)) if (!problems.has(e.path)) problems.set(e.path, e.message)
  if (problems.size) throw fail([...problems].map(([at, message]) => `${at || '/'}: ${message}`))
  return value as Static<S>
}
