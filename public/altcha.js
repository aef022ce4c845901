/*
 * Bot protection of anonymous forms, progressive enhancement: fetches an ALTCHA proof-of-work challenge from this
 * site, finds the number whose SHA-256 with the salt is the challenge, and puts the solution in the hidden field.
 * A form sent before that waits for it. Nothing goes to a third party. Without this script (or without
 * crypto.subtle, which needs HTTPS) the field stays empty and the server counts the form under a stricter limit.
 */
;(function () {
  if (!window.fetch || !window.crypto || !window.crypto.subtle || !window.TextEncoder) return
  var encoder = new TextEncoder()

  function hex(buffer) {
    return Array.prototype.map
      .call(new Uint8Array(buffer), function (b) {
        return (b < 16 ? '0' : '') + b.toString(16)
      })
      .join('')
  }

  // Tries the numbers in batches of parallel digests; a few hundred milliseconds in all.
  function solve(c) {
    var started = Date.now()
    function batch(from) {
      if (from > c.maxnumber) return Promise.reject(new Error('unsolved'))
      var tries = []
      for (var n = from; n < from + 200 && n <= c.maxnumber; n++)
        tries.push(crypto.subtle.digest('SHA-256', encoder.encode(c.salt + n)))
      return Promise.all(tries).then(function (hashes) {
        for (var i = 0; i < hashes.length; i++) {
          if (hex(hashes[i]) === c.challenge) {
            return btoa(
              JSON.stringify({
                algorithm: c.algorithm,
                challenge: c.challenge,
                number: from + i,
                salt: c.salt,
                signature: c.signature,
                took: Date.now() - started,
              }),
            )
          }
        }
        return batch(from + 200)
      })
    }
    return batch(0)
  }

  function prepare(input) {
    input.value = ''
    input.solved = fetch(input.dataset.powChallenge, { headers: { accept: 'application/json' }, cache: 'no-store' })
      .then(function (res) {
        if (!res.ok) throw new Error(res.status)
        return res.json()
      })
      .then(solve)
      .then(function (payload) {
        input.value = payload
      })
      .catch(function () {
        /* sent without: the stricter limit applies */
      })
  }

  var inputs = document.querySelectorAll('input[data-pow-challenge]')
  Array.prototype.forEach.call(inputs, function (input) {
    if (input.solved) return // the script is on the page once per form
    prepare(input)
    var form = input.form
    var waiting = false
    form.addEventListener('submit', function (event) {
      if (input.value || waiting) return
      event.preventDefault()
      waiting = true
      var submitter = event.submitter
      input.solved.then(function () {
        if (form.requestSubmit) form.requestSubmit(submitter || undefined)
        else form.submit()
        waiting = false
      })
    })
  })
  // A page from the back-forward cache still holds a used solution: fetch a new challenge.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) Array.prototype.forEach.call(inputs, prepare)
  })
})()
