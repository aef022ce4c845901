import crypto from 'node:crypto'
import type { Config } from '../../platform/config.js'

/** What RTCPeerConnection takes as iceServers. */
export interface IceServer {
  urls: string[]
  username?: string
  credential?: string
}

// A TURN credential lasts the length of a consultation and some; the page asks anew when it is loaded again.
const TURN_CREDENTIAL_SECONDS = 4 * 60 * 60

/**
 * The STUN and TURN servers a call's browsers use (VIDEO_ICE_SERVERS). TURN servers get short-lived credentials
 * made with VIDEO_TURN_SECRET, the shared secret of coturn's `use-auth-secret` (TURN REST API): the user name is
 * the expiry time and a label, the password its HMAC-SHA1, so no lasting password is ever sent to a browser.
 */
export function iceServersFor(config: Config, label: string, now: Date): IceServer[] {
  const stun = config.videoIceServers.filter(url => url.startsWith('stun:'))
  const turn = config.videoIceServers.filter(url => !url.startsWith('stun:'))
  const servers: IceServer[] = []
  if (stun.length) servers.push({ urls: stun })
  if (turn.length && config.videoTurnSecret) {
    const username = `${Math.floor(now.getTime() / 1000) + TURN_CREDENTIAL_SECONDS}:${label}`
    const credential = crypto.createHmac('sha1', config.videoTurnSecret).update(username).digest('base64')
    servers.push({ urls: turn, username, credential })
  }
  return servers
}
