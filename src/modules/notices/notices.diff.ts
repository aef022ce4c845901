/**
 * The smallest single edit that turns one text into another: keep the common start and end, replace the middle.
 * Used by the browser (textarea input → Y.Text) and by the server (a form saved without JavaScript → Y.Text),
 * so both change only what was changed and concurrent edits elsewhere survive the merge.
 */
export interface TextEdit {
  index: number
  remove: number
  insert: string
}

/**
 * `caret` (where the cursor is after the edit) settles ambiguous cases: typing "a" after the first "a" of
 * "aa" is an insert at 1, not at 2. Indexes are UTF-16 code units, as in Y.Text; a surrogate pair is never split.
 */
export function textEdit(before: string, after: string, caret?: number): TextEdit {
  let maxPrefix = Math.min(before.length, after.length)
  if (caret !== undefined) {
    const editStart = caret - Math.max(0, after.length - before.length)
    if (editStart >= 0) maxPrefix = Math.min(maxPrefix, editStart)
  }
  let prefix = 0
  while (prefix < maxPrefix && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--
  let suffix = 0
  const maxSuffix = Math.min(before.length, after.length) - prefix
  while (
    suffix < maxSuffix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  )
    suffix++
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--
  return { index: prefix, remove: before.length - prefix - suffix, insert: after.slice(prefix, after.length - suffix) }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff
