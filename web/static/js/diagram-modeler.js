// The bpmn-js modeler for a draft's diagram, with a side form for this project's properties:
// a task's form, due date, rule, stage and reason, a timer's expression and "met on", a flow's
// condition, a lane's role. They are written as spiffworkflow:properties in the element's
// extensionElements through bpmn-js's moddle (with the spiffworkflow descriptor registered),
// so the XML saved has the shape SpiffArena writes and the shipped diagrams use. Every change
// goes through bpmn-js's commands, so undo (Ctrl+Z) covers the side form too.
(function () {
  'use strict'
  var holder = document.querySelector('[data-diagram-modeler]')
  if (!holder || !window.BpmnJS || !window.fetch || !window.Promise) return
  var status = document.getElementById('modeler-status')
  var form = document.getElementById('element-form')
  // The side form is applied field by field as it changes; Enter must not submit it.
  form.addEventListener('submit', function (event) { event.preventDefault() })
  var none = document.getElementById('element-none')
  var saveButton = document.getElementById('save-diagram')
  var saveUrl = holder.getAttribute('data-save-url')
  var modeler, modeling, moddle, registry, selected = null, dirty = false

  function say (text, state) {
    status.textContent = text
    holder.setAttribute('data-modeler-state', state)
  }

  function fetchText (url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (response) {
      if (!response.ok) throw new Error('the server answered ' + response.status)
      return response.text()
    })
  }

  // --- Reading and writing the element's properties -------------------------------------

  function extensionValues (bo) {
    return (bo.extensionElements && bo.extensionElements.get('values')) || []
  }

  function ofType (bo, type) {
    return extensionValues(bo).filter(function (v) { return v.$type === type })[0]
  }

  function propertyOf (bo, name) {
    var props = ofType(bo, 'spiffworkflow:properties')
    return props && props.get('properties').filter(function (p) { return p.name === name })[0]
  }

  function extensionsOf (element) {
    var bo = element.businessObject
    if (!bo.extensionElements) {
      modeling.updateProperties(element, { extensionElements: moddle.create('bpmn:ExtensionElements', { values: [] }) })
    }
    return bo.extensionElements
  }

  function addExtension (element, value) {
    var ext = extensionsOf(element)
    modeling.updateModdleProperties(element, ext, { values: ext.get('values').concat([value]) })
  }

  function dropExtension (element, value) {
    var ext = element.businessObject.extensionElements
    modeling.updateModdleProperties(element, ext, {
      values: ext.get('values').filter(function (v) { return v !== value })
    })
  }

  function setProperty (element, name, value) {
    var bo = element.businessObject
    var current = propertyOf(bo, name)
    var props = ofType(bo, 'spiffworkflow:properties')
    if (!value) {
      if (!current) return
      var rest = props.get('properties').filter(function (p) { return p !== current })
      if (rest.length) modeling.updateModdleProperties(element, props, { properties: rest })
      else dropExtension(element, props)
    } else if (current) {
      modeling.updateModdleProperties(element, current, { value: value })
    } else {
      if (!props) {
        props = moddle.create('spiffworkflow:properties', { properties: [] })
        addExtension(element, props)
      }
      var prop = moddle.create('spiffworkflow:property', { name: name, value: value })
      modeling.updateModdleProperties(element, props, { properties: props.get('properties').concat([prop]) })
    }
  }

  function property (name) {
    return {
      get: function (el) { var p = propertyOf(el.businessObject, name); return (p && p.value) || '' },
      set: function (el, value) { setProperty(el, name, value) }
    }
  }

  var instructions = {
    get: function (el) {
      var i = ofType(el.businessObject, 'spiffworkflow:instructionsForEndUser')
      return (i && i.value) || ''
    },
    set: function (el, value) {
      var current = ofType(el.businessObject, 'spiffworkflow:instructionsForEndUser')
      if (current && value) modeling.updateModdleProperties(el, current, { value: value })
      else if (current) dropExtension(el, current)
      else if (value) addExtension(el, moddle.create('spiffworkflow:instructionsForEndUser', { value: value }))
    }
  }

  function timerOf (el) {
    return (el.businessObject.eventDefinitions || []).filter(function (d) {
      return d.$type === 'bpmn:TimerEventDefinition'
    })[0]
  }

  function timerKind (definition) {
    return ['timeDate', 'timeDuration', 'timeCycle'].filter(function (k) { return definition[k] })[0] || 'timeDate'
  }

  var timer = {
    get: function (el) {
      var definition = timerOf(el)
      var expression = definition && definition[timerKind(definition)]
      return (expression && expression.body) || ''
    },
    set: function (el, value) {
      var definition = timerOf(el)
      var change = {}
      change[timerKind(definition)] = value ? moddle.create('bpmn:FormalExpression', { body: value }) : undefined
      modeling.updateModdleProperties(el, definition, change)
    }
  }

  var FIELDS = {
    'element-name': { get: function (el) { return el.businessObject.name || '' }, set: function (el, v) { modeling.updateLabel(el, v) } },
    'lane-role': { get: function (el) { return el.businessObject.name || '' }, set: function (el, v) { modeling.updateLabel(el, v) } },
    'prop-formJsonSchemaFilename': property('formJsonSchemaFilename'),
    'prop-dueDate': property('dueDate'),
    'prop-rule': property('rule'),
    'prop-dueReason': property('dueReason'),
    'prop-stage': property('stage'),
    'prop-metOn': property('metOn'),
    'prop-instructions': instructions,
    'timer-expression': timer,
    'flow-condition': {
      get: function (el) { var c = el.businessObject.conditionExpression; return (c && c.body) || '' },
      set: function (el, v) {
        modeling.updateProperties(el, { conditionExpression: v ? moddle.create('bpmn:FormalExpression', { body: v }) : undefined })
      }
    },
    'call-process': {
      get: function (el) { return el.businessObject.calledElement || '' },
      set: function (el, v) { modeling.updateProperties(el, { calledElement: v || undefined }) }
    }
  }

  // --- The side form --------------------------------------------------------------------

  function laneOf (element) {
    var bo = (element.host || element).businessObject
    var lanes = registry.filter(function (e) {
      return e.type === 'bpmn:Lane' && (e.businessObject.flowNodeRef || []).indexOf(bo) !== -1
    })
    return lanes.length ? (lanes[lanes.length - 1].businessObject.name || '(a lane with no name)') : ''
  }

  function groupsFor (element) {
    var type = element.type
    if (type === 'bpmn:Lane') return ['lane']
    var groups = ['named']
    if (type === 'bpmn:UserTask' || type === 'bpmn:ManualTask') groups.push('user-task', 'dated')
    if (timerOf(element)) groups.push('timer', 'dated')
    if (type === 'bpmn:SequenceFlow') groups.push('flow')
    if (type === 'bpmn:CallActivity') groups.push('call')
    if (type !== 'bpmn:SequenceFlow' && type !== 'bpmn:Participant') groups.push('in-lane')
    return groups
  }

  function setControl (control, value) {
    if (control.tagName === 'SELECT') {
      Array.prototype.forEach.call(control.querySelectorAll('[data-unknown]'), function (o) { o.remove() })
      var known = Array.prototype.some.call(control.options, function (o) { return o.value === value })
      if (!known) {
        var option = new window.Option(value + ' (not one of the choices)', value)
        option.setAttribute('data-unknown', '')
        control.add(option, 1)
      }
    }
    control.value = value
  }

  function show (element) {
    if (element && element.labelTarget) element = element.labelTarget
    var editable = element && element.parent && element.type !== 'label'
    selected = editable ? element : null
    form.hidden = !selected
    none.hidden = !!selected
    holder.setAttribute('data-selected', selected ? selected.id : '')
    if (!selected) return
    var groups = groupsFor(selected)
    Array.prototype.forEach.call(form.querySelectorAll('[data-applies]'), function (group) {
      group.hidden = groups.indexOf(group.getAttribute('data-applies')) === -1
    })
    document.getElementById('element-kind').textContent =
      selected.type.replace('bpmn:', '').replace(/([a-z])([A-Z])/g, '$1 $2') + ' · ' + selected.id
    document.getElementById('element-lane').textContent = laneOf(selected) || 'Not in a lane'
    Object.keys(FIELDS).forEach(function (id) { setControl(document.getElementById(id), FIELDS[id].get(selected)) })
  }

  function apply (control) {
    var field = FIELDS[control.id]
    if (!field || !selected) return
    var value = control.value.trim()
    if (value !== field.get(selected)) field.set(selected, value)
  }

  // --- Saving -------------------------------------------------------------------------

  function save () {
    if (document.activeElement && form.contains(document.activeElement)) apply(document.activeElement)
    say('Saving…', 'saving')
    return modeler.saveXML({ format: true }).then(function (result) {
      return fetch(saveUrl, {
        method: 'POST', credentials: 'same-origin', body: result.xml,
        headers: { 'Content-Type': 'application/xml', 'X-CSRFToken': holder.getAttribute('data-csrf-token') }
      })
    }).then(function (response) {
      var fallback = { message: 'the server answered ' + response.status }
      return response.json().catch(function () { return fallback }).then(function (answer) {
        if (!response.ok) throw new Error(answer.message)
        dirty = false
        say(answer.message, 'saved')
      })
    }).catch(function (error) { say('Not saved: ' + error.message, 'failed') })
  }

  function focusOn (id) {
    var element = id && registry.get(id)
    if (!id) return
    if (!element) { say('Opened. There is no element ' + id + ' in this diagram.', 'ready'); return }
    modeler.get('canvas').scrollToElement(element)
    modeler.get('canvas').addMarker(element.id, 'app-modeler--problem')
    modeler.get('selection').select(element)
  }

  function wire () {
    var events = modeler.get('eventBus')
    events.on('selection.changed', function (e) { show(e.newSelection.length === 1 ? e.newSelection[0] : null) })
    events.on('elements.changed', function (e) {
      if (selected && e.elements.indexOf(selected) !== -1) show(selected)
    })
    events.on('commandStack.changed', function () {
      dirty = true
      if (saveUrl) say('Changes not saved yet', 'changed')
    })
    form.addEventListener('change', function (e) { apply(e.target) })
    if (saveButton) saveButton.addEventListener('click', function (e) { e.preventDefault(); save() })
    window.addEventListener('beforeunload', function (e) {
      if (dirty && saveUrl) { e.preventDefault(); e.returnValue = '' }
    })
  }

  Promise.all([fetchText(holder.getAttribute('data-descriptor-url')), fetchText(holder.getAttribute('data-file-url'))])
    .then(function (loaded) {
      modeler = new window.BpmnJS({
        container: '#modeler-canvas',
        moddleExtensions: { spiffworkflow: JSON.parse(loaded[0]) }
      })
      return modeler.importXML(loaded[1])
    })
    .then(function (result) {
      modeling = modeler.get('modeling')
      moddle = modeler.get('moddle')
      registry = modeler.get('elementRegistry')
      modeler.get('canvas').zoom('fit-viewport')
      wire()
      var warnings = (result && result.warnings) || []
      say(warnings.length
        ? 'Opened, with ' + warnings.length + ' warning(s) from the modeler: ' + warnings[0].message
        : (saveUrl ? 'Opened. Select an element to set its properties; save to keep your changes in the draft.'
          : 'Opened to read: only process owners can save changes.'), 'ready')
      focusOn(holder.getAttribute('data-element'))
    })
    .catch(function (error) { say('The diagram could not be opened: ' + error.message, 'failed') })
})()
