import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadLetterhead, renderLetterPdf, type Letter } from '../src/platform/pdf/index.js'

// The checks read the PDFs with Debian's poppler-utils (pdftotext, pdfinfo, pdffonts), as a reader would.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-pdf-'))
after(() => fs.rmSync(tmp, { recursive: true, force: true }))

const shippedFile = path.resolve('config/letterhead.yaml')
const letterhead = loadLetterhead(shippedFile)

function feeNotice(locale: 'de' | 'en', rowCount = 60): Letter {
  const de = locale === 'de'
  const rows = Array.from({ length: rowCount }, (_, i) => [
    de
      ? `Bewohnerparkausweis Zone ${i + 1} – Verlängerung für Größe „XL“`
      : `Residents' parking permit zone ${i + 1} – renewal`,
    '1',
    de ? '12,50 €' : '€12.50',
  ])
  return {
    locale,
    title: de ? 'Gebührenbescheid' : 'Fee notice',
    office: {
      name: de ? 'Ordnungsamt' : 'Public Order Office',
      address: ['Olpe 1', '44135 Dortmund'],
      phone: '0231 50-12345',
      email: 'ordnungsamt@stadt.example',
    },
    recipient: ['Erika Mustermann', 'Heidestraße 17', '51147 Köln'],
    date: new Date('2026-03-02T10:00:00Z'),
    references: [
      { label: de ? 'Kassenzeichen' : 'Payment reference', value: '5.123.456.789' },
      { label: de ? 'Aktenzeichen' : 'File number', value: '32/0815-2026' },
    ],
    subject: de ? 'Gebührenbescheid über Ihren Bewohnerparkausweis' : 'Fee notice for your residents’ parking permit',
    body: [
      { kind: 'paragraph', text: de ? 'Sehr geehrte Frau Mustermann,' : 'Dear Ms Mustermann,' },
      {
        kind: 'paragraph',
        text: de
          ? 'nach § 6a StVG setzen wir folgende Gebühren fest. Bitte zahlen Sie innerhalb von zwei Wochen.'
          : 'Under § 6a StVG we set the following fees. Please pay within two weeks.',
      },
      { kind: 'heading', text: de ? 'Gebühren' : 'Fees' },
      {
        kind: 'table',
        caption: de ? 'Gebührenübersicht' : 'Fees in detail',
        columns: [
          { label: de ? 'Leistung' : 'Service' },
          { label: de ? 'Anzahl' : 'Count', align: 'right' },
          { label: de ? 'Betrag' : 'Amount', align: 'right' },
        ],
        rows,
        footer: [de ? 'Summe' : 'Total', '', de ? '750,00 €' : '€750.00'],
      },
      { kind: 'facts', items: [{ label: de ? 'Fällig am' : 'Due on', value: de ? '16. März 2026' : '16 March 2026' }] },
      { kind: 'paragraph', text: de ? 'Mit freundlichen Grüßen' : 'Kind regards' },
    ],
  }
}

async function renderToFile(letter: Letter, name: string): Promise<{ file: string; bytes: Buffer }> {
  const bytes = await renderLetterPdf(letter, letterhead)
  const file = path.join(tmp, name)
  fs.writeFileSync(file, bytes)
  return { file, bytes }
}

const poppler = (tool: string, ...args: string[]) => execFileSync(tool, args, { encoding: 'utf8' })
const pageCount = (file: string) => Number(/^Pages:\s+(\d+)/m.exec(poppler('pdfinfo', file))?.[1])

describe('PDF letters', () => {
  it('renders a German fee notice over several pages with letterhead, bank details and page numbers', async () => {
    const { file } = await renderToFile(feeNotice('de'), 'de.pdf')
    const text = poppler('pdftotext', '-layout', file, '-')
    const pages = pageCount(file)
    assert.ok(pages >= 2, `60 rows need more than one page, got ${pages}`)
    for (const expected of [
      'Stadt Dortmund',
      'Friedensplatz 1',
      '44135 Dortmund',
      'Telefon 0231 50-0',
      'Internet www.dortmund.de',
      'Bankverbindung',
      'Stadtkasse Dortmund',
      'IBAN DE81 4405 0199 0000 0123 45',
      'BIC DORTDE33XXX',
      'Gebührenbescheid über Ihren Bewohnerparkausweis',
      'Heidestraße 17',
      '51147 Köln',
      'nach § 6a StVG',
      'Verlängerung für Größe „XL“',
      '12,50 €',
      '750,00 €',
      'Kassenzeichen',
      '2. März 2026',
      `Seite 1 von ${pages}`,
      `Seite ${pages} von ${pages}`,
    ])
      assert.ok(text.includes(expected), `missing "${expected}"`)
    assert.ok(text.includes('Zone 60 '), 'the last row is on a later page')
  })

  it('tags the document: structure tree, language, title shown, only embedded fonts', async () => {
    const { file, bytes } = await renderToFile(feeNotice('de'), 'tags.pdf')
    const info = poppler('pdfinfo', file)
    assert.match(info, /^Tagged:\s+yes$/m)
    assert.match(info, /^Title:\s+Gebührenbescheid$/m)
    assert.match(info, /^Author:\s+Stadt Dortmund$/m)
    assert.match(info, /^PDF version:\s+1\.7$/m)
    const raw = bytes.toString('latin1')
    for (const marker of ['/StructTreeRoot', '/MarkInfo', '/Marked true', '/Lang (de)', '/DisplayDocTitle true']) {
      assert.ok(raw.includes(marker), `missing ${marker}`)
    }

    const fonts = poppler('pdffonts', file).trim().split('\n').slice(2)
    assert.ok(fonts.length >= 2, 'regular and bold')
    // Columns: name, type…, encoding, emb, sub, uni, object id, generation.
    for (const line of fonts) assert.equal(line.trim().split(/\s+/).at(-5), 'yes', `not embedded: ${line}`)

    const structure = poppler('pdfinfo', '-struct-text', file)
    assert.match(structure, /H1[^\n]*\n\s+"Gebührenbescheid über Ihren Bewohnerparkausweis"/)
    for (const element of [
      'Document',
      'Table',
      'Caption',
      'THead',
      'TBody',
      'TFoot',
      'TH',
      'TD',
      'H2',
      '/Scope /Column',
      '/Scope /Row',
    ]) {
      assert.ok(structure.includes(element), `no ${element} in the structure tree`)
    }
    assert.ok(
      structure.includes(
        '"Bankverbindung Stadtkasse Dortmund Sparkasse Dortmund IBAN DE81 4405 0199 0000 0123 45 BIC DORTDE33XXX"',
      ),
      'bank details are read once, as one paragraph',
    )
    assert.ok(
      structure.includes('"Erika Mustermann Heidestraße 17 51147 Köln"'),
      'address lines are kept apart by spaces',
    )
  })

  it('renders the English letter with English labels and language', async () => {
    const { file, bytes } = await renderToFile(feeNotice('en'), 'en.pdf')
    const text = poppler('pdftotext', '-layout', file, '-')
    const pages = pageCount(file)
    assert.ok(pages >= 2)
    for (const expected of [
      'Bank details',
      'Phone 0231 50-0',
      'Date',
      '2 March 2026',
      `Page 1 of ${pages}`,
      'Fee notice for your residents’ parking permit',
      '€750.00',
    ]) {
      assert.ok(text.includes(expected), `missing "${expected}"`)
    }
    assert.ok(!text.includes('Bankverbindung'))
    assert.ok(bytes.toString('latin1').includes('/Lang (en)'))
    assert.match(poppler('pdfinfo', file), /^Tagged:\s+yes$/m)
  })

  it('renders the same bytes for the same letter', async () => {
    const letter = feeNotice('de', 3)
    assert.ok((await renderLetterPdf(letter, letterhead)).equals(await renderLetterPdf(letter, letterhead)))
  })

  it('leaves the address window empty for an anonymous receipt, on one page', async () => {
    const { file } = await renderToFile(
      { ...feeNotice('de', 2), recipient: undefined, title: 'Zahlungsquittung' },
      'receipt.pdf',
    )
    const text = poppler('pdftotext', '-layout', file, '-')
    assert.equal(pageCount(file), 1)
    assert.ok(!text.includes('Stadt Dortmund · Friedensplatz 1'), 'no return address without an address')
    assert.ok(text.includes('Seite 1 von 1'))
  })

  it('refuses a table row whose cells do not match the columns', async () => {
    const letter = feeNotice('de', 1)
    letter.body = [{ kind: 'table', columns: [{ label: 'A' }, { label: 'B' }], rows: [['only one']] }]
    await assert.rejects(renderLetterPdf(letter, letterhead), /row 0 has 1 cells for 2 columns/)
  })
})

describe('letterhead file', () => {
  const shipped = fs.readFileSync(shippedFile, 'utf8')
  const writeVariant = (name: string, text: string) => {
    const file = path.join(tmp, name)
    fs.writeFileSync(file, text)
    return file
  }

  it('loads the shipped letterhead with the IBAN in electronic format', () => {
    assert.equal(letterhead.cityName, 'Stadt Dortmund')
    assert.equal(letterhead.bank.iban, 'DE81440501990000012345')
  })

  it('names the file and the path of an IBAN with wrong check digits', () => {
    const file = writeVariant('wrong-iban.yaml', shipped.replace('DE81 4405', 'DE82 4405'))
    assert.throws(
      () => loadLetterhead(file),
      (error: Error) => {
        assert.ok(
          error.message.includes(`${file}: /bank/iban: "DE82 4405 0199 0000 0123 45" is not a valid IBAN`),
          error.message,
        )
        return true
      },
    )
  })

  it('names the file and the path of a missing city name and of an unknown property', () => {
    const file = writeVariant('no-city.yaml', shipped.replace(/^cityName: .*$/m, 'cityNmae: Stadt Dortmund'))
    assert.throws(
      () => loadLetterhead(file),
      (error: Error) => {
        assert.ok(error.message.includes(`${file}: /cityName: Expected required property`), error.message)
        assert.ok(error.message.includes(`${file}: /cityNmae: Unexpected property`), error.message)
        return true
      },
    )
  })

  it('names the file of broken YAML', () => {
    const file = writeVariant('broken.yaml', 'cityName: [Stadt Dortmund\n')
    assert.throws(
      () => loadLetterhead(file),
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: YAML syntax error`),
    )
  })
})
