/* ContentEngine web bundle: keeping the patient's work.
   - Asks the browser to keep this site's storage (navigator.storage.persist) when the patient first saves
     something, and remembers the answer; the overview's backup section says plainly when it was not granted.
   - Saves a backup: the stored state (CE.state.exportJson, app.js) as "<program>-backup-<date>.json".
   - Opens a backup: reads and checks the whole file first (a refusal changes nothing and says why), shows
     what it would change, then merges (the newest answer per field and per diary entry wins; completed and
     chosen modules are joined; nothing newer here is lost), replaces everything, or changes nothing.
   - Reminds the patient on the overview to save a backup before a pause and when the last is older than
     14 days (or none was made) while there are answers; "Not now" puts the reminder away for a while.
   What it remembers about backups lives beside the state (key "<state key>:backup"), never in it. */
(function () {
  'use strict';
  var CE = window.CE;
  if (!CE || !CE.state) return;
  var html = document.documentElement;
  var infoKey = CE.state.key + ':backup';
  var DAY = 86400000;
  var OLD_DAYS = 14;   // a backup older than this is reminded of
  var PAUSE_DAYS = 7;  // a pause is reminded of this many days before it starts
  var AWAY_DAYS = 7;   // "Not now" puts the reminder of an old backup away for this long
  var has = Object.prototype.hasOwnProperty;

  function say(key, args) { return CE.state.say('backup-' + key, args); }

  function isObject(x) { return x !== null && typeof x === 'object' && !Array.isArray(x); }

  function clone(x) { return x === undefined ? undefined : JSON.parse(JSON.stringify(x)); }

  // ---- what is remembered: {last, persisted, dismissed} ----

  function info() {
    try { var v = JSON.parse(window.localStorage.getItem(infoKey) || 'null'); return isObject(v) ? v : {}; } catch (e) { return {}; }
  }

  function remember(change) {
    var v = info();
    for (var k in change) if (has.call(change, k)) v[k] = change[k];
    try { window.localStorage.setItem(infoKey, JSON.stringify(v)); } catch (e) { /* private mode */ }
    return v;
  }

  // ---- persistent storage ----

  var asked = false;

  /** Asks once a page for storage the browser does not evict (granted is remembered and not asked again). */
  function askToKeep() {
    if (asked || info().persisted === 'granted') return;
    asked = true;
    var storage = navigator.storage;
    if (!storage || typeof storage.persist !== 'function') { remember({ persisted: 'unsupported' }); refreshPanel(); return; }
    try {
      storage.persist().then(function (granted) {
        remember({ persisted: granted ? 'granted' : 'denied' });
        refreshPanel();
      }, function () { remember({ persisted: 'denied' }); refreshPanel(); });
    } catch (e) { remember({ persisted: 'denied' }); }
  }

  // ---- saving a backup ----

  function fileName() {
    return (html.getAttribute('data-program') || 'program') + '-backup-' + (CE.state.today() || new Date().toISOString().slice(0, 10)) + '.json';
  }

  function saveBackup() {
    var name = fileName();
    var blob = new Blob([CE.state.exportJson()], { type: 'application/json' });
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    remember({ last: new Date().toISOString() });
    status(say('saved', [name]));
    refreshPanel();
  }

  // ---- opening a backup: what it changes, merged or replaced ----

  function timeOf(state, ws, key) {
    var t = isObject(state.saved) && isObject(state.saved[ws]) ? state.saved[ws][key] : undefined;
    var n = typeof t === 'string' ? Date.parse(t) : NaN;
    return isNaN(n) ? -Infinity : n;
  }

  function union(a, b) {
    var out = a.slice();
    for (var i = 0; i < b.length; i++) if (out.indexOf(b[i]) < 0) out.push(b[i]);
    return out;
  }

  function keysOf(o) { return isObject(o) ? Object.keys(o) : []; }

  function dateOf(entry) { return isObject(entry) && typeof entry._date === 'string' ? entry._date : ''; }

  /** A diary's entries in date order (undated first), those of one day in the order of their keys. */
  function ordered(entries) {
    return entries.sort(function (a, b) {
      var da = dateOf(a.value), db = dateOf(b.value);
      if (da !== db) return da < db ? -1 : 1;
      return a.rank - b.rank;
    }).map(function (e) { return e.value; });
  }

  function rankOf(key) { var at = key.lastIndexOf('#'); return at < 0 ? 1 : parseInt(key.slice(at + 1), 10) || 1; }

  /**
   * The state a merge gives, and what the file changes: per worksheet, each field (a form) or entry (a
   * diary, by CE.state.entryKeys) is taken from the side saved later; on a tie, or where no time is known,
   * what is here stays and what only the file has is added. A field or entry cleared later than the other
   * side saved it stays cleared.
   */
  function plan(here, file) {
    var c = { answersNewer: 0, answersOlder: 0, answersFileOnly: 0, entriesNewer: 0, entriesOlder: 0, entriesFileOnly: 0, doneFileOnly: 0, chosenFileOnly: 0, doneHereOnly: 0 };
    var merged = clone(here);
    merged.saved = isObject(merged.saved) ? merged.saved : {};
    var sheets = union(union(keysOf(here.answers), keysOf(file.answers)), keysOf(file.saved));
    for (var i = 0; i < sheets.length; i++) {
      var ws = sheets[i], h = here.answers[ws], f = file.answers[ws];
      var diary = Array.isArray(h) || (h === undefined && Array.isArray(f));
      var hk = CE.state.byKey(Array.isArray(h) === diary ? h : undefined), fk = CE.state.byKey(Array.isArray(f) === diary ? f : undefined);
      var times = isObject(merged.saved[ws]) ? merged.saved[ws] : {};
      var keys = union(union(union(Object.keys(hk), Object.keys(fk)), keysOf(here.saved && here.saved[ws])), keysOf(file.saved && file.saved[ws]));
      var out = [], form = {};
      for (var j = 0; j < keys.length; j++) {
        var k = keys[j], inH = has.call(hk, k), inF = has.call(fk, k), th = timeOf(here, ws, k), tf = timeOf(file, ws, k);
        var same = inH && inF && JSON.stringify(hk[k]) === JSON.stringify(fk[k]);
        var fromFile = tf > th || (tf === th && inF && !inH);
        if (!same && (inH || inF)) {
          var kind = diary ? 'entries' : 'answers';
          if (inF && !inH && fromFile) c[kind + 'FileOnly']++;
          else if (fromFile) c[kind + 'Newer']++;
          else if (inF) c[kind + 'Older']++;
        }
        if (tf > th) times[k] = file.saved[ws][k];
        var value = fromFile && !same ? (inF ? fk[k] : undefined) : (inH ? hk[k] : undefined);
        if (value === undefined) continue;
        if (diary) out.push({ value: clone(value), rank: rankOf(k) }); else form[k] = clone(value);
      }
      if (Object.keys(times).length) merged.saved[ws] = times;
      var result = diary ? ordered(out) : form;
      if (diary ? result.length : Object.keys(result).length) merged.answers[ws] = result; else delete merged.answers[ws];
    }
    var k2;
    for (k2 = 0; k2 < file.completed.length; k2++) if (here.completed.indexOf(file.completed[k2]) < 0) c.doneFileOnly++;
    for (k2 = 0; k2 < here.completed.length; k2++) if (file.completed.indexOf(here.completed[k2]) < 0) c.doneHereOnly++;
    for (k2 = 0; k2 < file.chosen.length; k2++) if (here.chosen.indexOf(file.chosen[k2]) < 0) c.chosenFileOnly++;
    merged.completed = union(here.completed, file.completed);
    merged.chosen = union(here.chosen, file.chosen);
    // A browser with nothing done yet (its start date is only the day of the first visit) takes the file's dates.
    if (!hasWork(here)) { merged.start = file.start; merged.week = file.week; merged.timeZone = file.timeZone || here.timeZone; }
    var aside = keysOf(file.keptAside);
    for (var a = 0; a < aside.length; a++) {
      if (!isObject(merged.keptAside)) merged.keptAside = {};
      if (!has.call(merged.keptAside, aside[a])) merged.keptAside[aside[a]] = clone(file.keptAside[aside[a]]);
    }
    return { merged: merged, counts: c };
  }

  var pending = null; // the file's state and the merge, while the patient decides

  function panel() { return document.querySelector('[data-backup]'); }

  function status(text) {
    var out = document.querySelector('[data-import-status]');
    if (out) out.textContent = text;
  }

  function showPlan(file) {
    var p = plan(CE.state.get(), file);
    pending = { file: file, merged: p.merged };
    var box = document.querySelector('[data-backup-preview]');
    var list = document.querySelector('[data-backup-changes]');
    if (!box || !list) return;
    list.textContent = '';
    var names = ['answersNewer', 'answersFileOnly', 'answersOlder', 'entriesNewer', 'entriesFileOnly', 'entriesOlder', 'doneFileOnly', 'chosenFileOnly', 'doneHereOnly'];
    var any = false;
    for (var i = 0; i < names.length; i++) {
      var n = p.counts[names[i]];
      if (!n) continue;
      any = true;
      var kind = names[i].replace(/[A-Z]/g, function (x) { return '-' + x.toLowerCase(); });
      var li = document.createElement('li');
      li.setAttribute('data-change', kind);
      li.textContent = say(kind, [n]);
      list.appendChild(li);
    }
    if (!any) {
      var same = document.createElement('li');
      same.setAttribute('data-change', 'none');
      same.textContent = say('nothing-new');
      list.appendChild(same);
    }
    box.hidden = false;
    status('');
    var heading = box.querySelector('[data-backup-preview-heading]');
    if (heading) heading.focus();
  }

  function closePlan(text) {
    pending = null;
    var box = document.querySelector('[data-backup-preview]');
    if (box) box.hidden = true;
    var input = document.querySelector('input[data-import]');
    if (input) input.value = '';
    status(text);
  }

  function openFile(input) {
    input.files[0].text().then(function (text) {
      var file;
      try {
        file = CE.state.readJson(text);
      } catch (err) {
        // Nothing was changed; the patient is told why in the page's language.
        var why = CE.state.say('import-' + (err.code || 'not-state'), [err.detail || '']);
        var out = document.querySelector('[data-import-status]');
        closePlan((out ? out.getAttribute('data-failed') : '') + (why ? ': ' + why : ''));
        return;
      }
      showPlan(file);
    });
  }

  // ---- the overview's panel and reminder ----

  function hasWork(s) {
    for (var k in s.answers) if (has.call(s.answers, k) && s.answers[k] !== null) return true;
    return s.completed.length > 0;
  }

  /** The first day of the next pause in the patient's schedule that starts within PAUSE_DAYS (today included), or null. */
  function pauseSoon(s, today) {
    var p = CE.state.program();
    if (!p || !s.start || typeof s.week === 'number' || !today) return null;
    var best = null;
    for (var i = 0; i < (p.phases || []).length; i++) {
      var ph = p.phases[i];
      if (!(ph.pauseBefore > 0)) continue;
      var first = CE.schedule.addDays(s.start, (ph.firstWeek - ph.pauseBefore - 1) * 7);
      var days = first ? CE.schedule.daysBetween(today, first) : null;
      if (days !== null && days >= 0 && days <= PAUSE_DAYS && (best === null || first < best)) best = first;
    }
    return best;
  }

  /** What the reminder says now, or null: {key, text}. */
  function reminder(s, v) {
    var now = Date.now(), last = v.last ? Date.parse(v.last) : NaN;
    var today = CE.state.today();
    var pause = pauseSoon(s, today);
    if (pause && (isNaN(last) || last < Date.parse(CE.schedule.addDays(pause, -PAUSE_DAYS) + 'T00:00:00Z')) && v.dismissed !== 'pause:' + pause)
      return { key: 'pause:' + pause, text: say('remind-pause', [CE.formatDate ? CE.formatDate(pause, true) : pause]) };
    if (!hasWork(s) || (!isNaN(last) && now - last < OLD_DAYS * DAY)) return null;
    var away = typeof v.dismissed === 'string' && v.dismissed.indexOf('old:') === 0 ? Date.parse(v.dismissed.slice(4)) : NaN;
    if (!isNaN(away) && now - away < AWAY_DAYS * DAY) return null;
    return { key: 'old:' + new Date(now).toISOString(), text: say(isNaN(last) ? 'remind-never' : 'remind-old') };
  }

  function refreshPanel() {
    var box = panel();
    if (!box) return;
    var s = CE.state.get(), v = info();
    var last = box.querySelector('[data-backup-last]');
    if (last) last.textContent = v.last ? say('last', [CE.formatDate ? CE.formatDate(CE.schedule.dateIn(s.timeZone, new Date(v.last)), true) : v.last.slice(0, 10)]) : say('never');
    var kept = box.querySelector('[data-backup-not-kept]');
    if (kept) kept.hidden = v.persisted === 'granted';
    var remind = document.querySelector('[data-backup-reminder]');
    if (remind) {
      var r = reminder(s, v);
      remind.hidden = !r;
      remind.setAttribute('data-reason', r ? r.key.split(':')[0] : '');
      var text = remind.querySelector('[data-backup-reminder-text]');
      if (text) text.textContent = r ? r.text : '';
      var dismiss = remind.querySelector('[data-backup-dismiss]');
      if (dismiss) dismiss.setAttribute('data-key', r ? r.key : '');
    }
  }

  function wire() {
    CE.state.onChange(function () { askToKeep(); refreshPanel(); });
    var storage = navigator.storage;
    if (panel() && storage && typeof storage.persisted === 'function' && info().persisted !== 'granted') {
      try { storage.persisted().then(function (yes) { if (yes) { remember({ persisted: 'granted' }); refreshPanel(); } }, function () { }); } catch (e) { /* not offered */ }
    }
    document.addEventListener('click', function (e) {
      var t = e.target.closest ? e.target : null;
      if (!t) return;
      if (t.closest('[data-export], [data-backup-save]')) saveBackup();
      var dismiss = t.closest('[data-backup-dismiss]');
      if (dismiss) { remember({ dismissed: dismiss.getAttribute('data-key') }); refreshPanel(); }
      var choice = t.closest('[data-backup-choice]');
      if (choice && pending) {
        var how = choice.getAttribute('data-backup-choice');
        if (how === 'cancel') { closePlan(say('cancelled')); return; }
        CE.state.replace(how === 'replace' ? pending.file : pending.merged);
        // The page starts again from the state now stored, and says what was done.
        try { window.sessionStorage.setItem(infoKey + ':said', say(how === 'replace' ? 'replaced' : 'merged')); } catch (err) { /* private mode */ }
        window.location.reload();
      }
    });
    document.addEventListener('change', function (e) {
      var t = e.target;
      if (t.matches && t.matches('input[data-import]') && t.files && t.files[0]) openFile(t);
    });
    try {
      var said = window.sessionStorage.getItem(infoKey + ':said');
      if (said) { window.sessionStorage.removeItem(infoKey + ':said'); status(said); }
    } catch (e) { /* private mode */ }
    refreshPanel();
  }

  CE.backup = { plan: plan, fileName: fileName };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', wire); else wire();
})();
