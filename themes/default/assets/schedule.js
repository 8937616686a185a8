/* ContentEngine web bundle: the schedule.
   CE.schedule.evaluate(program, progress) says, for a patient, which modules are open, locked and
   why, completed, offered and recommended, how many more may be chosen, and when the next opens.
   program is the schedule as the web bundle writes it in assets/program.js (window.CE_PROGRAM, in
   the shape of graph.json: release, phases, modules in schedule order); progress is
   {start, today, week, completed, chosen, answers}, every key optional, dates as "yyyy-mm-dd".
   The rules are those of the runtime, src/ContentEngine.Runtime/Programs/Scheduler.cs (described in
   docs/package-format.md, "The scheduling rules"), and both must pass every case of
   tests/vectors/schedule.json. One difference by design: without `today`, today is the patient's
   local date here (the runtime takes the UTC date). Dates are calendar dates: days are counted on
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

    function dateOf(w) { return start === null ? null : formatDay(start + (w - 1) * 7); }
    function releaseWeek(m) { return program.release === 'all' ? 1 : m.programWeek; }

    var out = [];
    for (var i = 0; i < modules.length; i++) {
      var m = modules[i];
      var release = releaseWeek(m);
      var reasons = [];
      if (week < 1) reasons.push({ kind: 'programNotStarted', week: release, date: dateOf(release), modules: [] });
      else if (week < release) reasons.push({ kind: 'notYetReleased', week: release, date: dateOf(release), modules: [] });
      var missing = [];
      var requires = strings(m.requires);
      for (var r = 0; r < requires.length; r++) if (!contains(completed, requires[r])) missing.push(requires[r]);
      if (missing.length > 0) reasons.push({ kind: 'requiresModules', week: null, date: null, modules: missing });

      var isChosen = contains(chosen, m.id);
      var recommended = m.optional === true && !!m.offerWhen && isTrue(m.offerWhen.tree, conditionState);
      var state;
      var full = choiceOf(m.phase);
      if (contains(completed, m.id)) state = 'completed';
      else if (reasons.length > 0) state = 'locked';
      else if (m.optional !== true || isChosen) state = 'open';
      else if (full && full.remaining === 0) {
        reasons.push({ kind: 'choiceLimitReached', week: null, date: null, modules: [] });
        state = 'locked';
      }
      else state = 'offered';
      if (state === 'completed') reasons = [];
      out.push({
        id: m.id, state: state, reasons: reasons, chosen: isChosen, recommended: recommended,
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
