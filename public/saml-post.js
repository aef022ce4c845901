// A SAML answer travels to the service provider as a form post (HTTP-POST binding). With JavaScript it goes at once;
// without, the person presses the visible button.
;(function () {
  var form = document.querySelector('form[data-saml-post]')
  if (form) form.submit()
})()
