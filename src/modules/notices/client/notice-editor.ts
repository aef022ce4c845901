/**
 * Co-editing of a notice draft in the browser (progressive enhancement of the plain form):
 * the textarea is bound to the Y.Text of the draft's Yjs document. Local input becomes the smallest
 * Y.Text edit and is posted as a Yjs update; the server's event stream says when others changed the
 * draft, and their updates are applied keeping the caret in place (Y.RelativePosition). Who else has
 * the draft open is shown from short-lived presence events. Bundled by esbuild at start of the server.
 */
import * as Y from 'yjs'
import { textEdit } from '../notices.diff.js'

const TEXT_NAME = 'body'
const HEARTBEAT_MS = 10_000
const PRESENCE_TTL_MS = 30_000
const SEND_DELAY_MS = 150
/** Screen readers hear about someone else's typing at most this often per person. */
const ANNOUNCE_EVERY_MS = 20_000

interface Person {
  name: string
  office: { de: string; en: string } | null
  colour: string
  caret: number | null
  seenAt: number
}
interface UpdateEvent {
  updateId: number
  previousId: number
  version: number
  staffId: string
  update?: string
}
interface UpdatesPage {
  updates: { id: number; update: string; staffId: string | null }[]
  lastId: number
  version: number
  status: string
  more: boolean
}

const root = document.querySelector<HTMLElement>('[data-notice-editor]')
if (root) startEditor(root)

function fromBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => (name in params ? String(params[name]) : all))
}

function startEditor(root: HTMLElement) {
  const data = root.dataset
  const base = data.base!
  const csrf = data.csrf!
  const me = data.staffId!
  const locale = data.officeLocale === 'en' ? 'en' : 'de'
  const text = (key: string) => data[key] ?? ''
  const textarea = root.querySelector<HTMLTextAreaElement>('textarea')!
  const form = root.querySelector<HTMLFormElement>('#notice-form')!
  const status = root.querySelector<HTMLElement>('#notice-sync-status')!
  const announcer = root.querySelector<HTMLElement>('#notice-announcer')!
  const presenceBox = root.querySelector<HTMLElement>('#notice-presence')!
  const presenceNames = root.querySelector<HTMLElement>('#notice-presence-names')!
  const signForm = document.querySelector<HTMLFormElement>('#notice-sign-form')

  const doc = new Y.Doc()
  Y.applyUpdate(doc, fromBase64(data.state!), 'server')
  const ytext = doc.getText(TEXT_NAME)
  // The server's text wins over whatever the browser restored into the field.
  textarea.value = ytext.toString()
  let lastId = Number(data.lastUpdateId)
  let closed = false

  const setVersion = (version: number) => {
    for (const input of document.querySelectorAll<HTMLInputElement>('input[name="version"]'))
      input.value = String(version)
  }
  const showStatus = (message: string) => {
    status.hidden = false
    status.textContent = message
  }
  const announce = (message: string) => {
    // Cleared first, so the same sentence twice is read twice.
    announcer.textContent = ''
    window.setTimeout(() => {
      announcer.textContent = message
    }, 50)
  }

  // ---- local edits → Y.Text → server
  let composing = false
  textarea.addEventListener('compositionstart', () => {
    composing = true
  })
  textarea.addEventListener('compositionend', () => {
    composing = false
    takeInput()
    applyQueued()
  })
  textarea.addEventListener('input', () => {
    if (!composing) takeInput()
  })

  function takeInput() {
    if (closed) return
    const edit = textEdit(ytext.toString(), textarea.value, textarea.selectionEnd)
    if (!edit.remove && !edit.insert) return
    doc.transact(() => {
      if (edit.remove) ytext.delete(edit.index, edit.remove)
      if (edit.insert) ytext.insert(edit.index, edit.insert)
    }, 'local')
  }

  const pending: Uint8Array[] = []
  let sendTimer = 0
  let retryDelay = 1000
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'local') return
    pending.push(update)
    showStatus(text('textSaving'))
    window.clearTimeout(sendTimer)
    sendTimer = window.setTimeout(() => {
      void flush()
    }, SEND_DELAY_MS)
  })

  /** Sends what was typed; one request at a time, typing meanwhile goes with the next one. */
  let flushing: Promise<void> | null = null
  function flush(): Promise<void> {
    flushing ??= sendPending().finally(() => {
      flushing = null
    })
    return flushing
  }

  async function sendPending(): Promise<void> {
    while (pending.length && !closed) {
      const update = Y.mergeUpdates(pending.splice(0))
      let res: Response
      try {
        res = await fetch(`${base}/updates`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ _csrf: csrf, update: toBase64(update) }),
        })
        if (res.status >= 500) throw new Error(`status ${res.status}`)
      } catch {
        // Offline or the server is restarting: keep the change and try again, later each time.
        pending.unshift(update)
        showStatus(text('textOffline'))
        window.setTimeout(() => {
          void flush()
        }, retryDelay)
        retryDelay = Math.min(retryDelay * 2, 30_000)
        return
      }
      retryDelay = 1000
      if (res.status === 409) {
        close()
        return
      }
      if (!res.ok) {
        showStatus(text('textRefused'))
        announce(text('textRefused'))
        continue
      }
      const stored = (await res.json()) as { updateId: number; version: number }
      // The event stream brings the update back; if it is slow or broken, fetch it.
      window.setTimeout(() => {
        if (lastId < stored.updateId) void catchUp()
      }, 1500)
    }
    if (!pending.length && !closed) showStatus(text('textSaved'))
  }

  // ---- server → Y.Text → textarea
  const queued: { update: Uint8Array; staffId: string | null }[] = []

  function applyRemote(updates: { update: Uint8Array; staffId: string | null }[]) {
    queued.push(...updates)
    if (!composing) applyQueued()
  }

  function applyQueued() {
    if (!queued.length) return
    const focused = document.activeElement === textarea
    const start = Y.createRelativePositionFromTypeIndex(ytext, textarea.selectionStart)
    const end = Y.createRelativePositionFromTypeIndex(ytext, textarea.selectionEnd)
    const scrollTop = textarea.scrollTop
    const before = ytext.toString()
    const authors = new Set<string>()
    for (const { update, staffId } of queued.splice(0)) {
      Y.applyUpdate(doc, update, 'remote')
      if (staffId && staffId !== me) authors.add(staffId)
    }
    const after = ytext.toString()
    if (after === before) return
    textarea.value = after
    const startIndex = Y.createAbsolutePositionFromRelativePosition(start, doc)?.index ?? 0
    const endIndex = Y.createAbsolutePositionFromRelativePosition(end, doc)?.index ?? startIndex
    if (focused) textarea.setSelectionRange(startIndex, endIndex)
    textarea.scrollTop = scrollTop
    for (const staffId of authors) announceEdit(staffId)
  }

  /** Fetches what others changed since the last update seen; calls while one runs share the next run. */
  let running: Promise<void> | null = null
  let next: Promise<void> | null = null
  function catchUp(): Promise<void> {
    if (!running) {
      running = fetchUpdates().finally(() => {
        running = null
      })
      return running
    }
    next ??= running.then(() => {
      next = null
      return catchUp()
    })
    return next
  }

  async function fetchUpdates(): Promise<void> {
    try {
      for (;;) {
        const res = await fetch(`${base}/updates?after=${lastId}`, {
          credentials: 'same-origin',
          headers: { accept: 'application/json' },
        })
        if (!res.ok) return
        const page = (await res.json()) as UpdatesPage
        applyRemote(page.updates.map(u => ({ update: fromBase64(u.update), staffId: u.staffId })))
        lastId = Math.max(lastId, page.lastId)
        if (page.status !== 'draft') {
          close()
          return
        }
        if (!page.more) {
          setVersion(page.version)
          return
        }
      }
    } catch {
      // The stream's reconnect brings a "ready", which fetches again.
    }
  }

  // ---- presence
  const people = new Map<string, Person>()
  const lastAnnounced = new Map<string, number>()
  const nameOf = (staffId: string) => {
    const p = people.get(staffId)
    return p ? p.name : text('textSomeone')
  }
  function announceEdit(staffId: string) {
    const now = Date.now()
    if (now - (lastAnnounced.get(staffId) ?? 0) < ANNOUNCE_EVERY_MS) return
    lastAnnounced.set(staffId, now)
    announce(fill(text('textEdited'), { name: nameOf(staffId) }))
  }

  function lineOf(caret: number): number {
    return ytext.toString().slice(0, caret).split('\n').length
  }

  function renderPresence() {
    presenceBox.hidden = false
    presenceNames.textContent = ''
    const others = [...people.entries()]
    if (!others.length) {
      presenceNames.textContent = text('textNobody')
      return
    }
    others.forEach(([, p], i) => {
      if (i > 0) presenceNames.append(', ')
      const item = document.createElement('span')
      item.className = 'notice-person'
      item.style.borderBottomColor = p.colour
      const office = p.office ? ` (${p.office[locale]})` : ''
      const line = p.caret !== null ? ` – ${fill(text('textLine'), { line: lineOf(p.caret) })}` : ''
      item.textContent = `${p.name}${office}${line}`
      presenceNames.append(item)
    })
  }

  async function sendPresence(state: 'here' | 'left', joined = false) {
    const body = JSON.stringify({
      _csrf: csrf,
      state,
      joined,
      caret: document.activeElement === textarea ? textarea.selectionStart : null,
    })
    try {
      await fetch(`${base}/presence`, {
        method: 'POST',
        credentials: 'same-origin',
        keepalive: state === 'left',
        headers: { 'content-type': 'application/json' },
        body,
      })
    } catch {
      // Presence is a courtesy; the next heartbeat tries again.
    }
  }

  let caretTimer = 0
  const caretMoved = () => {
    window.clearTimeout(caretTimer)
    caretTimer = window.setTimeout(() => {
      void sendPresence('here')
    }, 1000)
  }
  textarea.addEventListener('keyup', caretMoved)
  textarea.addEventListener('click', caretMoved)
  textarea.addEventListener('focus', caretMoved)

  function onPresence(event: {
    staffId: string
    name: string
    office: Person['office']
    colour: string
    state: string
    caret: number | null
    joined: boolean
  }) {
    if (event.staffId === me) return
    const known = people.has(event.staffId)
    if (event.state === 'left') {
      if (known) {
        people.delete(event.staffId)
        announce(fill(text('textLeft'), { name: event.name }))
      }
    } else {
      people.set(event.staffId, {
        name: event.name,
        office: event.office,
        colour: event.colour,
        caret: typeof event.caret === 'number' ? event.caret : null,
        seenAt: Date.now(),
      })
      if (!known) announce(fill(text('textJoined'), { name: event.name }))
      // A newcomer does not know who is here yet: answer soon, spread out so not everyone answers at once.
      if (event.joined)
        window.setTimeout(
          () => {
            void sendPresence('here')
          },
          200 + Math.random() * 800,
        )
    }
    renderPresence()
  }

  window.setInterval(() => {
    const now = Date.now()
    let changed = false
    for (const [id, p] of people)
      if (now - p.seenAt > PRESENCE_TTL_MS) {
        people.delete(id)
        changed = true
      }
    if (changed) renderPresence()
  }, 5000)
  window.setInterval(() => {
    if (!closed) void sendPresence('here')
  }, HEARTBEAT_MS)
  window.addEventListener('pagehide', () => {
    void sendPresence('left')
  })

  // ---- the event stream
  const source = new EventSource(`${base}/live`)
  source.addEventListener('ready', () => {
    void catchUp()
  })
  source.addEventListener('resync', () => {
    void catchUp()
  })
  source.addEventListener('update', e => {
    const event = (JSON.parse((e as MessageEvent<string>).data) as { data: UpdateEvent }).data
    if (event.updateId <= lastId) return
    if (event.update && event.previousId === lastId) {
      applyRemote([{ update: fromBase64(event.update), staffId: event.staffId }])
      lastId = event.updateId
      if (!pending.length && !flushing) setVersion(event.version)
    } else {
      void catchUp()
    }
  })
  source.addEventListener('presence', e => {
    onPresence((JSON.parse((e as MessageEvent<string>).data) as { data: Parameters<typeof onPresence>[0] }).data)
  })
  source.addEventListener('closed', () => close())

  /** Signed or discarded by someone: nothing more can be typed; the page shows the result. */
  function close() {
    if (closed) return
    closed = true
    textarea.readOnly = true
    showStatus(text('textClosed'))
    announce(text('textClosed'))
    source.close()
    window.setTimeout(() => {
      window.location.reload()
    }, 1500)
  }

  // ---- the forms: with the script, saving happens as one types; "save" and "sign" first send what is left.
  form.addEventListener('submit', e => {
    e.preventDefault()
    void flush()
      .then(() => catchUp())
      .then(() => {
        if (!closed) {
          showStatus(text('textSaved'))
          announce(text('textSaved'))
        }
      })
  })
  signForm?.addEventListener('submit', e => {
    e.preventDefault()
    void flush()
      .then(() => catchUp())
      .then(() => {
        if (!closed) signForm.submit()
      })
  })

  renderPresence()
  void sendPresence('here', true)
}
