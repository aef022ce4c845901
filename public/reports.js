/*
 * Defect reports, progressive enhancement: every page works without this script.
 * - a map (Leaflet) on the form: a click marks the place and fills latitude/longitude;
 * - a category suggested while typing (debounced), and open reports of that category near the place;
 * - the public map and the detail page show their reports as markers (the list stays the accessible alternative).
 * Text from the server is put in with textContent only.
 */
;(function () {
  if (!window.L || !window.fetch) return
  var L = window.L

  function setUpMap(el) {
    el.hidden = false
    var map = L.map(el, { scrollWheelZoom: false })
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map)
    var b = (el.dataset.bounds || '').split(',').map(Number)
    if (b.length === 4 && b.every(Number.isFinite))
      map.fitBounds([
        [b[0], b[1]],
        [b[2], b[3]],
      ])
    else map.setView([51.5136, 7.4653], 12)
    return map
  }

  // Tiles from another server are asked for only once the visitor asks for the map (for this browser tab).
  function whenMapAllowed(el, draw) {
    var consent = el.dataset.consent && document.getElementById(el.dataset.consent)
    if (!consent || sessionStorage.getItem('bauhaus-map-tiles') === el.dataset.tileUrl) {
      draw(setUpMap(el))
      return
    }
    consent.hidden = false
    consent.querySelector('button').addEventListener('click', function () {
      sessionStorage.setItem('bauhaus-map-tiles', el.dataset.tileUrl)
      consent.hidden = true
      draw(setUpMap(el))
      el.focus()
    })
  }

  function debounce(fn, ms) {
    var timer
    return function () {
      clearTimeout(timer)
      timer = setTimeout(fn, ms)
    }
  }

  // The report form.
  var form = document.getElementById('report-form')
  if (form) {
    var lat = document.getElementById('lat')
    var lon = document.getElementById('lon')
    var category = document.getElementById('category')
    var description = document.getElementById('description')
    var suggestion = document.getElementById('suggestion')
    var nearby = document.getElementById('nearby')
    var pickEl = document.getElementById('report-map')
    var marker = null
    var map = null
    var placeMarker = function (latlng) {
      if (marker) marker.setLatLng(latlng)
      else marker = L.marker(latlng, { alt: pickEl.dataset.labelMarker, keyboard: false }).addTo(map)
    }

    var loadNearby = debounce(function () {
      if (!category.value || !lat.value || !lon.value) return
      var q = new URLSearchParams({ category: category.value, lat: lat.value, lon: lon.value })
      fetch('/maengel/in-der-naehe?' + q, { headers: { accept: 'application/json' } })
        .then(function (res) {
          return res.ok ? res.json() : null
        })
        .then(function (data) {
          if (data) renderNearby(data)
        })
        .catch(function () {
          /* the button still works without */
        })
    }, 300)

    var renderNearby = function (data) {
      nearby.textContent = ''
      if (!data.reports.length) {
        var none = document.createElement('p')
        none.className = 'kern-body'
        none.textContent = data.none
        nearby.appendChild(none)
        return
      }
      var wrap = document.createElement('div')
      wrap.className = 'stack'
      var h = document.createElement('h2')
      h.className = 'kern-heading-small'
      h.id = 'nearby-title'
      h.textContent = data.title
      var intro = document.createElement('p')
      intro.className = 'kern-body'
      intro.textContent = data.intro
      var list = document.createElement('ul')
      list.className = 'kern-list report-list'
      list.setAttribute('aria-labelledby', 'nearby-title')
      data.reports.forEach(function (r) {
        var li = document.createElement('li')
        li.className = 'stack'
        var p = document.createElement('p')
        p.className = 'kern-body'
        var a = document.createElement('a')
        a.className = 'kern-link'
        a.href = r.url
        a.textContent = r.reference
        p.appendChild(a)
        p.appendChild(document.createTextNode(' · ' + r.category + ' · ' + r.status))
        var d = document.createElement('p')
        d.className = 'kern-body preserve-lines'
        d.textContent = r.description
        var button = document.createElement('button')
        button.type = 'submit'
        button.className = 'kern-btn kern-btn--secondary'
        button.name = 'follow'
        button.value = r.reference
        // As the server-rendered list (REPORT_FORM_ACTIONS.follow): following has its own address.
        button.setAttribute('formaction', '/maengel/melden/folgen')
        var label = document.createElement('span')
        label.className = 'kern-label'
        label.textContent = r.followLabel
        button.appendChild(label)
        li.appendChild(p)
        li.appendChild(d)
        li.appendChild(button)
        list.appendChild(li)
      })
      wrap.appendChild(h)
      wrap.appendChild(intro)
      wrap.appendChild(list)
      nearby.appendChild(wrap)
    }

    if (pickEl) {
      whenMapAllowed(pickEl, function (drawn) {
        map = drawn
        document.getElementById('map-hint').hidden = false
        if (lat.value && lon.value && Number.isFinite(Number(lat.value)) && Number.isFinite(Number(lon.value))) {
          placeMarker([Number(lat.value), Number(lon.value)])
          map.setView([Number(lat.value), Number(lon.value)], 16)
        }
        map.on('click', function (e) {
          placeMarker(e.latlng)
          lat.value = e.latlng.lat.toFixed(6)
          lon.value = e.latlng.lng.toFixed(6)
          loadNearby()
        })
      })
    }
    lat.addEventListener('change', loadNearby)
    lon.addEventListener('change', loadNearby)

    // A category chosen by the person is theirs; only one the suggestion chose may be replaced by the next suggestion.
    var chosenBySuggestion = !category.value
    category.addEventListener('change', function () {
      chosenBySuggestion = false
      loadNearby()
    })
    description.addEventListener(
      'input',
      debounce(function () {
        var text = description.value.trim()
        if (text.length < 8) return
        fetch('/maengel/vorschlag?' + new URLSearchParams({ text: text.slice(0, 5000) }), {
          headers: { accept: 'application/json' },
        })
          .then(function (res) {
            return res.ok ? res.json() : null
          })
          .then(function (data) {
            if (!data || !data.suggestions.length) return
            suggestion.textContent = ''
            var p = document.createElement('p')
            p.className = 'kern-body'
            p.textContent = data.message
            suggestion.appendChild(p)
            if (chosenBySuggestion || !category.value) {
              category.value = data.suggestions[0].code
              chosenBySuggestion = true
              loadNearby()
            }
          })
          .catch(function () {
            /* the button still works without */
          })
      }, 700),
    )
  }

  // The public map: a marker per row of the list below it. Markers that would overlap at this zoom share one, whose
  // popup links each report: overlapping markers hide each other and leave targets too small to hit (WCAG 2.5.8).
  var listMap = document.getElementById('reports-map')
  if (listMap)
    whenMapAllowed(listMap, function (m) {
      var markerLayer = L.layerGroup().addTo(m)
      var icon = L.Icon.Default.prototype.options
      var reports = []
      document.querySelectorAll('#reports-list tr[data-lat]').forEach(function (row) {
        var ll = [Number(row.dataset.lat), Number(row.dataset.lon)]
        if (Number.isFinite(ll[0]) && Number.isFinite(ll[1]))
          reports.push({ ll: ll, href: row.dataset.href, title: row.dataset.title })
      })
      var placeMarkers = function () {
        markerLayer.clearLayers()
        var groups = []
        reports.forEach(function (r) {
          var p = m.latLngToLayerPoint(r.ll)
          var near = groups.filter(function (g) {
            return Math.abs(g.p.x - p.x) <= icon.iconSize[0] && Math.abs(g.p.y - p.y) <= icon.iconSize[1]
          })[0]
          if (near) near.reports.push(r)
          else groups.push({ p: p, ll: r.ll, reports: [r] })
        })
        groups.forEach(function (g) {
          var list = document.createElement('ul')
          g.reports.forEach(function (r) {
            var item = document.createElement('li')
            var link = document.createElement('a')
            link.href = r.href
            link.textContent = r.title
            item.appendChild(link)
            list.appendChild(item)
          })
          var title =
            g.reports.length === 1 ? g.reports[0].title : listMap.dataset.labelGroup + ' (' + g.reports.length + ')'
          L.marker(g.ll, { alt: title, title: title })
            .bindPopup(g.reports.length === 1 ? list.firstChild.firstChild : list)
            .addTo(markerLayer)
        })
      }
      m.on('zoomend', placeMarkers)
      if (reports.length)
        m.fitBounds(
          reports.map(function (r) {
            return r.ll
          }),
          { maxZoom: 15, padding: [20, 20] },
        )
      placeMarkers()
    })

  // One report's page.
  var single = document.querySelector('.report-single')
  var singleMap = document.getElementById('report-detail-map')
  if (single && singleMap)
    whenMapAllowed(singleMap, function (sm) {
      var ll = [Number(single.dataset.lat), Number(single.dataset.lon)]
      L.marker(ll, { alt: single.dataset.title, keyboard: false }).addTo(sm)
      sm.setView(ll, 16)
    })
})()
