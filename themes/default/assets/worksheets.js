/* ContentEngine web bundle: worksheets. Fills every form.ce-worksheet[data-worksheet] from the answers
   saved in this browser (CE.state, from app.js) and saves every change as it is made, in the shapes the
   condition language reads. Plain ES5; no modules, no requests. */
(function () {
  'use strict';
  var CE = (window.CE = window.CE || {});
  var sheets = [];

  // ---- small helpers ------------------------------------------------------------------------

  function each(list, fn) { for (var i = 0; i < list.length; i++) fn(list[i], i); }

  function matches(el, selector) {
    var m = el.matches || el.msMatchesSelector || el.webkitMatchesSelector;
    return m ? m.call(el, selector) : false;
  }

  function closest(el, selector, stop) {
    while (el && el.nodeType === 1 && el !== stop) {
      if (matches(el, selector)) return el;
      el = el.parentNode;
    }
    return null;
  }

  /** Works on SVG elements too, which old browsers give no classList. */
  function toggleClass(el, cls, on) {
    var list = (el.getAttribute('class') || '').split(/\s+/);
    var out = [];
    for (var i = 0; i < list.length; i++) if (list[i] && list[i] !== cls) out.push(list[i]);
    if (on) out.push(cls);
    el.setAttribute('class', out.join(' '));
  }

  function format(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (m, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : m;
    });
  }

  function isEmptyObject(o) {
    for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) return false;
    return true;
  }

  function isNumberType(type) { return type === 'number' || type === 'integer' || type === 'scale' || type === 'duration'; }

  /** A control's text value as the answer's type: numbers as numbers, yes/no as true/false. */
  function convert(el, raw) {
    var type = el.getAttribute('data-type');
    if (isNumberType(type) || (type === 'choice' && el.getAttribute('data-numeric') === 'true')) {
      var n = parseFloat(raw);
      return isFinite(n) ? n : undefined;
    }
    if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : undefined;
    return raw;
  }

  // ---- one field (or one table cell) --------------------------------------------------------

  /** The controls that belong to el itself, not to a cell of a table inside it. */
  function controls(el, selector) {
    var all = el.querySelectorAll(selector);
    var own = [];
    each(all, function (c) { if (closest(c.parentNode, '.ce-ws-cell, .ce-ws-field', null) === el) own.push(c); });
    return own;
  }

  /** The answer of a field or a cell that holds one value: undefined when not answered. */
  function readValue(el) {
    var type = el.getAttribute('data-type');
    var i;
    if (type === 'choice' && el.getAttribute('data-multiple') === 'true') {
      var picked = [];
      each(controls(el, 'input[type=checkbox]'), function (box) {
        if (box.checked) { var v = convert(el, box.value); if (v !== undefined) picked.push(v); }
      });
      return picked.length ? picked : undefined;
    }
    var radios = controls(el, 'input[type=radio]');
    if (radios.length) {
      for (i = 0; i < radios.length; i++) if (radios[i].checked) return convert(el, radios[i].value);
      return undefined;
    }
    var select = controls(el, 'select')[0];
    if (select) return select.value === '' ? undefined : convert(el, select.value);
    var range = controls(el, 'input[type=range]')[0];
    if (range) return range.hasAttribute('data-ws-unanswered') ? undefined : convert(el, range.value);
    var number = controls(el, 'input[type=number]')[0];
    if (number) {
      if (number.value === '' || (number.validity && !number.validity.valid)) return undefined;
      return convert(el, number.value);
    }
    var input = controls(el, 'input, textarea')[0];
    if (!input || /^\s*$/.test(input.value)) return undefined;
    return type === 'time' ? input.value.slice(0, 5) : input.value;
  }

  function writeValue(el, value) {
    var type = el.getAttribute('data-type');
    if (type === 'choice' && el.getAttribute('data-multiple') === 'true') {
      var list = Object.prototype.toString.call(value) === '[object Array]' ? value : [];
      var texts = [];
      for (var i = 0; i < list.length; i++) texts.push(String(list[i]));
      each(controls(el, 'input[type=checkbox]'), function (box) { box.checked = texts.indexOf(box.value) >= 0; });
      return;
    }
    var text = value === undefined || value === null ? '' : String(value);
    var radios = controls(el, 'input[type=radio]');
    if (radios.length) {
      each(radios, function (r) { r.checked = text !== '' && r.value === text; });
      return;
    }
    var select = controls(el, 'select')[0];
    if (select) {
      select.value = text;
      if (select.value !== text) select.value = '';
      return;
    }
    var range = controls(el, 'input[type=range]')[0];
    if (range) {
      if (typeof value === 'number') {
        range.value = String(value);
        setAnswered(range, true);
      } else {
        range.value = range.defaultValue;
        setAnswered(range, false);
      }
      return;
    }
    var input = controls(el, 'input, textarea')[0];
    if (!input) return;
    if (type === 'number' || type === 'integer' || type === 'duration') input.value = typeof value === 'number' ? String(value) : '';
    else input.value = typeof value === 'string' ? value : '';
  }

  function setAnswered(range, answered) {
    if (answered) range.removeAttribute('data-ws-unanswered'); else range.setAttribute('data-ws-unanswered', '');
    toggleClass(range, 'ce-ws-unanswered', !answered);
  }

  function areas(field) { return field.querySelectorAll('.ce-ws-target-area'); }

  /** A field's answer in the shape of the state; undefined when nothing is answered. */
  function readField(field) {
    var type = field.getAttribute('data-type');
    if (type === 'table') {
      var rows = [];
      var any = false;
      each(field.querySelectorAll('tr.ce-ws-row'), function (row) {
        var entry = {};
        each(row.querySelectorAll('.ce-ws-cell'), function (cell) {
          var v = readValue(cell);
          if (v !== undefined) { entry[cell.getAttribute('data-field')] = v; any = true; }
        });
        rows.push(entry);
      });
      return any ? rows : undefined;
    }
    if (type === 'target') {
      var marks = {};
      each(areas(field), function (area) {
        each(area.querySelectorAll('input[type=radio]'), function (r) {
          if (r.checked) marks[area.getAttribute('data-area')] = parseInt(r.value, 10);
        });
      });
      return isEmptyObject(marks) ? undefined : marks;
    }
    return readValue(field);
  }

  function writeField(field, value) {
    var type = field.getAttribute('data-type');
    if (type === 'table') {
      var list = Object.prototype.toString.call(value) === '[object Array]' ? value : [];
      each(field.querySelectorAll('tr.ce-ws-row'), function (row, i) {
        var entry = list[i] && typeof list[i] === 'object' ? list[i] : {};
        each(row.querySelectorAll('.ce-ws-cell'), function (cell) { writeValue(cell, entry[cell.getAttribute('data-field')]); });
      });
    } else if (type === 'target') {
      var marks = value && typeof value === 'object' ? value : {};
      each(areas(field), function (area) {
        var ring = marks[area.getAttribute('data-area')];
        each(area.querySelectorAll('input[type=radio]'), function (r) { r.checked = ring !== undefined && ring !== null && r.value === String(ring); });
      });
    } else {
      writeValue(field, value);
    }
    updateField(field, false);
  }

  /** What shows an answer's state: clear buttons, a slider's number, the target's marks, number errors. */
  function updateField(field, validate) {
    var type = field.getAttribute('data-type');
    var sheet = sheetOf(field);
    if (type === 'target') {
      var svg = field.querySelector('svg');
      var rings = {};
      each(areas(field), function (area) {
        var id = area.getAttribute('data-area');
        var checked = area.querySelector('input[type=radio]:checked');
        rings[id] = checked ? checked.value : null;
        each(area.querySelectorAll('[data-ws-clear]'), function (b) { b.hidden = !checked; });
      });
      if (svg) {
        each(svg.querySelectorAll('[data-ring]'), function (shape) {
          toggleClass(shape, 'ce-ws-on', rings[shape.getAttribute('data-area')] === shape.getAttribute('data-ring'));
        });
      }
      return;
    }
    var answered = readField(field) !== undefined;
    each(controls(field, '[data-ws-clear]'), function (b) { b.hidden = !answered; });
    var range = controls(field, 'input[type=range]')[0];
    if (range) {
      var out = field.querySelector('output');
      var unit = field.querySelector('.ce-ws-range-status .ce-ws-unit');
      var shown = answered ? showNumber(sheet, range.value) : sheet.strings['not-answered'];
      if (out) out.textContent = shown;
      if (unit) unit.hidden = !answered;
      var label = answered ? labelOf(field, range.value) : '';
      range.setAttribute('aria-valuetext', answered
        ? shown + (range.getAttribute('data-unit') ? ' ' + range.getAttribute('data-unit') : '') + (label ? ', ' + label : '')
        : shown);
    }
    if (field.getAttribute('data-type') === 'table') {
      each(field.querySelectorAll('.ce-ws-cell'), function (cell) { checkNumber(sheet, cell, validate); });
    } else {
      checkNumber(sheet, field, validate);
    }
  }

  function labelOf(field, value) {
    var found = '';
    each(field.querySelectorAll('.ce-ws-end'), function (end) {
      var v = end.querySelector('.ce-ws-end-value');
      var t = end.querySelector('.ce-ws-end-text');
      if (v && t && parseFloat(v.textContent.replace(',', '.')) === parseFloat(value)) found = t.textContent;
    });
    return found;
  }

  function showNumber(sheet, value) { return String(value).replace('.', sheet.strings['decimal-separator'] || '.'); }

  /** Says what is wrong with a number once it is committed (on change); stays quiet while typing. */
  function checkNumber(sheet, el, validate) {
    var input = controls(el, 'input[type=number]')[0];
    if (!input) return;
    var error = input.id ? document.getElementById(input.id + '_error') : null;
    var v = input.validity;
    var message = '';
    if (v && !v.valid) {
      var s = sheet.strings;
      var min = input.getAttribute('min');
      var max = input.getAttribute('max');
      var step = input.getAttribute('step');
      var values = { min: min === null ? '' : showNumber(sheet, min), max: max === null ? '' : showNumber(sheet, max), step: step === null ? '' : showNumber(sheet, step) };
      if (v.badInput) message = s['error-number'];
      else if ((v.rangeUnderflow || v.rangeOverflow) && min !== null && max !== null) message = format(s['error-range'], values);
      else if (v.rangeUnderflow) message = format(s['error-min'], values);
      else if (v.rangeOverflow) message = format(s['error-max'], values);
      else if (v.stepMismatch) message = step === '1' ? s['error-integer'] : format(s['error-step'], values);
      else message = s['error-number'];
    }
    if (!message) {
      input.removeAttribute('aria-invalid');
      if (error) { error.textContent = ''; error.hidden = true; }
    } else if (validate) {
      input.setAttribute('aria-invalid', 'true');
      if (error) { error.textContent = message; error.hidden = false; }
    }
  }

  // ---- dates --------------------------------------------------------------------------------

  /** The key of a diary entry's date ("yyyy-MM-dd", the patient's local day); keys that begin with "_" are no answers. */
  var DATE_KEY = '_date';

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  function isoDay(d) { return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()); }

  /** A "yyyy-MM-dd" text as a local Date at midnight, or null when it is no real day. */
  function parseDay(text) {
    var m = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
    if (!m) return null;
    var d = new Date(+m[1], +m[2] - 1, +m[3]);
    return d.getFullYear() === +m[1] && d.getMonth() === +m[2] - 1 && d.getDate() === +m[3] ? d : null;
  }

  /** The patient's date now, in the time zone their stored state records (CE.state, app.js). */
  function today() { return window.CE && CE.state && CE.state.today && CE.state.today() || isoDay(new Date()); }

  function addDays(day, n) {
    var d = parseDay(day);
    d.setDate(d.getDate() + n);
    return isoDay(d);
  }

  function dateOf(entry) { return entry && parseDay(entry[DATE_KEY]) ? entry[DATE_KEY] : null; }

  /** A day in the page's language: "Sunday 6 December" (the year only when it is not this year's). */
  function longDay(day) {
    var d = parseDay(day);
    var options = { weekday: 'long', day: 'numeric', month: 'long' };
    if (d.getFullYear() !== new Date().getFullYear()) options.year = 'numeric';
    try {
      return new Intl.DateTimeFormat(CE.dateLocale ? CE.dateLocale() : document.documentElement.lang || undefined, options).format(d);
    } catch (e) {
      return day;
    }
  }

  // ---- one worksheet ------------------------------------------------------------------------

  function Sheet(form) {
    this.form = form;
    this.id = form.getAttribute('data-worksheet');
    this.repeat = form.getAttribute('data-repeat');
    this.days = parseInt(form.getAttribute('data-days') || '0', 10) || 0;
    this.entry = form.querySelector('[data-ws-entry]');
    this.model = [];      // a diary's entries, oldest first, as stored
    this.open = null;     // the entry of the model that is open; null for a new one, not yet stored
    this.draftDate = null; // the date of the new entry
    this.saved = undefined;
    try { this.strings = JSON.parse(form.getAttribute('data-ws-strings') || '{}'); } catch (e) { this.strings = {}; }
  }

  function sheetOf(el) {
    var form = closest(el, 'form.ce-worksheet', null);
    for (var i = 0; i < sheets.length; i++) if (sheets[i].form === form) return sheets[i];
    return { strings: {} };
  }

  /** The fields of a scope (the form, or a diary's open entry). */
  function fieldsOf(scope) {
    var out = [];
    each(scope.querySelectorAll('.ce-ws-field'), function (f) { out.push(f); });
    return out;
  }

  function readScope(scope) {
    var answers = {};
    each(fieldsOf(scope), function (f) {
      var v = readField(f);
      if (v !== undefined) answers[f.getAttribute('data-field')] = v;
    });
    return answers;
  }

  function writeScope(scope, answers) {
    var a = answers && typeof answers === 'object' && Object.prototype.toString.call(answers) !== '[object Array]' ? answers : {};
    each(fieldsOf(scope), function (f) { writeField(f, a[f.getAttribute('data-field')]); });
  }

  /** Whether an entry holds an answer (its date alone is none). */
  function hasAnswers(entry) {
    for (var k in entry) if (Object.prototype.hasOwnProperty.call(entry, k) && k.charAt(0) !== '_') return true;
    return false;
  }

  /** The answers in the shape of the state: an object for a form, an array of entries, oldest first, for a diary. */
  Sheet.prototype.collect = function () {
    if (!this.repeat) {
      var answers = readScope(this.form);
      return isEmptyObject(answers) ? undefined : answers;
    }
    var list = [];
    for (var i = 0; i < this.model.length; i++) {
      var e = this.model[i];
      if (e !== this.open || hasAnswers(e)) list.push(e);
    }
    return list.length ? JSON.parse(JSON.stringify(list)) : undefined;
  };

  Sheet.prototype.save = function () {
    var value = this.collect();
    var json = value === undefined ? 'null' : JSON.stringify(value);
    if (json === this.saved) return;
    this.saved = json;
    CE.state.setAnswers(this.id, value === undefined ? null : value);
    for (var i = 0; i < sheets.length; i++) if (sheets[i] !== this && sheets[i].id === this.id) sheets[i].restore();
    if (CE.nextStep) CE.nextStep.saved(this.id, this.form);
  };

  Sheet.prototype.restore = function () {
    var saved = CE.state.getAnswers(this.id);
    var isList = Object.prototype.toString.call(saved) === '[object Array]';
    if (!this.repeat) {
      writeScope(this.form, isList ? {} : saved);
    } else {
      var model = [];
      if (isList) each(saved, function (e) { if (e && typeof e === 'object' && Object.prototype.toString.call(e) !== '[object Array]') model.push(e); });
      this.model = JSON.parse(JSON.stringify(model));
      this.openEntry(this.current(), this.current() ? null : today());
    }
    this.saved = saved === undefined || saved === null ? 'null' : JSON.stringify(saved);
  };

  // ---- a diary: one entry open, the others listed --------------------------------------------

  /** The entry the page opens on: today's (this week's for a weekly diary), the latest written; else none. */
  Sheet.prototype.current = function () {
    var now = today();
    var from = this.repeat === 'weekly' ? addDays(now, -6) : now;
    for (var i = this.model.length - 1; i >= 0; i--) {
      var d = dateOf(this.model[i]);
      if (d && d >= from && d <= now) return this.model[i];
    }
    return null;
  };

  /** The date "add entry" proposes: today; in a daily diary whose today is written, the latest day before it that is not. */
  Sheet.prototype.newDate = function () {
    var day = today();
    if (this.repeat !== 'daily') return day;
    var taken = {};
    each(this.model, function (e) { var d = dateOf(e); if (d) taken[d] = true; });
    for (var i = 0; i < Math.max(this.days, 7) && taken[day]; i++) day = addDays(day, -1);
    return taken[day] ? today() : day;
  };

  /** What an entry is called: its date ("Today, Sunday 6 December"), else its day or number in the list. */
  Sheet.prototype.entryName = function (entry, draftDate) {
    var s = this.strings;
    var day = entry ? dateOf(entry) : draftDate;
    if (day) return day === today() ? format(s.today || '{date}', { date: longDay(day) }) : longDay(day);
    if (!entry) return s['new-entry'] || '';
    var n = this.model.indexOf(entry) + 1;
    return format(this.repeat === 'daily' ? s.day || 'Day {n}' : s.entry || 'Entry {n}', { n: n });
  };

  /** A few of an entry's answers, as short as they can be said: "Walk · 30 min · 9/10". */
  Sheet.prototype.summary = function (entry) {
    var parts = [];
    var count = 0;
    var sheet = this;
    each(fieldsOf(this.entry), function (field) {
      var value = entry[field.getAttribute('data-field')];
      if (value === undefined || value === null) return;
      count++;
      if (parts.length < 3) {
        var text = describe(sheet, field, value);
        if (text) parts.push(text);
      }
    });
    return parts.length ? parts.join(' · ') : format(this.strings['answers-count'] || '{n}', { n: count });
  };

  function describe(sheet, field, value) {
    var type = field.getAttribute('data-type');
    var text;
    if (type === 'text' || type === 'longtext' || type === 'time') {
      text = String(value).replace(/\s+/g, ' ').replace(/^ | $/g, '');
      return text.length > 40 ? text.slice(0, 39) + '…' : text;
    }
    if (type === 'date') return parseDay(value) ? longDay(value) : String(value);
    if (type === 'number' || type === 'integer' || type === 'duration') {
      var unit = field.querySelector('.ce-ws-unit');
      return showNumber(sheet, value) + (unit && unit.textContent ? ' ' + unit.textContent : '');
    }
    if (type === 'scale') {
      var all = controls(field, 'input[type=radio], input[type=range]');
      var max = all.length ? all[all.length - 1].getAttribute('max') || all[all.length - 1].value : null;
      return showNumber(sheet, value) + (max !== null ? '/' + showNumber(sheet, max) : '');
    }
    if (type === 'choice') {
      var values = Object.prototype.toString.call(value) === '[object Array]' ? value : [value];
      var names = [];
      each(values, function (v) {
        each(controls(field, 'input'), function (input) {
          if (input.value === String(v)) {
            var label = closest(input, 'label', field);
            var t = label && label.querySelector('.ce-ws-option-text');
            if (t) names.push(t.textContent);
          }
        });
      });
      return names.join(', ');
    }
    return ''; // yes/no, tables and targets say little out of their question
  }

  /** Opens an entry of the model (or, with null, a new one of this date) in the form. */
  Sheet.prototype.openEntry = function (entry, draftDate) {
    var previous = this.open;
    // An entry left without an answer is not kept.
    if (previous && previous !== entry && !hasAnswers(previous)) {
      var at = this.model.indexOf(previous);
      if (at >= 0) this.model.splice(at, 1);
    }
    this.open = entry;
    this.draftDate = entry ? null : draftDate;
    if (!this.entry) return;
    writeScope(this.entry, entry || {});
    var date = this.entry.querySelector('[data-ws-date]');
    if (date) date.value = (entry ? dateOf(entry) : draftDate) || '';
    var remove = this.entry.querySelector('[data-ws-remove]');
    if (remove) remove.hidden = !entry;
    this.render();
  };

  /** The open entry's title, and the list of entries, newest first, the open one marked. */
  Sheet.prototype.render = function () {
    var sheet = this;
    var title = this.entry && this.entry.querySelector('[data-ws-entry-title]');
    if (title) title.textContent = this.entryName(this.open, this.draftDate);
    var list = this.form.querySelector('[data-ws-list]');
    if (!list) return;
    // The buttons are kept and refilled, never replaced: a click that blurs a field (and so saves it) still lands.
    var shown = 0;
    for (var i = this.model.length - 1; i >= 0; i--) {
      var entry = this.model[i];
      if (!hasAnswers(entry)) continue; // an entry without an answer is not kept, nor listed
      var button = listButton(list, shown++);
      button.setAttribute('data-ws-open', String(i));
      if (entry === this.open) button.setAttribute('aria-current', 'true'); else button.removeAttribute('aria-current');
      button.firstChild.textContent = this.entryName(entry);
      button.lastChild.textContent = this.summary(entry);
    }
    while (list.children.length > shown) list.removeChild(list.lastChild);
    var empty = this.form.querySelector('[data-ws-empty]');
    if (empty) empty.hidden = shown > 0;
    var progress = this.form.querySelector('[data-ws-progress]');
    if (progress) {
      var show = this.repeat === 'daily' && this.days > 0 && shown > 0 && shown <= this.days;
      progress.hidden = !show;
      progress.textContent = show ? format(sheet.strings['days-written'] || '', { n: shown, days: this.days }) : '';
    }
  };

  /** The list's n-th button (its date, a space, its summary), made when the list is shorter. */
  function listButton(list, n) {
    if (list.children[n]) return list.children[n].firstChild;
    var item = document.createElement('li');
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'ce-ws-entry-link';
    var name = document.createElement('span');
    name.className = 'ce-ws-entry-link-date';
    var summary = document.createElement('span');
    summary.className = 'ce-ws-entry-link-summary';
    button.appendChild(name);
    button.appendChild(document.createTextNode(' '));
    button.appendChild(summary);
    item.appendChild(button);
    list.appendChild(item);
    return button;
  }

  /** Puts an entry in the model where its date belongs: after the entries of its day and the days before (entries without a date first). */
  Sheet.prototype.place = function (entry) {
    var at = this.model.indexOf(entry);
    if (at >= 0) this.model.splice(at, 1);
    var day = dateOf(entry);
    var i = this.model.length;
    if (day) {
      while (i > 0 && dateOf(this.model[i - 1]) && dateOf(this.model[i - 1]) > day) i--;
    } else {
      i = at >= 0 ? Math.min(at, this.model.length) : 0;
    }
    this.model.splice(i, 0, entry);
  };

  /** Takes the open entry's answers from the form into the model; a new entry joins it with its first answer. */
  Sheet.prototype.commit = function () {
    var answers = readScope(this.entry);
    var entry = this.open;
    if (!entry) {
      if (isEmptyObject(answers)) return;
      entry = {};
      if (this.draftDate) entry[DATE_KEY] = this.draftDate;
      this.open = entry;
      this.draftDate = null;
      this.place(entry);
      var remove = this.entry.querySelector('[data-ws-remove]');
      if (remove) remove.hidden = false;
    }
    for (var k in entry) if (Object.prototype.hasOwnProperty.call(entry, k) && k.charAt(0) !== '_') delete entry[k];
    for (var f in answers) if (Object.prototype.hasOwnProperty.call(answers, f)) entry[f] = answers[f];
  };

  /** The patient changed the open entry's date. */
  Sheet.prototype.redate = function (value) {
    var day = parseDay(value) ? value : null;
    if (!this.open) {
      this.draftDate = day;
    } else {
      if (day) this.open[DATE_KEY] = day; else delete this.open[DATE_KEY];
      this.place(this.open);
    }
    this.render();
  };

  Sheet.prototype.announce = function (text) {
    var region = this.form.querySelector('[data-ws-announce]');
    if (!region) return;
    region.textContent = '';
    setTimeout(function () { region.textContent = text; }, 50);
  };

  function focusFirst(scope) {
    var first = scope.querySelector('input:not([type=hidden]), select, textarea');
    if (first) first.focus();
  }

  Sheet.prototype.wire = function () {
    var self = this;
    var form = this.form;
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    function changed(e, commit) {
      var t = e.target;
      if (t && t.hasAttribute && t.hasAttribute('data-ws-date')) {
        if (commit) { self.redate(t.value); self.save(); }
        return;
      }
      if (t && t.type === 'range' && t.hasAttribute('data-ws-unanswered')) setAnswered(t, true);
      var field = closest(t, '.ce-ws-field', form);
      if (!field) return;
      updateField(field, commit);
      self.changedAnswers();
    }
    form.addEventListener('input', function (e) { changed(e, false); });
    form.addEventListener('change', function (e) { changed(e, true); });
    form.addEventListener('click', function (e) {
      var t = e.target;
      // A click on a slider that has not been answered answers it, even where the thumb already is.
      if (t && t.type === 'range' && t.hasAttribute('data-ws-unanswered')) { changed(e, true); return; }
      var cell = closest(t, '.ce-ws-target-cell, .ce-ws-target-dot', form);
      if (cell) {
        var field = closest(cell, '.ce-ws-field', form);
        var areaId = cell.getAttribute('data-area');
        var ring = cell.getAttribute('data-ring');
        each(areas(field), function (area) {
          if (area.getAttribute('data-area') !== areaId) return;
          each(area.querySelectorAll('input[type=radio]'), function (r) { if (r.value === ring && !r.checked) r.click(); });
        });
        return;
      }
      var clear = closest(t, '[data-ws-clear]', form);
      if (clear) {
        var owner = closest(clear, '.ce-ws-field', form);
        var area = clear.getAttribute('data-area');
        var scope = owner;
        if (area !== null) {
          each(areas(owner), function (a) {
            if (a.getAttribute('data-area') === area) {
              scope = a;
              each(a.querySelectorAll('input[type=radio]'), function (r) { r.checked = false; });
            }
          });
          updateField(owner, false);
        } else {
          writeField(owner, undefined);
        }
        self.changedAnswers();
        focusFirst(scope);
        self.announce(self.strings.cleared || '');
        return;
      }
      var open = closest(t, '[data-ws-open]', form);
      if (open) {
        var entry = self.model[parseInt(open.getAttribute('data-ws-open'), 10)];
        if (!entry) return;
        self.openEntry(entry, null);
        self.save();
        self.show(format(self.strings['entry-opened'] || '{entry}', { entry: self.entryName(entry) }));
        return;
      }
      if (closest(t, '[data-ws-add]', form)) {
        var day = self.newDate();
        self.openEntry(null, day);
        self.save();
        self.show(format(self.strings['entry-added'] || '{entry}', { entry: self.entryName(null, day) }));
        return;
      }
      if (closest(t, '[data-ws-remove]', form)) {
        var gone = self.open;
        if (!gone) return;
        if (hasAnswers(gone) && !window.confirm(self.strings['confirm-remove'] || '')) return;
        self.model.splice(self.model.indexOf(gone), 1);
        self.open = null;
        var now = self.current();
        self.openEntry(now, now ? null : today());
        self.save();
        var add = form.querySelector('[data-ws-add]');
        if (add) add.focus();
        self.announce(self.strings['entry-removed'] || '');
      }
    });
  };

  /** After an answer changed: a diary's open entry takes it, and the list follows; then it is saved. */
  Sheet.prototype.changedAnswers = function () {
    if (this.repeat) {
      this.commit();
      this.render();
    }
    this.save();
  };

  /** Brings the open entry into view with the focus on its first control, and says which entry it is. */
  Sheet.prototype.show = function (message) {
    if (!this.entry) return;
    if (this.entry.scrollIntoView) this.entry.scrollIntoView({ block: 'start' });
    focusFirst(this.entry);
    this.announce(message);
  };

  function start() {
    if (!CE.state) return;
    each(document.querySelectorAll('form.ce-worksheet[data-worksheet]'), function (form) {
      if (form.getAttribute('data-ws-ready')) return;
      form.setAttribute('data-ws-ready', 'true');
      var sheet = new Sheet(form);
      sheets.push(sheet);
      sheet.restore();
      sheet.wire();
    });
  }

  CE.worksheets = { start: start, sheets: sheets };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
