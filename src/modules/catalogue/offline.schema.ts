import { Type, type Static } from '@sinclair/typebox'
import { Text } from './definition.schema.js'

const TextList = Type.Object(
  {
    de: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    en: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  },
  { additionalProperties: false },
)
const Id = Type.String({ pattern: '^[a-z][a-z0-9-]*$', maxLength: 80 })

/**
 * A service the city offers only at the counter or by post (services/_offline.yaml): found by the search like an
 * online service, with the way to apply and the office to turn to instead of a form.
 */
export const OfflineEntry = Type.Object(
  {
    id: Id,
    /** Key of the service in the Leistungskatalog (LeiKa), where known. */
    leikaKey: Type.Optional(Type.String({ pattern: '^[0-9]{14}$' })),
    office: Id,
    title: Text,
    summary: Text,
    keywords: Type.Optional(
      Type.Object({ de: Type.Array(Type.String()), en: Type.Array(Type.String()) }, { additionalProperties: false }),
    ),
    lifeSituations: Type.Optional(Type.Array(Id)),
    /** The steps, in the order a citizen takes them. */
    howTo: TextList,
    documents: Type.Optional(TextList),
    fee: Type.Optional(Text),
    /** Where to read more or book an appointment. */
    link: Type.Optional(
      Type.Object({ url: Type.String({ pattern: '^https://' }), label: Text }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
)
export type OfflineEntry = Static<typeof OfflineEntry>

export const OfflineEntries = Type.Array(OfflineEntry)

/** What services/_offices.yaml says of an office; contact details are shown on the pages of offline services. */
export const OfficeData = Type.Object(
  {
    id: Id,
    name: Text,
    address: Type.Optional(Type.String({ minLength: 1 })),
    phone: Type.Optional(Type.String({ minLength: 1 })),
    email: Type.Optional(Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$' })),
    url: Type.Optional(Type.String({ pattern: '^https://' })),
    openingHours: Type.Optional(Text),
  },
  { additionalProperties: false },
)
export const OfficesData = Type.Array(OfficeData)
