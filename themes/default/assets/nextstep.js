/* ContentEngine web bundle: always a clear next step.
   After "I have done this part" and after a worksheet is saved, says what was saved, what comes next
   (the next module, a link) and when the next part opens; keeps the done button from marking a
   module that is locked or whose required homework is unanswered (the runtime's CompleteModule
   refuses the same); on the overview, shows this week's work first and folds the other weeks.
   Reads the schedule through app.js (CE.progress: the runtime's rules in schedule.js) and each
   module's homework from assets/program.js (Homework in the runtime). Plain ES5; never throws. */
(function () {
  'use strict';
  var CE = (window.CE = window.CE || {});
  var P = null; // CE.progress, once app.js has run
  var shownWeek = null; // the week whose <details> the overview opened last

  function moduleOf(id) {
    var ms = window.CE_PROGRAM && window.CE_PROGRAM.modules ? window.CE_PROGRAM.modules : [];
    for (var i = 0; i < ms.length; i++) if (ms[i] && ms[i].id === id) return ms[i];
    return null;
  }

  function homeworkOf(id) {
    var m = moduleOf(id);
    return m && Object.prototype.toString.call(m.homework) === '[object Array]' ? m.homework : [];
  }

  function titleIn(title, fallback) {
    var lang = document.documentElement.getAttribute('lang');
    return title ? (title[lang] || title[Object.keys(title)[0]] || fallback) : fallback;
  }

  /** Whether the patient has done a worksheet as answered(worksheet) reads it (conditions.js). */
  function isDone(h) {
    if (!CE.evaluate) return false;
    var tree = { node: 'answered', target: h.id, diary: h.diary === true, requiredFields: h.required || [] };
    return CE.evaluate(tree, CE.state.forConditions()) === true;
  }

  /** The required homework of a module the patient has not answered yet. */
  function missing(id) {
    var out = [];
    var list = homeworkOf(id);
    for (var i = 0; i < list.length; i++) if (list[i].required && list[i].required.length && !isDone(list[i])) out.push(list[i]);
    return out;
  }

  function statusOf(st, id) {
    for (var i = 0; st && i < st.modules.length; i++) if (st.modules[i].id === id) return st.modules[i];
    return null;
  }

  /** Where worksheets are from a page whose modules are at modulesBase ("modules/", "" or "../modules/"). */
  function worksheetsBase(modulesBase) { return modulesBase === '' ? '../worksheets/' : modulesBase.replace(/modules\/$/, 'worksheets/'); }

  /** "“A”, “B” and “C”" as nodes, each a link. */
  function links(items, href, title) {
    var out = [];
    for (var i = 0; i < items.length; i++) {
      if (i > 0) out.push(i === items.length - 1 ? P.say('and') : ', ');
      var q = P.say('quote', ['\u0000']).split('\u0000');
      out.push(q[0], P.el('a', { href: href(items[i]) }, [title(items[i])]), q[1] || '');
    }
    return out;
  }

  function homeworkLinks(list, base) {
    return links(list, function (h) { return base + h.id + '.html'; }, function (h) { return titleIn(h.title, h.id); });
  }

  function moduleLinks(ids, base) {
    return links(ids, function (id) { return base + id + '.html'; }, P.titleOf);
  }

  /** "Next: <the next module>" and "“…” opens Monday 14 December.", as paragraphs; none when neither applies. */
  function onward(st, base) {
    var out = [];
    var next = P.nextOpen(st);
    if (next) out.push(P.el('p', { 'data-next-module': next.id }, [P.say('next-step') + ' ', P.el('a', { href: base + next.id + '.html', 'data-continue-module': next.id }, [P.titleOf(next.id)])]));
    if (st.next && st.next.date) {
      var parts = P.say('next-opens-module', ['\u0000', P.formatDate(st.next.date, true)]).split('\u0000');
      out.push(P.el('p', { 'data-next-opens': st.next.date }, [parts[0]].concat(moduleLinks(st.next.modules.slice(0, 1), base), [parts[1] || ''])));
    }
    return out;
  }

  // ---- the done button ----

  /** Why the module cannot be marked done now (nodes), or null when it can (or is done already). */
  function refusal(st, id, base) {
    var ms = statusOf(st, id);
    if (!ms || ms.state === 'completed') return null;
    if (ms.state === 'locked') return [P.say('done-refused-locked')];
    var left = missing(id);
    if (left.length === 0) return null;
    return [P.say('done-refused-homework') + ' '].concat(homeworkLinks(left, worksheetsBase(base)), ['.']);
  }

  /** On a click of the done button: true (and the reason said) when the module may not be marked. */
  function refuse(id) {
    var st = CE.state.schedule();
    var out = document.querySelector('[data-module-status]');
    var why = st ? refusal(st, id, out ? out.getAttribute('data-modules-base') || '' : '') : null;
    if (!why) return false;
    var note = document.querySelector('[data-complete-note]');
    if (note) P.fill(note, why);
    return true;
  }

  function refreshModulePage(st, s) {
    var out = document.querySelector('[data-module-status]');
    var button = document.querySelector('button[data-complete]');
    if (!out || !button) return;
    var id = button.getAttribute('data-complete');
    var base = out.getAttribute('data-modules-base') || '';
    var why = refusal(st, id, base);
    var box = document.querySelector('[data-complete-why]');
    if (box) {
      P.fill(box, why || []);
      box.hidden = !why;
      if (why) box.id = box.id || 'ce-complete-why';
    }
    if (why) { button.setAttribute('aria-disabled', 'true'); button.setAttribute('aria-describedby', 'ce-complete-why'); }
    else { button.removeAttribute('aria-disabled'); button.removeAttribute('aria-describedby'); }
    var after = document.querySelector('[data-continue-after]');
    if (after) {
      P.fill(after, s.completed.indexOf(id) >= 0 ? onward(st, base) : []);
      after.hidden = !after.firstChild;
    }
  }

  // ---- after a worksheet is saved ----

  /** What comes after saving a worksheet: the rest of its module's homework, marking the module done, or the next module. */
  function afterWorksheet(st, worksheet, base) {
    for (var i = 0; i < st.modules.length; i++) {
      var ms = st.modules[i];
      if (ms.state !== 'open') continue;
      var list = homeworkOf(ms.id), placed = false;
      for (var j = 0; j < list.length; j++) if (list[j].id === worksheet) placed = true;
      if (!placed) continue;
      var left = missing(ms.id);
      if (left.length) return [P.el('p', {}, [P.say('still-to-do') + ' '].concat(homeworkLinks(left, worksheetsBase(base)), ['.']))];
      var parts = P.say('next-mark-module', ['\u0000']).split('\u0000');
      return [P.el('p', { 'data-next-module': ms.id }, [parts[0], P.el('a', { href: base + ms.id + '.html#ce-complete' }, [P.titleOf(ms.id)]), parts[1] || ''])];
    }
    return onward(st, base);
  }

  function worksheetNote(form) {
    var note = form.nextElementSibling;
    if (note && note.hasAttribute('data-ws-next')) return note;
    note = P.el('div', { 'class': 'ce-ws-next', 'data-ws-next': form.getAttribute('data-worksheet'), role: 'status' }, []);
    form.parentNode.insertBefore(note, form.nextSibling);
    return note;
  }

  /** Called by worksheets.js once a worksheet's answers are saved. */
  function saved(worksheet, form) {
    if (!P || !form || !form.parentNode) return;
    var st = CE.state.schedule();
    var page = document.querySelector('[data-worksheet-page]');
    var base = page ? page.getAttribute('data-modules-base') || '' : '';
    var h1 = page ? page.querySelector('h1') : null;
    var nodes = [P.el('p', { 'data-saved': worksheet }, [P.say('saved-worksheet', [h1 ? h1.textContent : worksheet])])];
    P.fill(worksheetNote(form), nodes.concat(st ? afterWorksheet(st, worksheet, base) : []));
  }

  // ---- the overview: this week first, the other weeks folded ----

  function refreshOverview(st) {
    var box = document.querySelector('[data-week-now]');
    var progress = document.querySelector('[data-progress]');
    if (!box || !progress) return;
    var base = progress.getAttribute('data-modules-base') || '';
    if (shownWeek !== st.week) {
      shownWeek = st.week;
      var weeks = document.querySelectorAll('details[data-week-details]');
      for (var w = 0; w < weeks.length; w++) weeks[w].open = parseInt(weeks[w].getAttribute('data-week-details'), 10) === st.week;
    }
    if (st.week < 1) { P.fill(box, []); box.hidden = true; return; }
    var now = [], homework = [], seen = {};
    var next = P.nextOpen(st);
    for (var i = 0; i < st.modules.length; i++) {
      var ms = st.modules[i], m = moduleOf(ms.id);
      var thisWeek = m && (window.CE_PROGRAM.release === 'all' ? ms.state === 'open' : m.programWeek === st.week);
      if (!(ms.state === 'open' || (thisWeek && ms.state !== 'offered' && !(ms.state === 'locked' && ms.reasons.length && ms.reasons[0].kind === 'choiceLimitReached')))) continue;
      var word = ms.state === 'completed' ? P.say('done') : ms.state === 'locked' ? P.say('locked') : next && next.id === ms.id ? P.say('next') : P.say('open');
      now.push(P.el('li', { 'data-week-now-module': ms.id, 'data-state': ms.state }, [P.el('a', { href: base + ms.id + '.html' }, [P.titleOf(ms.id)]), ' · ' + word]));
      var list = homeworkOf(ms.id);
      for (var j = 0; j < list.length; j++) {
        if (seen[list[j].id] || ms.state === 'locked') continue;
        seen[list[j].id] = true;
        var done = isDone(list[j]);
        homework.push(P.el('li', { 'data-week-now-homework': list[j].id, 'data-done': done ? 'true' : 'false' }, [
          P.el('a', { href: worksheetsBase(base) + list[j].id + '.html' }, [titleIn(list[j].title, list[j].id)]),
          ' · ' + P.say(done ? 'homework-done' : 'homework-todo')
        ]));
      }
    }
    var nodes = [P.el('h3', {}, [P.say('this-week-heading')])];
    nodes.push(now.length ? P.el('ul', { 'class': 'ce-week-now-list' }, now) : P.el('p', {}, [P.say('nothing-new')]));
    if (homework.length) nodes.push(P.el('p', { 'class': 'ce-week-now-label' }, [P.say('homework')]), P.el('ul', { 'class': 'ce-week-now-list' }, homework));
    P.fill(box, nodes);
    box.hidden = false;
  }

  CE.nextStep = {
    /** Called by app.js on every refresh with the schedule's status and the stored state. */
    refresh: function (st, s) {
      P = CE.progress || P;
      if (!P || !st) return;
      refreshModulePage(st, s);
      refreshOverview(st);
    },
    refuse: function (id) { P = CE.progress || P; return !!P && refuse(id); },
    saved: saved,
    missing: missing
  };
})();
