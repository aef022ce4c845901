import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  Alert,
  BackLink,
  CsrfField,
  DescriptionItem,
  ErrorSummary,
  ProofOfWorkField,
  SubmitButton,
  TextInput,
  type FieldError,
} from '../../../platform/views/components.js'
import { formatDate, formatDateTime, type Locale } from '../../../platform/i18n/i18n.js'
import { addDays, type IsoDay } from '../../../platform/calendar/index.js'
import type { BookingRow, Resource, Slot } from '../../booking/index.js'
import { choiceQuery, type Choice } from '../appointments.choice.js'
import { concernName, placeLine, whatToBring } from '../appointments.mail.js'
import { videoJoinUrl } from '../../video/index.js'

const timeOf = (date: Date, locale: Locale) =>
  new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    timeStyle: 'short',
    timeZone: 'Europe/Berlin',
  }).format(date)

function PlaceName({ resource, ctx }: { resource: Resource; ctx: PageContext }) {
  return (
    <>
      <span safe>{resource.name[ctx.locale]}</span>
      {resource.kind === 'video' ? (
        <span class="kern-badge kern-badge--info">
          <span class="kern-label">{ctx.t('appointments.byVideo')}</span>
        </span>
      ) : (
        ''
      )}
    </>
  )
}

function ChoiceSummary({ ctx, choice, start }: { ctx: PageContext; choice: Choice; start?: Date }) {
  const { t } = ctx
  return (
    <dl class="kern-description-list">
      <DescriptionItem label={t.text('appointments.concern')} text={choice.concernName} />
      <DescriptionItem label={t.text('appointments.place')}>
        <PlaceName resource={choice.resource} ctx={ctx} />
        {choice.resource.address ? (
          <>
            <br />
            <span safe>{choice.resource.address}</span>
          </>
        ) : (
          ''
        )}
      </DescriptionItem>
      <DescriptionItem
        label={t.text('appointments.duration')}
        text={t.text('appointments.minutes', { minutes: choice.minutes })}
      />
      {start ? <DescriptionItem label={t.text('appointments.when')} text={formatDateTime(start, ctx.locale)} /> : ''}
    </dl>
  )
}

export interface ConcernOffer {
  id: string
  name: string
  places: Resource[]
}

/** /termine: the concern, then the place where it is offered (each Bürgerbüro and the video desk). */
export function ChoosePage({
  ctx,
  offers,
  caseId,
  caseReference,
}: {
  ctx: PageContext
  offers: ConcernOffer[]
  caseId?: string
  caseReference?: string
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('appointments.choose.title')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('appointments.choose.title')}</h1>
        {caseReference ? (
          <p class="kern-body">{t('appointments.choose.forCase', { reference: caseReference })}</p>
        ) : (
          <p class="kern-body">{t('appointments.choose.intro')}</p>
        )}
        {offers.map(offer => (
          <section aria-labelledby={`concern-${offer.id}`}>
            <h2 class="kern-heading-medium" id={`concern-${offer.id}`} safe>
              {offer.name}
            </h2>
            <ul class="kern-list">
              {offer.places.map(place => (
                <li>
                  <a
                    class="kern-link"
                    href={`/termine/tage?${new URLSearchParams({ ort: place.id, anliegen: offer.id, ...(caseId ? { fall: caseId } : {}) })}`}
                  >
                    <span safe>{place.name[ctx.locale]}</span>
                  </a>
                  {place.kind === 'video' ? (
                    <>
                      {' '}
                      <span class="kern-badge kern-badge--info">
                        <span class="kern-label">{ctx.t('appointments.byVideo')}</span>
                      </span>
                    </>
                  ) : (
                    ''
                  )}
                  {place.address ? <span class="kern-hint" safe>{` – ${place.address}`}</span> : ''}
                </li>
              ))}
            </ul>
          </section>
        ))}
        {ctx.account ? (
          <p class="kern-body">
            <a class="kern-link" href="/account/termine">
              {t('appointments.account.title')}
            </a>
          </p>
        ) : (
          ''
        )}
      </div>
    </Layout>
  )
}

const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

/** A month as a table: one row a week, a day with free times a link to them. */
function MonthTable({
  ctx,
  month,
  first,
  last,
  free,
  dayHref,
}: {
  ctx: PageContext
  month: string
  first: IsoDay
  last: IsoDay
  free: Set<IsoDay>
  dayHref: (day: IsoDay) => string
}) {
  const { t } = ctx
  const start = `${month}-01` as IsoDay
  const lead = (new Date(`${start}T12:00:00Z`).getUTCDay() + 6) % 7
  const days: (IsoDay | null)[] = Array.from({ length: lead }, () => null)
  for (let d = start; d.startsWith(month); d = addDays(d, 1)) days.push(d)
  while (days.length % 7) days.push(null)
  const weeks = Array.from({ length: days.length / 7 }, (_, i) => days.slice(i * 7, i * 7 + 7))
  const monthName = new Intl.DateTimeFormat(ctx.locale === 'de' ? 'de-DE' : 'en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${start}T12:00:00Z`))
  return (
    <table class="kern-table appointment-month">
      <caption class="kern-title" safe>
        {monthName}
      </caption>
      <thead class="kern-table__head">
        <tr class="kern-table__row">
          {WEEKDAY_KEYS.map(k => (
            <th class="kern-table__header" scope="col">
              <abbr title={t.text(`appointments.weekday.${k}`)}>{t(`appointments.weekdayShort.${k}`)}</abbr>
            </th>
          ))}
        </tr>
      </thead>
      <tbody class="kern-table__body">
        {weeks.map(week => (
          <tr class="kern-table__row">
            {week.map(day => (
              <td class="kern-table__cell">
                {day === null ? (
                  ''
                ) : free.has(day) ? (
                  <a
                    class="kern-link appointment-day--free"
                    href={dayHref(day)}
                    aria-label={t.text('appointments.days.freeOn', { day: formatDate(day, ctx.locale) })}
                  >
                    <strong safe>{String(Number(day.slice(8)))}</strong>
                  </a>
                ) : (
                  <span class={day < first || day > last ? 'kern-hint' : ''}>
                    <span safe>{String(Number(day.slice(8)))}</span>
                    <span class="kern-sr-only" safe>{` ${t.text('appointments.days.none')}`}</span>
                  </span>
                )}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The days of the next weeks with free times, a month at a time, with a way onto the waiting list. */
export function DaysPage(props: {
  ctx: PageContext
  choice: Choice
  month: string
  first: IsoDay
  last: IsoDay
  free: Set<IsoDay>
  dayHref: (day: IsoDay) => string
  monthHref: (month: string) => string
  backHref: string
  waitlistHref?: string
  heading?: string
}) {
  const { ctx, choice, month } = props
  const { t } = ctx
  const prev = monthOf(addDays(`${month}-01` as IsoDay, -1))
  const next = monthOf(addDays(`${month}-01` as IsoDay, 31))
  return (
    <Layout ctx={ctx} title={props.heading ?? t.text('appointments.days.title')}>
      <div class="stack">
        <BackLink href={props.backHref} label={t.text('appointments.back')} />
        <h1 class="kern-heading-large" safe>
          {props.heading ?? t.text('appointments.days.title')}
        </h1>
        <ChoiceSummary ctx={ctx} choice={choice} />
        {props.free.size === 0 ? (
          <Alert kind="info" title={t.text('appointments.days.noneAtAll')}>
            {props.waitlistHref ? (
              <p class="kern-body">
                <a class="kern-link" href={props.waitlistHref}>
                  {t('appointments.waitlist.join')}
                </a>
              </p>
            ) : (
              ''
            )}
          </Alert>
        ) : (
          <p class="kern-body">{t('appointments.days.intro')}</p>
        )}
        <MonthTable
          ctx={ctx}
          month={month}
          first={props.first}
          last={props.last}
          free={props.free}
          dayHref={props.dayHref}
        />
        <nav aria-label={t.text('appointments.days.months')}>
          <ul class="kern-list kern-list--horizontal">
            {prev >= monthOf(props.first) ? (
              <li>
                <a class="kern-link" href={props.monthHref(prev)}>
                  {t('appointments.days.previous')}
                </a>
              </li>
            ) : (
              ''
            )}
            {next <= monthOf(props.last) ? (
              <li>
                <a class="kern-link" href={props.monthHref(next)}>
                  {t('appointments.days.next')}
                </a>
              </li>
            ) : (
              ''
            )}
          </ul>
        </nav>
        {props.free.size > 0 && props.waitlistHref ? (
          <p class="kern-body">
            <a class="kern-link" href={props.waitlistHref}>
              {t('appointments.waitlist.earlier')}
            </a>
          </p>
        ) : (
          ''
        )}
      </div>
    </Layout>
  )
}

export const monthOf = (day: IsoDay) => day.slice(0, 7)

/** The free times of one day: links to the details form, or (rebooking) buttons that move the appointment. */
export function TimesPage(props: {
  ctx: PageContext
  choice: Choice
  day: IsoDay
  slots: Slot[]
  backHref: string
  timeHref?: (slot: Slot) => string
  moveAction?: { action: string; token?: string }
  /** Why the last choice did not work (taken meanwhile, too late), shown above the times. */
  error?: string
}) {
  const { ctx, day } = props
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('appointments.times.title', { day: formatDate(day, ctx.locale) })}>
      <div class="stack">
        <BackLink href={props.backHref} label={t.text('appointments.times.otherDay')} />
        {props.error ? <Alert kind="danger" title={props.error} /> : ''}
        <h1 class="kern-heading-large">{t('appointments.times.title', { day: formatDate(day, ctx.locale) })}</h1>
        <ChoiceSummary ctx={ctx} choice={props.choice} />
        {props.slots.length === 0 ? <p class="kern-body">{t('appointments.times.none')}</p> : ''}
        {props.moveAction ? (
          <form method="post" action={props.moveAction.action} class="appointment-times">
            <CsrfField ctx={ctx} />
            {props.moveAction.token ? <input type="hidden" name="token" value={props.moveAction.token} /> : ''}
            <fieldset class="kern-fieldset">
              <legend class="kern-label">{t('appointments.times.choose')}</legend>
              <div class="appointment-times__list">
                {props.slots.map(s => (
                  <SubmitButton
                    variant="secondary"
                    name="beginn"
                    value={s.start.toISOString()}
                    label={timeOf(s.start, ctx.locale)}
                  />
                ))}
              </div>
            </fieldset>
          </form>
        ) : (
          <ul class="kern-list appointment-times__list" aria-label={t.text('appointments.times.choose')}>
            {props.slots.map(s => (
              <li>
                <a class="kern-btn kern-btn--secondary" href={props.timeHref!(s)}>
                  <span class="kern-label" safe>
                    {timeOf(s.start, ctx.locale)}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Layout>
  )
}

export interface DetailsForm {
  values: { name: string; email: string; phone: string }
  errors: FieldError[]
  /** A rule the time breaks (in the past, outside the hours …), already translated. */
  breach?: string
  /** Someone was quicker: the message and the next free times. */
  justTaken?: Slot[]
  alreadyBooked?: string
  rateLimitedMinutes?: number
}

/** Name, e-mail and phone for the chosen time; posts to itself, keeps what was typed. */
export function DetailsPage({
  ctx,
  choice,
  start,
  form,
  waitlistId,
}: {
  ctx: PageContext
  choice: Choice
  start: Date
  form: DetailsForm
  waitlistId?: string
}) {
  const { t } = ctx
  const failed = form.errors.length > 0 || !!form.breach || !!form.justTaken || !!form.alreadyBooked
  const title = t.text('appointments.details.title')
  return (
    <Layout ctx={ctx} title={`${failed ? `${t.text('forms.errorPrefix')} ` : ''}${title}`}>
      <div class="stack">
        <BackLink
          href={`/termine/zeiten?${choiceQuery(choice, { tag: dayOfStart(start) })}`}
          label={t.text('appointments.times.otherTime')}
        />
        <ErrorSummary ctx={ctx} errors={form.errors} />
        {form.breach ? (
          <Alert kind="danger" title={t.text('appointments.details.notOffered')}>
            <p class="kern-body" id="breach" safe>
              {form.breach}
            </p>
          </Alert>
        ) : (
          ''
        )}
        {form.alreadyBooked ? (
          <Alert kind="warning" title={t.text('appointments.details.alreadyBookedTitle')}>
            <p class="kern-body" safe>
              {form.alreadyBooked}
            </p>
          </Alert>
        ) : (
          ''
        )}
        {form.rateLimitedMinutes ? (
          <Alert
            kind="danger"
            title={t.text('appointments.details.rateLimited', { minutes: form.rateLimitedMinutes })}
          />
        ) : (
          ''
        )}
        <h1 class="kern-heading-large" safe>
          {title}
        </h1>
        <ChoiceSummary ctx={ctx} choice={choice} start={start} />
        <form
          method="post"
          action={`/termine/angaben?${choiceQuery(choice)}`}
          class="stack"
          novalidate
          id="appointment-form"
        >
          <CsrfField ctx={ctx} />
          {ctx.account ? '' : <ProofOfWorkField />}
          <input type="hidden" name="beginn" value={start.toISOString()} />
          {waitlistId ? <input type="hidden" name="warteliste" value={waitlistId} /> : ''}
          {form.justTaken ? (
            <div class="kern-alert kern-alert--warning" role="alert" id="just-taken">
              <div class="kern-alert__header">
                <span class="kern-icon kern-icon--warning" aria-hidden="true"></span>
                <h2 class="kern-title">{t('booking.errors.justTaken')}</h2>
              </div>
              <div class="kern-alert__body">
                {form.justTaken.length ? (
                  <div class="appointment-times__list">
                    {form.justTaken.map(s => (
                      <SubmitButton
                        variant="secondary"
                        name="neu"
                        value={s.start.toISOString()}
                        label={formatDateTime(s.start, ctx.locale)}
                      />
                    ))}
                  </div>
                ) : (
                  <p class="kern-body">
                    <a class="kern-link" href={`/termine/tage?${choiceQuery(choice)}`}>
                      {t('appointments.details.otherDays')}
                    </a>
                  </p>
                )}
              </div>
            </div>
          ) : (
            ''
          )}
          <TextInput
            id="name"
            label={t.text('appointments.details.name')}
            value={form.values.name}
            error={form.errors.find(e => e.fieldId === 'name')?.message}
            autocomplete="name"
            required
          />
          <TextInput
            id="email"
            type="email"
            label={t.text('appointments.details.email')}
            hint={t.text('appointments.details.emailHint')}
            value={form.values.email}
            error={form.errors.find(e => e.fieldId === 'email')?.message}
            autocomplete="email"
            required
          />
          <TextInput
            id="phone"
            type="tel"
            label={t.text('appointments.details.phone')}
            value={form.values.phone}
            error={form.errors.find(e => e.fieldId === 'phone')?.message}
            autocomplete="tel"
          />
          <div class="form-actions">
            <SubmitButton label={t.text('appointments.details.submit')} />
          </div>
        </form>
      </div>
    </Layout>
  )
}

const dayOfStart = (start: Date) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(start)

/** A booking's facts: reference, concern, place, time, what to bring. */
function BookingFacts({
  ctx,
  booking,
  resource,
}: {
  ctx: PageContext
  booking: BookingRow
  resource: Resource | undefined
}) {
  const { t } = ctx
  const bring = whatToBring(resource, { concern: booking.concern, locale: ctx.locale })
  return (
    <dl class="kern-description-list">
      <DescriptionItem label={t.text('appointments.reference')} text={booking.reference} />
      <DescriptionItem
        label={t.text('appointments.concern')}
        text={concernName(resource, { concern: booking.concern, locale: ctx.locale })}
      />
      <DescriptionItem label={t.text('appointments.place')} text={resource?.name[ctx.locale] ?? booking.resource_id} />
      <DescriptionItem
        label={resource?.kind === 'video' ? t.text('appointments.video.label') : t.text('appointments.address')}
        text={placeLine(
          resource,
          ctx.locale,
          // The account's own page may link the call (the person signs in); a link's page says where it is.
          booking.purpose === 'video' && booking.account_id ? videoJoinUrl('', booking.id) : undefined,
        )}
      />
      <DescriptionItem label={t.text('appointments.when')} text={formatDateTime(booking.starts_at, ctx.locale)} />
      <DescriptionItem
        label={t.text('appointments.status')}
        text={t.text(`appointments.statusName.${booking.status}`)}
      />
      {bring ? <DescriptionItem label={t.text('appointments.bring.label')} text={bring} /> : ''}
    </dl>
  )
}

/** After booking: the reference, where and when, what to bring, the calendar file and the manage link. */
export function ConfirmedPage({
  ctx,
  booking,
  resource,
  links,
}: {
  ctx: PageContext
  booking: BookingRow
  resource: Resource | undefined
  links: { manage: string; calendar: string; video?: string }
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('appointments.confirmed.title')}>
      <div class="stack">
        <Alert kind="success" pageHeading title={t.text('appointments.confirmed.title')}>
          <p class="kern-body kern-body--large">
            {t('appointments.reference')}:{' '}
            <strong class="case-reference" safe>
              {booking.reference}
            </strong>
          </p>
        </Alert>
        <BookingFacts ctx={ctx} booking={booking} resource={resource} />
        <p class="kern-body">{t('appointments.confirmed.mailed')}</p>
        <ul class="kern-list">
          {links.video ? (
            <li>
              <a class="kern-link" href={links.video}>
                {t('appointments.video.open')}
              </a>
            </li>
          ) : (
            ''
          )}
          <li>
            <a class="kern-link" href={links.calendar}>
              {t('appointments.calendarFile')}
            </a>
          </li>
          <li>
            <a class="kern-link" href={links.manage}>
              {t('appointments.confirmed.manage')}
            </a>
          </li>
        </ul>
        {booking.account_id ? '' : <p class="kern-body">{t('appointments.confirmed.keepLink')}</p>}
      </div>
    </Layout>
  )
}

/** A booking seen through its manage link or the account: details, calendar file, rebook and cancel. */
export function ManagePage({
  ctx,
  booking,
  resource,
  base,
  token,
  changeableUntil,
  message,
}: {
  ctx: PageContext
  booking: BookingRow
  resource: Resource | undefined
  base: string
  token?: string
  changeableUntil: Date
  message?: string
}) {
  const { t } = ctx
  const q = token ? `?token=${encodeURIComponent(token)}` : ''
  const live = booking.status === 'booked'
  return (
    <Layout ctx={ctx} title={t.text('appointments.manage.title', { reference: booking.reference })}>
      <div class="stack">
        {message ? <Alert kind="success" title={message} /> : ''}
        <h1 class="kern-heading-large">{t('appointments.manage.title', { reference: booking.reference })}</h1>
        <BookingFacts ctx={ctx} booking={booking} resource={resource} />
        {live && booking.purpose === 'video' ? (
          <p class="kern-body">
            <a class="kern-link" href={videoJoinUrl('', booking.id, token)}>
              {t('appointments.video.open')}
            </a>
          </p>
        ) : (
          ''
        )}
        <p class="kern-body">
          <a class="kern-link" href={`${base}/kalender.ics${q}`}>
            {t('appointments.calendarFile')}
          </a>
        </p>
        {live ? (
          <>
            <p class="kern-body">
              {t('appointments.manage.until', { until: formatDateTime(changeableUntil, ctx.locale) })}
            </p>
            <ul class="kern-list kern-list--horizontal">
              <li>
                <a class="kern-btn kern-btn--secondary" href={`${base}/verlegen${q}`}>
                  <span class="kern-label">{t('appointments.manage.rebook')}</span>
                </a>
              </li>
              <li>
                <a class="kern-btn kern-btn--secondary" href={`${base}/absagen${q}`}>
                  <span class="kern-label">{t('appointments.manage.cancel')}</span>
                </a>
              </li>
            </ul>
          </>
        ) : (
          ''
        )}
      </div>
    </Layout>
  )
}

/** "Really cancel?": the second step, so a stray click cancels nothing. */
export function CancelPage({
  ctx,
  booking,
  resource,
  base,
  token,
  error,
}: {
  ctx: PageContext
  booking: BookingRow
  resource: Resource | undefined
  base: string
  token?: string
  error?: string
}) {
  const { t } = ctx
  const q = token ? `?token=${encodeURIComponent(token)}` : ''
  return (
    <Layout ctx={ctx} title={`${error ? `${t.text('forms.errorPrefix')} ` : ''}${t.text('appointments.cancel.title')}`}>
      <div class="stack">
        <BackLink href={`${base}${q}`} label={t.text('appointments.cancel.keep')} />
        {error ? <Alert kind="danger" title={error} /> : ''}
        <h1 class="kern-heading-large">{t('appointments.cancel.title')}</h1>
        <BookingFacts ctx={ctx} booking={booking} resource={resource} />
        <form method="post" action={`${base}/absagen`}>
          <CsrfField ctx={ctx} />
          {token ? <input type="hidden" name="token" value={token} /> : ''}
          <SubmitButton label={t.text('appointments.cancel.submit')} />
        </form>
      </div>
    </Layout>
  )
}

/** A simple page with a heading and a message: cancelled, withdrawn, an error that keeps the person on the way. */
export function MessagePage({
  ctx,
  title,
  text,
  links,
}: {
  ctx: PageContext
  title: string
  text?: string
  links: { href: string; label: string }[]
}) {
  return (
    <Layout ctx={ctx} title={title}>
      <div class="stack">
        <Alert kind="info" pageHeading title={title}>
          {text ? (
            <p class="kern-body" safe>
              {text}
            </p>
          ) : (
            ''
          )}
        </Alert>
        <ul class="kern-list">
          {links.map(l => (
            <li>
              <a class="kern-link" href={l.href} safe>
                {l.label}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </Layout>
  )
}

export interface WaitlistForm {
  values: { name: string; email: string; from: string; to: string }
  errors: FieldError[]
}

/** Join the waiting list for a place and concern between two days. */
export function WaitlistPage({ ctx, choice, form }: { ctx: PageContext; choice: Choice; form: WaitlistForm }) {
  const { t } = ctx
  const err = (id: string) => form.errors.find(e => e.fieldId === id)?.message
  return (
    <Layout
      ctx={ctx}
      title={`${form.errors.length ? `${t.text('forms.errorPrefix')} ` : ''}${t.text('appointments.waitlist.title')}`}
    >
      <div class="stack">
        <BackLink href={`/termine/tage?${choiceQuery(choice)}`} label={t.text('appointments.back')} />
        <ErrorSummary ctx={ctx} errors={form.errors} />
        <h1 class="kern-heading-large">{t('appointments.waitlist.title')}</h1>
        <p class="kern-body">{t('appointments.waitlist.intro')}</p>
        <ChoiceSummary ctx={ctx} choice={choice} />
        <form method="post" action={`/termine/warteliste?${choiceQuery(choice)}`} class="stack" novalidate>
          <CsrfField ctx={ctx} />
          {ctx.account ? '' : <ProofOfWorkField />}
          <TextInput
            id="name"
            label={t.text('appointments.details.name')}
            value={form.values.name}
            error={err('name')}
            autocomplete="name"
            required
          />
          <TextInput
            id="email"
            type="email"
            label={t.text('appointments.details.email')}
            value={form.values.email}
            error={err('email')}
            autocomplete="email"
            required
          />
          <TextInput
            id="from"
            type="date"
            label={t.text('appointments.waitlist.from')}
            value={form.values.from}
            error={err('from')}
            required
          />
          <TextInput
            id="to"
            type="date"
            label={t.text('appointments.waitlist.to')}
            value={form.values.to}
            error={err('to')}
            required
          />
          <div class="form-actions">
            <SubmitButton label={t.text('appointments.waitlist.submit')} />
          </div>
        </form>
      </div>
    </Layout>
  )
}

/** A waiting-list entry seen by its withdraw link. */
export function WaitlistEntryPage({
  ctx,
  id,
  token,
  place,
  concern,
  from,
  to,
}: {
  ctx: PageContext
  id: string
  token: string
  place: string
  concern: string
  from: string
  to: string
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('appointments.waitlist.entryTitle')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('appointments.waitlist.entryTitle')}</h1>
        <dl class="kern-description-list">
          <DescriptionItem label={t.text('appointments.concern')} text={concern} />
          <DescriptionItem label={t.text('appointments.place')} text={place} />
          <DescriptionItem
            label={t.text('appointments.waitlist.period')}
            text={`${formatDate(from, ctx.locale)} – ${formatDate(to, ctx.locale)}`}
          />
        </dl>
        <form method="post" action={`/termine/warteliste/${id}`}>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="token" value={token} />
          <SubmitButton label={t.text('appointments.waitlist.withdraw')} />
        </form>
      </div>
    </Layout>
  )
}

/** "Meine Termine": the account's upcoming and past appointments. */
export function AccountAppointmentsPage({
  ctx,
  upcoming,
  past,
  resourceOf,
}: {
  ctx: PageContext
  upcoming: BookingRow[]
  past: BookingRow[]
  resourceOf: (id: string) => Resource | undefined
}) {
  const { t } = ctx
  const list = (rows: BookingRow[], empty: string) =>
    rows.length ? (
      <ul class="kern-list">
        {rows.map(b => {
          const resource = resourceOf(b.resource_id)
          return (
            <li>
              <a class="kern-link" href={`/account/termine/${b.id}`} safe>
                {`${formatDateTime(b.starts_at, ctx.locale)} – ${concernName(resource, { concern: b.concern, locale: ctx.locale })}`}
              </a>
              <span
                class="kern-hint"
                safe
              >{` ${resource?.name[ctx.locale] ?? ''} · ${b.reference} · ${t.text(`appointments.statusName.${b.status}`)}`}</span>
            </li>
          )
        })}
      </ul>
    ) : (
      <p class="kern-body">{t(empty)}</p>
    )
  return (
    <Layout ctx={ctx} title={t.text('appointments.account.title')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('appointments.account.title')}</h1>
        <p class="kern-body">
          <a class="kern-link" href="/termine">
            {t('appointments.account.book')}
          </a>
        </p>
        <h2 class="kern-heading-medium">{t('appointments.account.upcoming')}</h2>
        {list(upcoming, 'appointments.account.noUpcoming')}
        <h2 class="kern-heading-medium">{t('appointments.account.past')}</h2>
        {list(past, 'appointments.account.noPast')}
      </div>
    </Layout>
  )
}
