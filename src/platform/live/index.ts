// Live updates between app processes and browsers: NOTIFY/LISTEN on the database, server-sent events to the page.
export { announceSessionEnded, announceStaffAccessChanged, LiveHub, publishLive, type LiveEvent } from './live.js'
