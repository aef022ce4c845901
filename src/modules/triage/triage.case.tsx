import type { Translate } from '../../platform/i18n/i18n.js'
import type { ServiceDefinition, Text } from '../catalogue/index.js'
import type { CaseSection } from '../cases/index.js'
import { displayValue, extractFacts, type ExtractedFact } from './triage.extract.js'
import { factExcerpt, type FactExcerpt } from './triage.excerpt.js'

/** A fact found in one of the applicant's free-text answers. */
interface DetectedFact {
  fieldLabel: Text
  fact: ExtractedFact
  excerpt: FactExcerpt
}

/**
 * Facts in the applicant's free-text answers (textarea fields), for the caseworker to read and copy; the answers
 * stay as sent. Computed on render from the answers only: attachments would mean parsing PDFs on every view.
 */
function detectedFactsOf(definition: ServiceDefinition, answers: Record<string, unknown>): DetectedFact[] {
  return definition.form.pages
    .flatMap(p => p.fields)
    .filter(f => f.type === 'textarea')
    .flatMap(field => {
      const text = answers[field.id]
      if (typeof text !== 'string' || !text) return []
      return extractFacts(text).map(fact => ({ fieldLabel: field.label, fact, excerpt: factExcerpt(text, fact) }))
    })
}

/** "Detected details", inside the answers section, when the free-text answers hold any. */
export const detectedFactsSection: CaseSection<DetectedFact[]> = {
  id: 'detected-facts',
  place: 'answers',
  order: 10,
  load: ({ definition, record }) => {
    const facts = detectedFactsOf(definition, record.answers)
    return facts.length ? facts : undefined
  },
  View: ({ data, ctx }) => <DetectedFacts facts={data} t={ctx.t} />,
}

/** Collapsed and read only. */
function DetectedFacts({ facts, t }: { facts: DetectedFact[]; t: Translate }) {
  return (
    <details class="kern-accordion" id="detected-facts">
      <summary class="kern-accordion__header">
        <span class="kern-title">{t('triage.caseFacts.title', { count: facts.length })}</span>
      </summary>
      <div class="kern-accordion__body stack">
        <p class="kern-body">{t('triage.caseFacts.hint')}</p>
        <table class="kern-table">
          <caption class="kern-sr-only">{t('triage.caseFacts.caption')}</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <th class="kern-table__header" scope="col">
                {t('triage.caseFacts.kind')}
              </th>
              <th class="kern-table__header" scope="col">
                {t('triage.caseFacts.value')}
              </th>
              <th class="kern-table__header" scope="col">
                {t('triage.caseFacts.where')}
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {facts.map(f => (
              <tr class="kern-table__row">
                <td class="kern-table__cell" safe>
                  {t.text(`triage.fact.${f.fact.kind}`)}
                </td>
                <td class="kern-table__cell">
                  <code safe>{displayValue(f.fact)}</code>
                </td>
                <td class="kern-table__cell">
                  <span safe>{`${f.fieldLabel[t.locale]}: „`}</span>
                  <span safe>{f.excerpt.before}</span>
                  <mark safe>{f.excerpt.found}</mark>
                  <span safe>{`${f.excerpt.after}“`}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  )
}
