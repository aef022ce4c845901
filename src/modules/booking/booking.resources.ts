import fs from 'node:fs'
import path from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import { ConfigFileError, readYamlConfig } from '../../platform/config-file.js'
import type { Db } from '../../platform/db/database.js'
import { isIsoDay, type IsoDay } from '../../platform/calendar/index.js'
import { TextSchema as Text } from '../catalogue/index.js'

const Id = Type.String({ pattern: '^[a-z][a-z0-9-]*$', maxLength: 80 })
/** "08:00-12:30": one opening interval of a day, local time (Europe/Berlin). */
const Interval = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-4]):[0-5][0-9]$' })
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })
const Minutes = (min: number, max: number) => Type.Integer({ minimum: min, maximum: max })
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]

const Concern = Type.Object(
  {
    id: Id,
    name: Text,
    /** How long the appointment takes, in minutes. */
    minutes: Minutes(5, 480),
    /** The service this concern is for, when there is one (its page links here). */
    service: Type.Optional(Type.String()),
    /** What the person brings to the appointment (shown on the confirmation, in the mails and the calendar entry). */
    bring: Type.Optional(Text),
  },
  { additionalProperties: false },
)

const Part = Type.Object({ id: Id, name: Text }, { additionalProperties: false })

export const Resource = Type.Object(
  {
    id: Id,
    office: Type.String(),
    /** counter: desks of an office (capacity = desks); room; hall (parts bookable alone or together); video: desks for video consultations. */
    kind: Type.Union([Type.Literal('counter'), Type.Literal('room'), Type.Literal('hall'), Type.Literal('video')]),
    name: Text,
    address: Type.Optional(Type.String()),
    description: Type.Optional(Text),
    /** How many bookings may share a time: the desks of a counter. A hall's parts count instead. */
    capacity: Type.Optional(Minutes(1, 100)),
    /** A hall split into parts (thirds): each bookable alone, together the whole hall. */
    parts: Type.Optional(Type.Array(Part, { minItems: 2, maxItems: 12 })),
    /** Weekly opening hours, local time; a day not named is closed. */
    openingHours: Type.Partial(
      Type.Object(
        Object.fromEntries(WEEKDAYS.map(d => [d, Type.Array(Interval, { maxItems: 6 })])) as Record<
          Weekday,
          ReturnType<typeof Type.Array<typeof Interval>>
        >,
      ),
    ),
    /** Other hours on single days (late opening, a short day before a holiday); an empty list closes the day. */
    specialDays: Type.Optional(
      Type.Array(
        Type.Object({ day: Day, hours: Type.Array(Interval, { maxItems: 6 }) }, { additionalProperties: false }),
      ),
    ),
    /** Whole days closed (works outings, school holidays for a school hall). */
    closedDays: Type.Optional(Type.Array(Day)),
    /** Closed on NRW public holidays (the city calendar); default true. */
    closedOnPublicHolidays: Type.Optional(Type.Boolean()),
    rules: Type.Object(
      {
        /** The grid of start times, in minutes (15: 08:00, 08:15 …). */
        slotMinutes: Minutes(5, 240),
        /** Time kept free after each booking (cleaning, notes), in minutes. */
        bufferMinutes: Type.Optional(Minutes(0, 120)),
        /** The earliest booking is this many minutes from now. */
        minLeadMinutes: Type.Optional(Minutes(0, 60 * 24 * 30)),
        /** The latest booking is this many days ahead. */
        horizonDays: Minutes(1, 730),
        /** A person may cancel or rebook until this many minutes before the start. */
        cancelUntilMinutes: Type.Optional(Minutes(0, 60 * 24 * 30)),
        /** Bookings whose length the person chooses (halls, rooms): the shortest and longest, in minutes. */
        minMinutes: Type.Optional(Minutes(5, 24 * 60)),
        maxMinutes: Type.Optional(Minutes(5, 24 * 60)),
      },
      { additionalProperties: false },
    ),
    /** The concerns that can be booked here, each with its length (counters, video desks). */
    concerns: Type.Optional(Type.Array(Concern, { minItems: 1 })),
    /** What an hour costs (halls, rooms), with the groups that pay nothing. */
    fee: Type.Optional(
      Type.Object(
        {
          centsPerHour: Type.Integer({ minimum: 0, maximum: 10_000_00 }),
          /** Who books free of charge: 'school', 'non-profit' (a registered club doing sport for the public good), 'youth'. */
          exemptions: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z][a-z-]*$' }))),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)
export type Resource = Static<typeof Resource>
export const ResourceFile = Type.Array(Resource)

/** services/_resources.yaml, checked: schema, then what the schema cannot say (offices, ids, hours, lengths). */
export function loadResources(servicesDir: string, officeIds: readonly string[]): Resource[] {
  const file = path.join(servicesDir, '_resources.yaml')
  // Like _life-events.yaml: a city that books nothing has no such file (a service naming a resource is still refused).
  if (!fs.existsSync(file)) return []
  const resources = readYamlConfig(file, ResourceFile, 'booking resources')
  const problems = resourceProblems(resources, officeIds)
  if (problems.length) throw new ConfigFileError(file, problems, 'booking resources')
  return resources
}

function resourceProblems(resources: Resource[], officeIds: readonly string[]): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  resources.forEach((r, i) => {
    const at = `/${i}`
    if (seen.has(r.id)) problems.push(`${at}/id: "${r.id}" is taken twice`)
    seen.add(r.id)
    if (!officeIds.includes(r.office))
      problems.push(`${at}/office: unknown office "${r.office}" (see services/_offices.yaml)`)
    if (r.parts && r.capacity) problems.push(`${at}: a resource has parts or a capacity, not both`)
    if (r.parts && r.kind !== 'hall' && r.kind !== 'room') problems.push(`${at}/parts: only halls and rooms have parts`)
    if (new Set(r.parts?.map(p => p.id)).size !== (r.parts?.length ?? 0))
      problems.push(`${at}/parts: an id is taken twice`)
    if (new Set(r.concerns?.map(c => c.id)).size !== (r.concerns?.length ?? 0))
      problems.push(`${at}/concerns: an id is taken twice`)
    if ((r.kind === 'counter' || r.kind === 'video') && !r.concerns)
      problems.push(`${at}/concerns: a ${r.kind} needs the concerns that can be booked at it`)
    if ((r.kind === 'hall' || r.kind === 'room') && !r.rules.maxMinutes && !r.concerns)
      problems.push(`${at}/rules/maxMinutes: a ${r.kind} booked by the hour needs minMinutes and maxMinutes`)
    const { minMinutes, maxMinutes, slotMinutes } = r.rules
    if (minMinutes !== undefined && maxMinutes !== undefined && minMinutes > maxMinutes)
      problems.push(`${at}/rules/minMinutes: ${minMinutes} is more than maxMinutes ${maxMinutes}`)
    for (const [key, minutes] of [
      ['minMinutes', minMinutes],
      ['maxMinutes', maxMinutes],
    ] as const)
      if (minutes !== undefined && minutes % slotMinutes !== 0)
        problems.push(`${at}/rules/${key}: ${minutes} is not a multiple of slotMinutes ${slotMinutes}`)
    const hourLists: [string, string[]][] = [
      ...Object.entries(r.openingHours).map(([day, hours]): [string, string[]] => [
        `${at}/openingHours/${day}`,
        hours ?? [],
      ]),
      ...(r.specialDays ?? []).map((s, j): [string, string[]] => [`${at}/specialDays/${j}/hours`, s.hours]),
    ]
    for (const [where, hours] of hourLists) problems.push(...intervalProblems(where, hours))
    for (const [j, s] of (r.specialDays ?? []).entries())
      if (!isIsoDay(s.day)) problems.push(`${at}/specialDays/${j}/day: "${s.day}" is not a calendar day`)
    for (const [j, day] of (r.closedDays ?? []).entries())
      if (!isIsoDay(day)) problems.push(`${at}/closedDays/${j}: "${day}" is not a calendar day`)
  })
  return problems
}

function intervalProblems(where: string, hours: string[]): string[] {
  const problems: string[] = []
  let lastEnd = -1
  hours.forEach((interval, k) => {
    const [from, to] = parseInterval(interval)
    if (to <= from) problems.push(`${where}/${k}: "${interval}" ends before it starts`)
    else if (from < lastEnd)
      problems.push(`${where}/${k}: "${interval}" overlaps the interval before it or is out of order`)
    lastEnd = to
  })
  return problems
}

/** "08:00-12:30" → [480, 750]: minutes after local midnight. */
export function parseInterval(interval: string): [number, number] {
  const [from = '', to = ''] = interval.split('-')
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
  return [minutes(from), minutes(to)]
}

/** The units a booking can hold: a hall's parts, a counter's desks '1'..'n', or '1'. */
export function unitsOf(resource: Resource): string[] {
  if (resource.parts) return resource.parts.map(p => p.id)
  return Array.from({ length: resource.capacity ?? 1 }, (_, i) => String(i + 1))
}

/** Whether bookings there choose their parts (a hall) or get any free unit (a desk of a counter). */
export const hasParts = (resource: Resource) => !!resource.parts

/** The local opening intervals of a resource on a day, in minutes after midnight; none when it is closed. */
export function openingOn(
  resource: Resource,
  day: IsoDay,
  isPublicHoliday: (day: IsoDay) => boolean,
): [number, number][] {
  if (resource.closedDays?.includes(day)) return []
  const special = resource.specialDays?.find(s => s.day === day)
  if (special) return special.hours.map(parseInterval)
  if ((resource.closedOnPublicHolidays ?? true) && isPublicHoliday(day)) return []
  const weekday = WEEKDAYS[(new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7] as Weekday
  return (resource.openingHours[weekday] ?? []).map(parseInterval)
}

/** Keeps booking_resources equal to the file: new and changed entries written, missing ones made inactive. */
export async function syncResources(db: Db, resources: readonly Resource[]): Promise<void> {
  await db.transaction().execute(async trx => {
    for (const r of resources)
      await trx
        .insertInto('booking_resources')
        .values({ id: r.id, office_id: r.office, kind: r.kind, definition: JSON.stringify(r), active: true })
        .onConflict(oc =>
          oc
            .column('id')
            .doUpdateSet({ office_id: r.office, kind: r.kind, definition: JSON.stringify(r), active: true }),
        )
        .execute()
    const ids = resources.map(r => r.id)
    let inactive = trx.updateTable('booking_resources').set({ active: false })
    if (ids.length) inactive = inactive.where('id', 'not in', ids)
    await inactive.execute()
  })
}

/** The resources, looked up by id; read once at start. */
export class ResourceCatalogue {
  private readonly byId: Map<string, Resource>
  constructor(readonly all: readonly Resource[]) {
    this.byId = new Map(all.map(r => [r.id, r]))
  }
  get(id: string): Resource | undefined {
    return this.byId.get(id)
  }
  ofKind(...kinds: Resource['kind'][]): Resource[] {
    return this.all.filter(r => kinds.includes(r.kind))
  }
  ofOffice(officeId: string): Resource[] {
    return this.all.filter(r => r.office === officeId)
  }
}
