// A pathway diagram: bpmn-js draws the BPMN the page names, then
// - on a child's page, markers show where the child is now and what is done;
// - on the dashboard, a count over each step shows how many tasks are open there (a heatmap,
//   coloured by how busy the step is).
// Without JavaScript each page says the same in words or in a table, so nothing depends on
// this file.
(function () {
  'use strict'
  var holder = document.querySelector('[data-pathway-diagram]')
  if (!holder || !window.BpmnJS || !window.fetch) return
  var message = holder.querySelector('.app-diagram__message')
  var viewer = new window.BpmnJS({ container: holder.querySelector('.app-diagram__canvas') })

  // The picture is not something to operate: nothing in it takes keyboard focus, and screen
  // readers get the text beside it (where the child is now, or the table of counts).
  function quiet (canvas) {
    canvas.querySelectorAll('[tabindex]').forEach(function (el) { el.removeAttribute('tabindex') })
    canvas.querySelectorAll('svg').forEach(function (svg) {
      svg.setAttribute('aria-hidden', 'true')
      svg.setAttribute('focusable', 'false')
    })
  }

  function listed (name) {
    return JSON.parse(holder.getAttribute(name) || '[]')
  }

  function mark (ids, className) {
    var canvas = viewer.get('canvas')
    var registry = viewer.get('elementRegistry')
    ids.forEach(function (id) {
      if (registry.get(id)) canvas.addMarker(id, className)
    })
  }

  function showCounts (counts, levels) {
    var canvas = viewer.get('canvas')
    var registry = viewer.get('elementRegistry')
    var overlays = viewer.get('overlays')
    Object.keys(counts).forEach(function (id) {
      if (!registry.get(id)) return
      var level = levels[id] || 1
      canvas.addMarker(id, 'app-heat--' + level)
      var badge = document.createElement('span')
      badge.className = 'app-heat-count app-heat-count--' + level
      badge.textContent = counts[id]
      badge.title = counts[id] + ' open task' + (counts[id] === 1 ? '' : 's')
      overlays.add(id, 'heat', { position: { top: -12, right: 12 }, html: badge })
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
      mark(listed('data-completed'), 'app-diagram--completed')
      mark(listed('data-current'), 'app-diagram--current')
      if (holder.hasAttribute('data-counts')) {
        showCounts(JSON.parse(holder.getAttribute('data-counts')),
          JSON.parse(holder.getAttribute('data-levels') || '{}'))
      }
      message.hidden = true
      quiet(holder.querySelector('.app-diagram__canvas'))
      holder.setAttribute('data-diagram-state', 'shown')
    })
    .catch(function (error) {
      message.textContent = 'The diagram could not be shown: ' + error.message
      holder.setAttribute('data-diagram-state', 'failed')
    })
})()
