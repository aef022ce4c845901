import { Type, type Static } from '@sinclair/typebox'

/** Every text a citizen reads comes in German and English. */
export const Text = Type.Object(
  { de: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
)
export type Text = Static<typeof Text>
const TextList = Type.Object(
  { de: Type.Array(Type.String({ minLength: 1 })), en: Type.Array(Type.String({ minLength: 1 })) },
  { additionalProperties: false },
)
const Id = Type.String({ pattern: '^[a-z][a-zA-Z0-9_-]*$', maxLength: 80 })

/** Shows a field or page only when an earlier answer has one of the given values. */
export const Condition = Type.Object(
  {
    field: Id,
    equals: Type.Optional(Type.Union([Type.String(), Type.Boolean(), Type.Number()])),
    in: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
  },
  { additionalProperties: false },
)
export type Condition = Static<typeof Condition>

export const FieldType = Type.Union([
  Type.Literal('text'),
  Type.Literal('textarea'),
  Type.Literal('number'),
  Type.Literal('date'),
  Type.Literal('select'),
  Type.Literal('radio'),
  Type.Literal('checkbox'),
  Type.Literal('email'),
  Type.Literal('phone'),
  Type.Literal('iban'),
  Type.Literal('address'),
  Type.Literal('file'),
])
export type FieldType = Static<typeof FieldType>

/** Account data a field may take over so it is not asked again (once-only). */
export const PrefillSource = Type.Union([
  Type.Literal('givenName'),
  Type.Literal('familyName'),
  Type.Literal('birthDate'),
  Type.Literal('email'),
  Type.Literal('phone'),
  Type.Literal('address'),
  Type.Literal('companyName'),
])
export type PrefillSource = Static<typeof PrefillSource>

const Option = Type.Object(
  { value: Type.String({ minLength: 1, maxLength: 80 }), label: Text },
  { additionalProperties: false },
)

export const Field = Type.Object(
  {
    id: Id,
    type: FieldType,
    label: Text,
    hint: Type.Optional(Text),
    required: Type.Optional(Type.Boolean()),
    showIf: Type.Optional(Condition),
    prefill: Type.Optional(PrefillSource),
    /** text, textarea, phone: a regular expression the whole value must match. */
    pattern: Type.Optional(Type.String({ minLength: 1 })),
    patternMessage: Type.Optional(Text),
    /**
     * text: what the typed value is turned into before it is checked and stored, in this order — `upper` (capital
     * letters), `noSpaces` (every space removed), `collapseSpaces` (runs of spaces become one). For values a person
     * cannot mean any other way: "do-ab 123" is the plate DO-AB 123.
     */
    normalize: Type.Optional(
      Type.Array(Type.Union([Type.Literal('upper'), Type.Literal('noSpaces'), Type.Literal('collapseSpaces')]), {
        minItems: 1,
        uniqueItems: true,
      }),
    ),
    minLength: Type.Optional(Type.Integer({ minimum: 0 })),
    maxLength: Type.Optional(Type.Integer({ minimum: 1 })),
    /** number: bounds of the value; date: ISO dates or "today" / "today+30" / "today-6570" (days). */
    min: Type.Optional(
      Type.Union([Type.Number(), Type.String({ pattern: '^(today([+-]\\d+)?|\\d{4}-\\d{2}-\\d{2})$' })]),
    ),
    max: Type.Optional(
      Type.Union([Type.Number(), Type.String({ pattern: '^(today([+-]\\d+)?|\\d{4}-\\d{2}-\\d{2})$' })]),
    ),
    /** number: allow decimals (otherwise whole numbers only). */
    decimals: Type.Optional(Type.Boolean()),
    /** select, radio; checkbox with options = several may be ticked, without = one yes/no box. */
    options: Type.Optional(Type.Array(Option, { minItems: 1 })),
    /** file: accepted media types, checked by content. */
    accept: Type.Optional(
      Type.Array(Type.Union([Type.Literal('application/pdf'), Type.Literal('image/jpeg'), Type.Literal('image/png')]), {
        minItems: 1,
      }),
    ),
    maxSizeMb: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 50 })),
  },
  { additionalProperties: false },
)
export type Field = Static<typeof Field>

const Page = Type.Object(
  {
    id: Id,
    title: Text,
    intro: Type.Optional(Text),
    showIf: Type.Optional(Condition),
    fields: Type.Array(Field, { minItems: 1 }),
  },
  { additionalProperties: false },
)
export type Page = Static<typeof Page>

const Role = Type.Union([Type.Literal('caseworker'), Type.Literal('team_lead'), Type.Literal('office_admin')])

const State = Type.Object(
  {
    id: Id,
    label: Text,
    /** A final state ends the case; its outcome colours the status for the applicant. */
    final: Type.Optional(Type.Boolean()),
    outcome: Type.Optional(Type.Union([Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('withdrawn')])),
  },
  { additionalProperties: false },
)

const Transition = Type.Object(
  {
    id: Id,
    from: Type.Array(Id, { minItems: 1 }),
    to: Id,
    label: Text,
    roles: Type.Array(Role, { minItems: 1 }),
    /** Message put into the applicant's postbox when the transition is made. */
    notifyApplicant: Type.Optional(Text),
    /** Only once the case's fees are settled: every fee notice paid, and something paid unless the fee is nil. */
    requiresPayment: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

/** One fee of a service, in whole cents; optionally per unit of a number answer and only for certain answers. */
const FeeItem = Type.Object(
  {
    id: Id,
    label: Text,
    amountCents: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    /** A number field: the amount is charged per unit of its answer (per copy, per tree, per metre). */
    perField: Type.Optional(Id),
    /** Charged only when this answer is given. */
    when: Type.Optional(Condition),
    /**
     * Recurring fees only: a checkbox field of weekdays (monday … sunday); the amount is charged once for
     * each of those weekdays in the period (market days).
     */
    perWeekdayOf: Type.Optional(Id),
  },
  { additionalProperties: false },
)

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const

/** A fee charged again every period while the case is in one of the given states (a market stall's rent). */
const RecurringFees = Type.Object(
  {
    period: Type.Union([Type.Literal('month'), Type.Literal('quarter')]),
    whileStatus: Type.Array(Id, { minItems: 1 }),
    /** A date field: nothing is charged for days before it (the first market day). */
    from: Type.Optional(Id),
    /** Days after the notice is issued until payment is due. */
    payableWithinDays: Type.Integer({ minimum: 1, maximum: 90 }),
  },
  { additionalProperties: false },
)

/** A reduction for certain answers: the whole fee (no percent) or a percentage of it. */
const FeeExemption = Type.Object(
  {
    id: Id,
    label: Text,
    when: Condition,
    percent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
)

const Fees = Type.Object(
  {
    /** onSubmission: paid online before the application is sent; onNotice: charged later by a fee notice. */
    due: Type.Union([Type.Literal('onSubmission'), Type.Literal('onNotice')]),
    items: Type.Array(FeeItem, { minItems: 1 }),
    exemptions: Type.Optional(Type.Array(FeeExemption)),
    /** With recurring, the items are charged per period by fee notices the platform issues itself. */
    recurring: Type.Optional(RecurringFees),
    legalBasis: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export type Fees = Static<typeof Fees>

/**
 * A notice (Bescheid) the office drafts on a case: Markdown-like text (`## heading`, paragraphs, `- ` list lines,
 * `**bold**`) with placeholders filled from the case, e.g. `{{case.reference}}`, `{{answers.species}}`.
 */
const NoticeTemplate = Type.Object(
  {
    id: Id,
    title: Text,
    body: Text,
    /**
     * Workflow states in which this notice may be drafted and signed. Without it: every state that is not final.
     * A final state is never allowed: the case is decided, a notice then would reopen it outside the workflow.
     */
    states: Type.Optional(Type.Array(Id, { minItems: 1 })),
  },
  { additionalProperties: false },
)
export type NoticeTemplate = Static<typeof NoticeTemplate>

/** One kind of defect citizens report (Mängelmelder); the code is the Open311 service_code. */
const ReportCategory = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9-]*$', maxLength: 60 }),
    name: Text,
    description: Text,
    group: Text,
    /** The office whose inbox the report lands in (services/_offices.yaml). */
    office: Id,
    /** Words that point to this category when a report's text is matched (the fallback of the suggestion). */
    keywords: Type.Array(Type.String({ minLength: 2, maxLength: 60 }), { minItems: 1 }),
    /** The exact place and the photos are never shown publicly (e.g. where a person could be recognised). */
    sensitive: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

/** A service whose cases are defect reports: its categories and the area it covers. */
const ReportSection = Type.Object(
  {
    categories: Type.Array(ReportCategory, { minItems: 1 }),
    /** Reports outside this box (WGS 84 degrees) are refused: they are not the city's. */
    cityBounds: Type.Object(
      {
        south: Type.Number({ minimum: -90, maximum: 90 }),
        west: Type.Number({ minimum: -180, maximum: 180 }),
        north: Type.Number({ minimum: -90, maximum: 90 }),
        east: Type.Number({ minimum: -180, maximum: 180 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
)
export type ReportSection = Static<typeof ReportSection>

export const ServiceDefinition = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9-]*$', maxLength: 80 }),
    /** Raise on every change; submissions keep the version they were made with. */
    version: Type.Integer({ minimum: 1 }),
    /** Key in the federal service catalogue (LeiKa / FIM), where one exists. */
    leikaKey: Type.Optional(Type.String({ pattern: '^\\d{14}$' })),
    title: Text,
    summary: Text,
    keywords: Type.Optional(TextList),
    office: Id,
    audience: Type.Array(Type.Union([Type.Literal('citizen'), Type.Literal('business')]), { minItems: 1 }),
    lifeSituations: Type.Array(Id, { minItems: 1 }),
    loginRequired: Type.Boolean(),
    /**
     * The eIDAS level of assurance the applicant's sign-in must have (default low: a password, or none where no
     * sign-in is needed); above low, a sign-in through an identity provider that gives it (BundID, ELSTER).
     */
    assurance: Type.Optional(Type.Union([Type.Literal('low'), Type.Literal('substantial'), Type.Literal('high')])),
    /**
     * The application ends by booking an appointment (the ID card is handed over, fingerprints are taken): at one of
     * these resources of services/_resources.yaml (counters or video desks), for this many minutes.
     */
    appointment: Type.Optional(
      Type.Object(
        {
          resource: Type.Union([Id, Type.Array(Id, { minItems: 1 })]),
          duration: Type.Integer({ minimum: 5, maximum: 480 }),
        },
        { additionalProperties: false },
      ),
    ),
    /** The service is booked on a page of its own (a hall at /buchung), not through its form; the form only files it. */
    bookedAt: Type.Optional(Type.String({ pattern: '^/[a-z0-9/-]*$', maxLength: 80 })),
    requirements: TextList,
    duration: Text,
    documents: Type.Array(
      Type.Object(
        {
          id: Id,
          title: Text,
          required: Type.Boolean(),
          /** The file field of the form where it is uploaded; none means it is shown at the counter. */
          field: Type.Optional(Id),
        },
        { additionalProperties: false },
      ),
    ),
    form: Type.Object({ pages: Type.Array(Page, { minItems: 1 }) }, { additionalProperties: false }),
    fees: Type.Optional(Fees),
    /**
     * Offices typically asked for a statement on such a case (Beteiligung), each with a suggested task; the lead
     * office picks from them when it involves another office, or asks any other office.
     */
    involvements: Type.Optional(Type.Array(Type.Object({ office: Id, task: Text }, { additionalProperties: false }))),
    /** Templates of the notices the office issues on a case of this service. */
    notices: Type.Optional(Type.Array(NoticeTemplate)),
    /** Defect reports (Mängelmelder): citizens report through /maengel, each report is a case of this service. */
    report: Type.Optional(ReportSection),
    /**
     * Free-text enquiries: at submission the pre-sorting model (triage, kind `contact`) reads this text field and the
     * case opens in the office it names when confident, else in TRIAGE_FALLBACK_OFFICE for a person to assign.
     */
    routing: Type.Optional(
      Type.Object({ kind: Type.Literal('contact'), textField: Id }, { additionalProperties: false }),
    ),
    workflow: Type.Object(
      {
        initial: Id,
        states: Type.Array(State, { minItems: 2 }),
        transitions: Type.Array(Transition, { minItems: 1 }),
      },
      { additionalProperties: false },
    ),
    processingDeadline: Type.Object(
      {
        value: Type.Integer({ minimum: 1 }),
        unit: Type.Union([Type.Literal('days'), Type.Literal('workingDays'), Type.Literal('months')]),
        legalBasis: Type.Optional(Type.String()),
        /** The law says the application counts as approved when the office does not decide in time (§ 42a VwVfG). */
        deemedApproval: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false },
    ),
    /** How long a closed case is kept, counted from its closure (docs/retention.md). */
    retention: Type.Object(
      {
        years: Type.Integer({ minimum: 1, maximum: 100 }),
        legalBasis: Type.Optional(Type.String()),
        /** Expired cases are offered to the archive first (Aussonderung) and deleted only after its decision. */
        archive: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false },
    ),
    /**
     * The entry of this processing in the city's records of processing activities (Art. 30 (1) DSGVO): why the data
     * is processed, on which legal basis, which kinds of personal data, and who receives them. `check-services` warns
     * when it is missing.
     */
    processing: Type.Optional(
      Type.Object(
        {
          purpose: Text,
          legalBasis: Text,
          dataCategories: TextList,
          recipients: TextList,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, $id: 'https://bauhaus.example/schemas/service-definition.json' },
)

export type ServiceDefinition = Static<typeof ServiceDefinition>
