import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert, CsrfField, SubmitButton, SelectField } from '../../../platform/views/components.js'
import { unitsOf, type Resource } from '../booking.resources.js'
import type { BookingRow } from '../booking.queries.js'
import type { CalendarDay, CalendarEntry, StaffReach } from '../booking.staff.js'
import { BookingStatusTag, dayLabel, timeOf } from './staff-parts.js'

export type CalendarView = 'day' | 'week'

export interface CalendarPageData {
  resources: Resource[]
  resource: Resource
  reach: StaffReach
  view: CalendarView
  day: string
  days: CalendarDay[]
  previous: string
  next: string
  today: string
  notice?: string
}

const calendarHref = (resource: string, view: CalendarView, day: string) =>
  `/backoffice/termine?resource=${encodeURIComponent(resource)}&view=${view}&day=${day}`

/** What a booking is about, for a row: the concern's name, a block's reason, or the purpose. */
export function bookingTitle(ctx: PageContext, resource: Resource, b: BookingRow): string {
  if (b.purpose === 'block') return `${ctx.t.text('booking.staff.block.summary')}: ${b.note ?? ''}`
  const concern = b.concern ? resource.concerns?.find(c => c.id === b.concern) : undefined
  return concern ? concern.name[ctx.locale] : ctx.t.text(`booking.staff.purpose.${b.purpose}`)
}

/** The units a row holds or has free: desks by number, a hall's parts by name. */
export function unitNames(ctx: PageContext, resource: Resource, units: readonly string[]): string {
  if (resource.parts) return units.map(u => resource.parts?.find(p => p.id === u)?.name[ctx.locale] ?? u).join(', ')
  return units.map(u => ctx.t.text('booking.staff.desk', { desk: u })).join(', ')
}

function EntryRow({ ctx, resource, entry }: { ctx: PageContext; resource: Resource; entry: CalendarEntry }) {
  const { t } = ctx
  if (entry.kind === 'free')
    return (
      <tr class="kern-table__row">
        <td class="kern-table__cell" safe>
          {`${timeOf(entry.start, ctx.locale)}–${timeOf(entry.end, ctx.locale)}`}
        </td>
        <td class="kern-table__cell">
          <span class="kern-badge kern-badge--success">{t('booking.staff.calendar.free')}</span>{' '}
          <span safe>
            {resource.parts
              ? unitNames(ctx, resource, entry.freeUnits)
              : t.text('booking.staff.calendar.freeDesks', { count: entry.freeCount, total: unitsOf(resource).length })}
          </span>
        </td>
      </tr>
    )
  const b = entry.booking
  return (
    <tr class="kern-table__row">
      <td class="kern-table__cell" safe>
        {`${timeOf(b.starts_at, ctx.locale)}–${timeOf(b.ends_at, ctx.locale)}`}
      </td>
      <td class="kern-table__cell">
        <strong safe>{bookingTitle(ctx, resource, b)}</strong>{' '}
        {b.purpose === 'block' ? (
          <span class="kern-badge kern-badge--warning">{t('booking.staff.status.blocked')}</span>
        ) : (
          <BookingStatusTag status={b.status} t={t} />
        )}
        {b.person_name ? (
          <>
            <br />
            <span safe>{b.person_name}</span>
          </>
        ) : (
          ''
        )}
        <br />
        <a class="kern-link" href={`/backoffice/termine/buchungen/${b.id}`} safe>
          {b.reference}
        </a>{' '}
        <span class="kern-body kern-body--small" safe>
          {`(${unitNames(ctx, resource, b.units)})`}
        </span>
      </td>
    </tr>
  )
}

export function DayTable({ ctx, resource, day }: { ctx: PageContext; resource: Resource; day: CalendarDay }) {
  const { t } = ctx
  if (!day.entries.length) return <p class="kern-body">{t('booking.staff.calendar.nothing')}</p>
  return (
    <div class="kern-table-responsive">
      <table class="kern-table kern-table--small">
        <caption class="kern-sr-only" safe>
          {dayLabel(day.day, ctx.locale)}
        </caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th class="kern-table__header" scope="col">
              {t('booking.staff.calendar.time')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('booking.staff.calendar.what')}
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {day.entries.map(entry => (
            <EntryRow ctx={ctx} resource={resource} entry={entry} />
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The choice of resource, view and day: a GET form, so it works without JavaScript and the URL can be shared. */
function CalendarChooser({ ctx, data, action }: { ctx: PageContext; data: CalendarPageData; action: string }) {
  const { t } = ctx
  return (
    <form method="get" action={action} class="stack">
      <SelectField
        id="resource"
        name="resource"
        label={t.text('booking.staff.calendar.resource')}
        options={data.resources.map(r => ({ value: r.id, label: r.name[ctx.locale] }))}
        value={data.resource.id}
      />
      <SelectField
        id="view"
        name="view"
        label={t.text('booking.staff.calendar.view')}
        options={[
          { value: 'day', label: t.text('booking.staff.calendar.viewDay') },
          { value: 'week', label: t.text('booking.staff.calendar.viewWeek') },
        ]}
        value={data.view}
      />
      <div class="kern-form-input">
        <label class="kern-label" for="day">
          {t('booking.staff.calendar.day')}
        </label>
        <input class="kern-form-input__input" type="date" id="day" name="day" value={data.day} />
      </div>
      <SubmitButton label={t.text('booking.staff.calendar.show')} variant="secondary" />
    </form>
  )
}

export function StaffCalendarPage({ ctx, data }: { ctx: PageContext; data: CalendarPageData }) {
  const { t } = ctx
  const { resource, view } = data
  return (
    <Layout ctx={ctx} title={t.text('booking.staff.calendar.title')} area="backoffice">
      <div class="stack">
        <h1 class="kern-heading-large">
          {t('booking.staff.calendar.heading', { resource: resource.name[ctx.locale] })}
        </h1>
        {data.notice ? <Alert kind="success" title={t.text(`booking.staff.notice.${data.notice}`)} /> : ''}
        <nav aria-label={t.text('booking.staff.calendar.actions')}>
          <ul class="kern-list">
            <li>
              <a class="kern-link" href={`/backoffice/termine/heute?resource=${encodeURIComponent(resource.id)}`}>
                {t('booking.staff.counter.title')}
              </a>
            </li>
            {data.reach === 'calendar' ? (
              <>
                <li>
                  <a
                    class="kern-link"
                    href={`/backoffice/termine/sperren?resource=${encodeURIComponent(resource.id)}&day=${data.day}`}
                  >
                    {t('booking.staff.block.title')}
                  </a>
                </li>
                <li>
                  <a class="kern-link" href="/backoffice/termine/kalender-abos">
                    {t('booking.feeds.title')}
                  </a>
                </li>
              </>
            ) : (
              ''
            )}
          </ul>
        </nav>
        <nav aria-label={t.text('booking.staff.calendar.pages')}>
          <ul class="kern-list pager">
            <li>
              <a class="kern-link" href={calendarHref(resource.id, view, data.previous)}>
                {t(`booking.staff.calendar.previous.${view}`)}
              </a>
            </li>
            <li>
              <a class="kern-link" href={calendarHref(resource.id, view, data.today)}>
                {t('booking.staff.calendar.today')}
              </a>
            </li>
            <li>
              <a class="kern-link" href={calendarHref(resource.id, view, data.next)}>
                {t(`booking.staff.calendar.next.${view}`)}
              </a>
            </li>
          </ul>
        </nav>
        {data.days.map(day => (
          <section class="stack" aria-labelledby={`day-${day.day}`}>
            <h2 class="kern-heading-medium" id={`day-${day.day}`} safe>
              {dayLabel(day.day, ctx.locale)}
            </h2>
            <DayTable ctx={ctx} resource={resource} day={day} />
          </section>
        ))}
        <section class="stack" aria-labelledby="choose-view">
          <h2 class="kern-heading-medium" id="choose-view">
            {t('booking.staff.calendar.choose')}
          </h2>
          <CalendarChooser ctx={ctx} data={data} action="/backoffice/termine" />
        </section>
      </div>
    </Layout>
  )
}

export interface CounterPageData {
  resources: Resource[]
  resource: Resource
  day: string
  bookings: BookingRow[]
  now: Date
  notice?: string
}

function AttendanceButton({
  ctx,
  booking,
  status,
  resourceId,
}: {
  ctx: PageContext
  booking: BookingRow
  status: 'checked_in' | 'no_show' | 'done'
  resourceId: string
}) {
  return (
    <form method="post" action={`/backoffice/termine/buchungen/${booking.id}/anwesenheit`} class="inline-form">
      <CsrfField ctx={ctx} />
      <input type="hidden" name="resource" value={resourceId} />
      <button
        type="submit"
        class={`kern-btn kern-btn--${status === 'checked_in' ? 'primary' : 'secondary'}`}
        name="status"
        value={status}
        aria-label={ctx.t.text(`booking.staff.counter.action.${status}Label`, { reference: booking.reference })}
      >
        <span class="kern-label">{ctx.t(`booking.staff.counter.action.${status}`)}</span>
      </button>
    </form>
  )
}

/** Today's list at the counter: who is expected, who came, who did not; one click each. */
export function CounterPage({ ctx, data }: { ctx: PageContext; data: CounterPageData }) {
  const { t } = ctx
  const { resource } = data
  return (
    <Layout ctx={ctx} title={t.text('booking.staff.counter.title')} area="backoffice">
      <div class="stack">
        <h1 class="kern-heading-large">
          {t('booking.staff.counter.heading', { resource: resource.name[ctx.locale] })}
        </h1>
        <p class="kern-body" safe>
          {dayLabel(data.day, ctx.locale)}
        </p>
        {data.notice ? <Alert kind="success" title={t.text(`booking.staff.notice.${data.notice}`)} /> : ''}
        {data.resources.length > 1 ? (
          <form method="get" action="/backoffice/termine/heute" class="stack">
            <SelectField
              id="resource"
              name="resource"
              label={t.text('booking.staff.calendar.resource')}
              options={data.resources.map(r => ({ value: r.id, label: r.name[ctx.locale] }))}
              value={resource.id}
            />
            <SubmitButton label={t.text('booking.staff.calendar.show')} variant="secondary" />
          </form>
        ) : (
          ''
        )}
        <p class="kern-body">
          <a
            class="kern-link"
            href={`/backoffice/termine?resource=${encodeURIComponent(resource.id)}&view=day&day=${data.day}`}
          >
            {t('booking.staff.counter.toCalendar')}
          </a>
        </p>
        {data.bookings.length ? (
          <div class="kern-table-responsive">
            <table class="kern-table kern-table--small">
              <caption class="kern-sr-only">{t('booking.staff.counter.title')}</caption>
              <thead class="kern-table__head">
                <tr class="kern-table__row">
                  <th class="kern-table__header" scope="col">
                    {t('booking.staff.calendar.time')}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {t('booking.staff.calendar.what')}
                  </th>
                </tr>
              </thead>
              <tbody class="kern-table__body">
                {data.bookings.map(b => (
                  <tr class="kern-table__row">
                    <td class="kern-table__cell" safe>
                      {timeOf(b.starts_at, ctx.locale)}
                    </td>
                    <td class="kern-table__cell">
                      <strong safe>{bookingTitle(ctx, resource, b)}</strong>{' '}
                      <BookingStatusTag status={b.status} t={t} />
                      <br />
                      <span safe>{b.person_name ?? '–'}</span>
                      <br />
                      <a class="kern-link" href={`/backoffice/termine/buchungen/${b.id}`} safe>
                        {b.reference}
                      </a>
                      <br />
                      <div>
                        {b.status === 'booked' || b.status === 'no_show' ? (
                          <AttendanceButton ctx={ctx} booking={b} status="checked_in" resourceId={resource.id} />
                        ) : (
                          ''
                        )}{' '}
                        {b.status === 'booked' || b.status === 'checked_in' ? (
                          <AttendanceButton ctx={ctx} booking={b} status="done" resourceId={resource.id} />
                        ) : (
                          ''
                        )}{' '}
                        {b.status === 'booked' && b.starts_at.getTime() <= data.now.getTime() ? (
                          <AttendanceButton ctx={ctx} booking={b} status="no_show" resourceId={resource.id} />
                        ) : (
                          ''
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="kern-body">{t('booking.staff.counter.empty')}</p>
        )}
      </div>
    </Layout>
  )
}
