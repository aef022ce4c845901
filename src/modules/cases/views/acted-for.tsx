import type { Translate } from '../../../platform/i18n/i18n.js'
import type { RepresentedRelation } from '../../../platform/db/schema.js'

/** Who acted for whom on a case, as every view shows it (docs/mandates.md). */
export interface ActedFor {
  actedByName: string | null
  representedName: string | null
  representedRelation: RepresentedRelation | null
}

/** "Gestellt von Erika Mustermann für Max Mustermann (Kind)"; null for a case the account made for itself. */
export function actedForText(t: Translate, c: ActedFor): string | null {
  if (!c.actedByName || !c.representedName || !c.representedRelation) return null
  const company = c.representedRelation === 'owner' || c.representedRelation === 'clerk'
  return t.text(company ? 'mandates.case.forCompany' : 'mandates.case.actedFor', {
    agent: c.actedByName,
    principal: c.representedName,
    relation: t.text(`mandates.relation.${c.representedRelation}`),
  })
}
