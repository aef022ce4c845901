import type { RetentionSweep } from '../../platform/privacy/index.js'
import { deleteSignalsBefore } from './video.queries.js'

/** A signalling message left behind by a call that never ended properly is gone after a day at the latest. */
export const videoSignalRetention: RetentionSweep = {
  id: 'video-signals',
  async sweep(db, now) {
    const count = await deleteSignalsBefore(db, new Date(now.getTime() - 86_400_000))
    return [{ subjectType: 'video_signal', outcome: 'deleted', count }]
  },
}
