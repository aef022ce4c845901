import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { FieldType as FieldTypeSchema, type Field } from '../src/modules/catalogue/definition.schema.js'
import { fieldTypes } from '../src/modules/forms/index.js'
import { formatAnswer, FormField, readPageInput, validateField } from '../src/modules/forms/index.js'
import type { AnswerValue } from '../src/modules/forms/index.js'
import { translator } from '../src/platform/i18n/i18n.js'

const today = '2026-03-15'
const label = { de: 'Feld', en: 'Field' }
const options = [
  { value: 'a', label: { de: 'Erste', en: 'First' } },
  { value: 'b', label: { de: 'Zweite', en: 'Second' } },
]
const field = (type: Field['type'], more: Partial<Field> = {}): Field => ({ id: 'f', type, label, ...more })

/** Reads a post of one field as the form engine does, checks it, and writes it as the case page shows it. */
function roundTrip(f: Field, raw: Record<string, string | string[]>, previous?: AnswerValue) {
  const answer = readPageInput({ id: 'p', title: label, fields: [f] }, raw, previous ? { [f.id]: previous } : {})[f.id]
  return {
    answer,
    problem: validateField(f, answer, today)?.key ?? null,
    de: formatAnswer(f, answer, 'de'),
    en: formatAnswer(f, answer, 'en'),
  }
}

/** The type's example answer passes its own check, and its input renders with the field's name. */
function checksItsExample(f: Field) {
  const example = fieldTypes[f.type].example(f, today)
  if (example !== null) assert.equal(validateField(f, example, today), null, `${f.type}: the example is valid`)
  const html = String(FormField({ field: f, value: example ?? undefined, t: translator('de') }))
  assert.match(html, /name="f(\.street)?"/, `${f.type}: the input is named by the field`)
}

describe('the field-type registry', () => {
  it('has one entry for every type the definition schema allows, and no other', () => {
    const schemaTypes = FieldTypeSchema.anyOf.map(t => t.const).sort()
    assert.deepEqual(Object.keys(fieldTypes).sort(), schemaTypes)
  })
})

describe('text', () => {
  it('reads, trims, applies the normalize steps, checks the pattern, and shows the text', () => {
    const plate = field('text', { pattern: '[A-Z]{1,3}-[A-Z]{1,2} [0-9]{1,4}', normalize: ['upper', 'collapseSpaces'] })
    assert.deepEqual(roundTrip(plate, { f: '  do-ab   123 ' }), {
      answer: 'DO-AB 123',
      problem: null,
      de: 'DO-AB 123',
      en: 'DO-AB 123',
    })
    assert.equal(roundTrip(plate, { f: 'nope' }).problem, 'forms.error.pattern')
    assert.equal(roundTrip(field('text', { maxLength: 3 }), { f: 'abcd' }).problem, 'forms.error.tooLong')
    assert.equal(roundTrip(field('text', { required: true }), {}).problem, 'forms.error.required')
    checksItsExample(field('text'))
  })
})

describe('textarea', () => {
  it('keeps lines and allows up to 5,000 characters by default', () => {
    assert.equal(roundTrip(field('textarea'), { f: 'a\nb' }).answer, 'a\nb')
    assert.equal(roundTrip(field('textarea'), { f: 'x'.repeat(5000) }).problem, null)
    assert.equal(roundTrip(field('textarea'), { f: 'x'.repeat(5001) }).problem, 'forms.error.tooLong')
    checksItsExample(field('textarea'))
  })
})

describe('number', () => {
  it('reads German and English writing, whole unless decimals, within its bounds', () => {
    const count = field('number', { min: 1, max: 20 })
    assert.deepEqual(roundTrip(count, { f: '3' }), { answer: '3', problem: null, de: '3', en: '3' })
    assert.equal(roundTrip(count, { f: '2,5' }).problem, 'forms.error.wholeNumber')
    assert.equal(roundTrip(field('number', { decimals: true }), { f: '1.234,50' }).problem, null)
    assert.equal(roundTrip(count, { f: '21' }).problem, 'forms.error.numberMax')
    assert.equal(roundTrip(count, { f: 'drei' }).problem, 'forms.error.number')
    checksItsExample(count)
  })
})

describe('date', () => {
  it('takes 24.12.2025 or an ISO date, checks days relative to today, and shows it in the reader’s language', () => {
    const past = field('date', { max: 'today' })
    const read = roundTrip(past, { f: '01.03.2026' })
    assert.equal(read.problem, null)
    assert.equal(read.de, '1. März 2026')
    assert.match(read.en, /2026/)
    assert.equal(roundTrip(past, { f: '2026-03-16' }).problem, 'forms.error.dateMax')
    assert.equal(roundTrip(past, { f: '31.02.2026' }).problem, 'forms.error.date')
    checksItsExample(field('date', { min: 'today-9125', max: 'today' }))
  })
})

describe('select', () => {
  it('accepts one of its options and shows its label', () => {
    const choice = field('select', { options, required: true })
    assert.deepEqual(roundTrip(choice, { f: 'b' }), { answer: 'b', problem: null, de: 'Zweite', en: 'Second' })
    assert.equal(roundTrip(choice, { f: 'z' }).problem, 'forms.error.choose')
    assert.equal(roundTrip(choice, {}).problem, 'forms.error.choose')
    checksItsExample(choice)
  })
})

describe('radio', () => {
  it('accepts one of its options, and its errors link to the first button', () => {
    const choice = field('radio', { options, required: true })
    assert.deepEqual(roundTrip(choice, { f: 'a' }), { answer: 'a', problem: null, de: 'Erste', en: 'First' })
    assert.equal(roundTrip(choice, { f: 'z' }).problem, 'forms.error.choose')
    assert.equal(fieldTypes.radio.anchor(choice), 'f-a')
    checksItsExample(choice)
  })
})

describe('checkbox', () => {
  it('with options takes a list of ticked ones; without, one box to confirm', () => {
    const several = field('checkbox', { options })
    assert.deepEqual(roundTrip(several, { f: ['a', 'b'] }), {
      answer: ['a', 'b'],
      problem: null,
      de: 'Erste, Zweite',
      en: 'First, Second',
    })
    assert.equal(roundTrip(several, { f: ['a', 'z'] }).problem, 'forms.error.choose')
    const confirm = field('checkbox', { required: true })
    assert.deepEqual(roundTrip(confirm, { f: 'yes' }), { answer: 'yes', problem: null, de: 'Ja', en: 'Yes' })
    assert.equal(roundTrip(confirm, {}).problem, 'forms.error.mustConfirm')
    checksItsExample(several)
    checksItsExample(confirm)
  })
})

describe('email', () => {
  it('stores the address in small letters and checks its shape', () => {
    assert.deepEqual(roundTrip(field('email'), { f: ' Erika@Example.ORG ' }), {
      answer: 'erika@example.org',
      problem: null,
      de: 'erika@example.org',
      en: 'erika@example.org',
    })
    assert.equal(roundTrip(field('email'), { f: 'erika@' }).problem, 'forms.error.email')
    checksItsExample(field('email'))
  })
})

describe('phone', () => {
  it('takes numbers as people write them', () => {
    assert.equal(roundTrip(field('phone'), { f: '+49 (231) 50-0' }).problem, null)
    assert.equal(roundTrip(field('phone'), { f: 'call me' }).problem, 'forms.error.phone')
    checksItsExample(field('phone'))
  })
})

describe('iban', () => {
  it('stores it without spaces in capitals, checks the check digits, and shows it in groups of four', () => {
    assert.deepEqual(roundTrip(field('iban'), { f: 'de02 1203 0000 0000 2020 51' }), {
      answer: 'DE02120300000000202051',
      problem: null,
      de: 'DE02 1203 0000 0000 2020 51',
      en: 'DE02 1203 0000 0000 2020 51',
    })
    assert.equal(roundTrip(field('iban'), { f: 'DE02120300000000202052' }).problem, 'forms.error.iban')
    checksItsExample(field('iban'))
  })
})

describe('address', () => {
  it('reads four parts, says which part is missing, and shows one line', () => {
    const home = field('address', { required: true })
    const read = roundTrip(home, {
      'f.street': 'Friedensplatz',
      'f.houseNumber': '1',
      'f.postalCode': '44 135',
      'f.city': 'Dortmund',
    })
    assert.deepEqual(read.answer, { street: 'Friedensplatz', houseNumber: '1', postalCode: '44135', city: 'Dortmund' })
    assert.equal(read.problem, null)
    assert.equal(read.de, 'Friedensplatz 1, 44135 Dortmund')
    assert.equal(roundTrip(home, {}).problem, 'forms.error.required', 'all parts empty is no answer')
    const partial = validateField(
      home,
      { street: 'Markt', houseNumber: '', postalCode: '44135', city: 'Dortmund' },
      today,
    )
    assert.deepEqual(partial, { key: 'forms.error.addressPart', params: { part: 'houseNumber' }, part: 'houseNumber' })
    assert.equal(fieldTypes.address.anchor(home, 'houseNumber'), 'f.houseNumber')
    checksItsExample(home)
  })
})

describe('file', () => {
  it('keeps an earlier upload unless removed, and shows its name and size', () => {
    const upload = field('file', { required: true })
    const earlier = { fileId: 'x', filename: 'permit.pdf', sizeBytes: 4096, mediaType: 'application/pdf' }
    assert.deepEqual(roundTrip(upload, {}, earlier), {
      answer: earlier,
      problem: null,
      de: 'permit.pdf (4 KB)',
      en: 'permit.pdf (4 KB)',
    })
    assert.equal(roundTrip(upload, { 'f.remove': 'yes' }, earlier).answer, undefined)
    assert.equal(roundTrip(upload, {}).problem, 'forms.error.fileRequired')
    assert.equal(fieldTypes.file.example(upload, today), null, 'no upload can be made up')
    checksItsExample(upload)
  })
})
