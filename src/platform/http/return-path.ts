/** The name a browser would resolve a path against; only its origin matters. */
const OWN_ORIGIN = 'http://bauhaus.invalid'
const MAX_RETURN_PATH = 2000

/**
 * A user-supplied return path (`?return=`, a hidden form field) as a path on this site, or undefined. Every redirect
 * to a value the user could choose goes through here: an open redirect would let others borrow the city's domain for
 * phishing. Judged as a browser reads it — tabs and line breaks dropped, backslashes read as slashes, percent-encoding
 * undone — so "/\t/evil.example", "/\\evil.example", "/%2F%2Fevil.example" and "/../..//evil.example" are refused.
 */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_RETURN_PATH) return undefined
  // Browsers remove tabs and newlines anywhere in a URL before reading it.
  const stripped = value.replace(/[\t\n\r]/g, '')
  const decoded = decodeRepeatedly(stripped)
  if (decoded === undefined) return undefined
  for (const form of [stripped, decoded]) {
    if (!form.startsWith('/') || form.startsWith('//')) return undefined
    // A backslash is a slash to browsers ("/\evil.example" is "//evil.example"); no path of ours has one or a control.
    if (/[\\\u0000-\u001f\u007f]/.test(form)) return undefined
  }
  const resolved = new URL(stripped, OWN_ORIGIN)
  // Dot segments can still make "//host" of a path ("/..//evil.example"); the result must be a plain path here.
  if (resolved.origin !== OWN_ORIGIN || resolved.pathname.startsWith('//')) return undefined
  return `${resolved.pathname}${resolved.search}${resolved.hash}`
}

/** Undoes percent-encoding until nothing changes (double-encoded "%252F" included); undefined when malformed. */
function decodeRepeatedly(text: string): string | undefined {
  let current = text
  for (let round = 0; round < 5; round++) {
    let next: string
    try {
      next = decodeURIComponent(current)
    } catch (error) {
      // Malformed percent-encoding ("%E0%A4%A") is no path we made.
      if (error instanceof URIError) return undefined
      throw error
    }
    if (next === current) return current
    current = next
  }
  return undefined
}
