// A task form: after "Add another" or "Remove", focus goes to the new row's first input or
// back to the list, not to the top of the page; and the answers are saved as a draft every
// 30 seconds while they change, so a closed tab or an expired session loses nothing.
(function () {
  'use strict'
  var form = document.querySelector('[data-task-form]')
  if (!form) return

  var focusId = form.getAttribute('data-focus')
  if (focusId) {
    var target = document.getElementById(focusId)
    if (target) {
      target.focus()
      if (target.scrollIntoView) target.scrollIntoView({ block: 'center' })
    }
  }

  var url = form.getAttribute('data-autosave-url')
  var status = form.querySelector('[data-autosave-status]')
  var lastSaved = new URLSearchParams(new FormData(form)).toString()

  function save () {
    var body = new URLSearchParams(new FormData(form))
    body.delete('intent')
    body.delete('row-action')
    var now = body.toString()
    if (now === lastSaved) return Promise.resolve(false)
    return fetch(url, {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      headers: { 'X-CSRFToken': form.querySelector('[name=csrf_token]').value, Accept: 'application/json' }
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status)
      return response.json()
    }).then(function (result) {
      lastSaved = now
      if (status) status.textContent = 'Your answers were saved as a draft. ' + result.saved + '.'
      document.dispatchEvent(new CustomEvent('app:activity'))
      return true
    }).catch(function () {
      if (status) status.textContent = 'Your answers could not be saved just now. They are still here: keep this page open.'
      return false
    })
  }

  window.appSaveTaskDraft = save   // the session timeout warning saves before signing out
  window.setInterval(save, 30000)
})()
