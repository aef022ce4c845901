import fs from 'node:fs'
import type { Static, TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { parseDocument } from 'yaml'

/** A configuration file that cannot be used; names the file, the path in it and what is wrong. */
export class ConfigFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration:\n${problems.map(p => `  - ${file}: ${p}`).join('\n')}`)
  }
}

/** Reads a YAML file and checks it against its schema; every problem at once, each with its path (`/a/b/en`). */
export function readYamlConfig<S extends TSchema>(file: string, schema: S): Static<S> {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigFileError(file, [`cannot be read: ${(error as Error).message}`])
  }
  const doc = parseDocument(text)
  if (doc.errors.length)
    throw new ConfigFileError(
      file,
      doc.errors.map(e => `YAML syntax error: ${e.message.split('\n')[0]}`),
    )
  const value: unknown = doc.toJSON()
  // The first error per path: a missing property is also "not a string", which says nothing new.
  const problems = new Map<string, string>()
  for (const e of Value.Errors(schema, value)) if (!problems.has(e.path)) problems.set(e.path, e.message)
  if (problems.size)
    throw new ConfigFileError(
      file,
      [...problems].map(([at, message]) => `${at || '/'}: ${message}`),
    )
  return value as Static<S>
}
