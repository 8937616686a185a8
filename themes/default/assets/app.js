/* ContentEngine web bundle: the patient's state in this browser, and what it shows.
   Works from any base path and from file://; makes no request outside the bundle. */
(function () {
  'use strict';
  var CE = (window.CE = window.CE || {});
  var html = document.documentElement;
  var storageKey = 'contentengine:' + (html.getAttribute('data-program') || 'program');
  var listeners = [];

  // The stored patient state (docs/package-format.md, "The patient's state"), in this browser's
  // storage and in the file the patient exports and imports; the runtime reads and writes the same.
  var FORMAT = 'contentengine-patient-state';
  var LEGACY = 'contentengine-answers'; // the answers file before it: still read
  var VERSION = 2; // the newest read; a state is written as version 1 unless it holds when answers were saved
  var KEYS = ['format', 'version', 'program', 'programVersion', 'timeZone', 'start', 'week', 'completed', 'chosen', 'answers', 'keptAside', 'saved'];
  // An instant as Date.prototype.toISOString writes it (UTC, milliseconds): the only form "saved" holds.
  var INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

  function isInstant(v) {
    if (typeof v !== 'string' || !INSTANT.test(v)) return false;
    var t = Date.parse(v);
    return !isNaN(t) && new Date(t).toISOString() === v;
  }

  function empty() { return { week: null, start: null, completed: [], chosen: [], answers: {}, timeZone: null, saved: {} }; }

  function isObject(x) { return x !== null && typeof x === 'object' && !Array.isArray(x); }

  /** Why a state cannot be used: code is not-state, newer, other-program, time-zone or invalid (the import's messages). */
  function refused(code, detail) {
    var e = new Error(code + ': ' + detail);
    e.code = code;
    e.detail = detail;
    return e;
  }

  function readWeek(v, where) {
    if (typeof v !== 'number' || v % 1 !== 0 || v < 0) throw refused('invalid', where + ' must be a whole number from 0');
    return v;
  }

  function readDate(v, where) {
    if (!CE.schedule || !CE.schedule.isDate(v)) throw refused('invalid', where + ' must be a date written yyyy-mm-dd');
    return v;
  }

  function readIds(v, where) {
    if (!Array.isArray(v)) throw refused('invalid', where + ' must be a list of module ids');
    for (var i = 0; i < v.length; i++) if (typeof v[i] !== 'string' || !v[i]) throw refused('invalid', where + '[' + i + '] must be a module id');
    return v.slice();
  }

  function readAnswers(v, where) {
    if (!isObject(v)) throw refused('invalid', where + ' must be an object of answers by worksheet');
    for (var ws in v) {
      if (!Object.prototype.hasOwnProperty.call(v, ws)) continue;
      var a = v[ws];
      if (Array.isArray(a)) {
        for (var i = 0; i < a.length; i++) {
          if (!isObject(a[i])) throw refused('invalid', where + '.' + ws + '[' + i + '] must be a diary entry');
          if (Object.prototype.hasOwnProperty.call(a[i], '_date')) readDate(a[i]._date, where + '.' + ws + '[' + i + ']._date');
        }
      } else if (!isObject(a)) throw refused('invalid', where + '.' + ws + ' must be answers or diary entries');
    }
    return v;
  }

  /** When answers were saved (version 2): by worksheet id, an object from field id or diary entry key (entryKeys) to an instant. */
  function readSaved(v, where) {
    if (!isObject(v)) throw refused('invalid', where + ' must be an object of times by worksheet');
    for (var ws in v) {
      if (!Object.prototype.hasOwnProperty.call(v, ws)) continue;
      if (!isObject(v[ws])) throw refused('invalid', where + '.' + ws + ' must be an object of times');
      for (var k in v[ws]) {
        if (Object.prototype.hasOwnProperty.call(v[ws], k) && !isInstant(v[ws][k]))
          throw refused('invalid', where + '.' + ws + '.' + k + ' must be an instant written yyyy-mm-ddThh:mm:ss.sssZ');
      }
    }
    return v;
  }

  /**
   * The key of each diary entry, in the list's order: its date for the first entry of a day, "date#n"
   * for the n-th (n from 2), "#n" for the n-th without a date. The same entry has the same key on every device.
   */
  function entryKeys(list) {
    var seen = {}, keys = [];
    for (var i = 0; i < list.length; i++) {
      var d = isObject(list[i]) && typeof list[i]._date === 'string' ? list[i]._date : '';
      seen[d] = (seen[d] || 0) + 1;
      keys.push(d && seen[d] === 1 ? d : d + '#' + seen[d]);
    }
    return keys;
  }

  /** The answers of a worksheet by key: a form's by field id, a diary's by entry key. */
  function byKey(value) {
    var out = {};
    if (Array.isArray(value)) {
      var keys = entryKeys(value);
      for (var i = 0; i < value.length; i++) out[keys[i]] = value[i];
    } else if (isObject(value)) {
      for (var k in value) if (Object.prototype.hasOwnProperty.call(value, k)) out[k] = value[k];
    }
    return out;
  }

  /** Records now as the time each field or entry of a worksheet was saved whose value changed (a cleared one too). */
  function stamp(s, worksheet, before, after) {
    var was = byKey(before), now = byKey(after), at = new Date().toISOString();
    var times = isObject(s.saved[worksheet]) ? s.saved[worksheet] : {};
    var changed = false, k;
    for (k in now) if (Object.prototype.hasOwnProperty.call(now, k) && JSON.stringify(now[k]) !== JSON.stringify(was[k])) { times[k] = at; changed = true; }
    for (k in was) if (Object.prototype.hasOwnProperty.call(was, k) && !Object.prototype.hasOwnProperty.call(now, k)) { times[k] = at; changed = true; }
    if (changed) s.saved[worksheet] = times;
  }

  /**
   * A stored state of this program as the page keeps it ({week, start, completed, chosen, answers,
   * timeZone, keptAside}), read whole or refused: the format, or the older answers file.
   */
  function readDocument(data) {
    if (!isObject(data)) throw refused('not-state', 'not a JSON object');
    if (data.format !== FORMAT && data.format !== LEGACY) throw refused('not-state', 'format ' + JSON.stringify(data.format));
    if (typeof data.version !== 'number' || data.version % 1 !== 0 || data.version < 1) throw refused('invalid', 'version must be a whole number from 1');
    if (data.version > VERSION) throw refused('newer', 'version ' + data.version);
    if (typeof data.program !== 'string' || !data.program) throw refused('invalid', 'the file does not name its program');
    if (data.program !== (html.getAttribute('data-program') || 'program')) throw refused('other-program', data.program);
    var s = empty();
    if (data.format === LEGACY) {
      var st = data.state;
      if (!isObject(st)) throw refused('invalid', 'the answers file has no state');
      if (st.week !== undefined && st.week !== null) s.week = readWeek(st.week, 'state.week');
      if (st.start !== undefined && st.start !== null) s.start = readDate(st.start, 'state.start');
      if (st.completed !== undefined && st.completed !== null) s.completed = readIds(st.completed, 'state.completed');
      if (st.chosen !== undefined && st.chosen !== null) s.chosen = readIds(st.chosen, 'state.chosen');
      if (st.answers !== undefined && st.answers !== null) s.answers = readAnswers(st.answers, 'state.answers');
      return s;
    }
    for (var key in data) if (Object.prototype.hasOwnProperty.call(data, key) && KEYS.indexOf(key) < 0) throw refused('invalid', 'unknown key ' + key);
    if (data.programVersion !== undefined && (typeof data.programVersion !== 'string' || !data.programVersion)) throw refused('invalid', 'programVersion must be a version');
    if (data.timeZone !== undefined) {
      if (typeof data.timeZone !== 'string') throw refused('invalid', 'timeZone must be a text');
      if (!CE.schedule || !CE.schedule.isTimeZone(data.timeZone)) throw refused('time-zone', data.timeZone);
      s.timeZone = data.timeZone;
    }
    if (data.start !== undefined) s.start = readDate(data.start, 'start');
    if (data.week !== undefined) s.week = readWeek(data.week, 'week');
    if (data.completed !== undefined) s.completed = readIds(data.completed, 'completed');
    if (data.chosen !== undefined) s.chosen = readIds(data.chosen, 'chosen');
    if (data.answers !== undefined) s.answers = readAnswers(data.answers, 'answers');
    if (data.keptAside !== undefined) s.keptAside = readAnswers(data.keptAside, 'keptAside');
    if (data.saved !== undefined) {
      if (data.version < 2) throw refused('invalid', 'saved belongs to version 2');
      s.saved = readSaved(data.saved, 'saved');
    }
    return s;
  }

  /** The stored form of the page's state, keys in the runtime's order (PatientRecord.ToJson). */
  function toDocument(s) {
    var timed = isObject(s.saved) && Object.keys(s.saved).length > 0;
    var d = { format: FORMAT, version: timed ? 2 : 1, program: html.getAttribute('data-program') || 'program' };
    var version = html.getAttribute('data-program-version');
    if (version) d.programVersion = version;
    if (s.timeZone) d.timeZone = s.timeZone;
    if (s.start) d.start = s.start;
    if (typeof s.week === 'number') d.week = s.week;
    d.completed = s.completed;
    d.chosen = s.chosen;
    d.answers = s.answers;
    if (isObject(s.keptAside) && Object.keys(s.keptAside).length > 0) d.keptAside = s.keptAside;
    if (timed) d.saved = s.saved;
    return d;
  }

  function read() {
    try {
      var parsed = JSON.parse(window.localStorage.getItem(storageKey) || 'null');
      if (isObject(parsed) && parsed.format !== undefined) {
        // What this browser stored is read as an import is; should it not pass (a page without the
        // schedule's dates, a zone this browser no longer knows), its values are kept all the same.
        try { return readDocument(parsed); } catch (e) {
          var kept = lenient(parsed);
          kept.timeZone = typeof parsed.timeZone === 'string' ? parsed.timeZone : null;
          if (isObject(parsed.keptAside)) kept.keptAside = parsed.keptAside;
          if (isObject(parsed.saved)) kept.saved = parsed.saved;
          return kept;
        }
      }
      if (isObject(parsed)) {
        // The bare state this browser kept before the stored format: its dates were this browser's local dates.
        var s = lenient(parsed);
        if (s.start && CE.schedule) s.timeZone = CE.schedule.browserZone();
        return s;
      }
    } catch (e) { /* storage unavailable or corrupt: start afresh */ }
    return empty();
  }

  /** The values of a stored state taken as they are, each of the wrong kind left out. */
  function lenient(parsed) {
    var s = empty();
    s.week = typeof parsed.week === 'number' ? parsed.week : null;
    s.start = typeof parsed.start === 'string' ? parsed.start : null;
    s.completed = Array.isArray(parsed.completed) ? parsed.completed : [];
    s.chosen = Array.isArray(parsed.chosen) ? parsed.chosen : [];
    s.answers = parsed.answers && typeof parsed.answers === 'object' ? parsed.answers : {};
    return s;
  }

  function write(state) {
    try { window.localStorage.setItem(storageKey, JSON.stringify(toDocument(state))); } catch (e) { /* private mode */ }
    for (var i = 0; i < listeners.length; i++) listeners[i](state);
  }

  /** The patient's date now, in the time zone of their state (UTC when it holds none). */
  function todayOf(state) { return CE.schedule ? CE.schedule.dateIn(state.timeZone) : null; }

  /** The program's schedule (assets/program.js) where the page has it and schedule.js to read it. */
  function program() { return window.CE_PROGRAM && CE.schedule ? window.CE_PROGRAM : null; }

  /**
   * What the schedule gives the patient now (schedule.js, the runtime's rules): the week counted on
   * the calendar from the start date to the patient's date in their time zone, unless a week is set (the
   * preview's patient panel and the explorer's example patients set one). Null without the schedule.
   */
  function scheduleOf(state) {
    var p = program();
    if (!p) return null;
    var progress = { completed: state.completed, chosen: state.chosen, answers: state.answers, today: todayOf(state) };
    if (typeof state.week === 'number') progress.week = state.week;
    if (state.start) progress.start = state.start;
    return CE.schedule.evaluate(p, progress);
  }

  /** The current week (0 before the start date); 1 when nothing says otherwise. */
  function currentWeek(state) {
    var st = scheduleOf(state);
    if (st) return st.week;
    return typeof state.week === 'number' && state.week >= 1 ? Math.floor(state.week) : 1;
  }

  CE.state = {
    key: storageKey,
    get: read,
    update: function (mutate) { var s = read(); mutate(s); write(s); return s; },
    getAnswers: function (worksheet) { return read().answers[worksheet]; },
    setAnswers: function (worksheet, value) {
      return CE.state.update(function (s) {
        stamp(s, worksheet, s.answers[worksheet], value);
        if (value === undefined || value === null) delete s.answers[worksheet]; else s.answers[worksheet] = value;
      });
    },
    onChange: function (fn) { listeners.push(fn); },
    week: function () { return currentWeek(read()); },
    /** The schedule's status for the patient (CE.schedule.evaluate), or null on a page without the schedule. */
    schedule: function () { return scheduleOf(read()); },
    /** The state as the condition evaluator reads it. */
    forConditions: function () {
      var s = read();
      return { week: Math.max(1, currentWeek(s)), completed: s.completed, chosen: s.chosen, answers: s.answers };
    },
    /** The patient's date now ("yyyy-mm-dd"), in the time zone their state records. */
    today: function () { return todayOf(read()); },
    /** The stored state as the patient's file holds it (docs/package-format.md, "The patient's state"). */
    exportJson: function () { return JSON.stringify(toDocument(read()), null, 2) + '\n'; },
    /**
     * Replaces the state with a file's, or changes nothing and throws an Error whose code says why:
     * not-state, newer, other-program, time-zone or invalid. Reads the older answers file too.
     */
    importJson: function (text) { write(CE.state.readJson(text)); },
    /** A file's state, read whole and checked, without changing anything; throws as importJson. */
    readJson: function (text) {
      var data;
      try { data = JSON.parse(text); } catch (e) { throw refused('not-state', 'not JSON'); }
      return readDocument(data);
    },
    /** Stores a whole state (backup.js's merge or replace of an imported file). */
    replace: function (state) { write(state); },
    /** The keys of a diary's entries, and a worksheet's answers by key (a form's fields, a diary's entries). */
    entryKeys: entryKeys,
    byKey: byKey,
    /** A progress string of the page's language, {0}, {1} filled in. */
    say: function (key, args) { return say(key, args); },
    /** The program's schedule (assets/program.js), or null on a page without it. */
    program: program
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
    }
    refreshChooser(s);
    var weekOut = document.querySelectorAll('[data-current-week]');
    for (var k = 0; k < weekOut.length; k++) weekOut[k].textContent = String(currentWeek(s));
    refreshProgress(s);
  };

  // ---- progress: done, next, locked and when it opens ----

  var progressStrings = null;

  /** A progress string of the page's language (the theme's progress-* strings), with {0}, {1} filled in. */
  function say(key, args) {
    if (progressStrings === null) {
      var el = document.querySelector('script[data-progress-strings]');
      try { progressStrings = el ? JSON.parse(el.textContent) : {}; } catch (e) { progressStrings = {}; }
    }
    var text = typeof progressStrings[key] === 'string' ? progressStrings[key] : '';
    return text.replace(/\{(\d)\}/g, function (m, i) { return args && args[+i] !== undefined ? String(args[+i]) : m; });
  }

  /** A calendar date ("yyyy-mm-dd") in the page's language: "Mon, 30 Nov", or "Monday 30 November" when long; the year when not this year's. */
  function formatDate(iso, long) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    if (!m) return iso || '';
    var opts = long ? { weekday: 'long', day: 'numeric', month: 'long' } : { weekday: 'short', day: 'numeric', month: 'short' };
    opts.timeZone = 'UTC';
    if (m[1] !== (CE.state.today() || CE.schedule.today()).slice(0, 4)) opts.year = 'numeric';
    var date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    try { return new Intl.DateTimeFormat(dateLocale(), opts).format(date); } catch (e) { return iso; }
  }
  CE.formatDate = formatDate;

  /**
   * The locale dates are written in: the page's language, where English without a region is written
   * as most English outside the United States writes it ("Monday 7 December", not "Monday, December 7").
   */
  function dateLocale() {
    var lang = html.getAttribute('lang') || '';
    return /^en$/i.test(lang) ? 'en-GB' : lang || undefined;
  }
  CE.dateLocale = dateLocale;

  function moduleOf(id) {
    var ms = program() ? program().modules : [];
    for (var i = 0; i < ms.length; i++) if (ms[i] && ms[i].id === id) return ms[i];
    return null;
  }

  function titleOf(id) {
    var m = moduleOf(id);
    var lang = html.getAttribute('lang');
    return m && m.title ? (m.title[lang] || m.title[Object.keys(m.title)[0]] || id) : id;
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    for (var i = 0; children && i < children.length; i++) e.appendChild(typeof children[i] === 'string' ? document.createTextNode(children[i]) : children[i]);
    return e;
  }

  function icon(glyph) { return el('span', { 'class': 'ce-status-icon', 'aria-hidden': 'true' }, [glyph]); }

  /** The first module to work on: open (mandatory, or optional and chosen) and not done, in schedule order. */
  function nextOpen(st) {
    for (var i = 0; i < st.modules.length; i++) if (st.modules[i].state === 'open') return st.modules[i];
    return null;
  }

  function choiceOf(st, moduleId) {
    var m = moduleOf(moduleId);
    for (var i = 0; m && i < st.choices.length; i++) if (st.choices[i].phase === m.phase) return st.choices[i];
    return null;
  }

  /** Why a module is locked, in words, as nodes (the modules it waits for are links when a base URL is given). */
  function reasonNodes(st, ms, base) {
    var out = [];
    for (var i = 0; i < ms.reasons.length; i++) {
      var r = ms.reasons[i];
      if (out.length) out.push(', ');
      if (r.kind === 'programNotStarted' || r.kind === 'notYetReleased') {
        out.push(r.date ? say('opens-on', [formatDate(r.date), r.week]) : say('opens-in-week', [r.week]));
      } else if (r.kind === 'requiresModules') {
        var parts = say('after', ['\u0000']).split('\u0000');
        out.push(parts[0]);
        for (var j = 0; j < r.modules.length; j++) {
          if (j > 0) out.push(j === r.modules.length - 1 ? say('and') : ', ');
          var quoted = say('quote', ['\u0000']).split('\u0000');
          var title = titleOf(r.modules[j]);
          out.push(quoted[0]);
          out.push(base !== null ? el('a', { href: base + r.modules[j] + '.html' }, [title]) : title);
          out.push(quoted[1] || '');
        }
        out.push(parts[1] || '');
      } else if (r.kind === 'choiceLimitReached') {
        var c = choiceOf(st, ms.id);
        out.push(say('choice-full', [c ? c.chosen : '', c && c.max !== null ? c.max : '']));
      }
    }
    return out;
  }

  /** One module's state in words: "Done", "Next", "Open", "Optional, you can choose it", "Locked: opens … (week 4), after “…”". */
  function statusNodes(st, ms, isNext, base) {
    switch (ms.state) {
      case 'completed': return [icon('\u2713'), say('done')];
      case 'open': return isNext ? [icon('\u2192'), say('next')] : [say('open')];
      case 'offered': return [say('offered')];
      default: return [icon('\u25cb'), say('locked') + ': '].concat(reasonNodes(st, ms, base));
    }
  }

  function fill(node, children) {
    node.textContent = '';
    for (var i = 0; i < children.length; i++) node.appendChild(typeof children[i] === 'string' ? document.createTextNode(children[i]) : children[i]);
  }

  /** A link to the next module to do ("Continue where you left off: …"), or to the aftercare choice, or null. */
  function continueLink(st, s, base, aftercare) {
    var next = nextOpen(st);
    if (next) {
      var label = s.completed.length === 0 ? say('start-here') : say('continue');
      var m = moduleOf(next.id);
      return el('a', { 'class': 'ce-continue-link', href: base + next.id + '.html', 'data-continue-module': next.id }, [
        el('span', { 'class': 'ce-continue-label' }, [label]),
        el('span', { 'class': 'ce-continue-title' }, [titleOf(next.id)]),
        el('span', { 'class': 'ce-continue-meta' }, [m ? say('week', [m.programWeek]) + (typeof m.minutes === 'number' ? ' · ' + say('minutes', [m.minutes]) : '') : ''])
      ]);
    }
    for (var i = 0; i < st.modules.length; i++) {
      if (st.modules[i].state === 'offered' && aftercare) {
        return el('a', { 'class': 'ce-continue-link', href: aftercare, 'data-continue-module': '' }, [
          el('span', { 'class': 'ce-continue-title' }, [say('choose')])
        ]);
      }
    }
    return null;
  }

  /** Whether every module the patient has to do (mandatory ones and those chosen) is done and nothing is left to open. */
  function allDone(st) {
    if (st.next) return false;
    for (var i = 0; i < st.modules.length; i++) {
      var m = st.modules[i];
      if (m.state === 'open' || m.state === 'offered') return false;
      if (m.state === 'locked' && m.reasons.length && m.reasons[0].kind !== 'choiceLimitReached') return false;
    }
    return true;
  }

  function refreshProgress(s) {
    var st = scheduleOf(s);
    if (!st) return;
    refreshOverview(st, s);
    refreshModulePage(st, s);
    refreshOffers(st);
    if (CE.nextStep) CE.nextStep.refresh(st, s);
  }

  /**
   * On the aftercare page: each offer that cannot be taken yet says why and when it opens (the same
   * words as the overview), and one that is done says so; an offer open to choose says nothing more.
   */
  function refreshOffers(st) {
    var offers = document.querySelectorAll('.ce-offer[data-module]');
    if (offers.length === 0) return;
    var byId = {};
    for (var i = 0; i < st.modules.length; i++) byId[st.modules[i].id] = st.modules[i];
    for (var j = 0; j < offers.length; j++) {
      var ms = byId[offers[j].getAttribute('data-module')];
      var out = offers[j].querySelector('[data-offer-status]');
      if (!ms || !out) continue;
      var list = offers[j].parentNode;
      var base = list && list.getAttribute ? list.getAttribute('data-modules-base') || '' : '';
      offers[j].setAttribute('data-state', ms.state);
      var show = ms.state === 'locked' || ms.state === 'completed';
      fill(out, show ? statusNodes(st, ms, false, base) : []);
      out.hidden = !show;
    }
  }

  function refreshOverview(st, s) {
    var box = document.querySelector('[data-progress]');
    if (!box) return;
    var base = box.getAttribute('data-modules-base') || '';
    var aftercare = box.getAttribute('data-aftercare-url');
    var next = nextOpen(st);
    var byId = {};
    for (var i = 0; i < st.modules.length; i++) byId[st.modules[i].id] = st.modules[i];

    var items = document.querySelectorAll('.ce-module-item[data-module]');
    for (var j = 0; j < items.length; j++) {
      var ms = byId[items[j].getAttribute('data-module')];
      var out = items[j].querySelector('[data-status]');
      if (!ms || !out) continue;
      var isNext = !!next && next.id === ms.id;
      items[j].setAttribute('data-state', ms.state);
      if (isNext) items[j].setAttribute('data-next', 'true'); else items[j].removeAttribute('data-next');
      fill(out, statusNodes(st, ms, isNext, null));
      out.hidden = false;
    }

    var weeks = document.querySelectorAll('h3[data-week]');
    for (var w = 0; w < weeks.length; w++) {
      var n = parseInt(weeks[w].getAttribute('data-week'), 10);
      var date = weeks[w].querySelector('[data-week-date]');
      var text = st.start ? formatDate(CE.schedule.addDays(st.start, (n - 1) * 7)) : '';
      if (n === st.week) text += (text ? ' · ' : '') + say('this-week');
      if (date) date.textContent = text ? ' · ' + text : '';
      weeks[w].classList.toggle('ce-this-week', n === st.week);
    }

    var line = box.querySelector('[data-week-line]');
    var notStarted = box.querySelector('[data-not-started]');
    if (line) line.hidden = st.week < 1;
    if (notStarted) {
      notStarted.hidden = st.week >= 1;
      notStarted.textContent = st.week < 1 && st.start ? say('not-started', [formatDate(st.start, true)]) : '';
    }
    var count = box.querySelector('[data-done-count]');
    if (count) {
      var todo = 0, done = 0;
      for (var k = 0; k < st.modules.length; k++) {
        var mod = moduleOf(st.modules[k].id);
        if (!mod || (mod.optional && !st.modules[k].chosen)) continue;
        todo++;
        if (st.modules[k].state === 'completed') done++;
      }
      count.textContent = ' · ' + say('done-count', [done, todo]);
    }

    var cont = box.querySelector('[data-continue]');
    if (cont) {
      var link = continueLink(st, s, base, aftercare);
      fill(cont, link ? [link] : []);
      cont.hidden = !link;
    }
    var release = box.querySelector('[data-next-release]');
    if (release) {
      var words = st.next && st.week >= 1 ? (st.next.date ? say('next-opens', [formatDate(st.next.date, true)]) : '') : allDone(st) ? say('all-done') : '';
      release.textContent = words;
      release.hidden = !words;
    }
    var input = document.querySelector('[data-start-input]');
    if (input && document.activeElement !== input) input.value = s.start || '';
  }

  function refreshModulePage(st, s) {
    var out = document.querySelector('[data-module-status]');
    if (!out) return;
    var id = out.getAttribute('data-module-status');
    var ms = null;
    for (var i = 0; i < st.modules.length; i++) if (st.modules[i].id === id) ms = st.modules[i];
    if (!ms) return;
    var base = out.getAttribute('data-modules-base') || '';
    var aftercare = out.getAttribute('data-aftercare-url');
    out.setAttribute('data-state', ms.state);
    if (ms.state === 'completed') fill(out, [icon('\u2713'), say('module-done')]);
    else if (ms.state === 'locked') fill(out, statusNodes(st, ms, false, base).concat(['.']));
    else if (ms.state === 'offered') fill(out, [say('module-offered')].concat(aftercare ? [' ', el('a', { href: aftercare }, [say('choose')])] : []));
    else fill(out, []);
    out.hidden = ms.state === 'open';
  }

  /** What nextstep.js says with: the page's progress strings, dates, titles and the schedule's next module. */
  CE.progress = { say: say, formatDate: formatDate, titleOf: titleOf, el: el, fill: fill, nextOpen: nextOpen };

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
    // The patient's first visit starts the program today (their local date); they can change it on the overview.
    if (program()) {
      var first = read();
      if (!first.start && typeof first.week !== 'number') {
        CE.state.update(function (s) {
          // The patient's time zone is recorded with their start date: their days are counted in it from then on.
          if (!s.timeZone) s.timeZone = CE.schedule.browserZone();
          s.start = todayOf(s);
        });
      }
    }
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
        // A module locked or with its required homework unanswered is not marked: the note says why (nextstep.js).
        if (read().completed.indexOf(id) < 0 && CE.nextStep && CE.nextStep.refuse(id)) return;
        var marked = CE.state.update(function (s) {
          var at = s.completed.indexOf(id);
          if (at >= 0) s.completed.splice(at, 1); else s.completed.push(id);
        }).completed.indexOf(id) >= 0;
        var note = document.querySelector('[data-complete-note]');
        if (note) note.textContent = marked ? say('saved-module', [titleOf(id)]) : say('unmarked');
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
      if (t.matches && t.matches('input[data-start-input]') && CE.schedule && CE.schedule.isDate(t.value)) {
        // A start date the patient sets counts the weeks from then on (a week set by the preview no longer applies).
        var start = t.value;
        var after = CE.state.update(function (s) { s.start = start; s.week = null; if (!s.timeZone) s.timeZone = CE.schedule.browserZone(); });
        var said = document.querySelector('[data-start-status]');
        if (said) said.textContent = currentWeek(after) >= 1 ? say('week-now', [currentWeek(after)]) : '';
      }
    });
    CE.state.onChange(function () { CE.refresh(); });
    window.addEventListener('storage', function (e) { if (e.key === storageKey) CE.refresh(); });
    // A page the browser brings back from its history shows the state as it is now (a module marked done on the next page).
    window.addEventListener('pageshow', function (e) { if (e.persisted) CE.refresh(); });
    CE.refresh();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', wire); else wire();
})();
