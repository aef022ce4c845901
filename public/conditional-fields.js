// Progressive enhancement: shows and hides follow-up questions as soon as the answer they depend on
// changes. Without JavaScript the server reveals them after "Continue" instead. Only questions whose condition names
// a field of this form carry data-show-if-*: one that depends on an earlier page stays as the server rendered it.
;(function () {
  var form = document.querySelector('form[data-conditional-form]')
  if (!form) return
  var shown = form.querySelector('input[name="_shown"]')
  var wrappers = Array.prototype.slice.call(form.querySelectorAll('[data-field-id]'))

  function valuesOf(name) {
    var values = []
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name !== name || el.disabled) return
      if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) return
      values.push(el.value)
    })
    return values
  }

  function update() {
    wrappers.forEach(function (wrapper) {
      var field = wrapper.getAttribute('data-show-if-field')
      if (!field) return
      var expected = wrapper.getAttribute('data-show-if-values').split(',')
      var given = valuesOf(field)
      var visible = expected.some(function (v) {
        return v === '' ? given.length === 0 : given.indexOf(v) >= 0
      })
      wrapper.hidden = !visible
    })
    if (shown) {
      shown.value = wrappers
        .filter(function (w) {
          return !w.hidden
        })
        .map(function (w) {
          return w.getAttribute('data-field-id')
        })
        .join(',')
    }
  }

  form.addEventListener('change', update)
  update()
})()
