// The video consultation (docs/video.md): WebRTC between the person's and the caseworker's browser, with the platform
// as the signalling server. Messages (offer, answer, ICE candidates, chat) are POSTed and arrive at the other side as
// server-sent events. The caseworker's browser offers; the person's answers. Nothing is recorded. Without this script
// the page shows the appointment and what to do instead (<noscript>); the script only reveals and enhances.
const root = document.getElementById('video-call')
if (root && window.RTCPeerConnection && window.EventSource && window.fetch && navigator.mediaDevices) start(root)

function start(root) {
  const side = root.dataset.side
  const text = key => root.getAttribute(`data-text-${key}`) || ''
  const status = document.getElementById('video-status')
  const localVideo = document.getElementById('video-local')
  const remoteVideo = document.getElementById('video-remote')
  const muteButton = document.getElementById('video-mute')
  const cameraButton = document.getElementById('video-camera')
  const shareButton = document.getElementById('video-share')
  const chatLog = document.getElementById('video-chat-log')
  const chatForm = document.getElementById('video-chat-form')
  const chatInput = document.getElementById('video-chat-input')
  const iceServers = JSON.parse(root.dataset.ice || '[]')
  let pc = null
  let local = new MediaStream()
  let screen = null
  let pending = []
  let ended = false
  let firstReady = true
  let last = { state: root.dataset.state, waiting: root.dataset.waiting === 'yes' }

  root.hidden = false
  const say = message => {
    status.textContent = message
  }

  // One message after the other: the server relays them in the order it received them, so the other side gets the
  // offer before its candidates.
  let outbox = Promise.resolve()
  function post(url, fields) {
    const body = new URLSearchParams(fields)
    body.set('_csrf', root.dataset.csrf)
    if (root.dataset.token) body.set('k', root.dataset.token)
    return fetch(url, { method: 'POST', body, credentials: 'same-origin' }).then(failIfRefused)
  }
  function send(kind, data) {
    outbox = outbox.then(() => post(root.dataset.signal, { kind, data })).catch(showError)
    return outbox
  }

  async function failIfRefused(res) {
    if (res.ok) return res
    const html = await res.text()
    const doc = new DOMParser().parseFromString(html, 'text/html')
    const found = doc.querySelector('[data-upload-error], .kern-error, h1 + p.kern-body')
    throw new Error(found ? found.textContent.trim() : String(res.status))
  }
  function showError(error) {
    say(`${text('error')} ${error.message}`)
  }

  // Camera and microphone, else the microphone alone, else nothing: the chat works either way.
  async function openMedia() {
    try {
      local = await navigator.mediaDevices.getUserMedia({ audio: true, video: true })
    } catch (_e) {
      try {
        local = await navigator.mediaDevices.getUserMedia({ audio: true })
        say(text('noCamera'))
      } catch (_e2) {
        say(text('noMedia'))
      }
    }
    localVideo.srcObject = local
    localVideo.play().catch(() => {})
    muteButton.disabled = local.getAudioTracks().length === 0
    cameraButton.disabled = local.getVideoTracks().length === 0
  }

  const audioTrack = () => local.getAudioTracks()[0] || null
  const videoTrack = () => (screen ? screen.getVideoTracks()[0] : local.getVideoTracks()[0]) || null
  const senderOf = kind =>
    pc?.getTransceivers().find(t => t.receiver.track && t.receiver.track.kind === kind && !t.stopped)?.sender

  function newPeer() {
    if (pc) pc.close()
    pending = []
    pc = new RTCPeerConnection({ iceServers })
    const remote = new MediaStream()
    remoteVideo.srcObject = remote
    pc.ontrack = event => {
      remote.addTrack(event.track)
      root.dataset.remoteTracks = String(remote.getTracks().length)
    }
    pc.onicecandidate = event => {
      if (event.candidate) send('candidate', JSON.stringify(event.candidate.toJSON()))
    }
    const peer = pc
    pc.onconnectionstatechange = () => {
      if (peer !== pc) return
      root.dataset.connection = pc.connectionState
      if (pc.connectionState === 'connected') say(text('connected'))
      if (pc.connectionState === 'failed') say(text('failed'))
    }
    root.dataset.connection = 'new'
    say(text('connecting'))
  }

  async function sendTracks() {
    await senderOf('audio')?.replaceTrack(audioTrack())
    await senderOf('video')?.replaceTrack(videoTrack())
  }

  async function flushCandidates() {
    for (const candidate of pending.splice(0)) await pc.addIceCandidate(candidate).catch(() => {})
  }

  // The caseworker's side offers: audio and video both ways, whatever each side has.
  async function offer() {
    if (ended) return
    newPeer()
    pc.addTransceiver('audio', { direction: 'sendrecv' })
    pc.addTransceiver('video', { direction: 'sendrecv' })
    await sendTracks()
    await pc.setLocalDescription(await pc.createOffer())
    await send('offer', pc.localDescription.sdp)
  }

  async function answer(sdp) {
    newPeer()
    await pc.setRemoteDescription({ type: 'offer', sdp })
    for (const transceiver of pc.getTransceivers()) transceiver.direction = 'sendrecv'
    await sendTracks()
    await pc.setLocalDescription(await pc.createAnswer())
    await send('answer', pc.localDescription.sdp)
    await flushCandidates()
  }

  async function onSignal(message) {
    if (message.kind === 'chat') return addChatLine(text('chatOther'), message.data)
    if (ended) return
    if (message.kind === 'offer' && side === 'person') return answer(message.data)
    if (message.kind === 'answer' && side === 'staff' && pc) {
      await pc.setRemoteDescription({ type: 'answer', sdp: message.data })
      return flushCandidates()
    }
    if (message.kind === 'candidate') {
      const candidate = JSON.parse(message.data)
      if (pc?.remoteDescription) await pc.addIceCandidate(candidate).catch(() => {})
      else pending.push(candidate)
    }
  }

  function onState(next) {
    if (next.state === 'ended') {
      if (!ended) finish(text(next.endedBy && next.endedBy !== side ? 'endedByOther' : 'ended'))
      return
    }
    if (next.document) say(`${text('documentFiled')} ${next.document}`)
    else if (next.identityChecked && !last.identityChecked) say(text('identityChecked'))
    else if (next.caseLinked && !last.caseLinked) say(text('caseLinked'))
    else if (next.state === 'waiting' && next.waiting && !last.waiting)
      say(text(side === 'staff' ? 'personWaiting' : 'waiting'))
    if (side === 'staff' && next.state === 'admitted' && (next.joined || last.state !== 'admitted')) {
      say(text('admitted'))
      offer().catch(showError)
    }
    if (side === 'person' && next.state === 'admitted' && last.state !== 'admitted') say(text('admitted'))
    last = next
    root.dataset.state = next.state
    showState(next)
  }

  // The caseworker's page: the state line and the admit button follow the call.
  function showState(next) {
    const line = document.getElementById('video-server-state')
    const label = line?.getAttribute(`data-label-${next.state}`)
    if (label && (next.state !== 'waiting' || next.waiting)) line.textContent = label
    const admit = document.getElementById('video-admit')
    if (admit) admit.hidden = next.state === 'admitted'
  }

  function finish(message) {
    ended = true
    if (pc) pc.close()
    pc = null
    for (const track of local.getTracks()) track.stop()
    if (screen) for (const track of screen.getTracks()) track.stop()
    remoteVideo.srcObject = null
    root.dataset.connection = 'closed'
    root.dataset.state = 'ended'
    showState({ state: 'ended' })
    say(message)
  }

  function addChatLine(who, line) {
    const item = document.createElement('p')
    item.className = 'kern-body'
    const name = document.createElement('strong')
    name.textContent = `${who}: `
    item.appendChild(name)
    item.appendChild(document.createTextNode(line))
    chatLog.appendChild(item)
  }

  function toggle(button, tracks, on, off, labelOn, labelOff) {
    const pressed = button.getAttribute('aria-pressed') !== 'true'
    for (const track of tracks()) track.enabled = !pressed
    button.setAttribute('aria-pressed', String(pressed))
    button.querySelector('.kern-label').textContent = pressed ? labelOn : labelOff
    say(pressed ? off : on)
  }
  muteButton.addEventListener('click', () =>
    toggle(muteButton, () => local.getAudioTracks(), text('unmuted'), text('muted'), text('unmute'), text('mute')),
  )
  cameraButton.addEventListener('click', () =>
    toggle(
      cameraButton,
      () => local.getVideoTracks(),
      text('cameraOn'),
      text('cameraOff'),
      text('cameraStart'),
      text('cameraStop'),
    ),
  )

  // Screen sharing replaces the camera's picture in the running call; the button shows only where the browser can.
  async function stopSharing() {
    if (!screen) return
    for (const track of screen.getTracks()) track.stop()
    screen = null
    localVideo.srcObject = local
    await senderOf('video')?.replaceTrack(videoTrack())
    shareButton.setAttribute('aria-pressed', 'false')
    shareButton.querySelector('.kern-label').textContent = text('share')
    say(text('shareEnded'))
  }
  if (navigator.mediaDevices.getDisplayMedia) {
    shareButton.hidden = false
    shareButton.addEventListener('click', async () => {
      if (screen) return stopSharing()
      try {
        screen = await navigator.mediaDevices.getDisplayMedia({ video: true })
      } catch (_e) {
        return
      }
      screen.getVideoTracks()[0].addEventListener('ended', stopSharing)
      localVideo.srcObject = screen
      await senderOf('video')?.replaceTrack(videoTrack())
      shareButton.setAttribute('aria-pressed', 'true')
      shareButton.querySelector('.kern-label').textContent = text('shareStop')
      say(text('sharing'))
    })
  }

  chatForm.addEventListener('submit', event => {
    event.preventDefault()
    const line = chatInput.value.trim()
    if (!line) return
    post(root.dataset.signal, { kind: 'chat', data: line })
      .then(() => {
        addChatLine(text('chatYou'), line)
        chatInput.value = ''
      })
      .catch(showError)
  })

  // The page's forms (admit, hang up, link a case, identity, a document) are sent without leaving the call.
  for (const form of document.querySelectorAll('form[data-video-form]')) {
    form.addEventListener('submit', event => {
      event.preventDefault()
      const what = form.dataset.videoForm
      fetch(form.action, { method: 'POST', body: new FormData(form), credentials: 'same-origin' })
        .then(failIfRefused)
        .then(() => {
          if (what === 'end') finish(text('ended'))
          if (what === 'document') form.reset()
        })
        .catch(showError)
    })
  }

  // The camera first, so the first offer or answer carries it; then the call's events.
  function connect() {
    const events = new EventSource(root.dataset.events)
    events.addEventListener('ready', () => {
      root.dataset.stream = 'ready'
      if (!firstReady) return
      firstReady = false
      if (side === 'person') {
        post(root.dataset.join, {})
          .then(() => {
            if (last.state !== 'admitted') say(text('waiting'))
          })
          .catch(showError)
      } else if (last.state === 'admitted') offer().catch(showError)
      else if (last.waiting) say(text('personWaiting'))
      else say(text('waiting'))
    })
    events.addEventListener('state', event => onState(JSON.parse(event.data).data || {}))
    // Handled one after the other, as they were sent: an answer is set before the candidates that follow it.
    let inbox = Promise.resolve()
    events.addEventListener('signal', event => {
      const message = JSON.parse(event.data).data || {}
      inbox = inbox.then(() => onSignal(message)).catch(showError)
    })
    events.addEventListener('error', () => {
      root.dataset.stream = 'reconnecting'
    })
    window.addEventListener('pagehide', () => events.close())
  }

  openMedia().then(connect)
}
