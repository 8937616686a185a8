/* ContentEngine preview: live reload, error overlay and patient panel. Only in `contentengine serve`, which
   serves this file at /__contentengine/preview.js to every page, with preview.css beside it and the panel's
   strings at /__contentengine/strings.json. The panel reads and writes the bundle's own patient state
   (CE.state, app.js), asks the bundle's scheduler (CE.schedule.evaluate, schedule.js) what the patient gets,
   and evaluates conditions with the bundle's CE.evaluate. Plain ES5. */
(function () {
  'use strict';
  if (window.__cePreview) return;
  var script = document.currentScript;
  var P = window.__cePreview = { connected: false, generation: 0, bundle: -1, status: null, program: null };
  var page = (script && script.getAttribute('data-page')) || '';
  var fingerprint = (script && script.getAttribute('data-fingerprint')) || 'missing';
  var root = document.documentElement;
  var locale = root.getAttribute('data-locale') || root.getAttribute('lang') || 'en';

  // The panel's words are the theme's preview-* strings (strings-preview.json), which the server sends in the
  // page's locale (English where the theme has none in it) and in English, for the overlay: the overlay is in
  // English, like the compiler's messages it shows; the panel speaks the page's language.
  var S = {}, EN = {};
  function t(key, args, english) {
    var s = (english ? EN[key] : S[key]) || EN[key] || key;
    return s.replace(/\{(\d)\}/g, function (m, i) { return args && args[+i] !== undefined ? String(args[+i]) : m; });
  }
  // A string with a count has two forms, key.one (for 1) and key.other (for 0, 2, 3, …), as in the theme's strings.
  function tn(key, n, args, english) { return t(key + (n === 1 ? '.one' : '.other'), args, english); }
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k) && attrs[k] !== null && attrs[k] !== undefined) {
      if (k === 'text') e.textContent = attrs[k]; else if (k === 'hidden') e.hidden = !!attrs[k]; else e.setAttribute(k, attrs[k]);
    }
    if (children) for (var i = 0; i < children.length; i++) if (children[i] !== null && children[i] !== undefined)
      e.appendChild(typeof children[i] === 'string' ? document.createTextNode(children[i]) : children[i]);
    return e;
  }
  function store(kind) { try { return window[kind]; } catch (e) { return null; } }

  /** Loads the preview's style sheet and strings, then calls done (once, whatever fails). */
  function prepare(done) {
    var waiting = 2, called = false;
    function one() { if (--waiting === 0 && !called) { called = true; done(); } }
    var link = document.getElementById('ce-preview-style');
    if (!link) {
      link = el('link', { id: 'ce-preview-style', rel: 'stylesheet', href: '/__contentengine/preview.css' });
      link.addEventListener('load', one);
      link.addEventListener('error', one);
      document.head.appendChild(link);
    } else one();
    if (!window.fetch) { one(); return; }
    fetch('/__contentengine/strings.json?locale=' + encodeURIComponent(locale), { cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (x) { if (x) { S = x.strings || {}; EN = x.english || {}; } one(); })
      .catch(one);
  }

  // ---- scroll position across reloads ----
  var scrollKey = 'contentengine-preview:scroll:' + page;
  function restoreScroll() {
    var s = store('sessionStorage');
    if (!s) return;
    var y = s.getItem(scrollKey);
    if (y !== null) { s.removeItem(scrollKey); window.scrollTo(0, parseInt(y, 10) || 0); }
  }
  function reload() {
    var s = store('sessionStorage');
    if (s) try { s.setItem(scrollKey, String(window.scrollY || 0)); } catch (e) { /* full */ }
    P.reloading = true;
    window.location.reload();
  }

  // ---- the error overlay ----
  var overlay = el('div', { id: 'ce-preview-overlay', 'class': 'ce-preview', lang: 'en', role: 'alert', 'aria-live': 'assertive', hidden: true });
  var hiddenFor = null;
  function location_(p) {
    if (p.line) return p.column ? t('at', [p.line, p.column], true) : t('at-line', [p.line], true);
    return '';
  }
  function showStatus(s) {
    P.status = s;
    var signature = JSON.stringify(s.errors);
    overlay.textContent = '';
    if (!s.errors.length) { overlay.hidden = true; hiddenFor = null; return; }
    if (hiddenFor === signature) return;
    var hide = el('button', { type: 'button', 'class': 'ce-preview-hide', text: t('hide', null, true) });
    hide.addEventListener('click', function () { hiddenFor = signature; overlay.hidden = true; });
    overlay.appendChild(hide);
    overlay.appendChild(el('h2', { text: tn('errors', s.errors.length, [s.errors.length], true) }));
    overlay.appendChild(el('p', { text: s.hasBundle ? t('last-good', null, true) : t('no-bundle', null, true) }));
    var list = el('ol');
    for (var i = 0; i < s.errors.length; i++) {
      var p = s.errors[i];
      var head = el('p', null, [
        p.file ? el('span', { 'class': 'ce-preview-file', text: p.file }) : null,
        p.file && p.line ? ', ' : null,
        location_(p),
        p.id && p.id.indexOf('CE') === 0 ? el('span', { 'class': 'ce-preview-tag', text: p.id }) : null,
        p.here ? el('span', { 'class': 'ce-preview-tag', text: t('here', null, true) }) : null
      ]);
      var item = el('li', { 'class': p.here ? 'ce-preview-here' : null, 'data-file': p.file, 'data-line': p.line }, [head, el('p', { text: p.message })]);
      if (p.source !== null && p.source !== undefined && p.line) {
        var num = String(p.line);
        var caret = new Array(num.length + 1).join(' ') + ' | ' + new Array(Math.max(0, (p.column || 1) - 1) + 1).join(' ') + '^' + new Array(Math.max(1, p.length || 1)).join('~');
        item.appendChild(el('pre', { 'aria-hidden': 'true', text: num + ' | ' + p.source + '\n' + caret }));
      }
      list.appendChild(item);
    }
    overlay.appendChild(list);
    overlay.hidden = false;
  }

  // ---- the patient panel ----
  var panelKey = 'contentengine-preview:panel';
  var toggle = el('button', { id: 'ce-preview-toggle', 'class': 'ce-preview', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'ce-preview-panel', hidden: true });
  var panel = el('section', { id: 'ce-preview-panel', 'class': 'ce-preview', hidden: true });
  var rows = {};
  var weekInput = null;
  var summary = null;
  var examples = null, examplesSummary = null, examplesBody = null, witnessStatus = null, witnessButtons = [];
  var examplesKey = 'contentengine-preview:examples';
  var witnessKey = 'contentengine-preview:witness';
  var WITNESSES = '/__contentengine/explore/witnesses.json';
  var WITNESS = '/__contentengine/explore/witnesses/';
  function hasState() { return !!(window.CE && window.CE.state); }
  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    var s = store('sessionStorage');
    if (s) try { s.setItem(panelKey, open ? 'open' : 'closed'); } catch (e) { /* full */ }
  }
  toggle.addEventListener('click', function () { setOpen(panel.hidden); });
  P.openPanel = function () { setOpen(true); };

  function titleOf(id) {
    var ms = P.program ? P.program.modules : [];
    for (var i = 0; i < ms.length; i++) if (ms[i].id === id) return ms[i].title;
    return id;
  }
  function toggleIn(list, id, on) {
    var at = list.indexOf(id);
    if (on && at < 0) list.push(id);
    if (!on && at >= 0) list.splice(at, 1);
  }

  function buildPanel(program) {
    P.program = program;
    rows = {};
    panel.textContent = '';
    panel.appendChild(el('h2', { text: t('panel') }));
    panel.appendChild(el('p', { 'class': 'ce-preview-hint', text: t('hint') }));
    if (!hasState()) { panel.appendChild(el('p', { text: t('no-state') })); return; }
    weekInput = el('input', { type: 'number', id: 'ce-preview-week', min: '1', max: String(program.weeks), step: '1', inputmode: 'numeric' });
    weekInput.addEventListener('input', function () {
      var n = parseInt(weekInput.value, 10);
      CE.state.update(function (s) { s.week = n >= 1 ? n : null; });
    });
    var reset = el('button', { type: 'button', id: 'ce-preview-reset', text: t('reset') });
    reset.addEventListener('click', function () {
      CE.state.update(function (s) { s.week = null; s.start = null; s.timeZone = null; s.completed = []; s.chosen = []; s.answers = {}; delete s.keptAside; });
      reload();
    });
    panel.appendChild(el('p', { 'class': 'ce-preview-row' }, [
      el('label', { 'for': 'ce-preview-week', text: t('current-week') }), weekInput, el('span', { text: t('of', [program.weeks]) }), reset
    ]));
    summary = el('p', { 'class': 'ce-preview-hint', id: 'ce-preview-summary', 'aria-live': 'polite' });
    panel.appendChild(summary);
    buildExamples();
    for (var p = 0; p < program.phases.length; p++) {
      var phase = program.phases[p];
      panel.appendChild(el('h3', null, [phase.title + ' ', el('span', { 'class': 'ce-preview-hint', text: '(' + tn('phase-weeks', phase.weeks, [phase.firstWeek, phase.firstWeek + phase.weeks - 1]) + ')' })]));
      var ul = el('ul');
      for (var i = 0; i < program.modules.length; i++) {
        var m = program.modules[i];
        if (m.phase !== phase.id) continue;
        ul.appendChild(moduleRow(m));
      }
      panel.appendChild(ul);
    }
    update();
  }

  function moduleRow(m) {
    var doneId = 'ce-preview-done-' + m.id;
    var done = el('input', { type: 'checkbox', id: doneId, 'data-preview-complete': m.id });
    done.addEventListener('change', function () { CE.state.update(function (s) { toggleIn(s.completed, m.id, done.checked); }); });
    var link = el('a', { href: m.url, 'aria-label': t('open-page', [m.title]), text: '→' });
    var status = el('p', { 'class': 'ce-preview-status' });
    var badges = el('p', { 'class': 'ce-preview-hint' });
    var reason = el('p', { 'class': 'ce-preview-reason', hidden: true, text: m.offerReason || '' });
    var li = el('li', { 'data-module': m.id, 'data-optional': m.optional ? 'true' : 'false' }, [
      el('div', { 'class': 'ce-preview-row' }, [done, el('label', { 'for': doneId }, [m.title, el('span', { 'class': 'ce-preview-hint', text: ' · ' + t('completed') })]), link]),
      status
    ]);
    var chosen = null;
    if (m.optional) {
      var chosenId = 'ce-preview-chosen-' + m.id;
      chosen = el('input', { type: 'checkbox', id: chosenId, 'data-preview-choose': m.id });
      chosen.addEventListener('change', function () { CE.state.update(function (s) { toggleIn(s.chosen, m.id, chosen.checked); }); });
      li.appendChild(badges);
      li.appendChild(reason);
      li.appendChild(el('div', { 'class': 'ce-preview-row' }, [chosen, el('label', { 'for': chosenId, text: t('chosen') })]));
      if (m.offerWhen) li.appendChild(el('p', { 'class': 'ce-preview-when' }, [t('when') + ': ', el('code', { text: m.offerWhen.source })]));
    }
    rows[m.id] = { module: m, li: li, done: done, chosen: chosen, status: status, badges: badges, reason: reason };
    return li;
  }

  // ---- example patients: the compiler's witnesses, loaded like an imported answers file ----
  function buildExamples() {
    witnessButtons = [];
    examples = el('details', { id: 'ce-preview-examples' });
    examplesSummary = el('summary', { text: t('examples') });
    examplesBody = el('div');
    examples.appendChild(examplesSummary);
    examples.appendChild(examplesBody);
    var s = store('sessionStorage');
    examples.open = !!s && s.getItem(examplesKey) === 'open';
    examples.addEventListener('toggle', function () {
      var ss = store('sessionStorage');
      if (ss) try { ss.setItem(examplesKey, examples.open ? 'open' : 'closed'); } catch (e) { /* full */ }
    });
    panel.appendChild(examples);
    fetchExamples();
  }

  function fetchExamples() {
    if (!window.fetch) return;
    fetch(WITNESSES + '?locale=' + encodeURIComponent(locale), { cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (list) { if (list) showExamples(list); })
      .catch(function () { /* the server is gone; the next build reloads the panel */ });
  }

  function witnessLabel(w, group) {
    if (w.kind === 'offer') return t(w.gets ? 'offer-gets' : 'offer-not', [group.title]);
    if (w.kind === 'block') return t(w.gets ? 'block-gets' : 'block-not', [w.line, w.condition]);
    return tn('phase-count', w.modules, [w.modules, group.title]);
  }

  function patientLine(w) {
    var parts = [t('week-n', [w.week]), w.answers || t('no-answers')];
    if (w.chosen && w.chosen.length) parts.push(t('chose', [w.chosen.map(titleOf).join(', ')]));
    return parts.join(' · ');
  }

  function showExamples(list) {
    P.witnesses = list;
    var focused = document.activeElement && examplesBody.contains(document.activeElement) ? document.activeElement.getAttribute('data-witness') : null;
    examplesBody.textContent = '';
    witnessButtons = [];
    examplesSummary.textContent = t('examples') + ' (' + list.count + ')';
    examplesBody.appendChild(el('p', { 'class': 'ce-preview-hint', text: list.count ? t('examples-hint') : t('no-examples') }));
    witnessStatus = el('p', { 'class': 'ce-preview-hint', id: 'ce-preview-witness-status', role: 'status' });
    examplesBody.appendChild(witnessStatus);
    for (var g = 0; g < list.groups.length; g++) {
      var group = list.groups[g];
      examplesBody.appendChild(el('h3', { text: group.kind === 'phase' ? t('choice-in', [group.title]) : group.title }));
      var ul = el('ul', { 'class': 'ce-preview-witnesses' });
      for (var i = 0; i < group.witnesses.length; i++) ul.appendChild(witnessItem(group.witnesses[i], group));
      examplesBody.appendChild(ul);
    }
    examplesBody.appendChild(el('p', null, [el('a', { href: list.report, text: t('report') })]));
    markWitness();
    for (var f = 0; focused && f < witnessButtons.length; f++) if (witnessButtons[f].file === focused) witnessButtons[f].button.focus();
  }

  function witnessItem(w, group) {
    var described = 'ce-preview-witness-' + w.file.replace(/[^A-Za-z0-9_-]/g, '-');
    var label = witnessLabel(w, group);
    var button = el('button', { type: 'button', 'class': 'ce-preview-witness', 'data-witness': w.file, 'aria-describedby': described, text: label });
    button.addEventListener('click', function () { loadWitness(w.file, w.url, w.page); });
    var loaded = el('span', { 'class': 'ce-preview-loaded', text: t('loaded'), hidden: true });
    witnessButtons.push({ file: w.file, label: label, button: button, loaded: loaded });
    return el('li', null, [button, el('p', { 'class': 'ce-preview-hint', id: described, text: patientLine(w) }), loaded]);
  }

  /** Loads a witness as the import button loads an answers file, then opens the page that shows it. */
  function loadWitness(file, url, target) {
    if (!window.fetch || !hasState()) return;
    fetch(url, { cache: 'no-store' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.text(); })
      .then(function (text) {
        CE.state.importJson(text);
        var s = store('sessionStorage');
        if (s) try { s.setItem(witnessKey, JSON.stringify({ file: file, state: JSON.stringify(CE.state.get()), reveal: true })); } catch (e) { /* full */ }
        if (examples) examples.open = true;
        if (s) try { s.setItem(examplesKey, 'open'); } catch (e) { /* full */ }
        if (!target || target === window.location.pathname) reload();
        else { P.reloading = true; window.location.href = target; }
      })
      .catch(function (e) { if (witnessStatus) witnessStatus.textContent = t('load-failed', [e.message]); });
  }
  P.loadWitness = function (file) {
    var w = null, groups = P.witnesses ? P.witnesses.groups : [];
    for (var g = 0; g < groups.length; g++) for (var i = 0; i < groups[g].witnesses.length; i++) if (groups[g].witnesses[i].file === file) w = groups[g].witnesses[i];
    loadWitness(file, w ? w.url : WITNESS + encodeURIComponent(file), w ? w.page : null);
  };

  /** The witness last loaded, while the patient's state is still what it loaded. */
  function savedWitness() {
    var s = store('sessionStorage');
    var saved = null;
    try { saved = s ? JSON.parse(s.getItem(witnessKey) || 'null') : null; } catch (e) { saved = null; }
    return saved && saved.state === JSON.stringify(CE.state.get()) ? saved : null;
  }

  function markWitness() {
    if (!witnessButtons.length) return;
    var saved = savedWitness(), label = null, shown = null;
    for (var i = 0; i < witnessButtons.length; i++) {
      var b = witnessButtons[i], on = !!saved && b.file === saved.file;
      if (on) { b.button.setAttribute('aria-current', 'true'); label = b.label; shown = b.button; } else b.button.removeAttribute('aria-current');
      b.loaded.hidden = !on;
    }
    if (witnessStatus) witnessStatus.textContent = label ? t('now-showing', [label]) : '';
    // Right after loading one, the panel scrolls to it (once: the author may scroll on).
    if (shown && saved.reveal && !panel.hidden) {
      panel.scrollTop = Math.max(0, shown.offsetTop - panel.clientHeight / 3);
      saved.reveal = false;
      var s = store('sessionStorage');
      if (s) try { s.setItem(witnessKey, JSON.stringify(saved)); } catch (e) { /* full */ }
    }
  }

  /**
   * What the schedule gives the patient the page's state describes: the bundle's own scheduler
   * (CE.schedule.evaluate, schedule.js, the runtime's rules and vectors) on the program this panel shows.
   */
  function scheduleOf(st) {
    if (!window.CE || !CE.schedule || typeof CE.schedule.evaluate !== 'function') return null;
    var progress = { completed: st.completed, chosen: st.chosen, answers: st.answers, today: CE.state.today() };
    if (typeof st.week === 'number') progress.week = st.week;
    if (st.start) progress.start = st.start;
    return CE.schedule.evaluate(P.program, progress);
  }

  /** Why a module is locked, in the panel's words. */
  function reasonText(reason, choice) {
    if (reason.kind === 'notYetReleased' || reason.kind === 'programNotStarted') return t('opens-in', [reason.week]);
    if (reason.kind === 'requiresModules') return t('needs', [reason.modules.map(titleOf).join(', ')]);
    if (reason.kind === 'choiceLimitReached') return t('limit', [choice ? choice.chosen : 0, choice ? choice.max : 0]);
    return reason.kind;
  }

  function update() {
    if (!P.program || !hasState() || !weekInput) return;
    var st = CE.state.get();
    var result = scheduleOf(st);
    if (!result) return;
    if (document.activeElement !== weekInput) weekInput.value = typeof st.week === 'number' ? String(st.week) : '';
    var week = Math.max(1, result.week);
    weekInput.placeholder = String(week);
    var choices = {};
    for (var c = 0; c < result.choices.length; c++) choices[result.choices[c].phase] = result.choices[c];
    var open = 0, all = 0, rec = 0;
    for (var i = 0; i < result.modules.length; i++) {
      var s = result.modules[i], r = rows[s.id];
      if (!r) continue;
      var m = r.module;
      var done = s.state === 'completed';
      // A completed module stays open to the patient; a locked one says why.
      var isOpen = s.state !== 'locked';
      var why = [];
      for (var k = 0; k < s.reasons.length; k++) why.push(reasonText(s.reasons[k], choices[m.phase]));
      r.status.textContent = isOpen ? t('open') : t('locked') + ': ' + why.join('; ');
      r.done.checked = done;
      r.li.setAttribute('data-state', s.state);
      r.li.setAttribute('data-open', isOpen ? 'true' : 'false');
      r.li.setAttribute('data-locked', isOpen ? 'false' : 'true');
      r.li.setAttribute('data-completed', done ? 'true' : 'false');
      all++;
      if (isOpen) open++;
      if (m.optional) {
        var recommended = s.recommended === true;
        if (recommended) rec++;
        var offered = s.state === 'offered';
        r.li.setAttribute('data-offered', offered ? 'true' : 'false');
        r.li.setAttribute('data-recommended', recommended ? 'true' : 'false');
        r.badges.textContent = '';
        r.badges.appendChild(el('span', { 'class': 'ce-preview-badge', text: t('optional') }));
        if (offered) r.badges.appendChild(el('span', { 'class': 'ce-preview-badge', text: t('offered') }));
        r.badges.appendChild(el('span', { 'class': 'ce-preview-badge' + (recommended ? ' ce-preview-badge-recommended' : ''), 'data-preview-recommended': recommended ? 'true' : 'false', text: recommended ? t('recommended') : t('not-recommended') }));
        r.reason.hidden = !(recommended && m.offerReason);
        if (r.chosen) r.chosen.checked = st.chosen.indexOf(s.id) >= 0;
      }
    }
    // The form follows the number of modules ("1 of 1 module", "1 of 6 modules").
    if (summary) summary.textContent = tn('summary', all, [week, open, all, rec]);
    markWitness();
  }
  P.update = update;

  function loadProgram() {
    if (!window.fetch) return;
    fetch('/__contentengine/program.json?locale=' + encodeURIComponent(locale), { cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (program) { if (program) buildPanel(program); })
      .catch(function () { /* the server is gone; the next status retries */ });
  }

  // ---- stale translations: a marker at each text whose source changed since it was translated ----
  function norm(x) { return String(x || '').replace(/\s+/g, ' ').trim(); }
  function ownText(e) {
    var c = e.cloneNode(true);
    var extra = c.querySelectorAll('.ce-preview, sup.footnote-ref, a.footnote-ref');
    for (var i = 0; i < extra.length; i++) extra[i].parentNode.removeChild(extra[i]);
    return norm(c.textContent);
  }
  function innermost(list) {
    return list.filter(function (e) { return !list.some(function (o) { return o !== e && e.contains(o); }); })[0] || null;
  }
  function findStale(u) {
    var scope = document.querySelector('main') || document.body;
    var text = norm(u.text);
    if (!text) return null;
    if (u.kind === 'alt') {
      var imgs = scope.querySelectorAll('img[alt]');
      for (var i = 0; i < imgs.length; i++) if (norm(imgs[i].getAttribute('alt')) === text) return imgs[i];
      return null;
    }
    var all = Array.prototype.slice.call(scope.querySelectorAll('h1,h2,h3,h4,h5,h6,p,li,td,th,dt,dd,figcaption,summary,legend,label,caption'))
      .filter(function (e) { return !e.closest('.ce-preview'); });
    if (u.kind === 'attribute') return innermost(all.filter(function (e) { return /^H[1-6]$|^SUMMARY$/.test(e.tagName) && ownText(e).indexOf(text) >= 0; }));
    var exact = innermost(all.filter(function (e) { return ownText(e) === text; }));
    if (exact) return exact;
    var head = text.slice(0, 60);
    return innermost(all.filter(function (e) { return ownText(e).indexOf(head) === 0; }));
  }
  function clearStale() {
    var old = document.querySelectorAll('.ce-stale');
    for (var i = 0; i < old.length; i++) old[i].parentNode.removeChild(old[i]);
    var marked = document.querySelectorAll('[data-ce-stale]');
    for (var j = 0; j < marked.length; j++) marked[j].removeAttribute('data-ce-stale');
  }
  function markStale(list) {
    var signature = JSON.stringify(list);
    if (signature === P.staleSignature) return;
    P.staleSignature = signature;
    clearStale();
    for (var i = 0; i < list.length; i++) {
      var u = list[i];
      var target = findStale(u);
      if (!target) continue;
      target.setAttribute('data-ce-stale', u.id);
      var marker = el('div', { 'class': 'ce-preview ce-stale', role: 'note', 'aria-label': t('stale-label'), 'data-unit': u.id }, [
        el('p', { 'class': 'ce-stale-head' }, [el('span', { 'aria-hidden': 'true', text: '\u26A0 ' }), t('stale-summary')]),
        el('p', { text: t('stale-now') }),
        el('p', { 'class': 'ce-stale-text ce-stale-now', lang: u.sourceLocale, text: u.source }),
        el('details', null, [
          el('summary', { text: t('stale-then') }),
          el('p', { 'class': 'ce-stale-text ce-stale-old', lang: u.sourceLocale, text: u.old }),
          el('p', { 'class': 'ce-preview-file', text: t('stale-where', [u.file, u.line]) + ' \u00B7 ' + u.id })
        ])
      ]);
      // Inside a list item or a table cell, the marker stays in it; after anything else.
      var anchor = target.tagName === 'IMG' ? (target.closest('figure, p') || target) : target;
      if (/^(LI|TD|TH|DD|DT|SUMMARY|LABEL|LEGEND|CAPTION)$/.test(anchor.tagName)) anchor.appendChild(marker);
      else anchor.parentNode.insertBefore(marker, anchor.nextSibling);
    }
  }

  // ---- Server-Sent Events: status (errors) and reload ----
  // Browsers allow six HTTP/1.1 connections per host, and every listening tab holds one: a hidden
  // tab lets go of its connection and connects again when it is shown, reloading then if it is stale.
  function connect() {
    if (!window.EventSource || P.source || P.reloading) return;
    var source = new EventSource('/__contentengine/events?page=' + encodeURIComponent(page) + '&fp=' + encodeURIComponent(fingerprint));
    P.source = source;
    source.addEventListener('status', function (e) {
      var s = JSON.parse(e.data);
      P.generation = s.generation;
      P.connected = true;
      toggle.removeAttribute('data-offline');
      toggle.textContent = t('panel');
      showStatus(s);
      markStale(s.stale || []);
      if (s.bundle !== P.bundle) { P.bundle = s.bundle; P.explored = s.explored; if (s.hasBundle) loadProgram(); }
      else if (s.explored !== P.explored) { P.explored = s.explored; if (examples) fetchExamples(); }
    });
    source.addEventListener('reload', function () { source.close(); P.source = null; reload(); });
    source.onerror = function () {
      P.connected = false;
      toggle.setAttribute('data-offline', 'true');
      toggle.textContent = t('panel') + ' · ' + t('offline');
      if (source.readyState === 2) { P.source = null; setTimeout(connect, 1000); }
    };
  }
  function disconnect() {
    if (!P.source) return;
    P.source.close();
    P.source = null;
    P.connected = false;
  }
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') disconnect(); else if (P.started) connect();
  });

  function start() {
    toggle.textContent = t('panel');
    panel.setAttribute('aria-label', t('panel'));
    document.body.appendChild(overlay);
    document.body.appendChild(panel);
    document.body.appendChild(toggle);
    if (hasState()) {
      toggle.hidden = false;
      var s = store('sessionStorage');
      setOpen(!!s && s.getItem(panelKey) === 'open');
      CE.state.onChange(function () { update(); });
      window.addEventListener('storage', function () { update(); });
      // Worksheet fields write the state as they change; read it again after them.
      document.addEventListener('input', function (e) { if (!panel.contains(e.target)) setTimeout(update, 0); });
      document.addEventListener('change', function (e) { if (!panel.contains(e.target)) setTimeout(update, 0); });
    }
    // The exploration report links its witnesses to the pages that show them: page.html#ce-witness=<file>.
    var named = /^#ce-witness=([^&]+)$/.exec(window.location.hash);
    if (named && hasState()) {
      var file = null;
      try { file = decodeURIComponent(named[1]); } catch (e) { file = null; }
      if (window.history && history.replaceState) history.replaceState(null, '', window.location.pathname + window.location.search);
      if (file) loadWitness(file, WITNESS + encodeURIComponent(file), null);
    }
    if (document.visibilityState !== 'hidden') connect();
    if (document.readyState === 'complete') restoreScroll(); else window.addEventListener('load', restoreScroll);
  }
  // The page's elements, the style sheet and the strings first; then the panel and the connection.
  var domReady = document.readyState !== 'loading', prepared = false;
  function maybeStart() { if (domReady && prepared && !P.started) { P.started = true; start(); } }
  prepare(function () { prepared = true; maybeStart(); });
  if (!domReady) document.addEventListener('DOMContentLoaded', function () { domReady = true; maybeStart(); });
})();
