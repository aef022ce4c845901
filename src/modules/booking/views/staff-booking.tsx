import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  Alert,
  BackLink,
  CsrfField,
  DescriptionItem,
  ErrorSummary,
  SubmitButton,
  TextInput,
  type FieldError,
  SelectField,
  TextAreaField,
} from '../../../platform/views/components.js'
import { formatDateTime } from '../../../platform/i18n/i18n.js'
import type { Resource } from '../booking.resources.js'
import type { BookingRow } from '../booking.queries.js'
import type { Slot } from '../booking.slots.js'
import type { StaffReach } from '../booking.staff.js'
import type { InTheWay } from '../booking.staff.errors.js'
import type { FeedRow } from '../booking.feeds.js'
import { bookingTitle, unitNames } from './staff-calendar.js'
import { BookingStatusTag, dayLabel, timeOf } from './staff-parts.js'

const errorOf = (errors: FieldError[], id: string) => errors.find(e => e.fieldId === id)?.message

export interface MoveForm {
  resource: string
  day: string
  time: string
  note: string
}

export interface BookingPageData {
  booking: BookingRow
  resource: Resource
  reach: StaffReach
  /** Resources of the office of the same kind, where the booking can be moved. */
  targets: Resource[]
  move: MoveForm
  reason: string
  errors: FieldError[]
  /** The next free times after a time just taken. */
  alternatives: Slot[]
  notice?: string
}

function AlternativeTimes({ ctx, slots }: { ctx: PageContext; slots: Slot[] }) {
  if (!slots.length) return ''
  return (
    <div class="stack">
      <h3 class="kern-heading-small">{ctx.t('booking.staff.move.alternatives')}</h3>
      <ul class="kern-list">
        {slots.map(s => (
          <li safe>{formatDateTime(s.start, ctx.locale)}</li>
        ))}
      </ul>
    </div>
  )
}

/** One booking for staff: who, what, when, where it stands; move it, cancel it (with a message), or lift a block. */
export function StaffBookingPage({ ctx, data }: { ctx: PageContext; data: BookingPageData }) {
  const { t } = ctx
  const { booking: b, resource, errors } = data
  const live = b.status === 'booked'
  const isBlock = b.purpose === 'block'
  return (
    <Layout ctx={ctx} title={t.text('booking.staff.booking.title', { reference: b.reference })} area="backoffice">
      <div class="stack">
        <BackLink
          href={`/backoffice/termine?resource=${encodeURIComponent(resource.id)}&view=day&day=${dayOf(b.starts_at)}`}
          label={t.text('booking.staff.booking.back')}
        />
        <ErrorSummary ctx={ctx} errors={errors} />
        {data.notice ? <Alert kind="success" title={t.text(`booking.staff.notice.${data.notice}`)} /> : ''}
        <h1 class="kern-heading-large">{t('booking.staff.booking.title', { reference: b.reference })}</h1>
        <dl class="kern-description-list">
          <DescriptionItem label={t.text('booking.staff.booking.what')} text={bookingTitle(ctx, resource, b)} />
          <DescriptionItem
            label={t.text('booking.staff.booking.when')}
            text={`${dayLabel(dayOf(b.starts_at), ctx.locale)}, ${timeOf(b.starts_at, ctx.locale)}–${timeOf(b.ends_at, ctx.locale)}`}
          />
          <DescriptionItem
            label={t.text('booking.staff.booking.where')}
            text={`${resource.name[ctx.locale]} (${unitNames(ctx, resource, b.units)})`}
          />
          <DescriptionItem label={t.text('booking.staff.calendar.status')}>
            {isBlock ? (
              <span class="kern-badge kern-badge--warning">{t('booking.staff.status.blocked')}</span>
            ) : (
              <BookingStatusTag status={b.status} t={t} />
            )}
          </DescriptionItem>
          {isBlock ? (
            ''
          ) : (
            <>
              <DescriptionItem label={t.text('booking.staff.booking.name')} text={b.person_name ?? '–'} />
              <DescriptionItem label={t.text('booking.staff.booking.email')} text={b.person_email ?? '–'} />
              <DescriptionItem label={t.text('booking.staff.booking.phone')} text={b.person_phone ?? '–'} />
              <DescriptionItem
                label={t.text('booking.staff.booking.account')}
                text={t.text(b.account_id ? 'booking.staff.booking.withAccount' : 'booking.staff.booking.noAccount')}
              />
            </>
          )}
          {b.checked_in_at ? (
            <DescriptionItem
              label={t.text('booking.staff.booking.checkedInAt')}
              text={formatDateTime(b.checked_in_at, ctx.locale)}
            />
          ) : (
            ''
          )}
          {b.cancel_reason && !isBlock ? (
            <DescriptionItem label={t.text('booking.staff.booking.cancelReason')} text={b.cancel_reason} />
          ) : (
            ''
          )}
        </dl>
        {live && isBlock && data.reach === 'calendar' ? (
          <form method="post" action={`/backoffice/termine/buchungen/${b.id}/freigeben`}>
            <CsrfField ctx={ctx} />
            <SubmitButton label={t.text('booking.staff.block.remove')} variant="secondary" />
          </form>
        ) : (
          ''
        )}
        {live && !isBlock && data.reach === 'calendar' ? (
          <>
            <section class="stack" aria-labelledby="move-heading">
              <h2 class="kern-heading-medium" id="move-heading">
                {t('booking.staff.move.title')}
              </h2>
              <p class="kern-body">{t('booking.staff.move.intro')}</p>
              <form method="post" action={`/backoffice/termine/buchungen/${b.id}/verlegen`} class="stack" novalidate>
                <CsrfField ctx={ctx} />
                <SelectField
                  id="resource"
                  name="resource"
                  label={t.text('booking.staff.calendar.resource')}
                  options={data.targets.map(r => ({ value: r.id, label: r.name[ctx.locale] }))}
                  value={data.move.resource}
                  error={errorOf(errors, 'resource')}
                />
                <TextInput
                  id="day"
                  type="date"
                  label={t.text('booking.staff.move.day')}
                  value={data.move.day}
                  error={errorOf(errors, 'day')}
                />
                <TextInput
                  id="time"
                  type="time"
                  label={t.text('booking.staff.move.time')}
                  hint={t.text('booking.staff.move.timeHint')}
                  value={data.move.time}
                  error={errorOf(errors, 'time')}
                />
                <AlternativeTimes ctx={ctx} slots={data.alternatives} />
                <TextAreaField
                  id="note"
                  label={t.text('booking.staff.move.note')}
                  hint={t.text('booking.staff.move.noteHint')}
                  value={data.move.note}
                  error={errorOf(errors, 'note')}
                />
                <SubmitButton label={t.text('booking.staff.move.submit')} />
              </form>
            </section>
            <section class="stack" aria-labelledby="cancel-heading">
              <h2 class="kern-heading-medium" id="cancel-heading">
                {t('booking.staff.cancel.title')}
              </h2>
              <form method="post" action={`/backoffice/termine/buchungen/${b.id}/absagen`} class="stack" novalidate>
                <CsrfField ctx={ctx} />
                <TextAreaField
                  id="reason"
                  label={t.text('booking.staff.cancel.reason')}
                  hint={t.text('booking.staff.cancel.reasonHint')}
                  value={data.reason}
                  error={errorOf(errors, 'reason')}
                />
                <SubmitButton label={t.text('booking.staff.cancel.submit')} variant="secondary" />
              </form>
            </section>
          </>
        ) : (
          ''
        )}
      </div>
    </Layout>
  )
}

/** The city day of an instant, for links back to the calendar. */
export function dayOf(date: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(date)
}

export interface BlockForm {
  resource: string
  day: string
  from: string
  to: string
  reason: string
}

export function BlockPage({
  ctx,
  resources,
  form,
  errors,
  inTheWay,
}: {
  ctx: PageContext
  resources: Resource[]
  form: BlockForm
  errors: FieldError[]
  inTheWay: InTheWay[]
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('booking.staff.block.title')} area="backoffice">
      <div class="stack">
        <BackLink
          href={`/backoffice/termine?resource=${encodeURIComponent(form.resource)}&view=day&day=${form.day}`}
          label={t.text('booking.staff.booking.back')}
        />
        <ErrorSummary ctx={ctx} errors={errors} />
        <h1 class="kern-heading-large">{t('booking.staff.block.title')}</h1>
        <p class="kern-body">{t('booking.staff.block.intro')}</p>
        {inTheWay.length ? (
          <Alert kind="warning" title={t.text('booking.staff.block.inTheWay', { count: inTheWay.length })}>
            <ul class="kern-list">
              {inTheWay.map(b => (
                <li>
                  <a class="kern-link" href={`/backoffice/termine/buchungen/${b.id}`} safe>
                    {`${b.reference}: ${formatDateTime(b.start, ctx.locale)}–${timeOf(b.end, ctx.locale)}`}
                  </a>
                </li>
              ))}
            </ul>
          </Alert>
        ) : (
          ''
        )}
        <form method="post" action="/backoffice/termine/sperren" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <SelectField
            id="resource"
            name="resource"
            label={t.text('booking.staff.calendar.resource')}
            options={resources.map(r => ({ value: r.id, label: r.name[ctx.locale] }))}
            value={form.resource}
            error={errorOf(errors, 'resource')}
          />
          <TextInput
            id="day"
            type="date"
            label={t.text('booking.staff.move.day')}
            value={form.day}
            error={errorOf(errors, 'day')}
          />
          <TextInput
            id="from"
            type="time"
            label={t.text('booking.staff.block.from')}
            value={form.from}
            error={errorOf(errors, 'from')}
          />
          <TextInput
            id="to"
            type="time"
            label={t.text('booking.staff.block.to')}
            hint={t.text('booking.staff.block.toHint')}
            value={form.to}
            error={errorOf(errors, 'to')}
          />
          <TextAreaField
            id="reason"
            label={t.text('booking.staff.block.reason')}
            value={form.reason}
            error={errorOf(errors, 'reason')}
          />
          <SubmitButton label={t.text('booking.staff.block.submit')} />
        </form>
      </div>
    </Layout>
  )
}

export interface FeedsPageData {
  resources: Resource[]
  feeds: FeedRow[]
  form: { resource: string; label: string }
  errors: FieldError[]
  /** The URL of a feed just made: shown once. */
  created?: string
  notice?: string
}

export function FeedsPage({ ctx, data }: { ctx: PageContext; data: FeedsPageData }) {
  const { t } = ctx
  const nameOf = (id: string) => data.resources.find(r => r.id === id)?.name[ctx.locale] ?? id
  return (
    <Layout ctx={ctx} title={t.text('booking.feeds.title')} area="backoffice">
      <div class="stack">
        <BackLink href="/backoffice/termine" label={t.text('booking.staff.booking.back')} />
        <ErrorSummary ctx={ctx} errors={data.errors} />
        <h1 class="kern-heading-large">{t('booking.feeds.title')}</h1>
        <p class="kern-body">{t('booking.feeds.intro')}</p>
        {data.created ? (
          <Alert kind="success" title={t.text('booking.feeds.created')}>
            <p class="kern-body">{t('booking.feeds.createdHint')}</p>
            <div class="kern-form-input">
              <label class="kern-label" for="feed-url">
                {t('booking.feeds.address')}
              </label>
              <input class="kern-form-input__input" id="feed-url" type="text" readonly value={data.created} />
            </div>
          </Alert>
        ) : (
          ''
        )}
        {data.notice ? <Alert kind="success" title={t.text(`booking.staff.notice.${data.notice}`)} /> : ''}
        {data.feeds.length ? (
          <div class="kern-table-responsive">
            <table class="kern-table kern-table--small">
              <caption class="kern-sr-only">{t('booking.feeds.title')}</caption>
              <thead class="kern-table__head">
                <tr class="kern-table__row">
                  <th class="kern-table__header" scope="col">
                    {t('booking.feeds.label')}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {t('booking.staff.counter.actions')}
                  </th>
                </tr>
              </thead>
              <tbody class="kern-table__body">
                {data.feeds.map(f => (
                  <tr class="kern-table__row">
                    <td class="kern-table__cell">
                      <strong safe>{f.label}</strong>
                      <br />
                      <span safe>{nameOf(f.resource_id)}</span>
                      <br />
                      <span class="kern-body kern-body--small" safe>
                        {`${t.text('booking.feeds.lastRead')}: ${f.last_read_at ? formatDateTime(f.last_read_at, ctx.locale) : t.text('booking.feeds.neverRead')}`}
                      </span>
                    </td>
                    <td class="kern-table__cell">
                      <form method="post" action={`/backoffice/termine/kalender-abos/${f.id}/widerrufen`}>
                        <CsrfField ctx={ctx} />
                        <button
                          type="submit"
                          class="kern-btn kern-btn--secondary"
                          aria-label={t.text('booking.feeds.revokeLabel', { label: f.label })}
                        >
                          <span class="kern-label">{t('booking.feeds.revoke')}</span>
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="kern-body">{t('booking.feeds.none')}</p>
        )}
        <section class="stack" aria-labelledby="new-feed">
          <h2 class="kern-heading-medium" id="new-feed">
            {t('booking.feeds.new')}
          </h2>
          <form method="post" action="/backoffice/termine/kalender-abos" class="stack" novalidate>
            <CsrfField ctx={ctx} />
            <SelectField
              id="resource"
              name="resource"
              label={t.text('booking.staff.calendar.resource')}
              options={data.resources.map(r => ({ value: r.id, label: r.name[ctx.locale] }))}
              value={data.form.resource}
              error={errorOf(data.errors, 'resource')}
            />
            <TextInput
              id="label"
              label={t.text('booking.feeds.label')}
              hint={t.text('booking.feeds.labelHint')}
              value={data.form.label}
              error={errorOf(data.errors, 'label')}
            />
            <SubmitButton label={t.text('booking.feeds.create')} />
          </form>
        </section>
      </div>
    </Layout>
  )
}
