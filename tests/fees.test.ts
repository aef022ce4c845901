import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { checkDefinitionText, loadOffices, loadServiceDefinitions } from '../src/modules/catalogue/definitions.load.js'
import type { ServiceDefinition } from '../src/modules/catalogue/definition.schema.js'
import { calculateFees, quantityInThousandths } from '../src/modules/payments/payments.fees.js'

const servicesDir = path.resolve('services')
const offices = loadOffices(servicesDir)
const shipped = new Map(loadServiceDefinitions(servicesDir, offices).map(s => [s.definition.id, s.definition]))
const service = (id: string) => shipped.get(id)!

describe('fees of the shipped services', () => {
  it('charges 13 € for a certificate of conduct, and nothing to a volunteer', () => {
    const normal = calculateFees(service('fuehrungszeugnis'), { feeExemption: 'no' })
    assert.equal(normal.due, 'onSubmission')
    assert.deepEqual(
      normal.lines.map(l => [l.id, l.quantity, l.unitCents, l.totalCents]),
      [['certificate', 1, 1300, 1300]],
    )
    assert.equal(normal.totalCents, 1300)
    const volunteer = calculateFees(service('fuehrungszeugnis'), { feeExemption: 'yes' })
    assert.equal(volunteer.subtotalCents, 1300)
    assert.deepEqual(
      volunteer.reductions.map(r => [r.id, r.percent, r.amountCents]),
      [['volunteer', 100, 1300]],
    )
    assert.equal(volunteer.totalCents, 0)
  })

  it('charges per tree, only the item that matches the requested work', () => {
    const felling = calculateFees(service('baumfaellung'), { measure: 'felling', treeCount: '3' })
    assert.equal(felling.due, 'onNotice')
    assert.deepEqual(
      felling.lines.map(l => [l.id, l.quantity, l.totalCents]),
      [['felling', 3, 15000]],
    )
    const pruning = calculateFees(service('baumfaellung'), { measure: 'heavyPruning', treeCount: '2' })
    assert.deepEqual(
      pruning.lines.map(l => [l.id, l.totalCents]),
      [['pruning', 5000]],
    )
    assert.equal(calculateFees(service('baumfaellung'), { measure: 'felling' }).totalCents, 0, 'no count, no charge')
  })

  it('charges per metre of a decimal answer exactly, rounding half a cent up', () => {
    const market = service('wochenmarkt-standplatz')
    assert.equal(calculateFees(market, { stallLength: '2,5' }).totalCents, 625)
    assert.equal(calculateFees(market, { stallLength: '3.333' }).totalCents, 833)
    assert.equal(calculateFees(market, { stallLength: '2.002' }).totalCents, 501)
    assert.equal(calculateFees(market, { stallLength: '12' }).totalCents, 3000)
  })

  it('halves the registration certificate fee for Dortmund-Pass holders', () => {
    assert.equal(calculateFees(service('meldebescheinigung'), { dortmundPass: 'no' }).totalCents, 500)
    const reduced = calculateFees(service('meldebescheinigung'), { dortmundPass: 'yes' })
    assert.deepEqual(
      reduced.reductions.map(r => [r.percent, r.amountCents]),
      [[50, 250]],
    )
    assert.equal(reduced.totalCents, 250)
  })

  it('charges nothing for a service without fees', () => {
    const none = calculateFees(service('hundesteuer-anmeldung'), {})
    assert.deepEqual(none, { due: null, lines: [], reductions: [], subtotalCents: 0, totalCents: 0 })
  })
})

describe('fee arithmetic', () => {
  const base = service('meldebescheinigung')
  const withFees = (fees: ServiceDefinition['fees']): ServiceDefinition => ({ ...base, fees })

  it('rounds a percentage reduction half up in the applicant’s favour and applies only the best exemption', () => {
    const def = withFees({
      due: 'onSubmission',
      items: [{ id: 'a', label: { de: 'A', en: 'A' }, amountCents: 333 }],
      exemptions: [
        { id: 'small', label: { de: 'S', en: 'S' }, when: { field: 'dortmundPass', equals: 'yes' }, percent: 10 },
        { id: 'half', label: { de: 'H', en: 'H' }, when: { field: 'dortmundPass', equals: 'yes' }, percent: 50 },
      ],
    })
    const fees = calculateFees(def, { dortmundPass: 'yes' })
    assert.deepEqual(
      fees.reductions.map(r => [r.id, r.amountCents]),
      [['half', 167]],
    )
    assert.equal(fees.totalCents, 166)
  })

  it('adds conditional items only when their answer is given', () => {
    const def = withFees({
      due: 'onSubmission',
      items: [
        { id: 'base', label: { de: 'B', en: 'B' }, amountCents: 1000 },
        { id: 'post', label: { de: 'P', en: 'P' }, amountCents: 150, when: { field: 'delivery', equals: 'post' } },
      ],
    })
    assert.equal(calculateFees(def, { delivery: 'postbox' }).totalCents, 1000)
    assert.equal(calculateFees(def, { delivery: 'post' }).totalCents, 1150)
  })

  it('reads quantities exactly as typed, in German or English, and refuses the rest', () => {
    assert.equal(quantityInThousandths('1.234,5'), 1234500)
    assert.equal(quantityInThousandths('1,234.5'), 1234500)
    assert.equal(quantityInThousandths('0,1'), 100)
    assert.equal(quantityInThousandths('2.0005'), 2001)
    assert.equal(quantityInThousandths('-1'), null)
    assert.equal(quantityInThousandths('zwei'), null)
    assert.equal(quantityInThousandths(['1']), null)
  })

  it('always yields whole cents that add up, for any amounts and quantities', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 1, max: 100 }),
        fc.boolean(),
        (unit, whole, fraction, percent, exempt) => {
          const def = withFees({
            due: 'onNotice',
            items: [
              { id: 'per', label: { de: 'P', en: 'P' }, amountCents: unit, perField: 'count' },
              { id: 'fix', label: { de: 'F', en: 'F' }, amountCents: 100 },
            ],
            exemptions: [
              { id: 'x', label: { de: 'X', en: 'X' }, when: { field: 'dortmundPass', equals: 'yes' }, percent },
            ],
          })
          const fees = calculateFees(def, {
            count: `${whole},${String(fraction).padStart(3, '0')}`,
            dortmundPass: exempt ? 'yes' : 'no',
          })
          const exact = (unit * (whole * 1000 + fraction)) / 1000
          const perLine = fees.lines.find(l => l.id === 'per')?.totalCents ?? 0
          return (
            [fees.totalCents, fees.subtotalCents, perLine].every(Number.isSafeInteger) &&
            Math.abs(perLine - exact) <= 0.5 &&
            fees.subtotalCents === fees.lines.reduce((s, l) => s + l.totalCents, 0) &&
            fees.totalCents === fees.subtotalCents - (fees.reductions[0]?.amountCents ?? 0) &&
            fees.totalCents >= 0
          )
        },
      ),
      { seed: 42, numRuns: 500 },
    )
  })
})

describe('fee definitions are checked', () => {
  const text = fs.readFileSync(path.join(servicesDir, 'baumfaellung.yaml'), 'utf8')

  it('refuses a per-unit fee on a field that is not a number', () => {
    const problems = checkDefinitionText(
      text.replace('perField: treeCount', 'perField: species'),
      'services/x.yaml',
      offices,
    )
    assert.ok(
      problems.some(p => p.includes('/fees/items/0/perField') && p.includes('not a number field')),
      problems.join('\n'),
    )
  })

  it('refuses a fee condition on an unknown field or option', () => {
    const unknownField = checkDefinitionText(
      text.replace('when: { field: measure, equals: felling }', 'when: { field: nothing, equals: felling }'),
      'services/x.yaml',
      offices,
    )
    assert.ok(
      unknownField.some(p => p.includes('/fees/items/0/when/field')),
      unknownField.join('\n'),
    )
    const unknownOption = checkDefinitionText(
      text.replace('when: { field: measure, equals: felling }', 'when: { field: measure, equals: burning }'),
      'services/x.yaml',
      offices,
    )
    assert.ok(
      unknownOption.some(p => p.includes('/fees/items/0/when') && p.includes('"burning" is not an option')),
      unknownOption.join('\n'),
    )
  })

  it('refuses a fractional or negative amount of cents', () => {
    for (const amount of ['50.5', '-100']) {
      const problems = checkDefinitionText(
        text.replace('amountCents: 5000', `amountCents: ${amount}`),
        'services/x.yaml',
        offices,
      )
      assert.ok(
        problems.some(p => p.includes('/fees/items/0/amountCents')),
        problems.join('\n'),
      )
    }
  })
})
