import type { CaseEventDescriber } from '../cases/index.js'

/** How the timeline words a call's entries: that it happened, how long, the identity step, a document sent. */
export const videoEvents: CaseEventDescriber = {
  kinds: ['video_call_started', 'video_call_ended', 'video_identity_checked', 'video_document_filed'],
  describe: (event, t) => {
    const data = event.data
    const booking = typeof data.booking === 'string' ? data.booking : ''
    switch (event.kind) {
      case 'video_call_started':
        return t('video.timeline.started', { booking, name: event.actorStaffName ?? '' })
      case 'video_call_ended':
        return t('video.timeline.ended', { booking, minutes: typeof data.minutes === 'number' ? data.minutes : 0 })
      case 'video_identity_checked':
        return t('video.timeline.identity', { booking, name: event.actorStaffName ?? '' })
      default:
        return t('video.timeline.document', {
          booking,
          filename: typeof data.filename === 'string' ? data.filename : '',
        })
    }
  },
}
