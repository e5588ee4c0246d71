// The GOV.UK timeout warning: before the session expires, a dialog says when and offers to
// stay signed in. Any task form on the page is saved first; at expiry the page goes to
// sign-in, and the answers come back after signing in again.
(function () {
  'use strict'
  var config = document.getElementById('session-timeout')
  if (!config) return
  var dialog = document.getElementById('session-timeout-dialog')
  var lifetime = parseInt(config.getAttribute('data-lifetime-seconds'), 10) * 1000
  var warnBefore = Math.min(120000, lifetime / 2)
  var countdown = dialog.querySelector('[data-countdown]')
  var warnTimer, endTimer, tick, expiresAt
  var returnFocus = null

  function saveDraft () {
    return window.appSaveTaskDraft ? window.appSaveTaskDraft() : Promise.resolve(false)
  }

  function words (ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000))
    if (seconds >= 60) {
      var minutes = Math.ceil(seconds / 60)
      return minutes + (minutes === 1 ? ' minute' : ' minutes')
    }
    return seconds + (seconds === 1 ? ' second' : ' seconds')
  }

  function warn () {
    saveDraft()
    returnFocus = document.activeElement
    countdown.textContent = words(expiresAt - Date.now())
    tick = window.setInterval(function () { countdown.textContent = words(expiresAt - Date.now()) }, 1000)
    if (dialog.showModal) dialog.showModal(); else dialog.setAttribute('open', '')
  }

  function close () {
    window.clearInterval(tick)
    if (dialog.open && dialog.close) dialog.close(); else dialog.removeAttribute('open')
    if (returnFocus && returnFocus.focus) returnFocus.focus()
  }

  function expire () {
    saveDraft().finally(function () {
      var here = window.location.pathname + window.location.search
      window.location.href = config.getAttribute('data-sign-in-url') + '?expired=1&next=' + encodeURIComponent(here)
    })
  }

  function start () {
    window.clearTimeout(warnTimer)
    window.clearTimeout(endTimer)
    expiresAt = Date.now() + lifetime
    warnTimer = window.setTimeout(warn, lifetime - warnBefore)
    endTimer = window.setTimeout(expire, lifetime - 1000)
  }

  dialog.querySelector('[data-stay]').addEventListener('click', function () {
    fetch(config.getAttribute('data-extend-url'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRFToken': config.getAttribute('data-csrf-token') }
    }).then(function (response) {
      if (response.ok) { close(); start() } else { expire() }
    })
  })
  dialog.addEventListener('cancel', function (event) { event.preventDefault() })  // Esc is not "stay"
  document.addEventListener('app:activity', function () { if (!dialog.open) start() })
  start()
})()
