// The progress page of an export of "Meine Daten": while it is being prepared, look again every few seconds and
// show the new state in place (the region is aria-live). Without JavaScript the page has a link to reload it.
;(() => {
  const region = document.getElementById('export-state')
  if (!region) return
  const poll = async () => {
    try {
      const res = await fetch(window.location.href, { headers: { accept: 'text/html' }, credentials: 'same-origin' })
      if (res.ok) {
        const page = new DOMParser().parseFromString(await res.text(), 'text/html')
        const fresh = page.getElementById('export-state')
        if (fresh && fresh.dataset.exportStatus !== region.dataset.exportStatus) {
          region.innerHTML = fresh.innerHTML
          region.dataset.exportStatus = fresh.dataset.exportStatus
        }
      }
    } catch {
      // A failed look is tried again at the next tick; the reload link still works.
    }
    if (region.dataset.exportStatus === 'queued') window.setTimeout(poll, 2000)
  }
  window.setTimeout(poll, 2000)
})()
