import type { Config } from '../../platform/config.js'
import { translator, type Locale } from '../../platform/i18n/i18n.js'
import { letterheadOf, renderLetterPdf, type LetterBlock } from '../../platform/pdf/index.js'

/**
 * The draft's Markdown-like text as letter blocks: `#`/`##` lines are headings, `- `/`* ` lines a bulleted list,
 * other lines paragraphs (a blank line ends one; single line breaks stay). `**bold**` marks are dropped: the
 * letter's structure, not its emphasis, is what a screen reader needs.
 */
export function noticeBlocks(text: string): LetterBlock[] {
  const blocks: LetterBlock[] = []
  let paragraph: string[] = []
  let list: string[] = []
  const plain = (s: string) => s.replace(/\*\*(.+?)\*\*/g, '$1').trim()
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', text: paragraph.join('\n') })
    if (list.length) blocks.push({ kind: 'list', items: list })
    paragraph = []
    list = []
  }
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd()
    const heading = /^#{1,3}\s+(.*)$/.exec(line)
    const item = /^\s*[-*•]\s+(.*)$/.exec(line)
    if (!line.trim()) flush()
    else if (heading) {
      flush()
      if (plain(heading[1]!)) blocks.push({ kind: 'heading', text: plain(heading[1]!) })
    } else if (item) {
      if (paragraph.length) flush()
      list.push(plain(item[1]!))
    } else {
      if (list.length) flush()
      paragraph.push(plain(line))
    }
  }
  flush()
  return blocks
}

export interface NoticeDocument {
  locale: Locale
  title: string
  text: string
  officeName: string
  caseReference: string
  recipient: string[]
  date: Date
}

/** The notice as a tagged PDF letter on the city's letterhead (not yet signed). */
export function renderNoticePdf(config: Config, d: NoticeDocument): Promise<Buffer> {
  const t = translator(d.locale)
  return renderLetterPdf(
    {
      locale: d.locale,
      title: d.title,
      office: { name: d.officeName },
      recipient: d.recipient,
      date: d.date,
      references: [{ label: t.text('notices.pdf.caseReference'), value: d.caseReference }],
      subject: d.title,
      body: noticeBlocks(d.text),
    },
    letterheadOf(config.letterheadFile),
  )
}
