import type { PageContext } from '../../../platform/views/page-context.js'
import { Layout } from '../../../platform/views/layout.js'
import { Alert, BackLink, CsrfField, SubmitButton, TextInput } from '../../../platform/views/components.js'
import { formatDate, type Locale } from '../../../platform/i18n/i18n.js'
import type { BookingRow, Resource } from '../../booking/index.js'
import type { VideoCallRow } from '../video.queries.js'
import { BookingDetails, CallStage, type CallPageData } from './video-call.js'

/** "09:30": the list is of one day, named above it. */
function formatTime(value: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    timeStyle: 'short',
    timeZone: 'Europe/Berlin',
  }).format(value)
}

export interface TodaysCall {
  booking: BookingRow
  resource: Resource
  call: VideoCallRow | undefined
}

function stateKey(call: VideoCallRow | undefined, booking: BookingRow): string {
  if (booking.status === 'cancelled') return 'cancelled'
  if (!call || (call.state === 'waiting' && !call.waiting_since)) return 'notYet'
  return call.state
}

/** Today's video appointments of the caseworker's offices, with who is waiting; each opens its call. */
export function TodaysCallsPage({ ctx, day, calls }: { ctx: PageContext; day: string; calls: TodaysCall[] }) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('video.list.title')} area="backoffice">
      <div class="stack">
        <h1 class="kern-heading-large">{t('video.list.title')}</h1>
        <p class="kern-body">{t('video.list.intro', { day: formatDate(day, ctx.locale) })}</p>
        {calls.length === 0 ? (
          <p class="kern-body">{t('video.list.empty')}</p>
        ) : (
          <div class="kern-table-responsive">
            <table class="kern-table">
              <caption class="kern-sr-only">{t('video.list.title')}</caption>
              <thead class="kern-table__head">
                <tr class="kern-table__row">
                  <th class="kern-table__header" scope="col">
                    {t('video.list.booking')}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {t('video.list.time')}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {t('video.list.person')}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {t('video.list.state')}
                  </th>
                </tr>
              </thead>
              <tbody class="kern-table__body">
                {calls.map(c => (
                  <tr class="kern-table__row">
                    <td class="kern-table__cell">
                      {c.booking.status === 'cancelled' ? (
                        <span safe>{c.booking.reference}</span>
                      ) : (
                        <a class="kern-link" href={`/backoffice/video/${c.booking.id}`} safe>
                          {c.booking.reference}
                        </a>
                      )}
                    </td>
                    <td class="kern-table__cell" safe>
                      {formatTime(c.booking.starts_at, ctx.locale)}
                    </td>
                    <td class="kern-table__cell" safe>
                      {c.booking.person_name ?? '–'}
                    </td>
                    <td class="kern-table__cell">{t(`video.state.${stateKey(c.call, c.booking)}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p class="kern-body">
          <a class="kern-link" href="/backoffice/video">
            {t('video.list.refresh')}
          </a>
        </p>
      </div>
    </Layout>
  )
}

export interface StaffCallData extends CallPageData {
  call: VideoCallRow | undefined
  linkedCase: { id: string; reference: string } | undefined
}

/** The caseworker's side of a call: admit, the call, link a case, confirm the identity, hang up. */
export function StaffCallPage({
  ctx,
  data,
  caseError,
  typedReference,
}: {
  ctx: PageContext
  data: StaffCallData
  caseError?: string
  typedReference?: string
}) {
  const { t } = ctx
  const { booking } = data.found
  const base = `/backoffice/video/${booking.id}`
  const state = data.state
  return (
    <Layout ctx={ctx} title={t.text('video.staff.title', { reference: booking.reference })} area="backoffice">
      <div class="stack">
        <BackLink href="/backoffice/video" label={t.text('video.staff.back')} />
        <h1 class="kern-heading-large">{t('video.staff.title', { reference: booking.reference })}</h1>
        <BookingDetails ctx={ctx} found={data.found} office={data.office} />
        <dl class="kern-description-list">
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{t('video.staff.person')}</dt>
            <dd class="kern-description-list-item__value" safe>
              {[booking.person_name, booking.person_email, booking.person_phone].filter(Boolean).join(', ') || '–'}
            </dd>
          </div>
        </dl>
        <noscript>
          <Alert kind="info" title={t.text('video.noscript.staffTitle')}>
            <p class="kern-body">{t('video.noscript.staffText')}</p>
          </Alert>
        </noscript>
        <p
          class="kern-body"
          id="video-server-state"
          data-label-waiting={t.text('video.state.waiting')}
          data-label-admitted={t.text('video.state.admitted')}
          data-label-ended={t.text('video.state.ended')}
        >
          {t(`video.state.${stateKey(data.call, booking)}`)}
        </p>
        <form
          method="post"
          action={`${base}/admit`}
          data-video-form="admit"
          id="video-admit"
          hidden={state.state === 'admitted'}
        >
          <CsrfField ctx={ctx} />
          <SubmitButton label={t.text('video.staff.admit')} />
        </form>
        <CallStage
          ctx={ctx}
          side="staff"
          data={data}
          urls={{ events: `${base}/events`, signal: `${base}/signal`, end: `${base}/end` }}
        />
        <section class="stack" aria-labelledby="video-case-title">
          <h2 class="kern-heading-medium" id="video-case-title">
            {t('video.staff.caseTitle')}
          </h2>
          {data.linkedCase ? (
            <p class="kern-body">
              {t('video.staff.caseLinked')}{' '}
              <a class="kern-link" href={`/backoffice/cases/${data.linkedCase.id}`} safe>
                {data.linkedCase.reference}
              </a>
            </p>
          ) : (
            <p class="kern-body">{t('video.staff.noCase')}</p>
          )}
          <form method="post" action={`${base}/case`} class="stack" data-video-form="case">
            <CsrfField ctx={ctx} />
            <TextInput
              id="video-case-reference"
              name="reference"
              label={t.text('video.staff.caseReference')}
              hint={t.text('video.staff.caseReferenceHint')}
              value={typedReference ?? ''}
              error={caseError}
            />
            <SubmitButton label={t.text('video.staff.linkCase')} variant="secondary" />
          </form>
        </section>
        <section class="stack" aria-labelledby="video-identity-title">
          <h2 class="kern-heading-medium" id="video-identity-title">
            {t('video.staff.identityTitle')}
          </h2>
          {state.identityChecked ? (
            <p class="kern-body">{t('video.staff.identityDone')}</p>
          ) : (
            <>
              <p class="kern-body">{t('video.staff.identityHint')}</p>
              <form method="post" action={`${base}/identity`} data-video-form="identity">
                <CsrfField ctx={ctx} />
                <SubmitButton label={t.text('video.staff.identityConfirm')} variant="secondary" />
              </form>
            </>
          )}
        </section>
      </div>
      <script type="module" src="/assets/video-call.js"></script>
    </Layout>
  )
}
