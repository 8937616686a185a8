/* ContentEngine web bundle: the schedule.
   CE.schedule.evaluate(program, progress) says, for a patient, which modules are open, locked and
   why, completed, offered and recommended, how many more may be chosen, and when the next opens.
   program is the schedule as the web bundle writes it in assets/program.js (window.CE_PROGRAM, in
   the shape of graph.json: release, phases, modules in schedule order), or graph.json itself;
   progress is {start, today, week, completed, chosen, answers}, every key optional, dates as
   "yyyy-mm-dd", `week` read as PatientProgress.FromJson reads it (below 1 is 1), or instead
   `fixedWeek`, a whole week from 0 as a stored state holds it (PatientRecord.Week; 0 is before the start).
   The npm package contentengine-runtime (src/contentengine-runtime-js) is built from this file and
   conditions.js, unchanged: what the runtime's status says, this says too (reasons' English
   `message`, `recommendationReason`).
   The rules are those of the runtime, src/ContentEngine.Runtime/Programs/Scheduler.cs (described in
   docs/package-format.md, "The scheduling rules"), and both must pass every case of
   tests/vectors/schedule.json. One difference by design: without `today`, today is the patient's
   local date here (the runtime takes the UTC date); the page passes `today` in the time zone of the
   patient's stored state (CE.schedule.dateIn), so the two agree. Dates are calendar dates: days are counted on
   the calendar, never as milliseconds / 86 400 000, which a daylight-saving change would break.
   Condition trees are evaluated with CE.isTrue (conditions.js). Plain ES5; never throws. */
(function () {
  'use strict';
  var CE = (window.CE = window.CE || {});
  var has = Object.prototype.hasOwnProperty;

  function isArray(x) { return Object.prototype.toString.call(x) === '[object Array]'; }
  function own(obj, key) { return obj !== null && typeof obj === 'object' && has.call(obj, key); }

  /** The strings of a list, as PatientState reads them (anything else is left out). */
  function strings(list) {
    var out = [];
    if (!isArray(list)) return out;
    for (var i = 0; i < list.length; i++) if (typeof list[i] === 'string') out.push(list[i]);
    return out;
  }

  function contains(list, x) {
    for (var i = 0; i < list.length; i++) if (list[i] === x) return true;
    return false;
  }

  // ---- calendar dates: a day number (days since 1970-01-01) for "yyyy-mm-dd" ----

  /** The day number of a "yyyy-mm-dd" date, or null when it is not one (as DateOnly.TryParseExact). */
  function parseDate(text) {
    if (typeof text !== 'string') return null;
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m) return null;
    var y = +m[1], mo = +m[2], d = +m[3];
    if (y < 1 || mo < 1 || mo > 12 || d < 1) return null;
    var t = Date.UTC(y, mo - 1, d);
    var back = new Date(t);
    // Date.UTC takes the years 0-99 as 1900-1999: set the full year again.
    if (y < 100) { back.setUTCFullYear(y); t = back.getTime(); }
    if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) return null;
    return Math.round(t / 86400000);
  }

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = '0' + s;
    return s;
  }

  /** The calendar's first and last days, 0001-01-01 and 9999-12-31, as DateOnly has them. */
  var FIRST_DAY = -719162, LAST_DAY = 2932896;

  /** The "yyyy-mm-dd" text of a day number. */
  function formatDay(day) {
    var d = new Date(day * 86400000);
    return pad(d.getUTCFullYear(), 4) + '-' + pad(d.getUTCMonth() + 1, 2) + '-' + pad(d.getUTCDate(), 2);
  }

  /** Today in the patient's time zone, as "yyyy-mm-dd" (from the browser's clock, or a Date given). */
  function localToday(now) {
    var d = now instanceof Date ? now : new Date();
    return pad(d.getFullYear(), 4) + '-' + pad(d.getMonth() + 1, 2) + '-' + pad(d.getDate(), 2);
  }

  // ---- the patient's time zone: an IANA id or a UTC offset, as the stored state holds it ----

  /** The minutes of a UTC offset "+01:00", "-05:30" or "Z" (from -14:00 to +14:00), or null when the text is not one. */
  function offsetMinutes(zone) {
    if (zone === 'Z') return 0;
    var m = typeof zone === 'string' ? /^([+-])(\d{2}):(\d{2})$/.exec(zone) : null;
    if (!m || +m[3] > 59 || +m[2] > 14 || (+m[2] === 14 && +m[3] > 0)) return null;
    return (m[1] === '-' ? -1 : 1) * (+m[2] * 60 + +m[3]);
  }

  var zoneFormats = {};

  /** A formatter of calendar dates in an IANA time zone the browser knows, or null (as the runtime, ids only, no Windows names). */
  function zoneFormat(zone) {
    if (typeof zone !== 'string' || !/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*$/.test(zone)) return null;
    if (!has.call(zoneFormats, zone)) {
      try {
        zoneFormats[zone] = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
      } catch (e) { zoneFormats[zone] = null; }
    }
    return zoneFormats[zone];
  }

  /** Whether the text is a time zone a stored state may hold: an IANA id the browser knows, or a UTC offset. */
  function isTimeZone(zone) { return offsetMinutes(zone) !== null || zoneFormat(zone) !== null; }

  /**
   * The date ("yyyy-mm-dd") at an instant (now, or a Date given) in a time zone: an IANA id, whose rules
   * (daylight saving included) the browser applies, or a UTC offset; UTC when there is none.
   */
  function dateIn(zone, now) {
    var d = now instanceof Date ? now : new Date();
    var offset = zone === null || zone === undefined ? 0 : offsetMinutes(zone);
    if (offset === null) {
      var format = zoneFormat(zone);
      if (format) {
        var parts = format.formatToParts(d), y = '', m = '', day = '';
        for (var i = 0; i < parts.length; i++) {
          if (parts[i].type === 'year') y = parts[i].value;
          else if (parts[i].type === 'month') m = parts[i].value;
          else if (parts[i].type === 'day') day = parts[i].value;
        }
        return pad(+y, 4) + '-' + m + '-' + day;
      }
      offset = 0;
    }
    var t = new Date(d.getTime() + offset * 60000);
    return pad(t.getUTCFullYear(), 4) + '-' + pad(t.getUTCMonth() + 1, 2) + '-' + pad(t.getUTCDate(), 2);
  }

  /** The browser's time zone (an IANA id), or null when it does not say one. */
  function browserZone() {
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      return isTimeZone(zone) ? zone : null;
    } catch (e) { return null; }
  }

  /** The date some days after a "yyyy-mm-dd" date, or null. */
  function addDays(text, days) {
    var day = parseDate(text);
    return day === null ? null : formatDay(day + days);
  }

  /** Whole days from one date to another (negative when `to` is earlier), or null. */
  function daysBetween(from, to) {
    var a = parseDate(from), b = parseDate(to);
    return a === null || b === null ? null : b - a;
  }

  /** The week as PatientState reads it: a number at least 1, taken down to whole weeks; else 1. */
  function readWeek(w) {
    return typeof w === 'number' && isFinite(w) && w >= 1 ? Math.min(Math.floor(w), 2147483647) : 1;
  }

  /** The week (0 before the start) and the start date's day number where known (Scheduler.WeekOf). */
  function weekOf(progress) {
    var start = own(progress, 'start') ? parseDate(progress.start) : null;
    var fixed = own(progress, 'fixedWeek') ? progress.fixedWeek : null;
    if (typeof fixed === 'number' && fixed % 1 === 0 && fixed >= 0 && fixed <= 2147483647) return { week: fixed, start: start };
    if (own(progress, 'week') && typeof progress.week === 'number') return { week: readWeek(progress.week), start: start };
    if (start !== null) {
      var today = own(progress, 'today') ? parseDate(progress.today) : null;
      if (today === null) today = parseDate(localToday());
      var days = today - start;
      return { week: days < 0 ? 0 : Math.floor(days / 7) + 1, start: start };
    }
    return { week: 1, start: null };
  }

  function findModule(program, id) {
    for (var i = 0; i < program.modules.length; i++) if (program.modules[i].id === id) return program.modules[i];
    return null;
  }

  function isTrue(tree, state) {
    try { return !!CE.isTrue && CE.isTrue(tree, state) === true; } catch (e) { return false; }
  }

  /** The schedule's rules (Scheduler.Evaluate): every module's state in schedule order, the choices, the next release. */
  function evaluate(program, progress) {
    progress = progress !== null && typeof progress === 'object' ? progress : {};
    var modules = program && isArray(program.modules) ? program.modules : [];
    var phases = program && isArray(program.phases) ? program.phases : [];
    program = { release: program && program.release, modules: modules, phases: phases };

    var wk = weekOf(progress);
    var week = wk.week, start = wk.start;
    var completed = strings(own(progress, 'completed') ? progress.completed : null);
    // An optional module the patient completed was theirs: it counts as chosen.
    var chosen = [];
    var candidates = strings(own(progress, 'chosen') ? progress.chosen : null).concat(completed);
    for (var c = 0; c < candidates.length; c++) {
      var cm = findModule(program, candidates[c]);
      if (cm && cm.optional === true && !contains(chosen, cm.id)) chosen.push(cm.id);
    }
    var conditionState = {
      week: Math.max(1, week), completed: completed, chosen: chosen,
      answers: own(progress, 'answers') ? progress.answers : {}
    };

    var choices = [];
    for (var p = 0; p < phases.length; p++) {
      var ph = phases[p];
      if (!ph.choose) continue;
      var n = 0;
      for (var k = 0; k < modules.length; k++) if (modules[k].phase === ph.id && contains(chosen, modules[k].id)) n++;
      var max = typeof ph.choose.max === 'number' ? ph.choose.max : null;
      choices.push({
        phase: ph.id, chosen: n, min: ph.choose.min, max: max,
        remaining: max === null ? null : Math.max(0, max - n),
        stillRequired: Math.max(0, ph.choose.min - n)
      });
    }
    function choiceOf(phaseId) {
      for (var i = 0; i < choices.length; i++) if (choices[i].phase === phaseId) return choices[i];
      return null;
    }

    // A week beyond the calendar's last day (9999-12-31) has no date, as in the runtime.
    function dateOf(w) {
      var day = start === null ? null : start + (w - 1) * 7;
      return day === null || day < FIRST_DAY || day > LAST_DAY ? null : formatDay(day);
    }
    function reason(kind, week, modules, message) {
      return { kind: kind, week: week, date: week === null ? null : dateOf(week), modules: modules, message: message };
    }
    function releaseWeek(m) { return program.release === 'all' ? 1 : m.programWeek; }

    var out = [];
    for (var i = 0; i < modules.length; i++) {
      var m = modules[i];
      var release = releaseWeek(m);
      var reasons = [];
      // The messages are the runtime's (LockReason.Message), in English for logs and tools.
      if (week < 1) {
        reasons.push(reason('programNotStarted', release, [],
          start !== null ? 'the program starts on ' + formatDay(start) : 'the program has not started'));
      } else if (week < release) {
        reasons.push(reason('notYetReleased', release, [],
          'opens in week ' + release + (dateOf(release) !== null ? ' (' + dateOf(release) + ')' : '')));
      }
      var missing = [];
      var requires = strings(m.requires);
      for (var r = 0; r < requires.length; r++) if (!contains(completed, requires[r])) missing.push(requires[r]);
      if (missing.length > 0) {
        reasons.push(reason('requiresModules', null, missing, 'needs ' + missing.map(function (x) { return "'" + x + "'"; }).join(', ') + ' completed first'));
      }

      var isChosen = contains(chosen, m.id);
      var recommended = m.optional === true && !!m.offerWhen && isTrue(m.offerWhen.tree, conditionState);
      var state;
      var full = choiceOf(m.phase);
      if (contains(completed, m.id)) state = 'completed';
      else if (reasons.length > 0) state = 'locked';
      else if (m.optional !== true || isChosen) state = 'open';
      else if (full && full.remaining === 0) {
        reasons.push(reason('choiceLimitReached', null, [], full.chosen + ' of at most ' + full.max + ' modules of ' + full.phase + ' are already chosen'));
        state = 'locked';
      }
      else state = 'offered';
      if (state === 'completed') reasons = [];
      out.push({
        id: m.id, state: state, reasons: reasons, chosen: isChosen, recommended: recommended,
        // The module's offerReason (a text per locale) where the program has it: graph.json does, program.js not.
        recommendationReason: recommended && m.offerReason !== null && typeof m.offerReason === 'object' ? m.offerReason : null,
        opensOn: week < release || week < 1 ? dateOf(release) : null
      });
    }

    var next = null;
    for (var u = 0; u < modules.length; u++) {
      var um = modules[u];
      var rw = releaseWeek(um);
      if (rw <= week || contains(completed, um.id)) continue;
      if (next === null || rw < next.week) next = { week: rw, date: dateOf(rw), modules: [um.id] };
      else if (rw === next.week) next.modules.push(um.id);
    }

    var current = null;
    for (var q = 0; q < phases.length; q++) {
      var last = phases[q].firstWeek + phases[q].weeks - 1;
      if (week >= phases[q].firstWeek && week <= last) { current = phases[q].id; break; }
    }
    return { week: week, start: start === null ? null : formatDay(start), phase: current, modules: out, choices: choices, next: next };
  }

  CE.schedule = {
    evaluate: function (program, progress) {
      try { return evaluate(program, progress); } catch (e) { return null; }
    },
    today: localToday,
    dateIn: dateIn,
    isTimeZone: isTimeZone,
    browserZone: browserZone,
    addDays: addDays,
    daysBetween: daysBetween,
    isDate: function (text) { return parseDate(text) !== null; },
    /** The program's length in weeks, pauses included. */
    totalWeeks: function (program) {
      var total = 0;
      var phases = program && isArray(program.phases) ? program.phases : [];
      for (var i = 0; i < phases.length; i++) total = Math.max(total, phases[i].firstWeek + phases[i].weeks - 1);
      return total;
    }
  };
})();
