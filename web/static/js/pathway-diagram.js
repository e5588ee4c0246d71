// The child's pathway diagram: bpmn-js draws the BPMN of the child's diagram version, and
// markers show where the child is now and what is done. Without JavaScript the page says
// in words where the child is, so nothing depends on this file.
(function () {
  'use strict'
  var holder = document.querySelector('[data-pathway-diagram]')
  if (!holder || !window.BpmnJS || !window.fetch) return
  var message = holder.querySelector('.app-diagram__message')
  var viewer = new window.BpmnJS({ container: holder.querySelector('.app-diagram__canvas') })

  function mark (ids, className) {
    var canvas = viewer.get('canvas')
    var registry = viewer.get('elementRegistry')
    ids.forEach(function (id) {
      if (registry.get(id)) canvas.addMarker(id, className)
    })
  }

  fetch(holder.getAttribute('data-diagram-url'), { credentials: 'same-origin' })
    .then(function (response) {
      if (!response.ok) throw new Error('the server answered ' + response.status)
      return response.text()
    })
    .then(function (xml) { return viewer.importXML(xml) })
    .then(function () {
      viewer.get('canvas').zoom('fit-viewport')
      mark(JSON.parse(holder.getAttribute('data-completed')), 'app-diagram--completed')
      mark(JSON.parse(holder.getAttribute('data-current')), 'app-diagram--current')
      message.hidden = true
      holder.setAttribute('data-diagram-state', 'shown')
    })
    .catch(function (error) {
      message.textContent = 'The diagram could not be shown: ' + error.message
      holder.setAttribute('data-diagram-state', 'failed')
    })
})()
