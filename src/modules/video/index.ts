// The virtual citizen office (M11): video consultations at a booking of a video desk, over WebRTC with the platform
// as the signalling server (docs/video.md). What other modules and the composition root may call.
export { videoRoutes, videoBackofficeRoutes } from './video.routes.js'
export { videoEvents } from './video.case.js'
export { videoSignalRetention } from './video.retention.js'

/**
 * Where the booking's person joins the call: with the manage link's secret (shown once, when the booking is made)
 * anyone holding the link may join; without it, the account that booked, signed in.
 */
export function videoJoinUrl(baseUrl: string, bookingId: string, manageToken?: string): string {
  const url = `${baseUrl.replace(/\/$/, '')}/video/${bookingId}`
  return manageToken ? `${url}?k=${encodeURIComponent(manageToken)}` : url
}
