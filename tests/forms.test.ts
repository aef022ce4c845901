import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Field, Page, ServiceDefinition } from '../src/modules/catalogue/definition.schema.js'
import {
  normalizeDate,
  normalizeTyped,
  parseNumber,
  readPageInput,
  resolveDateBound,
  validateField,
  validatePage,
} from '../src/modules/forms/forms.validate.js'
import {
  applicantNameOf,
  isConditionMet,
  pruneHiddenAnswers,
  visiblePages,
} from '../src/modules/forms/forms.answers.js'
import { translator } from '../src/platform/i18n/i18n.js'

const text = (de: string) => ({ de, en: de })
const field = (f: Partial<Field> & Pick<Field, 'id' | 'type'>): Field => ({ label: text(f.id), ...f }) as Field
const today = '2026-11-26'

describe('form validation', () => {
  it('asks for required fields and accepts empty optional ones', () => {
    assert.equal(
      validateField(field({ id: 'name', type: 'text', required: true }), '', today)?.key,
      'forms.error.required',
    )
    assert.equal(validateField(field({ id: 'name', type: 'text' }), '', today), null)
    assert.equal(
      validateField(field({ id: 'consent', type: 'checkbox', required: true }), '', today)?.key,
      'forms.error.mustConfirm',
    )
    assert.equal(
      validateField(field({ id: 'doc', type: 'file', required: true }), undefined, today)?.key,
      'forms.error.fileRequired',
    )
  })

  it('writes typed values the one way they can only mean before checking them', () => {
    assert.equal(
      normalizeTyped(field({ id: 'plate', type: 'text', normalize: ['upper', 'collapseSpaces'] }), 'do-äb   12'),
      'DO-ÄB 12',
    )
    assert.equal(
      normalizeTyped(field({ id: 'vin', type: 'text', normalize: ['upper', 'noSpaces'] }), 'wvw zzz 1j'),
      'WVWZZZ1J',
    )
    assert.equal(
      normalizeTyped(field({ id: 'iban', type: 'iban' }), 'de02 1203-0000 0000 2020 51'),
      'DE02120300000000202051',
    )
    assert.equal(normalizeTyped(field({ id: 'mail', type: 'email' }), 'Erika.M@Example.ORG'), 'erika.m@example.org')
    assert.equal(
      normalizeTyped(field({ id: 'note', type: 'textarea' }), 'Zeile 1\n  Zeile 2'),
      'Zeile 1\n  Zeile 2',
      'free text stays as typed',
    )
    const page: Page = { id: 'p', title: text('p'), fields: [field({ id: 'home', type: 'address' })] }
    assert.deepEqual(
      readPageInput(
        page,
        { 'home.street': 'Markt', 'home.houseNumber': '1', 'home.postalCode': '44 135', 'home.city': 'Dortmund' },
        {},
      ).home,
      { street: 'Markt', houseNumber: '1', postalCode: '44135', city: 'Dortmund' },
    )
  })

  it('checks IBANs by their check digits', () => {
    const iban = field({ id: 'iban', type: 'iban', required: true })
    assert.equal(validateField(iban, 'DE02 1203 0000 0000 2020 51', today), null)
    assert.equal(validateField(iban, 'DE03 1203 0000 0000 2020 51', today)?.key, 'forms.error.iban')
    assert.equal(validateField(iban, 'not an iban', today)?.key, 'forms.error.iban')
  })

  it('reads German and ISO dates and refuses impossible ones', () => {
    assert.equal(normalizeDate('29.02.2024'), '2024-02-29')
    assert.equal(normalizeDate('2026-11-26'), '2026-11-26')
    assert.equal(normalizeDate('29.02.2025'), null)
    assert.equal(normalizeDate('31.04.2026'), null)
    assert.equal(normalizeDate('gestern'), null)
  })

  it('applies relative date bounds', () => {
    assert.equal(resolveDateBound('today+30', today), '2026-12-26')
    assert.equal(resolveDateBound('today-1', '2026-03-01'), '2026-02-28')
    const moveIn = field({ id: 'moveIn', type: 'date', min: 'today-365', max: 'today' })
    assert.equal(validateField(moveIn, '2026-11-27', today)?.key, 'forms.error.dateMax')
    assert.equal(validateField(moveIn, '2020-01-01', today)?.key, 'forms.error.dateMin')
    assert.equal(validateField(moveIn, '01.11.2026', today), null)
  })

  it("names a date bound the reader's way, never as YYYY-MM-DD", () => {
    const moveIn = field({ id: 'moveIn', type: 'date', max: 'today+11' })
    const problem = validateField(moveIn, '2027-01-01', today)!
    assert.equal(
      translator('de').text(problem.key, { ...problem.params, label: 'Einzug' }),
      '„Einzug“ darf nicht nach dem 7. Dezember 2026 liegen.',
    )
    assert.equal(
      translator('en').text(problem.key, { ...problem.params, label: 'Move-in' }),
      '“Move-in” must not be after 7 December 2026.',
    )
  })

  it('reads numbers written the German or the English way and checks bounds', () => {
    assert.equal(parseNumber('1.234,5'), 1234.5)
    assert.equal(parseNumber('1,234.5'), 1234.5)
    assert.equal(parseNumber('12,5'), 12.5)
    assert.equal(parseNumber('zwölf'), null)
    const trees = field({ id: 'trees', type: 'number', min: 1, max: 50 })
    assert.equal(validateField(trees, '0', today)?.key, 'forms.error.numberMin')
    assert.equal(validateField(trees, '2.5', today)?.key, 'forms.error.wholeNumber')
    assert.equal(validateField(trees, '51', today)?.key, 'forms.error.numberMax')
  })

  it('checks patterns, e-mail, phone, length and options', () => {
    const plate = field({ id: 'plate', type: 'text', pattern: '[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} [1-9][0-9]{0,3}' })
    assert.equal(validateField(plate, 'DO-AB 123', today), null)
    assert.equal(validateField(plate, 'DO AB 123', today)?.key, 'forms.error.pattern')
    assert.equal(validateField(field({ id: 'mail', type: 'email' }), 'a@b', today)?.key, 'forms.error.email')
    assert.equal(validateField(field({ id: 'tel', type: 'phone' }), 'call me', today)?.key, 'forms.error.phone')
    assert.equal(validateField(field({ id: 'note', type: 'text' }), 'x'.repeat(501), today)?.key, 'forms.error.tooLong')
    const colour = field({ id: 'colour', type: 'select', options: [{ value: 'red', label: text('Rot') }] })
    assert.equal(validateField(colour, 'blue', today)?.key, 'forms.error.choose')
  })

  it('names the missing part of an address and checks the postcode', () => {
    const address = field({ id: 'home', type: 'address', required: true })
    assert.equal(
      validateField(address, { street: 'Markt', houseNumber: '', postalCode: '44135', city: 'Dortmund' }, today)?.params
        ?.part,
      'houseNumber',
    )
    assert.equal(
      validateField(address, { street: 'Markt', houseNumber: '1', postalCode: '4413', city: 'Dortmund' }, today)?.key,
      'forms.error.postalCode',
    )
  })

  it('validates only the fields that are shown', () => {
    const page: Page = {
      id: 'p',
      title: text('p'),
      fields: [
        field({
          id: 'abroad',
          type: 'radio',
          required: true,
          options: [
            { value: 'yes', label: text('Ja') },
            { value: 'no', label: text('Nein') },
          ],
        }),
        field({ id: 'country', type: 'text', required: true, showIf: { field: 'abroad', equals: 'yes' } }),
      ],
    }
    assert.deepEqual(validatePage(page, { abroad: 'no' }, today), [])
    assert.equal(validatePage(page, { abroad: 'yes' }, today)[0]?.fieldId, 'country')
  })

  it('ignores posted values for fields taken from the account', () => {
    const page: Page = {
      id: 'p',
      title: text('p'),
      fields: [field({ id: 'familyName', type: 'text', prefill: 'familyName' })],
    }
    const read = readPageInput(page, { familyName: 'Tampered' }, {
      familyName: 'Mustermann',
      _prefilled: ['familyName'],
    } as never)
    assert.equal(read.familyName, undefined)
  })

  it('drops answers of pages and fields no longer shown', () => {
    const def = {
      form: {
        pages: [
          {
            id: 'a',
            title: text('a'),
            fields: [
              field({
                id: 'kind',
                type: 'radio',
                options: [
                  { value: 'x', label: text('x') },
                  { value: 'y', label: text('y') },
                ],
              }),
            ],
          },
          {
            id: 'b',
            title: text('b'),
            showIf: { field: 'kind', equals: 'y' },
            fields: [field({ id: 'detail', type: 'text' })],
          },
        ],
      },
    } as unknown as ServiceDefinition
    assert.equal(visiblePages(def, { kind: 'x' }).length, 1)
    assert.deepEqual(pruneHiddenAnswers(def, { kind: 'x', detail: 'stale' }), { kind: 'x' })
    assert.ok(isConditionMet({ field: 'kind', in: ['y'] }, { kind: 'y' }))
  })

  it('takes the applicant name from the fields marked as the account name', () => {
    const def = {
      form: {
        pages: [
          {
            id: 'a',
            title: text('a'),
            fields: [
              field({ id: 'first', type: 'text', prefill: 'givenName' }),
              field({ id: 'last', type: 'text', prefill: 'familyName' }),
            ],
          },
        ],
      },
    } as unknown as ServiceDefinition
    assert.equal(applicantNameOf(def, { first: 'Erika', last: 'Mustermann' }), 'Erika Mustermann')
  })
})
