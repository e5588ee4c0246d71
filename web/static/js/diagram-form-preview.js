// The form editor's preview, refreshed in place: "Preview" posts the definition to the
// server, which renders it with the task page's own macros, and the answer replaces the
// preview. Without JavaScript the button submits the page and the server shows the same.
(function () {
  'use strict'
  var editor = document.getElementById('form-editor')
  var button = document.getElementById('preview-form')
  if (!editor || !button || !window.fetch || !window.FormData) return

  button.addEventListener('click', function (event) {
    event.preventDefault()
    var data = new window.FormData(editor)
    data.set('action', 'preview')
    fetch(editor.getAttribute('data-preview-url'), { method: 'POST', body: data, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw new Error('the server answered ' + response.status)
        return response.text()
      })
      .then(function (html) {
        var current = document.getElementById('form-preview')
        var holder = document.createElement('div')
        holder.innerHTML = html
        current.replaceWith(holder.firstElementChild)
      })
      .catch(function (error) {
        document.getElementById('form-preview').textContent = 'The preview could not be refreshed: ' + error.message
      })
  })
})()
