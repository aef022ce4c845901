import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { formatDate, formatDateTime, formatMoney } from '../../../platform/i18n/i18n.js'
import {
  Alert,
  BackLink,
  CsrfField,
  ErrorSummary,
  SubmitButton,
  TextInput,
  type FieldError,
  SelectField,
  TextAreaField,
} from '../../../platform/views/components.js'
import type { Resource, Slot } from '../../booking/index.js'
import { Checkboxes, clockText, hoursText } from './controls.js'

/** /buchung: every hall and room with its address and price. */
export function HallsPage({ ctx, halls }: { ctx: PageContext; halls: Resource[] }) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('facilities.list.title')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('facilities.list.title')}</h1>
        <p class="kern-body">{t('facilities.list.intro')}</p>
        <ul class="kern-list">
          {halls.map(h => (
            <li>
              <a class="kern-link" href={`/buchung/${h.id}`} safe>
                {h.name[t.locale]}
              </a>
              {h.address ? (
                <>
                  <br />
                  <span class="kern-hint" safe>
                    {h.address}
                  </span>
                </>
              ) : (
                ''
              )}
              {h.fee ? (
                <>
                  <br />
                  <span class="kern-body">
                    {t('facilities.list.price', { price: formatMoney(h.fee.centsPerHour, t.locale) })}
                  </span>
                </>
              ) : (
                ''
              )}
            </li>
          ))}
        </ul>
        <p class="kern-body">
          <a class="kern-link" href="/account/buchungen">
            {t('facilities.list.mine')}
          </a>
        </p>
      </div>
    </Layout>
  )
}

export interface WeekCell {
  /** Per part (or the room): free, taken, or taken by a published seasonal slot of a club (its name). */
  units: { id: string; name: string; state: 'free' | 'taken' | 'closed'; club?: string | null }[]
}
export interface WeekRow {
  minute: number
  cells: (WeekCell | null)[]
}

/**
 * The week view of a hall: a table of times by days; each cell says per part "frei" or "belegt" (a published
 * seasonal slot names its club). No other booker is named. A free cell links to the booking form.
 */
export function WeekPage({
  ctx,
  hall,
  days,
  rows,
  previous,
  next,
}: {
  ctx: PageContext
  hall: Resource
  days: string[]
  rows: WeekRow[]
  previous: string
  next: string
}) {
  const { t } = ctx
  const title = hall.name[t.locale]
  const weekday = (day: string) =>
    new Intl.DateTimeFormat(t.locale, { weekday: 'short', day: 'numeric', month: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${day}T12:00:00Z`),
    )
  return (
    <Layout ctx={ctx} title={title}>
      <div class="stack">
        <BackLink href="/buchung" label={t.text('facilities.list.title')} />
        <h1 class="kern-heading-large" safe>
          {title}
        </h1>
        {hall.description ? (
          <p class="kern-body" safe>
            {hall.description[t.locale]}
          </p>
        ) : (
          ''
        )}
        {hall.address ? (
          <p class="kern-body" safe>
            {hall.address}
          </p>
        ) : (
          ''
        )}
        <p class="kern-body">
          {t('facilities.week.rules', {
            min: hoursText(hall.rules.minMinutes ?? hall.rules.slotMinutes, t),
            max: hoursText(hall.rules.maxMinutes ?? hall.rules.slotMinutes, t),
          })}
          {hall.fee
            ? ` ${t.text('facilities.list.price', { price: formatMoney(hall.fee.centsPerHour, t.locale) })}`
            : ''}
        </p>
        <p>
          <a class="kern-btn kern-btn--primary" href={`/account/buchungen/neu?hall=${hall.id}`}>
            <span class="kern-label">{t('facilities.week.book')}</span>
          </a>
        </p>
        <nav aria-label={t.text('facilities.week.navigation')} class="week-nav">
          <a class="kern-link" href={`/buchung/${hall.id}?week=${previous}`}>
            {t('facilities.week.previous')}
          </a>
          {' · '}
          <a class="kern-link" href={`/buchung/${hall.id}?week=${next}`}>
            {t('facilities.week.next')}
          </a>
        </nav>
        <h2 class="kern-heading-medium" id="week-title" safe>
          {`${t.text('facilities.week.caption')} ${formatDate(days[0]!, t.locale)} – ${formatDate(days[6]!, t.locale)}`}
        </h2>
        {hall.parts ? (
          <p class="kern-body" safe>
            {t.text('facilities.week.legend', { parts: hall.parts.map(p => p.name[t.locale]).join(', ') })}
          </p>
        ) : (
          ''
        )}
        <div class="kern-table-responsive" tabindex="0" role="region" aria-labelledby="week-title">
          <table class="kern-table">
            <caption class="kern-sr-only" safe>
              {t.text('facilities.week.caption')}
            </caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th class="kern-table__header" scope="col">
                  {t('facilities.week.time')}
                </th>
                {days.map(d => (
                  <th class="kern-table__header" scope="col" safe>
                    {weekday(d)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {rows.map(row => (
                <tr class="kern-table__row">
                  <th class="kern-table__header" scope="row" safe>
                    {clockText(row.minute)}
                  </th>
                  {row.cells.map(cell => (
                    <td class="kern-table__cell">
                      {cell
                        ? cell.units.map(u => (
                            <span class={`kern-badge kern-badge--${u.state === 'free' ? 'success' : 'info'}`}>
                              {u.name ? <span safe>{`${u.name}\u00a0`}</span> : ''}
                              {u.state === 'free'
                                ? t('facilities.week.free')
                                : u.state === 'closed'
                                  ? t('facilities.week.closed')
                                  : u.club
                                    ? t('facilities.week.takenBy', { club: u.club })
                                    : t('facilities.week.taken')}
                            </span>
                          ))
                        : t('facilities.week.notOpen')}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </Layout>
  )
}

export interface BookValues {
  hall: string
  parts: string[]
  day: string
  start: string
  minutes: string
  purpose: string
  owner: string
  exemption: string
  statement: string
  registerNumber: string
}

/** The booking form: hall, parts, day, start, length, purpose, for whom, and an exemption claim. */
export function BookPage({
  ctx,
  hall,
  halls,
  owners,
  values,
  errors,
  alternatives,
}: {
  ctx: PageContext
  hall: Resource
  halls: Resource[]
  owners: { id: string; name: string }[]
  values: BookValues
  errors: FieldError[]
  alternatives: Slot[]
}) {
  const { t } = ctx
  const err = (id: string) => errors.find(e => e.fieldId === id)?.message
  const title = t.text('facilities.book.title')
  const lengths: { value: string; label: string }[] = []
  for (let m = hall.rules.minMinutes ?? 60; m <= (hall.rules.maxMinutes ?? 60); m += hall.rules.slotMinutes)
    lengths.push({ value: String(m), label: hoursText(m, t) })
  const starts: { value: string; label: string }[] = [{ value: '', label: t.text('facilities.book.chooseStart') }]
  for (let m = 6 * 60; m < 23 * 60; m += hall.rules.slotMinutes)
    starts.push({ value: clockText(m), label: clockText(m) })
  return (
    <Layout ctx={ctx} title={errors.length ? `${t.text('accounts.errorPrefix')} ${title}` : title}>
      <div class="stack">
        <BackLink href={`/buchung/${hall.id}`} label={hall.name[t.locale]} />
        <ErrorSummary ctx={ctx} errors={errors} />
        <h1 class="kern-heading-large" safe>
          {title}
        </h1>
        {alternatives.length ? (
          <Alert kind="warning" title={t.text('facilities.book.alternatives')}>
            <ul class="kern-list">
              {alternatives.map(s => (
                <li safe>{formatDateTime(s.start, t.locale)}</li>
              ))}
            </ul>
          </Alert>
        ) : (
          ''
        )}
        <form method="get" action="/account/buchungen/neu" class="stack">
          <SelectField
            id="hall"
            label={t.text('facilities.book.hall')}
            value={hall.id}
            options={halls.map(h => ({ value: h.id, label: h.name[t.locale] }))}
          />
          <SubmitButton label={t.text('facilities.book.chooseHall')} variant="secondary" />
        </form>
        <form method="post" action="/account/buchungen" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="hall" value={hall.id} />
          {hall.parts ? (
            <Checkboxes
              id="parts"
              legend={t.text('facilities.book.parts')}
              hint={t.text('facilities.book.partsHint')}
              options={hall.parts.map(p => ({ value: p.id, label: p.name[t.locale] }))}
              checked={values.parts}
              error={err('parts')}
            />
          ) : (
            ''
          )}
          <TextInput
            id="day"
            type="date"
            label={t.text('facilities.book.day')}
            hint={t.text('facilities.book.dayHint')}
            value={values.day}
            error={err('day')}
            required
          />
          <SelectField
            id="start"
            label={t.text('facilities.book.start')}
            options={starts}
            value={values.start}
            error={err('start')}
          />
          <SelectField
            id="minutes"
            label={t.text('facilities.book.length')}
            options={lengths}
            value={values.minutes}
            error={err('minutes')}
          />
          <TextAreaField
            id="purpose"
            label={t.text('facilities.book.purpose')}
            value={values.purpose}
            error={err('purpose')}
          />
          <SelectField
            id="owner"
            label={t.text('facilities.book.owner')}
            options={owners.map(o => ({ value: o.id, label: o.name }))}
            value={values.owner}
            error={err('owner')}
          />
          {hall.fee?.exemptions?.length ? (
            <>
              <SelectField
                id="exemption"
                label={t.text('facilities.book.exemption')}
                hint={t.text('facilities.book.exemptionHint')}
                options={[
                  { value: '', label: t.text('facilities.exemption.none') },
                  ...hall.fee.exemptions.map(e => ({ value: e, label: t.text(`facilities.exemption.${e}`) })),
                ]}
                value={values.exemption}
                error={err('exemption')}
              />
              <TextAreaField
                id="statement"
                label={t.text('facilities.book.statement')}
                value={values.statement}
                error={err('statement')}
              />
              <TextInput
                id="registerNumber"
                label={t.text('facilities.book.registerNumber')}
                hint={t.text('facilities.book.registerNumberHint')}
                value={values.registerNumber}
                error={err('registerNumber')}
              />
            </>
          ) : (
            ''
          )}
          <SubmitButton label={t.text('facilities.book.submit')} />
        </form>
      </div>
    </Layout>
  )
}

export interface MyBooking {
  id: string
  reference: string
  hall: string
  parts: string
  startsAt: Date
  endsAt: Date
  status: string
  ownerName: string
  feeCents: number
  exemption: string | null
  exemptionStatus: string | null
  seasonal: boolean
}

export interface MyApplication {
  id: string
  seasonName: string
  clubName: string
  hall: string
  parts: string
  weekday: number
  startMinute: number
  minutes: number
  status: string
}

export type MyNotice = 'booked' | 'cancelled' | 'applied' | 'saved'

/** The person's and their clubs' bookings and seasonal applications. */
export function MyBookingsPage({
  ctx,
  bookings,
  applications,
  organisations,
  notice,
}: {
  ctx: PageContext
  bookings: MyBooking[]
  applications: MyApplication[]
  /** The organisations whose details the person keeps (a club's owner, the club's own account). */
  organisations: { id: string; name: string }[]
  notice?: MyNotice
}) {
  const { t } = ctx
  const title = t.text('facilities.mine.title')
  return (
    <Layout ctx={ctx} title={title}>
      <div class="stack">
        <h1 class="kern-heading-large" safe>
          {title}
        </h1>
        {notice ? <Alert kind="success" title={t.text(`facilities.mine.notice.${notice}`)} /> : ''}
        <p class="kern-body">
          <a class="kern-link" href="/buchung">
            {t('facilities.mine.bookMore')}
          </a>
          {' · '}
          <a class="kern-link" href="/account/buchungen/saison">
            {t('facilities.mine.applySeason')}
          </a>
          {organisations.map(o => (
            <>
              {' · '}
              <a class="kern-link" href={`/account/buchungen/verein/${o.id}`} safe>
                {t.text('facilities.organisation.edit', { name: o.name })}
              </a>
            </>
          ))}
        </p>
        {bookings.length ? (
          <div class="kern-table-responsive">
            <table class="kern-table">
              <caption class="kern-title">{t('facilities.mine.bookings')}</caption>
              <thead class="kern-table__head">
                <tr class="kern-table__row">
                  <th class="kern-table__header" scope="col">
                    {t('facilities.mine.when')}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {t('facilities.book.hall')}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {t('facilities.mine.fee')}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {t('facilities.mine.status')}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {t('facilities.mine.actions')}
                  </th>
                </tr>
              </thead>
              <tbody class="kern-table__body">
                {bookings.map(b => (
                  <tr class="kern-table__row">
                    <td class="kern-table__cell">
                      <span safe>{formatDateTime(b.startsAt, t.locale)}</span>
                      <br />
                      <span class="kern-hint" safe>
                        {b.reference}
                      </span>
                    </td>
                    <td class="kern-table__cell">
                      <span safe>{b.hall}</span>
                      {b.parts ? (
                        <>
                          <br />
                          <span class="kern-hint" safe>
                            {b.parts}
                          </span>
                        </>
                      ) : (
                        ''
                      )}
                      <br />
                      <span class="kern-hint" safe>
                        {b.ownerName}
                      </span>
                    </td>
                    <td class="kern-table__cell">
                      <span safe>{formatMoney(b.feeCents, t.locale)}</span>
                      {b.exemption ? (
                        <>
                          <br />
                          <span class="kern-hint">
                            {t(`facilities.exemption.${b.exemption}`)}:{' '}
                            {t(`facilities.exemption.status.${b.exemptionStatus ?? 'claimed'}`)}
                          </span>
                        </>
                      ) : (
                        ''
                      )}
                    </td>
                    <td class="kern-table__cell">{t(`facilities.status.${b.status}`)}</td>
                    <td class="kern-table__cell">
                      {b.status === 'booked' && !b.seasonal ? (
                        <form method="post" action={`/account/buchungen/${b.id}/cancel`} class="inline-form">
                          <CsrfField ctx={ctx} />
                          <button
                            type="submit"
                            class="kern-btn kern-btn--secondary kern-btn--small"
                            aria-label={`${t.text('facilities.mine.cancel')}: ${b.reference}`}
                          >
                            <span class="kern-label">{t('facilities.mine.cancel')}</span>
                          </button>
                        </form>
                      ) : (
                        ''
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="kern-body">{t('facilities.mine.none')}</p>
        )}
        {applications.length ? <ApplicationList ctx={ctx} applications={applications} /> : ''}
      </div>
    </Layout>
  )
}

function ApplicationList({ ctx, applications }: { ctx: PageContext; applications: MyApplication[] }) {
  const { t } = ctx
  return (
    <div class="kern-table-responsive">
      <table class="kern-table">
        <caption class="kern-title">{t('facilities.season.mine')}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th class="kern-table__header" scope="col">
              {t('facilities.season.season')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('facilities.season.slot')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('facilities.mine.status')}
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {applications.map(a => (
            <tr class="kern-table__row">
              <td class="kern-table__cell">
                <span safe>{a.seasonName}</span>
                <br />
                <span class="kern-hint" safe>
                  {a.clubName}
                </span>
              </td>
              <td class="kern-table__cell">
                <span safe>{`${a.hall}${a.parts ? ` (${a.parts})` : ''}`}</span>
                <br />
                {t(`facilities.weekday.${a.weekday}`)}{' '}
                <span safe>{`${clockText(a.startMinute)}–${clockText(a.startMinute + a.minutes)}`}</span>
              </td>
              <td class="kern-table__cell">{t(`facilities.application.${a.status}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export interface ApplyValues {
  season: string
  club: string
  hall: string
  parts: string[]
  weekday: string
  start: string
  minutes: string
  group: string
  note: string
}

/** A club applies for a weekly slot of a season. */
export function ApplyPage({
  ctx,
  seasons,
  clubs,
  halls,
  values,
  errors,
  applications,
}: {
  ctx: PageContext
  seasons: { id: string; name: string }[]
  clubs: { id: string; name: string }[]
  halls: Resource[]
  values: ApplyValues
  errors: FieldError[]
  applications: MyApplication[]
}) {
  const { t } = ctx
  const err = (id: string) => errors.find(e => e.fieldId === id)?.message
  const title = t.text('facilities.season.applyTitle')
  const allParts = halls.flatMap(h =>
    (h.parts ?? []).map(p => ({ value: `${h.id}:${p.id}`, label: `${h.name[t.locale]} – ${p.name[t.locale]}` })),
  )
  const starts: { value: string; label: string }[] = [{ value: '', label: t.text('facilities.book.chooseStart') }]
  for (let m = 8 * 60; m < 22 * 60; m += 30) starts.push({ value: clockText(m), label: clockText(m) })
  const lengths = [60, 90, 120, 150, 180, 240].map(m => ({ value: String(m), label: hoursText(m, t) }))
  return (
    <Layout ctx={ctx} title={errors.length ? `${t.text('accounts.errorPrefix')} ${title}` : title}>
      <div class="stack">
        <BackLink href="/account/buchungen" label={t.text('facilities.mine.title')} />
        <ErrorSummary ctx={ctx} errors={errors} />
        <h1 class="kern-heading-large" safe>
          {title}
        </h1>
        <p class="kern-body">{t('facilities.season.applyIntro')}</p>
        {!clubs.length ? (
          <Alert kind="info" title={t.text('facilities.season.noClub')} />
        ) : !seasons.length ? (
          <Alert kind="info" title={t.text('facilities.season.noSeason')} />
        ) : (
          <form method="post" action="/account/buchungen/saison" class="stack" novalidate>
            <CsrfField ctx={ctx} />
            <SelectField
              id="season"
              label={t.text('facilities.season.season')}
              options={seasons.map(s => ({ value: s.id, label: s.name }))}
              value={values.season}
              error={err('season')}
            />
            <SelectField
              id="club"
              label={t.text('facilities.season.club')}
              options={clubs.map(c => ({ value: c.id, label: c.name }))}
              value={values.club}
              error={err('club')}
            />
            <SelectField
              id="hall"
              label={t.text('facilities.book.hall')}
              options={halls.map(h => ({ value: h.id, label: h.name[t.locale] }))}
              value={values.hall}
              error={err('hall')}
            />
            <Checkboxes
              id="parts"
              legend={t.text('facilities.book.parts')}
              hint={t.text('facilities.season.partsHint')}
              options={allParts}
              checked={values.parts}
              error={err('parts')}
            />
            <SelectField
              id="weekday"
              label={t.text('facilities.season.weekday')}
              options={[1, 2, 3, 4, 5, 6, 7].map(d => ({ value: String(d), label: t.text(`facilities.weekday.${d}`) }))}
              value={values.weekday}
              error={err('weekday')}
            />
            <SelectField
              id="start"
              label={t.text('facilities.book.start')}
              options={starts}
              value={values.start}
              error={err('start')}
            />
            <SelectField
              id="minutes"
              label={t.text('facilities.book.length')}
              options={lengths}
              value={values.minutes}
              error={err('minutes')}
            />
            <SelectField
              id="group"
              label={t.text('facilities.season.group')}
              options={['school', 'youth', 'club'].map(g => ({ value: g, label: t.text(`facilities.group.${g}`) }))}
              value={values.group}
              error={err('group')}
            />
            <TextAreaField id="note" label={t.text('facilities.season.note')} value={values.note} error={err('note')} />
            <SubmitButton label={t.text('facilities.season.apply')} />
          </form>
        )}
        {applications.length ? <ApplicationList ctx={ctx} applications={applications} /> : ''}
      </div>
    </Layout>
  )
}

export interface OrganisationValues {
  type: string
  memberCount: string
  registerNumber: string
}

/** An owner keeps the organisation's kind, size and register number. */
export function OrganisationPage({
  ctx,
  businessId,
  name,
  values,
  errors,
}: {
  ctx: PageContext
  businessId: string
  name: string
  values: OrganisationValues
  errors: FieldError[]
}) {
  const { t } = ctx
  const err = (id: string) => errors.find(e => e.fieldId === id)?.message
  const title = t.text('facilities.organisation.title', { name })
  return (
    <Layout ctx={ctx} title={errors.length ? `${t.text('accounts.errorPrefix')} ${title}` : title}>
      <div class="stack">
        <BackLink href="/account/buchungen" label={t.text('facilities.mine.title')} />
        <ErrorSummary ctx={ctx} errors={errors} />
        <h1 class="kern-heading-large" safe>
          {title}
        </h1>
        <p class="kern-body">{t('facilities.organisation.intro')}</p>
        <form method="post" action={`/account/buchungen/verein/${businessId}`} class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <SelectField
            id="type"
            label={t.text('facilities.organisation.type')}
            options={['club', 'school', 'company'].map(v => ({
              value: v,
              label: t.text(`facilities.organisation.${v}`),
            }))}
            value={values.type}
            error={err('type')}
          />
          <TextInput
            id="memberCount"
            label={t.text('facilities.organisation.memberCount')}
            inputmode="numeric"
            value={values.memberCount}
            error={err('memberCount')}
          />
          <TextInput
            id="registerNumber"
            label={t.text('facilities.organisation.registerNumber')}
            value={values.registerNumber}
            error={err('registerNumber')}
          />
          <SubmitButton label={t.text('facilities.organisation.save')} />
        </form>
      </div>
    </Layout>
  )
}
