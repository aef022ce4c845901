import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  checkDefinitionText,
  loadOffices,
  loadServiceDefinitions,
  DefinitionError,
} from '../src/modules/catalogue/definitions.load.js'

const servicesDir = path.resolve('services')
const offices = loadOffices(servicesDir)
const residence = fs.readFileSync(path.join(servicesDir, 'wohnsitz-anmeldung.yaml'), 'utf8')

describe('service definitions', () => {
  it('accepts every shipped service, at least 15 of them', () => {
    const loaded = loadServiceDefinitions(servicesDir, offices)
    assert.ok(loaded.length >= 15, `only ${loaded.length} services`)
    for (const { definition } of loaded) {
      assert.ok(
        definition.workflow.transitions.some(t => t.id === 'start'),
        `${definition.id} lacks a start transition`,
      )
    }
  })

  it('names the file, the path and the line of a wrong field type', () => {
    const broken = residence.replace('type: date', 'type: calendar')
    const problems = checkDefinitionText(broken, 'services/broken.yaml', offices)
    assert.ok(problems.length > 0)
    const line = broken.split('\n').findIndex(l => l.includes('type: calendar')) + 1
    assert.match(problems[0]!, new RegExp(`^services/broken\\.yaml: /form/pages/0/fields/0/type \\(line ${line}\\): `))
  })

  it('reports a missing English text by its path', () => {
    const broken = residence.replace(/^title:\n {2}de: (.*)\n {2}en: .*$/m, 'title:\n  de: $1')
    const problems = checkDefinitionText(broken, 'services/x.yaml', offices)
    assert.ok(
      problems.some(p => p.includes('/title') && p.includes('missing property "en"')),
      problems.join('\n'),
    )
  })

  it('refuses a condition on a field that is only asked later', () => {
    const broken = residence.replace(
      'showIf: { field: movingFromAbroad, equals: "yes" }',
      'showIf: { field: religion, equals: "rk" }',
    )
    const problems = checkDefinitionText(broken, 'services/x.yaml', offices)
    assert.ok(
      problems.some(p => p.includes('showIf/field') && p.includes('not a field asked before')),
      problems.join('\n'),
    )
  })

  it('refuses an unknown office, an unknown workflow state and an unknown property', () => {
    const broken = residence
      .replace(/^office: .*$/m, 'office: atlantis')
      .replace(/to: approved/, 'to: nowhere')
      .replace(/^version: (\d+)$/m, 'version: $1\ncolour: blue')
    const problems = checkDefinitionText(broken, 'services/x.yaml', offices)
    assert.ok(
      problems.some(p => p.includes('unknown property "colour"')),
      problems.join('\n'),
    )
    const semantic = checkDefinitionText(
      residence.replace(/^office: .*$/m, 'office: atlantis').replace(/to: approved/, 'to: nowhere'),
      'services/x.yaml',
      offices,
    )
    assert.ok(
      semantic.some(p => p.includes('/office') && p.includes('atlantis')),
      semantic.join('\n'),
    )
    assert.ok(
      semantic.some(p => p.includes('/to') && p.includes('nowhere')),
      semantic.join('\n'),
    )
  })

  it('reports YAML syntax errors with the file name', () => {
    const problems = checkDefinitionText('id: [unclosed', 'services/bad.yaml', offices)
    assert.match(problems[0]!, /^services\/bad\.yaml: YAML syntax error/)
  })

  it('stops loading a directory with one invalid file and names it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-services-'))
    fs.copyFileSync(path.join(servicesDir, '_offices.yaml'), path.join(dir, '_offices.yaml'))
    fs.writeFileSync(
      path.join(dir, 'wohnsitz-anmeldung.yaml'),
      residence.replace('required: true', 'required: sometimes'),
    )
    assert.throws(
      () => loadServiceDefinitions(dir, offices),
      (e: unknown) =>
        e instanceof DefinitionError && /services\/wohnsitz-anmeldung\.yaml: \/.*required/.test(e.message),
    )
  })
})
