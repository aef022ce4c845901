// Warns before a signed-in session ends for idleness and offers to stay signed in, without leaving the page, so
// nothing typed is lost (docs/security.md, "Sessions"). The dialog and its texts come with the page.
;(() => {
  const dialog = document.getElementById('session-expiry')
  if (!dialog || typeof dialog.showModal !== 'function') return
  const form = dialog.querySelector('form[action]')
  const text = document.getElementById('session-expiry-text')
  const button = document.getElementById('session-expiry-stay')
  const idleMs = Number(dialog.dataset.idleSeconds) * 1000
  const warnMs = Number(dialog.dataset.warnSeconds) * 1000
  let endsAt = Date.now() + Number(dialog.dataset.endsInSeconds) * 1000
  let timer

  const expire = () => {
    text.textContent = dialog.dataset.expiredText
    button.hidden = true
    if (!dialog.open) dialog.showModal()
  }
  const warn = () => {
    if (!dialog.open) dialog.showModal()
    timer = setTimeout(expire, Math.max(0, endsAt - Date.now()))
  }
  const schedule = () => {
    clearTimeout(timer)
    timer = setTimeout(warn, Math.max(0, endsAt - warnMs - Date.now()))
  }

  form.addEventListener('submit', async event => {
    event.preventDefault()
    const response = await fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      credentials: 'same-origin',
    }).catch(() => undefined)
    if (!response || !response.ok) return expire()
    endsAt = Date.now() + idleMs
    dialog.close()
    schedule()
  })
  schedule()
})()
