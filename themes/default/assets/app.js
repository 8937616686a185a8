/* ContentEngine web bundle: the patient's state in this browser, and what it shows.
   Works from any base path and from file://; makes no request outside the bundle. */
(function () {
  'use strict';
  var CE = (window.CE = window.CE || {});
  var html = document.documentElement;
  var storageKey = 'contentengine:' + (html.getAttribute('data-program') || 'program');
  var listeners = [];

  function empty() { return { week: null, start: null, completed: [], chosen: [], answers: {} }; }

  function read() {
    try {
      var parsed = JSON.parse(window.localStorage.getItem(storageKey) || 'null');
      if (parsed && typeof parsed === 'object') {
        var s = empty();
        s.week = typeof parsed.week === 'number' ? parsed.week : null;
        s.start = typeof parsed.start === 'string' ? parsed.start : null;
        s.completed = Array.isArray(parsed.completed) ? parsed.completed : [];
        s.chosen = Array.isArray(parsed.chosen) ? parsed.chosen : [];
        s.answers = parsed.answers && typeof parsed.answers === 'object' ? parsed.answers : {};
        return s;
      }
    } catch (e) { /* storage unavailable or corrupt: start afresh */ }
    return empty();
  }

  function write(state) {
    try { window.localStorage.setItem(storageKey, JSON.stringify(state)); } catch (e) { /* private mode */ }
    for (var i = 0; i < listeners.length; i++) listeners[i](state);
  }

  /** The current week: set explicitly, else counted from the start date, else 1. */
  function currentWeek(state) {
    if (typeof state.week === 'number' && state.week >= 1) return state.week;
    if (state.start) {
      var start = new Date(state.start + 'T00:00:00');
      var days = Math.floor((Date.now() - start.getTime()) / 86400000);
      if (!isNaN(days)) return Math.max(1, Math.floor(days / 7) + 1);
    }
    return 1;
  }

  CE.state = {
    key: storageKey,
    get: read,
    update: function (mutate) { var s = read(); mutate(s); write(s); return s; },
    getAnswers: function (worksheet) { return read().answers[worksheet]; },
    setAnswers: function (worksheet, value) {
      return CE.state.update(function (s) {
        if (value === undefined || value === null) delete s.answers[worksheet]; else s.answers[worksheet] = value;
      });
    },
    onChange: function (fn) { listeners.push(fn); },
    week: function () { return currentWeek(read()); },
    /** The state as the condition evaluator reads it. */
    forConditions: function () {
      var s = read();
      return { week: currentWeek(s), completed: s.completed, chosen: s.chosen, answers: s.answers };
    },
    exportJson: function () {
      var s = read();
      return JSON.stringify({ format: 'contentengine-answers', version: 1, program: html.getAttribute('data-program'), state: s }, null, 2);
    },
    importJson: function (text) {
      var data = JSON.parse(text);
      if (!data || data.format !== 'contentengine-answers' || !data.state) throw new Error('not an answers file');
      if (data.program && data.program !== html.getAttribute('data-program')) throw new Error('answers of another program');
      var s = empty();
      var st = data.state;
      s.week = typeof st.week === 'number' ? st.week : null;
      s.start = typeof st.start === 'string' ? st.start : null;
      s.completed = Array.isArray(st.completed) ? st.completed : [];
      s.chosen = Array.isArray(st.chosen) ? st.chosen : [];
      s.answers = st.answers && typeof st.answers === 'object' ? st.answers : {};
      write(s);
    }
  };

  function parseCondition(el) {
    try { return JSON.parse(el.getAttribute('data-condition')); } catch (e) { return null; }
  }

  /** Shows ::: if blocks whose condition holds, and marks offers recommended. */
  CE.refresh = function () {
    if (!CE.evaluate) return;
    var state = CE.state.forConditions();
    var blocks = document.querySelectorAll('[data-condition]');
    for (var i = 0; i < blocks.length; i++) {
      var tree = parseCondition(blocks[i]);
      var holds = tree ? CE.evaluate(tree, state) === true : false;
      if (blocks[i].classList.contains('ce-offer')) {
        blocks[i].classList.toggle('ce-recommended', holds);
        var badge = blocks[i].querySelector('.ce-recommended-badge');
        if (badge) badge.hidden = !holds;
      } else {
        blocks[i].hidden = !holds;
      }
    }
    var s = CE.state.get();
    var completeButtons = document.querySelectorAll('[data-complete]');
    for (var j = 0; j < completeButtons.length; j++) {
      var done = s.completed.indexOf(completeButtons[j].getAttribute('data-complete')) >= 0;
      completeButtons[j].setAttribute('aria-pressed', done ? 'true' : 'false');
      var label = completeButtons[j].querySelector('.ce-complete-label');
      if (label) label.textContent = done ? completeButtons[j].getAttribute('data-done-text') : completeButtons[j].getAttribute('data-todo-text');
    }
    refreshChooser(s);
    var weekOut = document.querySelectorAll('[data-current-week]');
    for (var k = 0; k < weekOut.length; k++) weekOut[k].textContent = String(currentWeek(s));
  };

  function refreshChooser(s) {
    var chooser = document.querySelector('[data-chooser]');
    if (!chooser) return;
    var max = parseInt(chooser.getAttribute('data-max') || '1000', 10);
    var boxes = chooser.querySelectorAll('input[data-choose]');
    var count = 0;
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].checked = s.chosen.indexOf(boxes[i].getAttribute('data-choose')) >= 0;
      if (boxes[i].checked) count++;
    }
    for (var j = 0; j < boxes.length; j++) boxes[j].disabled = !boxes[j].checked && count >= max;
    var left = chooser.querySelector('[data-choices-left]');
    if (left) left.textContent = String(Math.max(0, max - count));
  }

  var localeKey = storageKey + ':locale';

  /** The language the patient chose last, remembered for the root page's chooser. */
  CE.locale = {
    key: localeKey,
    get: function () { try { return window.localStorage.getItem(localeKey); } catch (e) { return null; } },
    set: function (code) { try { window.localStorage.setItem(localeKey, code); } catch (e) { /* private mode */ } }
  };

  function refreshTextSize(announce) {
    if (!CE.textSize) return;
    var step = CE.textSize.get();
    var buttons = document.querySelectorAll('button[data-text-size]');
    for (var i = 0; i < buttons.length; i++) {
      var up = buttons[i].getAttribute('data-text-size') === '1';
      buttons[i].setAttribute('aria-disabled', (up ? step >= CE.textSize.steps.length - 1 : step <= 0) ? 'true' : 'false');
    }
    var status = document.querySelector('[data-text-size-status]');
    if (status && announce) status.textContent = (status.getAttribute('data-format') || '{0} %').replace('{0}', String(CE.textSize.percent(step)));
  }

  function wire() {
    // The root page's language chooser goes straight to the language chosen before.
    var chooser = document.querySelector('[data-locale-chooser]');
    if (chooser) {
      var remembered = CE.locale.get();
      var link = remembered ? chooser.querySelector('a[data-choose-locale="' + remembered.replace(/[^A-Za-z0-9-]/g, '') + '"]') : null;
      if (link) { window.location.replace(link.href); return; }
    }
    refreshTextSize(false);
    document.addEventListener('click', function (e) {
      var localeLink = e.target.closest ? e.target.closest('a[data-choose-locale]') : null;
      if (localeLink) CE.locale.set(localeLink.getAttribute('data-choose-locale'));
      var sizeButton = e.target.closest ? e.target.closest('button[data-text-size]') : null;
      if (sizeButton && CE.textSize) {
        CE.textSize.change(parseInt(sizeButton.getAttribute('data-text-size'), 10));
        refreshTextSize(true);
      }
      var target = e.target.closest ? e.target.closest('[data-complete]') : null;
      if (target) {
        var id = target.getAttribute('data-complete');
        CE.state.update(function (s) {
          var at = s.completed.indexOf(id);
          if (at >= 0) s.completed.splice(at, 1); else s.completed.push(id);
        });
      }
      var exportButton = e.target.closest ? e.target.closest('[data-export]') : null;
      if (exportButton) {
        var blob = new Blob([CE.state.exportJson()], { type: 'application/json' });
        var a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = (html.getAttribute('data-program') || 'answers') + '-answers.json';
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
      }
    });
    document.addEventListener('change', function (e) {
      var t = e.target;
      if (t.matches && t.matches('input[data-choose]')) {
        var id = t.getAttribute('data-choose');
        CE.state.update(function (s) {
          var at = s.chosen.indexOf(id);
          if (t.checked && at < 0) s.chosen.push(id);
          if (!t.checked && at >= 0) s.chosen.splice(at, 1);
        });
      }
      if (t.matches && t.matches('input[data-import]') && t.files && t.files[0]) {
        var status = document.querySelector('[data-import-status]');
        t.files[0].text().then(function (text) {
          try {
            CE.state.importJson(text);
            if (status) status.textContent = status.getAttribute('data-ok');
            window.location.reload();
          } catch (err) {
            if (status) status.textContent = status.getAttribute('data-failed') + ' (' + err.message + ')';
          }
        });
      }
    });
    CE.state.onChange(function () { CE.refresh(); });
    window.addEventListener('storage', function (e) { if (e.key === storageKey) CE.refresh(); });
    CE.refresh();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', wire); else wire();
})();
