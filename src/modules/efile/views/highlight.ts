import { escapeHtml } from '@kitajs/html'
import { HIT_END, HIT_START } from '../efile.queries.js'

/**
 * A search snippet as HTML: every piece of document text escaped, and only the database's hit markers (which
 * cannot occur in the text: they are removed from it before ts_headline) become <mark>, always balanced.
 */
export function highlightSnippet(headline: string): string {
  let html = ''
  let open = false
  for (const part of headline.split(/([\u0001\u0002])/)) {
    if (part === HIT_START) {
      if (!open) html += '<mark>'
      open = true
    } else if (part === HIT_END) {
      if (open) html += '</mark>'
      open = false
    } else {
      html += escapeHtml(part)
    }
  }
  return open ? `${html}</mark>` : html
}
