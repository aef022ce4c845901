// Progressive enhancement: keeps a case (or the list of involvements) current while it is open. The server sends
// "changed" over server-sent events; the page fetches itself again and swaps the regions marked
// data-live-region, except one holding the focus or a form with unsaved input: that stays as the person left it,
// and a notice offers a reload. Without JavaScript the page works as before; its forms carry the version they
// were rendered from, and the server refuses a stale one with a clear conflict page.
;(function () {
  var root = document.querySelector('[data-live-src]')
  if (!root || !window.EventSource || !window.fetch || !window.DOMParser) return
  var status = document.getElementById('live-status')
  var pageUrl = root.getAttribute('data-live-page') || location.pathname
  var version = Number(root.getAttribute('data-live-version') || 0)
  var busy = false
  var pending = null
  var source = null

  function text(name, by) {
    return (root.getAttribute('data-live-text-' + name) || '').replace('{by}', by || '')
  }

  function announce(message, withReload) {
    if (!status) return
    status.textContent = ''
    var p = document.createElement('p')
    p.className = 'kern-body'
    p.textContent = message
    if (withReload) {
      p.appendChild(document.createTextNode(' '))
      var a = document.createElement('a')
      a.className = 'kern-link'
      a.href = pageUrl
      a.textContent = text('reload')
      p.appendChild(a)
    }
    status.appendChild(p)
  }

  // What the person typed or chose and has not sent: such a form is never replaced.
  function hasUnsavedInput(region) {
    if (region.querySelector('form[data-live-keep]')) return true
    var fields = region.querySelectorAll('input, textarea, select')
    for (var i = 0; i < fields.length; i++) {
      var el = fields[i]
      if (el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue
      if (el.type === 'checkbox' || el.type === 'radio') {
        if (el.checked !== el.defaultChecked) return true
        continue
      }
      if (el.type === 'file') {
        if (el.files && el.files.length) return true
        continue
      }
      if (el.tagName === 'SELECT') {
        for (var j = 0; j < el.options.length; j++)
          if (el.options[j].selected !== el.options[j].defaultSelected) return true
        continue
      }
      if (el.value !== el.defaultValue) return true
    }
    return false
  }

  function holdsFocus(region) {
    var active = document.activeElement
    return !!active && active !== document.body && region.contains(active)
  }

  function refresh(change) {
    if (busy) {
      pending = change
      return
    }
    busy = true
    fetch(pageUrl, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (res) {
        if (!res.ok) throw new Error('status ' + res.status)
        return res.text()
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html')
        var fresh = doc.querySelector('[data-live-src]')
        if (fresh && fresh.getAttribute('data-live-version')) version = Number(fresh.getAttribute('data-live-version'))
        var kept = false
        var regions = document.querySelectorAll('[data-live-region]')
        for (var i = 0; i < regions.length; i++) {
          var region = regions[i]
          var next = doc.querySelector('[data-live-region="' + region.getAttribute('data-live-region') + '"]')
          if (!next || next.innerHTML === region.innerHTML) continue
          if (holdsFocus(region) || hasUnsavedInput(region)) {
            kept = true
            continue
          }
          // The new region brings its forms with the new version: only forms replaced here are brought up to date.
          region.replaceWith(document.importNode(next, true))
        }
        if (kept) announce(text('kept'), true)
        else announce(change && change.by ? text('changed', change.by) : text('changed-anonymous'), false)
      })
      .catch(function () {
        announce(text('gone'), true)
      })
      .then(function () {
        busy = false
        if (pending) {
          var again = pending
          pending = null
          refresh(again)
        }
      })
  }

  function onChanged(event) {
    var change = {}
    try {
      change = JSON.parse(event.data).data || {}
    } catch (_e) {
      return
    }
    // The page's own version already contains this change (e.g. the person's own, before the page was loaded).
    if (!change.minor && typeof change.version === 'number' && version && change.version <= version) return
    refresh(change)
  }

  function connect() {
    var src = root.getAttribute('data-live-src')
    source = new EventSource(version ? src + '?version=' + version : src)
    source.addEventListener('changed', onChanged)
    source.addEventListener('resync', function () {
      refresh(null)
    })
    // Tells whoever looks (a test, a support person in the dev tools) whether the page is listening.
    source.addEventListener('ready', function () {
      root.setAttribute('data-live-state', 'ready')
    })
    source.addEventListener('error', function () {
      root.setAttribute('data-live-state', 'reconnecting')
    })
  }

  connect()
  // Leaving the page closes the stream at once, so the server does not keep it for a page no one sees.
  window.addEventListener('pagehide', function () {
    if (source) source.close()
  })
  // Back from the browser's cache: listen again and catch up on what changed meanwhile.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) {
      connect()
      refresh(null)
    }
  })
})()
