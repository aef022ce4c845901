import type { PageContext } from '../../../platform/views/page-context.js'
import { Layout } from '../../../platform/views/layout.js'
import { Alert, CsrfField, DescriptionItem, SubmitButton } from '../../../platform/views/components.js'
import { formatDateTime } from '../../../platform/i18n/i18n.js'
import type { Office } from '../../catalogue/index.js'
import type { VideoBooking } from '../video.access.js'
import type { IceServer } from '../video.ice.js'
import type { callState } from '../video.service.js'

export interface CallPageData {
  found: VideoBooking
  state: ReturnType<typeof callState>
  iceServers: IceServer[]
  window: { from: Date; until: Date }
  now: Date
  office: Office | undefined
}

/** Texts the script says in the status region and on its buttons, in the page's language. */
const SCRIPT_TEXTS = [
  'waiting',
  'admitted',
  'connecting',
  'connected',
  'failed',
  'ended',
  'endedByOther',
  'noCamera',
  'noMedia',
  'muted',
  'unmuted',
  'cameraOff',
  'cameraOn',
  'mute',
  'unmute',
  'cameraStop',
  'cameraStart',
  'share',
  'shareStop',
  'sharing',
  'shareEnded',
  'chatYou',
  'chatOther',
  'chatSent',
  'personWaiting',
  'documentFiled',
  'identityChecked',
  'caseLinked',
  'error',
  'reconnecting',
] as const

function scriptTexts(ctx: PageContext, side: 'person' | 'staff') {
  return Object.fromEntries(SCRIPT_TEXTS.map(key => [`data-text-${key}`, ctx.t.text(`video.script.${side}.${key}`)]))
}

/** The video, the controls and the chat; revealed by public/video-call.js, which alone can run a call. */
export function CallStage({
  ctx,
  side,
  data,
  urls,
  token,
}: {
  ctx: PageContext
  side: 'person' | 'staff'
  data: CallPageData
  urls: { events: string; signal: string; join?: string; end: string }
  token?: string
}) {
  const { t } = ctx
  return (
    <section
      id="video-call"
      class="stack video-call"
      aria-labelledby="video-call-title"
      hidden
      data-side={side}
      data-events={urls.events}
      data-signal={urls.signal}
      data-join={urls.join}
      data-token={token}
      data-csrf={ctx.csrfToken}
      data-ice={JSON.stringify(data.iceServers)}
      data-state={data.state.state}
      data-waiting={data.state.waiting ? 'yes' : 'no'}
      {...scriptTexts(ctx, side)}
    >
      <h2 class="kern-heading-medium" id="video-call-title">
        {t('video.call.title')}
      </h2>
      <div id="video-status" class="kern-body video-status" role="status" aria-live="polite"></div>
      <div class="video-stage">
        <figure class="video-remote">
          <video id="video-remote" autoplay {...{ playsinline: true }}></video>
          <figcaption class="kern-body">{t(`video.call.remoteCaption.${side}`)}</figcaption>
        </figure>
        <figure class="video-local">
          <video id="video-local" autoplay {...{ playsinline: true }} muted></video>
          <figcaption class="kern-body">{t('video.call.localCaption')}</figcaption>
        </figure>
      </div>
      <div class="form-actions" role="group" aria-label={t.text('video.call.controls')}>
        <button type="button" class="kern-btn kern-btn--secondary" id="video-mute" aria-pressed="false">
          <span class="kern-label" safe>
            {t.text(`video.script.${side}.mute`)}
          </span>
        </button>
        <button type="button" class="kern-btn kern-btn--secondary" id="video-camera" aria-pressed="false">
          <span class="kern-label" safe>
            {t.text(`video.script.${side}.cameraStop`)}
          </span>
        </button>
        <button type="button" class="kern-btn kern-btn--secondary" id="video-share" aria-pressed="false" hidden>
          <span class="kern-label" safe>
            {t.text(`video.script.${side}.share`)}
          </span>
        </button>
        <form method="post" action={urls.end} data-video-form="end">
          <CsrfField ctx={ctx} />
          {token ? <input type="hidden" name="k" value={token} /> : ''}
          <button type="submit" class="kern-btn kern-btn--primary" id="video-hangup">
            <span class="kern-label">{t('video.call.hangUp')}</span>
          </button>
        </form>
      </div>
      <section class="stack" aria-labelledby="video-chat-title">
        <h3 class="kern-heading-small" id="video-chat-title">
          {t('video.chat.title')}
        </h3>
        <p class="kern-body">{t('video.chat.hint')}</p>
        <div
          id="video-chat-log"
          class="video-chat-log"
          role="log"
          aria-live="polite"
          aria-labelledby="video-chat-title"
        ></div>
        <form id="video-chat-form" class="stack" novalidate>
          <div class="kern-form-input">
            <label class="kern-label" for="video-chat-input">
              {t('video.chat.label')}
            </label>
            <input
              class="kern-form-input__input"
              id="video-chat-input"
              name="text"
              maxlength="1000"
              autocomplete="off"
            />
          </div>
          <SubmitButton label={t.text('video.chat.send')} variant="secondary" />
        </form>
      </section>
    </section>
  )
}

/** Without JavaScript: what the call needs, and how to reach the office instead. Inside <noscript>, so scripts never hide it. */
function NeedsScript({ ctx, office }: { ctx: PageContext; office: Office | undefined }) {
  const { t } = ctx
  return (
    <noscript>
      <Alert kind="info" title={t.text('video.noscript.title')}>
        <p class="kern-body">{t('video.noscript.text')}</p>
        {office?.phone ? <p class="kern-body">{t('video.noscript.phone', { phone: office.phone })}</p> : ''}
      </Alert>
    </noscript>
  )
}

export function BookingDetails({ ctx, found, office }: { ctx: PageContext; found: VideoBooking; office?: Office }) {
  const { t } = ctx
  const { booking, resource } = found
  const concern = resource.concerns?.find(c => c.id === booking.concern)
  return (
    <dl class="kern-description-list">
      <DescriptionItem label={t.text('video.details.when')} text={formatDateTime(booking.starts_at, ctx.locale)} />
      <DescriptionItem label={t.text('video.details.where')} text={resource.name[ctx.locale]} />
      {concern ? <DescriptionItem label={t.text('video.details.concern')} text={concern.name[ctx.locale]} /> : ''}
      {office ? <DescriptionItem label={t.text('video.details.office')} text={office.name[ctx.locale]} /> : ''}
      <DescriptionItem label={t.text('video.details.reference')} text={booking.reference} />
    </dl>
  )
}

/** The person's page of a video appointment: details, the waiting room and call, sending a document. */
export function PersonCallPage({
  ctx,
  data,
  token,
  uploadError,
  filed,
}: {
  ctx: PageContext
  data: CallPageData
  token?: string
  uploadError?: string
  filed?: string
}) {
  const { t } = ctx
  const { booking } = data.found
  const base = `/video/${booking.id}`
  const k = token ? `?k=${encodeURIComponent(token)}` : ''
  const cancelled = booking.status === 'cancelled' || booking.status === 'no_show'
  const tooEarly = data.now < data.window.from
  const over = cancelled || data.now > data.window.until
  return (
    <Layout ctx={ctx} title={t.text('video.person.title')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('video.person.title')}</h1>
        <BookingDetails ctx={ctx} found={data.found} office={data.office} />
        <NeedsScript ctx={ctx} office={data.office} />
        {over ? (
          <Alert kind="warning" title={t.text(cancelled ? 'video.person.cancelled' : 'video.person.over')} />
        ) : tooEarly ? (
          <Alert kind="info" title={t.text('video.person.tooEarly')}>
            <p class="kern-body">
              {t('video.person.opensAt', { time: formatDateTime(data.window.from, ctx.locale) })}{' '}
              <a class="kern-link" href={`${base}${k}`}>
                {t('video.person.reload')}
              </a>
            </p>
          </Alert>
        ) : (
          <>
            <p class="kern-body">{t('video.person.intro')}</p>
            <CallStage
              ctx={ctx}
              side="person"
              data={data}
              token={token}
              urls={{
                events: `${base}/events${k}`,
                signal: `${base}/signal`,
                join: `${base}/join`,
                end: `${base}/leave`,
              }}
            />
            <section class="stack" aria-labelledby="video-upload-title" id="video-upload">
              <h2 class="kern-heading-medium" id="video-upload-title">
                {t('video.upload.title')}
              </h2>
              <p class="kern-body">{t('video.upload.hint')}</p>
              {filed ? <Alert kind="success" title={t.text('video.upload.filed', { filename: filed })} /> : ''}
              <form
                method="post"
                action={`${base}/documents`}
                enctype="multipart/form-data"
                class="stack"
                data-video-form="document"
              >
                <CsrfField ctx={ctx} />
                {token ? <input type="hidden" name="k" value={token} /> : ''}
                <div class={`kern-form-input${uploadError ? ' kern-form-input--error' : ''}`}>
                  <label class="kern-label" for="video-document">
                    {t('video.upload.label')}
                  </label>
                  <div class="kern-hint" id="video-document-hint">
                    {t('video.upload.types')}
                  </div>
                  {uploadError ? (
                    <p class="kern-error" id="video-document-error" data-upload-error role="alert" safe>
                      {uploadError}
                    </p>
                  ) : (
                    ''
                  )}
                  <input
                    class="kern-form-input__input"
                    type="file"
                    id="video-document"
                    name="document"
                    accept="application/pdf,image/jpeg,image/png"
                    aria-describedby={uploadError ? 'video-document-hint video-document-error' : 'video-document-hint'}
                  />
                </div>
                <SubmitButton label={t.text('video.upload.submit')} variant="secondary" />
              </form>
            </section>
          </>
        )}
      </div>
      <script type="module" src="/assets/video-call.js"></script>
    </Layout>
  )
}
