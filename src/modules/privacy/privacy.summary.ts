import type { Config } from '../../platform/config.js'
import { formatDate, translator, type Locale } from '../../platform/i18n/i18n.js'
import { letterheadOf, renderLetterPdf, type LetterBlock } from '../../platform/pdf/index.js'
import type { PersonalDataPart } from '../../platform/privacy/index.js'
import type { AccountProfile } from '../accounts/index.js'
import type { ServiceRegistry } from '../catalogue/index.js'

interface SummaryInput {
  locale: Locale
  profile: AccountProfile
  parts: { id: string; part: PersonalDataPart }[]
  date: Date
}

/** How many records a holder's data holds: the length of a list, or the sum over an object's lists. */
function countOf(data: unknown): number {
  if (Array.isArray(data)) return data.length
  if (data && typeof data === 'object')
    return Object.values(data).reduce<number>((n, v) => n + (Array.isArray(v) ? v.length : v ? 1 : 0), 0)
  return data ? 1 : 0
}

interface CaseSummary {
  reference: string
  serviceId: string
  status: string
  submittedAt: string | Date
}

function isCaseSummary(value: unknown): value is CaseSummary {
  return !!value && typeof value === 'object' && 'reference' in value && 'serviceId' in value
}

/**
 * The readable part of the export (Art. 15 (3) DSGVO): a letter on the city's letterhead naming the person, what
 * each part of the ZIP holds and their cases; the JSON files are the machine-readable copy (Art. 20).
 */
export function renderSummaryPdf(
  deps: { config: Config; services: ServiceRegistry },
  input: SummaryInput,
): Promise<Buffer> {
  const { locale, profile } = input
  const t = translator(locale)
  const letterhead = letterheadOf(deps.config.letterheadFile)
  const name = [profile.givenName, profile.familyName].filter(Boolean).join(' ') || profile.companyName || profile.email
  const address =
    profile.street && profile.postalCode && profile.city
      ? [`${profile.street} ${profile.houseNumber ?? ''}`.trim(), `${profile.postalCode} ${profile.city}`]
      : []
  const facts = [
    { label: t.text('privacy.pdf.email'), value: profile.email },
    { label: t.text('privacy.pdf.name'), value: name },
    ...(profile.birthDate
      ? [{ label: t.text('privacy.pdf.birthDate'), value: formatDate(profile.birthDate, locale) }]
      : []),
    ...(address.length ? [{ label: t.text('privacy.pdf.address'), value: address.join(', ') }] : []),
    ...(profile.phone ? [{ label: t.text('privacy.pdf.phone'), value: profile.phone }] : []),
  ]
  const cases = (input.parts.find(p => p.id === 'cases')?.part.data ?? []) as unknown[]
  const titleOf = (serviceId: string) => deps.services.all().find(d => d.id === serviceId)?.title[locale] ?? serviceId
  const body: LetterBlock[] = [
    { kind: 'paragraph', text: t.text('privacy.pdf.intro', { date: formatDate(input.date, locale) }) },
    { kind: 'heading', text: t.text('privacy.pdf.accountHeading') },
    { kind: 'facts', items: facts },
    { kind: 'heading', text: t.text('privacy.pdf.partsHeading') },
    {
      kind: 'table',
      columns: [
        { label: t.text('privacy.pdf.partColumn') },
        { label: t.text('privacy.pdf.fileColumn') },
        { label: t.text('privacy.pdf.countColumn'), align: 'right' },
      ],
      rows: input.parts.map(({ id, part }) => [
        t.text(`privacy.holder.${id}`),
        `${id}.json`,
        String(countOf(part.data) + (part.files?.length ?? 0)),
      ]),
    },
  ]
  const caseRows = cases.filter(isCaseSummary)
  if (caseRows.length)
    body.push(
      { kind: 'heading', text: t.text('privacy.pdf.casesHeading') },
      {
        kind: 'table',
        columns: [
          { label: t.text('privacy.pdf.referenceColumn') },
          { label: t.text('privacy.pdf.serviceColumn') },
          { label: t.text('privacy.pdf.submittedColumn') },
        ],
        rows: caseRows.map(c => [c.reference, titleOf(c.serviceId), formatDate(c.submittedAt, locale)]),
      },
    )
  body.push(
    { kind: 'heading', text: t.text('privacy.pdf.rightsHeading') },
    { kind: 'paragraph', text: t.text('privacy.pdf.rights') },
  )
  return renderLetterPdf(
    {
      locale,
      title: t.text('privacy.pdf.title'),
      office: { name: letterhead.cityName },
      recipient: [name, ...address],
      date: input.date,
      references: [],
      subject: t.text('privacy.pdf.title'),
      body,
    },
    letterhead,
  )
}
