import type { Locale } from '../../platform/i18n/i18n.js'
import { NotFound } from '../../platform/http/errors.js'
import type { ServiceDefinition } from '../catalogue/index.js'
import { ResourceNotFound, TimeNotOffered, type Resource, type ResourceCatalogue } from '../booking/index.js'

/** Where appointments are booked: the counters of the citizens' offices and the video desks. */
export const APPOINTMENT_KINDS: Resource['kind'][] = ['counter', 'video']

/** What the person chose so far: a place, a concern there, and (for an application) the case it belongs to. */
export interface Choice {
  resource: Resource
  concernId: string
  concernName: string
  minutes: number
  /** An application that ends by booking: its case and service. */
  caseId?: string
  serviceId?: string
}

/** The query of every step: ort (place), anliegen (concern), fall (case, optional). */
export interface ChoiceQuery {
  ort?: string
  anliegen?: string
  fall?: string
}

/** Places and concerns offered on /termine, grouped by concern: a concern offered at several places lists each. */
export function concernsOnOffer(resources: ResourceCatalogue, locale: Locale, onlyFor?: ServiceDefinition) {
  const byConcern = new Map<string, { id: string; name: string; places: Resource[] }>()
  const wanted = onlyFor?.appointment ? [onlyFor.appointment.resource].flat() : undefined
  for (const resource of resources.ofKind(...APPOINTMENT_KINDS)) {
    if (wanted && !wanted.includes(resource.id)) continue
    for (const concern of resource.concerns ?? []) {
      if (onlyFor && concern.service !== onlyFor.id) continue
      const entry = byConcern.get(concern.id) ?? { id: concern.id, name: concern.name[locale], places: [] }
      entry.places.push(resource)
      byConcern.set(concern.id, entry)
    }
  }
  return [...byConcern.values()]
}

/**
 * The choice a step's query names. An unknown place answers 404; a concern the place does not offer is the rule
 * breach "unknownConcern" (422, with its own message). A case's service decides the length of the appointment.
 */
export function resolveChoice(
  resources: ResourceCatalogue,
  query: ChoiceQuery,
  locale: Locale,
  forCase?: { caseId: string; definition: ServiceDefinition },
): Choice {
  const resource = query.ort ? resources.get(query.ort) : undefined
  if (!resource || !APPOINTMENT_KINDS.includes(resource.kind)) throw new ResourceNotFound()
  const concern = resource.concerns?.find(c => c.id === query.anliegen)
  if (!concern) throw new TimeNotOffered('unknownConcern')
  if (forCase) {
    const places = [forCase.definition.appointment?.resource ?? []].flat()
    if (!places.includes(resource.id) || concern.service !== forCase.definition.id) throw new NotFound()
  }
  return {
    resource,
    concernId: concern.id,
    concernName: concern.name[locale],
    minutes: forCase?.definition.appointment?.duration ?? concern.minutes,
    caseId: forCase?.caseId,
    serviceId: forCase?.definition.id ?? concern.service,
  }
}

/** The query string that carries a choice from step to step. */
export function choiceQuery(choice: Choice, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ ort: choice.resource.id, anliegen: choice.concernId })
  if (choice.caseId) params.set('fall', choice.caseId)
  for (const [k, v] of Object.entries(extra)) params.set(k, v)
  return params.toString()
}
