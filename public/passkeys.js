/*
 * Passkeys (WebAuthn), progressive enhancement: a form marked data-passkey="register" or "authenticate" carries the
 * server's options in data-passkey-options. This script shows the form (hidden without JavaScript, where a text says
 * what to use instead), asks the browser's authenticator through SimpleWebAuthn's browser build
 * (/assets/webauthn/index.umd.min.js, loaded before), puts the answer in the hidden field "credential" and sends
 * the form. The server checks everything; nothing here decides.
 */
;(function () {
  var lib = window.SimpleWebAuthnBrowser
  if (!lib || !lib.browserSupportsWebAuthn()) return
  var forms = document.querySelectorAll('form[data-passkey]')
  Array.prototype.forEach.call(forms, function (form) {
    var options = JSON.parse(form.getAttribute('data-passkey-options'))
    var register = form.getAttribute('data-passkey') === 'register'
    var error = form.querySelector('[data-passkey-error]')
    var fallback = form.parentNode.querySelector('[data-passkey-fallback]')
    if (fallback) fallback.hidden = true
    form.hidden = false
    form.addEventListener('submit', function (event) {
      event.preventDefault()
      if (error) error.hidden = true
      var ceremony = register
        ? lib.startRegistration({ optionsJSON: options })
        : lib.startAuthentication({ optionsJSON: options })
      ceremony.then(
        function (answer) {
          form.elements.credential.value = JSON.stringify(answer)
          form.submit()
        },
        function () {
          if (error) error.hidden = false
        },
      )
    })
  })
})()
