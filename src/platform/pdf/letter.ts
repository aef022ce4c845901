import { createRequire } from 'node:module'
import * as ibantools from 'ibantools'
import { formatDate, translator, type Locale, type Translate } from '../i18n/i18n.js'
import type { Letterhead } from './letterhead.js'

export interface LabelledValue {
  label: string
  value: string
}
export interface LetterOffice {
  name: string
  address?: string[]
  phone?: string
  email?: string
}
export interface TableColumn {
  label: string
  align?: 'left' | 'right'
}
export type LetterBlock =
  | { kind: 'paragraph'; text: string }
  | { kind: 'heading'; text: string }
  /** Rows and footer have one cell per column; the footer (e.g. a total) is set in bold. */
  | { kind: 'table'; caption?: string; columns: TableColumn[]; rows: string[][]; footer?: string[] }
  | { kind: 'facts'; items: LabelledValue[] }
  /** Bullet points, tagged as a list (L, LI with Lbl and LBody). */
  | { kind: 'list'; items: string[] }

export interface Letter {
  locale: Locale
  /** Document title: the PDF's Title, shown by viewers instead of the file name. */
  title: string
  /** The office that writes; shown in the info block at the top right. */
  office: LetterOffice
  /** Address lines for the window; none for an anonymous receipt. */
  recipient?: string[]
  /** Date of the letter; also the PDF's creation date, so the same letter renders the same bytes. */
  date: Date
  /** Info block lines such as Kassenzeichen or Aktenzeichen; the date is added after them. */
  references: LabelledValue[]
  subject: string
  body: LetterBlock[]
}

// Structure element options as pdfkit reads them; @types/pdfkit lacks the table header scope.
declare global {
  namespace PDFKit.Mixins {
    interface StructureElementOptions {
      scope?: 'Row' | 'Column' | 'Both'
    }
  }
}

type Doc = PDFKit.PDFDocument
type Struct = PDFKit.PDFStructureElement
type FontName = 'regular' | 'bold'
interface Writer {
  doc: Doc
  t: Translate
  root: Struct
}

// PDF/UA wants every font embedded; the standard 14 PDF fonts are not, DejaVu has € § ß and umlauts.
const require = createRequire(import.meta.url)
const FONTS: Record<FontName, string> = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf'),
}

const mm = (v: number) => (v * 72) / 25.4
// DIN 5008 form B on A4: address window 45 mm from the top, info block from 125 mm, subject below both.
const PAGE_HEIGHT = mm(297)
const MARGIN = { top: mm(20), left: mm(25), right: mm(20), bottom: mm(36) }
const CONTENT_WIDTH = mm(210) - MARGIN.left - MARGIN.right
const WINDOW = { x: mm(25), senderY: mm(55), recipientY: mm(62.7), width: mm(80) }
const INFO = { x: mm(125), y: mm(50), width: mm(65) }
const SUBJECT_Y = mm(103.5)
const FOOTER_Y = PAGE_HEIGHT - mm(26)
const PAGE_NUMBER_Y = FOOTER_Y - mm(7)
const SIZE = { city: 16, subject: 11, heading: 10.5, body: 10, info: 8.5, footer: 7.5, sender: 7 }
const LINE_GAP = 2
const CELL_PADDING = mm(1.5)
const GRAY = '#4d4d4d'

/** A letter of the city as a tagged, accessible A4 PDF (structure tree, language, embedded fonts). */
export async function renderLetterPdf(letter: Letter, letterhead: Letterhead): Promise<Buffer> {
  // pdfkit (with its font tables) is loaded with the first letter rather than at start.
  const { default: PDFDocument } = await import('pdfkit')
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    // Pages stay open so that "page x of y" and the footers can be drawn once the count is known.
    bufferPages: true,
    pdfVersion: '1.7',
    tagged: true,
    lang: letter.locale,
    displayTitle: true,
    info: {
      Title: letter.title,
      Author: letterhead.cityName,
      Subject: letter.subject,
      Creator: 'Bauhaus',
      CreationDate: letter.date,
    },
  })
  const bytes = collect(doc)
  doc.registerFont('regular', FONTS.regular).registerFont('bold', FONTS.bold)
  const w: Writer = { doc, t: translator(letter.locale), root: doc.struct('Document') }
  doc.addStructure(w.root)

  writeHead(w, letter, letterhead)
  for (const block of letter.body) writeBlock(w, block)
  writeFooters(w, letterhead)

  w.root.end()
  doc.end()
  return bytes
}

function collect(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
}

function writeHead(w: Writer, letter: Letter, letterhead: Letterhead) {
  const { doc, t } = w
  tag(w, w.root, 'P', () =>
    put(doc, letterhead.cityName, MARGIN.left, mm(15), { font: 'bold', size: SIZE.city, width: CONTENT_WIDTH }),
  )

  let recipientBottom = 0
  if (letter.recipient?.length) {
    // The return address is for the post office; readers get the sender from the letterhead and footer.
    artifact(doc, 'Layout', () =>
      put(doc, letterhead.senderLine, WINDOW.x, WINDOW.senderY, {
        size: SIZE.sender,
        width: WINDOW.width,
        color: GRAY,
      }),
    )
    recipientBottom = writeLines(w, w.root, letter.recipient, WINDOW.x, WINDOW.recipientY, {
      size: SIZE.body,
      width: WINDOW.width,
    })
  }

  const { office } = letter
  writeLines(w, w.root, [office.name, ...(office.address ?? [])], INFO.x, INFO.y, {
    size: SIZE.info,
    width: INFO.width,
    boldFirst: true,
  })
  doc.y += SIZE.info * 0.6
  const info: LabelledValue[] = [
    ...(office.phone ? [{ label: t.text('letter.contact.phone'), value: office.phone }] : []),
    ...(office.email ? [{ label: t.text('letter.contact.email'), value: office.email }] : []),
    ...letter.references,
    { label: t.text('letter.info.date'), value: formatDate(letter.date, letter.locale) },
  ]
  const infoBottom = writePairs(w, w.root, info, { x: INFO.x, width: INFO.width, size: SIZE.info })

  const subjectY = Math.max(SUBJECT_Y, recipientBottom + mm(8), infoBottom + mm(8))
  tag(w, w.root, 'H1', () =>
    put(doc, letter.subject, MARGIN.left, subjectY, { font: 'bold', size: SIZE.subject, width: CONTENT_WIDTH }),
  )
  doc.y += SIZE.body * 1.2
}

function writeBlock(w: Writer, block: LetterBlock) {
  const { doc } = w
  let spaceAfter = SIZE.body * 0.8
  switch (block.kind) {
    case 'paragraph':
      // Keep at least two lines together at the bottom of a page.
      ensureSpace(doc, 2 * lineHeight(doc, SIZE.body))
      tag(w, w.root, 'P', () => put(doc, block.text, MARGIN.left, doc.y, { size: SIZE.body, width: CONTENT_WIDTH }))
      break
    case 'heading':
      // A heading never ends a page: keep it with the next lines.
      ensureSpace(doc, lineHeight(doc, SIZE.heading) + 3 * lineHeight(doc, SIZE.body))
      doc.y += SIZE.body * 0.4
      tag(w, w.root, 'H2', () =>
        put(doc, block.text, MARGIN.left, doc.y, { font: 'bold', size: SIZE.heading, width: CONTENT_WIDTH }),
      )
      spaceAfter = SIZE.body * 0.4
      break
    case 'table':
      writeTable(w, block)
      break
    case 'facts':
      writePairs(w, w.root, block.items, { x: MARGIN.left, width: CONTENT_WIDTH, size: SIZE.body })
      break
    case 'list':
      writeList(w, block.items)
      break
  }
  doc.y += spaceAfter
}

/** A bulleted list; an item is never split across pages. */
function writeList(w: Writer, items: string[]) {
  const { doc } = w
  const indent = mm(5)
  const list = doc.struct('L')
  w.root.add(list)
  for (const item of items) {
    ensureSpace(doc, heightOf(doc, item, 'regular', SIZE.body, CONTENT_WIDTH - indent))
    const y = doc.y
    const entry = doc.struct('LI')
    list.add(entry)
    entry.add(doc.struct('Lbl', {}, () => put(doc, '•', MARGIN.left, y, { size: SIZE.body, width: indent })))
    entry.add(
      doc.struct('LBody', {}, () =>
        put(doc, item, MARGIN.left + indent, y, { size: SIZE.body, width: CONTENT_WIDTH - indent }),
      ),
    )
    entry.end()
    doc.y += SIZE.body * 0.25
  }
  list.end()
}

/** Lines that belong together (an address) as one paragraph. */
function writeLines(
  w: Writer,
  parent: Struct,
  lines: string[],
  x: number,
  y: number,
  style: { size: number; width: number; boldFirst?: boolean },
): number {
  const { doc } = w
  doc.y = y
  tag(w, parent, 'P', () =>
    lines.forEach((line, i) => {
      // The trailing space keeps the lines apart when assistive technology reads the paragraph as one text.
      const text = i < lines.length - 1 ? `${line} ` : line
      put(doc, text, x, doc.y, {
        size: style.size,
        width: style.width,
        font: style.boldFirst && i === 0 ? 'bold' : 'regular',
      })
    }),
  )
  return doc.y
}

/** Label/value pairs as a two-column table whose labels are row headers, so each value is read with its label. */
function writePairs(
  w: Writer,
  parent: Struct,
  items: LabelledValue[],
  box: { x: number; width: number; size: number },
): number {
  const { doc } = w
  if (!items.length) return doc.y
  const labelWidth = Math.min(
    box.width * 0.45,
    Math.max(...items.map(item => widthOf(doc, item.label, 'regular', box.size))) + mm(3),
  )
  const valueWidth = box.width - labelWidth
  const table = doc.struct('Table')
  parent.add(table)
  for (const item of items) {
    const height = Math.max(
      heightOf(doc, item.label, 'regular', box.size, labelWidth - mm(2)),
      heightOf(doc, item.value, 'regular', box.size, valueWidth),
    )
    ensureSpace(doc, height)
    const y = doc.y
    const row = doc.struct('TR')
    table.add(row)
    row.add(
      doc.struct('TH', { scope: 'Row' }, () =>
        put(doc, item.label, box.x, y, { size: box.size, width: labelWidth - mm(2), color: GRAY }),
      ),
    )
    row.add(
      doc.struct('TD', {}, () => put(doc, item.value, box.x + labelWidth, y, { size: box.size, width: valueWidth })),
    )
    row.end()
    doc.y = y + height
  }
  table.end()
  return doc.y
}

function writeTable(w: Writer, block: Extract<LetterBlock, { kind: 'table' }>) {
  const { doc } = w
  const count = block.columns.length
  for (const [i, row] of [...block.rows, ...(block.footer ? [block.footer] : [])].entries()) {
    if (row.length !== count) throw new Error(`Letter table row ${i} has ${row.length} cells for ${count} columns`)
  }
  const widths = columnWidths(doc, block)
  const layout: RowLayout = {
    xs: widths.map((_, i) => MARGIN.left + widths.slice(0, i).reduce((a, b) => a + b, 0)),
    widths,
    aligns: block.columns.map(c => c.align ?? 'left'),
  }
  const table = doc.struct('Table')
  w.root.add(table)
  if (block.caption) {
    const caption = block.caption
    ensureSpace(doc, 4 * lineHeight(doc, SIZE.body))
    tag(w, table, 'Caption', () =>
      put(doc, caption, MARGIN.left, doc.y, { font: 'bold', size: SIZE.body, width: CONTENT_WIDTH }),
    )
    doc.y += 2
  }

  const head = group(table, 'THead')
  writeRow(
    w,
    head,
    'TH',
    'bold',
    block.columns.map(c => c.label),
    layout,
  )
  head.end()
  rule(doc, doc.y, 0.75, '#000000')

  const body = group(table, 'TBody')
  for (const cells of block.rows) {
    writeRow(w, body, 'TD', 'regular', cells, layout)
    rule(doc, doc.y, 0.25, '#8c8c8c')
  }
  body.end()

  if (block.footer) {
    const foot = group(table, 'TFoot')
    // Bold with a rule above: the total closes the table.
    const y = writeRow(w, foot, 'TD', 'bold', block.footer, layout)
    rule(doc, y, 0.75, '#000000')
    foot.end()
  }
  table.end()

  function group(parent: Struct, type: string): Struct {
    const element = doc.struct(type)
    parent.add(element)
    return element
  }
}

interface RowLayout {
  xs: number[]
  widths: number[]
  aligns: ('left' | 'right')[]
}

/** One table row; a row is never split, it moves to the next page as a whole. Returns its top. */
function writeRow(
  w: Writer,
  parent: Struct,
  cellType: 'TH' | 'TD',
  font: FontName,
  cells: string[],
  layout: RowLayout,
): number {
  const { doc } = w
  const inner = (i: number) => layout.widths[i] - 2 * CELL_PADDING
  const height = Math.max(...cells.map((text, i) => heightOf(doc, text, font, SIZE.body, inner(i)))) + 2 * CELL_PADDING
  ensureSpace(doc, height)
  const y = doc.y
  const row = doc.struct('TR')
  parent.add(row)
  cells.forEach((text, i) => {
    const draw = () =>
      put(doc, text, layout.xs[i] + CELL_PADDING, y + CELL_PADDING, {
        font,
        size: SIZE.body,
        width: inner(i),
        align: layout.aligns[i],
      })
    row.add(doc.struct(cellType, cellType === 'TH' ? { scope: 'Column' } : {}, text ? draw : []))
  })
  row.end()
  doc.y = y + height
  return y
}

/** Natural widths; spare room goes to the first left-aligned column, so amounts line up at the right edge. */
function columnWidths(doc: Doc, block: Extract<LetterBlock, { kind: 'table' }>): number[] {
  const natural = block.columns.map(
    (column, i) =>
      2 * CELL_PADDING +
      Math.max(
        widthOf(doc, column.label, 'bold', SIZE.body),
        ...block.rows.map(row => widthOf(doc, row[i], 'regular', SIZE.body)),
        block.footer ? widthOf(doc, block.footer[i], 'bold', SIZE.body) : 0,
      ),
  )
  const total = natural.reduce((a, b) => a + b, 0)
  const isFlexible = (i: number) => (block.columns[i].align ?? 'left') === 'left'
  if (total <= CONTENT_WIDTH) {
    const spare = Math.max(
      0,
      block.columns.findIndex((_, i) => isFlexible(i)),
    )
    return natural.map((width, i) => (i === spare ? width + CONTENT_WIDTH - total : width))
  }
  // Too wide: right-aligned columns (amounts) keep their width and left-aligned text wraps.
  const fixed = natural.reduce((sum, width, i) => (isFlexible(i) ? sum : sum + width), 0)
  const flexible = total - fixed
  if (flexible === 0 || fixed > CONTENT_WIDTH * 0.6) return natural.map(width => (width * CONTENT_WIDTH) / total)
  return natural.map((width, i) => (isFlexible(i) ? (width * (CONTENT_WIDTH - fixed)) / flexible : width))
}

/** Footer of every page: the city's address, contact and bank details, and "page x of y". */
function writeFooters(w: Writer, letterhead: Letterhead) {
  const { doc, t } = w
  const columns: { x: number; width: number; lines: string[]; boldFirst: boolean }[] = [
    { x: MARGIN.left, width: mm(48), lines: [letterhead.cityName, ...letterhead.address], boldFirst: true },
    {
      x: MARGIN.left + mm(50),
      width: mm(52),
      lines: [
        `${t.text('letter.contact.phone')} ${letterhead.phone}`,
        ...(letterhead.email ? [`${t.text('letter.contact.email')} ${letterhead.email}`] : []),
        `${t.text('letter.contact.website')} ${letterhead.website}`,
      ],
      boldFirst: false,
    },
    {
      x: MARGIN.left + mm(104),
      width: CONTENT_WIDTH - mm(104),
      lines: [
        t.text('letter.footer.bankDetails'),
        letterhead.bank.accountHolder,
        letterhead.bank.bankName,
        `${t.text('letter.footer.iban')} ${ibantools.friendlyFormatIBAN(letterhead.bank.iban) ?? letterhead.bank.iban}`,
        `${t.text('letter.footer.bic')} ${letterhead.bank.bic}`,
      ],
      boldFirst: true,
    },
  ]
  const drawColumn = (column: (typeof columns)[number]) =>
    column.lines.forEach((line, i) => {
      const text = i < column.lines.length - 1 ? `${line} ` : line
      put(doc, text, column.x, i === 0 ? FOOTER_Y : doc.y, {
        font: column.boldFirst && i === 0 ? 'bold' : 'regular',
        size: SIZE.footer,
        width: column.width,
        color: GRAY,
      })
    })

  const { start, count } = doc.bufferedPageRange()
  for (let i = 0; i < count; i++) {
    doc.switchToPage(start + i)
    // The footer sits below the bottom margin; without this, pdfkit would start a new page for it.
    const bottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    artifact(doc, 'Pagination', () =>
      put(doc, t.text('letter.footer.page', { page: i + 1, pages: count }), MARGIN.left, PAGE_NUMBER_Y, {
        size: SIZE.footer,
        width: CONTENT_WIDTH,
        align: 'right',
      }),
    )
    rule(doc, FOOTER_Y - mm(2), 0.5, '#8c8c8c')
    if (i === 0) {
      // Tagged once: where to pay is content a reader needs; the same footer on later pages is a repeat.
      const footer = doc.struct('Div')
      w.root.add(footer)
      for (const column of columns) tag(w, footer, 'P', () => drawColumn(column))
      footer.end()
    } else {
      artifact(doc, 'Pagination', () => columns.forEach(drawColumn))
    }
    doc.page.margins.bottom = bottom
  }
}

/** Adds a structure element whose content is what `draw` puts on the page. */
function tag(w: Writer, parent: Struct, type: string, draw: () => void) {
  parent.add(w.doc.struct(type, {}, draw))
}

/** Content that is not part of the letter's text (rules, page numbers, repeated footers); artifacts do not nest. */
function artifact(doc: Doc, type: 'Pagination' | 'Layout', draw: () => void) {
  doc.markContent('Artifact', type === 'Pagination' ? { type, attached: ['Bottom'] } : { type })
  draw()
  doc.endMarkedContent()
}

function rule(doc: Doc, y: number, width: number, color: string) {
  artifact(doc, 'Layout', () => {
    doc
      .save()
      .moveTo(MARGIN.left, y)
      .lineTo(MARGIN.left + CONTENT_WIDTH, y)
      .lineWidth(width)
      .strokeColor(color)
      .stroke()
      .restore()
  })
}

function ensureSpace(doc: Doc, height: number) {
  if (doc.y + height > PAGE_HEIGHT - MARGIN.bottom) doc.addPage()
}

interface TextStyle {
  font?: FontName
  size: number
  width: number
  align?: 'left' | 'right'
  color?: string
}

function put(doc: Doc, text: string, x: number, y: number, style: TextStyle) {
  doc
    .font(style.font ?? 'regular')
    .fontSize(style.size)
    .fillColor(style.color ?? '#000000')
  doc.text(text, x, y, { width: style.width, align: style.align ?? 'left', lineGap: LINE_GAP })
}

function widthOf(doc: Doc, text: string, font: FontName, size: number): number {
  return doc.font(font).fontSize(size).widthOfString(text)
}

function heightOf(doc: Doc, text: string, font: FontName, size: number, width: number): number {
  return text ? doc.font(font).fontSize(size).heightOfString(text, { width, lineGap: LINE_GAP }) : 0
}

function lineHeight(doc: Doc, size: number): number {
  return doc.font('regular').fontSize(size).currentLineHeight(true) + LINE_GAP
}
