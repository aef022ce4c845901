import { Type, type Static, type TString } from '@sinclair/typebox'
import { ConfigFileError, readYamlConfig } from '../../platform/config-file.js'
import { locales, type Locale } from '../../platform/i18n/i18n.js'

const Line = Type.String({ minLength: 1 })
/** A text in every language the site offers: a missing translation stops the start, not a visitor. */
const Localized = Type.Object(Object.fromEntries(locales.map(locale => [locale, Line])) as Record<Locale, TString>, {
  additionalProperties: false,
})
const Email = Type.String({ pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' })
const Address = Type.Array(Line, { minItems: 1, maxItems: 5 })

const Contact = Type.Object(
  {
    name: Localized,
    address: Address,
    phone: Type.Optional(Line),
    email: Email,
    website: Type.Optional(Line),
  },
  { additionalProperties: false },
)

const Section = Type.Object(
  { heading: Localized, paragraphs: Type.Array(Localized, { minItems: 1 }) },
  {
    additionalProperties: false,
  },
)

/** The city's own facts for the legal pages; config/city.yaml by default (CITY_CONFIG_FILE). */
const CitySchema = Type.Object(
  {
    name: Localized,
    address: Address,
    phone: Line,
    email: Email,
    website: Line,
    /** § 5 DDG: who represents the city (a corporation under public law). */
    imprint: Type.Object(
      {
        legalForm: Localized,
        representedBy: Localized,
        supervisoryAuthority: Localized,
        /** § 27a UStG; empty when the city has none or it is not known yet: then not shown. */
        vatId: Type.String(),
        /** § 18 Abs. 2 MStV: who answers for the editorial content. */
        responsibleForContent: Contact,
      },
      { additionalProperties: false },
    ),
    privacy: Type.Object(
      {
        dataProtectionOfficer: Contact,
        /** Art. 77 DSGVO: where to complain. */
        supervisoryAuthority: Contact,
        sections: Type.Array(Section, { minItems: 1 }),
      },
      { additionalProperties: false },
    ),
    /** § 12b BGG, § 7 BITV 2.0 (in NRW § 10e BGG NRW with the BITV NRW): the accessibility statement. */
    accessibility: Type.Object(
      {
        conformity: Type.Union([Type.Literal('full'), Type.Literal('partial'), Type.Literal('none')]),
        statementDate: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
        method: Localized,
        knownBarriers: Type.Array(
          Type.Object({ barrier: Localized, alternative: Localized }, { additionalProperties: false }),
        ),
        /** Where the feedback form's messages go: the office that answers for accessibility. */
        feedback: Contact,
        enforcement: Contact,
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
)
export type City = Static<typeof CitySchema>

export type LocalizedText = Record<Locale, string>

/** Reads and checks the city file; every problem at once, each with its path (`/imprint/representedBy/en`). */
export function loadCityConfig(file: string): City {
  const city = readYamlConfig(file, CitySchema, 'city configuration')
  if (Number.isNaN(Date.parse(city.accessibility.statementDate)))
    throw new ConfigFileError(
      file,
      [`/accessibility/statementDate: "${city.accessibility.statementDate}" is no date`],
      'city configuration',
    )
  return city
}

const loaded = new Map<string, City>()

/** The city file, read once per process; boot has checked it, so a page never stops on it. */
export function cityConfigOf(file: string): City {
  let city = loaded.get(file)
  if (!city) loaded.set(file, (city = loadCityConfig(file)))
  return city
}
