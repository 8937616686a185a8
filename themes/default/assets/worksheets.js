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

  function hasClass(el, cls) { return (' ' + (el.getAttribute('class') || '') + ' ').indexOf(' ' + cls + ' ') >= 0; }

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

  // ---- one worksheet ------------------------------------------------------------------------

  function Sheet(form) {
    this.form = form;
    this.id = form.getAttribute('data-worksheet');
    this.repeat = form.getAttribute('data-repeat');
    this.entries = form.querySelector('[data-ws-entries]');
    this.template = form.querySelector('template[data-ws-template]');
    this.counter = 0;
    this.saved = undefined;
    try { this.strings = JSON.parse(form.getAttribute('data-ws-strings') || '{}'); } catch (e) { this.strings = {}; }
  }

  function sheetOf(el) {
    var form = closest(el, 'form.ce-worksheet', null);
    for (var i = 0; i < sheets.length; i++) if (sheets[i].form === form) return sheets[i];
    return { strings: {} };
  }

  /** The fields of a scope (the form, a day or an entry), not those of the entry template. */
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

  Sheet.prototype.entryList = function () {
    var out = [];
    if (!this.entries) return out;
    each(this.entries.children, function (c) { if (hasClass(c, 'ce-ws-entry')) out.push(c); });
    return out;
  };

  /** The answers in the shape of the state: an object for a form, an array for a diary. */
  Sheet.prototype.collect = function () {
    if (!this.repeat) {
      var answers = readScope(this.form);
      return isEmptyObject(answers) ? undefined : answers;
    }
    var list = [];
    each(this.entryList(), function (entry) { list.push(readScope(entry)); });
    if (this.repeat === 'daily') {
      while (list.length && isEmptyObject(list[list.length - 1])) list.pop();
    } else {
      var kept = [];
      for (var i = 0; i < list.length; i++) if (!isEmptyObject(list[i])) kept.push(list[i]);
      list = kept;
    }
    return list.length ? list : undefined;
  };

  Sheet.prototype.save = function () {
    var value = this.collect();
    var json = value === undefined ? 'null' : JSON.stringify(value);
    if (json === this.saved) return;
    this.saved = json;
    CE.state.setAnswers(this.id, value === undefined ? null : value);
    for (var i = 0; i < sheets.length; i++) if (sheets[i] !== this && sheets[i].id === this.id) sheets[i].restore();
  };

  Sheet.prototype.restore = function () {
    var saved = CE.state.getAnswers(this.id);
    var isList = Object.prototype.toString.call(saved) === '[object Array]';
    var self = this;
    if (!this.repeat) {
      writeScope(this.form, isList ? {} : saved);
    } else if (this.repeat === 'daily') {
      each(this.entryList(), function (entry, i) { writeScope(entry, isList ? saved[i] : {}); });
    } else {
      each(this.entryList(), function (entry) { entry.parentNode.removeChild(entry); });
      var any = false;
      if (isList) each(saved, function (answers) {
        if (answers && typeof answers === 'object') { self.addEntry(answers); any = true; }
      });
      if (!any) this.addEntry({});
    }
    this.saved = saved === undefined || saved === null ? 'null' : JSON.stringify(saved);
    this.updateEntries();
  };

  /** A new entry from the template, with ids made unique by a counter. */
  Sheet.prototype.addEntry = function (answers) {
    if (!this.template || !this.entries) return null;
    var source = this.template.content ? this.template.content.firstElementChild || this.template.content.firstChild : null;
    if (!source) return null;
    var entry = source.cloneNode(true);
    var n = String(++this.counter);
    var attributes = ['id', 'for', 'name', 'aria-labelledby', 'aria-describedby', 'aria-controls'];
    var all = [entry];
    each(entry.querySelectorAll('*'), function (el) { all.push(el); });
    each(all, function (el) {
      each(attributes, function (name) {
        var v = el.getAttribute(name);
        if (v && v.indexOf('__n__') >= 0) el.setAttribute(name, v.split('__n__').join(n));
      });
    });
    this.entries.appendChild(entry);
    writeScope(entry, answers);
    return entry;
  };

  /** Numbers the entries by their position and shows "No entries yet" when there are none. */
  Sheet.prototype.updateEntries = function () {
    if (!this.repeat || this.repeat === 'daily') return;
    var label = this.strings.entry || 'Entry {n}';
    var list = this.entryList();
    each(list, function (entry, i) {
      entry.setAttribute('data-entry', String(i + 1));
      var title = entry.querySelector('.ce-ws-entry-title');
      if (title) title.textContent = format(label, { n: i + 1 });
    });
    var empty = this.form.querySelector('[data-ws-empty]');
    if (empty) empty.hidden = list.length > 0;
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

  function entryHasAnswers(entry) { return !isEmptyObject(readScope(entry)); }

  Sheet.prototype.wire = function () {
    var self = this;
    var form = this.form;
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    function changed(e, commit) {
      var t = e.target;
      if (t && t.type === 'range' && t.hasAttribute('data-ws-unanswered')) setAnswered(t, true);
      var field = closest(t, '.ce-ws-field', form);
      if (!field) return;
      updateField(field, commit);
      self.save();
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
        self.save();
        focusFirst(scope);
        self.announce(self.strings.cleared || '');
        return;
      }
      if (closest(t, '[data-ws-add]', form)) {
        var entry = self.addEntry({});
        self.updateEntries();
        if (entry) {
          focusFirst(entry);
          self.announce(format(self.strings['entry-added'] || '', { n: self.entryList().length }));
        }
        return;
      }
      var remove = closest(t, '[data-ws-remove]', form);
      if (remove) {
        var gone = closest(remove, '.ce-ws-entry', form);
        if (!gone) return;
        if (entryHasAnswers(gone) && !window.confirm(self.strings['confirm-remove'] || '')) return;
        gone.parentNode.removeChild(gone);
        self.updateEntries();
        self.save();
        var add = form.querySelector('[data-ws-add]');
        if (add) add.focus();
        self.announce(self.strings['entry-removed'] || '');
      }
    });
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
