namespace ContentEngine.Cli.Preview;

/// <summary>
/// The script the preview injects into every page (served at /__contentengine/preview.js): live
/// reload and the error overlay over Server-Sent Events, and the patient panel, which reads and
/// writes the bundle's own state (CE.state) and evaluates offers with the bundle's CE.evaluate.
/// </summary>
public static class PreviewScript
{
    public const string Text = """
/* ContentEngine preview: live reload, error overlay and patient panel. Only in `contentengine serve`. */
(function () {
  'use strict';
  if (window.__cePreview) return;
  var script = document.currentScript;
  var P = window.__cePreview = { connected: false, generation: 0, bundle: -1, status: null, program: null };
  var page = (script && script.getAttribute('data-page')) || '';
  var fingerprint = (script && script.getAttribute('data-fingerprint')) || 'missing';
  var root = document.documentElement;
  var locale = root.getAttribute('data-locale') || root.getAttribute('lang') || 'en';

  var STRINGS = {
    en: {
      panel: 'Patient preview', hint: 'Only in the preview. Act as a patient in this browser: set the week, complete modules and fill in worksheets to watch the path change.',
      week: 'Current week', of: 'of {n}', reset: 'Reset patient', completed: 'Completed', chosen: 'Chosen', openPage: 'Open {x}',
      open: 'Open', locked: 'Locked', opensIn: 'opens in week {n}', needs: 'needs {x}', optional: 'Optional', offered: 'Offered',
      recommended: 'Recommended', notRecommended: 'Not recommended', when: 'Recommended when', weeks: 'weeks {a}–{b}', week: 'week {a}',
      'summary.one': 'Week {w}: {open} of {all} module open, {rec} recommended.', 'summary.other': 'Week {w}: {open} of {all} modules open, {rec} recommended.',
      'errors.one': '{n} error in the program', 'errors.other': '{n} errors in the program',
      lastGood: 'The page shows the last version that compiled. Fix the error and save; this message goes away by itself.',
      noBundle: 'The program has not compiled yet.', here: 'in this page', at: 'line {l}, column {c}', atLine: 'line {l}', hide: 'Hide',
      offline: 'Preview offline', noState: 'This page has no patient state.', condition: 'condition error',
      limit: 'the choice is full ({n} of at most {m} chosen)',
      examples: 'Example patients', examplesHint: 'Patients the compiler found for every recommendation and every ::: if block: one who gets it and one who does not. Choose one to load their answers in this browser; the page that shows what they get opens.',
      offerGets: 'A patient who is recommended “{x}”', offerNot: 'A patient who is not recommended “{x}”',
      blockGets: 'A patient who sees the block at line {l} ({c})', blockNot: 'A patient who does not see the block at line {l} ({c})',
      'phaseCount.one': 'A patient who is recommended {n} module in {x}', 'phaseCount.other': 'A patient who is recommended {n} modules in {x}',
      choiceIn: 'The choice in {x}', weekN: 'Week {n}', noAnswers: 'no answers', chose: 'chose {x}', loaded: 'Loaded',
      nowShowing: 'Now showing: {x}.', loadFailed: 'The patient could not be loaded ({e}).', report: 'Every patient’s path: the exploration report',
      noExamples: 'Nothing to explore: the program has no offer_when and no ::: if block.',
      staleLabel: 'Stale translation', staleSummary: 'Source changed since this was translated', staleNow: 'The source now:',
      staleThen: 'When it was translated:', staleWhere: '{f}, line {l}'
    },
    sv: {
      panel: 'Patientvy', hint: 'Bara i förhandsvisningen. Var patient i den här webbläsaren: välj vecka, klarmarkera moduler och fyll i arbetsblad för att se vägen ändras.',
      week: 'Aktuell vecka', of: 'av {n}', reset: 'Nollställ patienten', completed: 'Klar', chosen: 'Vald', openPage: 'Öppna {x}',
      open: 'Öppen', locked: 'Låst', opensIn: 'öppnar vecka {n}', needs: 'kräver {x}', optional: 'Valfri', offered: 'Erbjuds',
      recommended: 'Rekommenderas', notRecommended: 'Rekommenderas inte', when: 'Rekommenderas när', weeks: 'vecka {a}–{b}', week: 'vecka {a}',
      'summary.one': 'Vecka {w}: {open} av {all} modul öppen, {rec} rekommenderas.', 'summary.other': 'Vecka {w}: {open} av {all} moduler öppna, {rec} rekommenderas.',
      offline: 'Förhandsvisningen är stoppad', noState: 'Den här sidan har inget patientläge.', condition: 'fel i villkoret',
      limit: 'valet är fullt ({n} av högst {m} valda)',
      examples: 'Exempelpatienter', examplesHint: 'Patienter som kompilatorn hittade för varje rekommendation och varje ::: if-block: en som får det och en som inte gör det. Välj en för att ladda patientens svar i den här webbläsaren; sidan som visar vad patienten får öppnas.',
      offerGets: 'En patient som rekommenderas ”{x}”', offerNot: 'En patient som inte rekommenderas ”{x}”',
      blockGets: 'En patient som ser blocket på rad {l} ({c})', blockNot: 'En patient som inte ser blocket på rad {l} ({c})',
      'phaseCount.one': 'En patient som rekommenderas {n} modul i {x}', 'phaseCount.other': 'En patient som rekommenderas {n} moduler i {x}',
      choiceIn: 'Valet i {x}', weekN: 'Vecka {n}', noAnswers: 'inga svar', chose: 'valde {x}', loaded: 'Laddad',
      nowShowing: 'Visar nu: {x}.', loadFailed: 'Patienten kunde inte laddas ({e}).', report: 'Alla patienters vägar: utforskningens rapport (på engelska)',
      noExamples: 'Inget att utforska: programmet har inget offer_when och inget ::: if-block.',
      staleLabel: 'Inaktuell översättning', staleSummary: 'Källtexten har ändrats sedan översättningen', staleNow: 'Källtexten nu:',
      staleThen: 'När den översattes:', staleWhere: '{f}, rad {l}'
    }
  };
  var S = STRINGS[locale] || STRINGS[locale.split('-')[0]] || STRINGS.en;
  // The overlay is in English, like the compiler's messages it shows; the panel speaks the page's language.
  function t(key, vars, english) {
    var s = (english ? STRINGS.en[key] : S[key]) || STRINGS.en[key] || key;
    if (vars) for (var k in vars) if (Object.prototype.hasOwnProperty.call(vars, k)) s = s.split('{' + k + '}').join(String(vars[k]));
    return s;
  }
  // A string with a count has two forms, key.one (for 1) and key.other (for 0, 2, 3, …), as in the theme's strings.
  function tn(key, n, vars, english) { return t(key + (n === 1 ? '.one' : '.other'), vars, english); }
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

  var CSS = [
    '.ce-preview,.ce-preview *{box-sizing:border-box}',
    '.ce-preview{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;letter-spacing:normal;text-align:left;text-transform:none}',
    '.ce-preview[hidden],.ce-preview [hidden]{display:none!important}',
    '#ce-preview-overlay{position:fixed;top:0;left:0;right:0;z-index:2147483646;max-height:60vh;overflow:auto;background:#fff;border-bottom:4px solid #b3001b;box-shadow:0 4px 18px rgba(0,0,0,.35);padding:14px 20px}',
    '#ce-preview-overlay h2{margin:0 0 4px;font-size:18px;line-height:1.3;color:#9b0016}',
    '#ce-preview-overlay p{margin:0 0 4px}',
    '#ce-preview-overlay ol{margin:8px 0 0;padding:0;list-style:none}',
    '#ce-preview-overlay li{border-left:4px solid #b3001b;background:#fff4f4;padding:8px 12px;margin:8px 0}',
    '#ce-preview-overlay li.ce-preview-here{background:#ffe6e6}',
    '.ce-preview-file{font-weight:700;font-family:ui-monospace,Menlo,Consolas,monospace}',
    '#ce-preview-overlay pre{margin:6px 0 0;padding:6px 8px;background:#1b1b1b;color:#f5f5f5;overflow-x:auto;font:13px/1.4 ui-monospace,Menlo,Consolas,monospace;white-space:pre}',
    '.ce-preview-tag{display:inline-block;margin-left:6px;padding:0 6px;border-radius:3px;background:#1b1b1b;color:#fff;font-size:12px;font-weight:400}',
    '.ce-preview button,button.ce-preview{font:inherit;color:#fff;background:#1d4f91;border:0;border-radius:4px;padding:4px 10px;cursor:pointer;min-height:32px}',
    '.ce-preview button:hover,button.ce-preview:hover{background:#163d70}',
    'button.ce-preview:focus-visible{outline:3px solid #c26a00;outline-offset:2px}',
    '.ce-preview a{color:#1d4f91}',
    '.ce-preview button:focus-visible,.ce-preview input:focus-visible,.ce-preview a:focus-visible{outline:3px solid #c26a00;outline-offset:2px}',
    '#ce-preview-overlay .ce-preview-hide{float:right;margin-left:12px}',
    '#ce-preview-toggle{position:fixed;right:16px;bottom:16px;z-index:2147483645;box-shadow:0 2px 10px rgba(0,0,0,.35)}',
    '#ce-preview-toggle[data-offline="true"]{background:#5a5a5a}',
    '#ce-preview-panel{position:fixed;right:16px;bottom:64px;z-index:2147483645;width:min(27rem,calc(100vw - 32px));max-height:calc(100vh - 96px);overflow:auto;background:#fff;border:1px solid #6b6b6b;border-radius:6px;box-shadow:0 4px 18px rgba(0,0,0,.3);padding:12px 14px}',
    '#ce-preview-panel h2{font-size:17px;margin:0 0 4px;color:#1b1b1b}',
    '#ce-preview-panel h3{font-size:15px;margin:14px 0 4px;color:#1b1b1b}',
    '#ce-preview-panel ul{list-style:none;margin:0;padding:0}',
    '#ce-preview-panel li{padding:6px 0;border-top:1px solid #d0d0d0}',
    '#ce-preview-panel label{cursor:pointer}',
    '#ce-preview-panel input[type=number]{width:5em;font:inherit;padding:2px 4px;border:1px solid #6b6b6b;border-radius:3px;color:#1b1b1b;background:#fff}',
    '.ce-preview-row{display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}',
    '.ce-preview-hint,.ce-preview-status,.ce-preview-reason,.ce-preview-when{font-size:13px;color:#3d3d3d;margin:2px 0}',
    '.ce-preview-when code{font-size:12px;word-break:break-word}',
    'li[data-open="true"] .ce-preview-status{color:#0b6b2b}',
    'li[data-open="false"] .ce-preview-status{color:#8a4b00}',
    '.ce-preview-badge{display:inline-block;font-size:12px;padding:0 6px;border-radius:3px;border:1px solid #1d4f91;color:#1d4f91;background:#fff;margin-right:4px}',
    '.ce-preview-badge-recommended{background:#0b6b2b;border-color:#0b6b2b;color:#fff}',
    '#ce-preview-examples{margin:10px 0 4px;border:1px solid #d0d0d0;border-radius:4px;padding:4px 8px}',
    '#ce-preview-examples>summary{cursor:pointer;font-weight:700;padding:4px 0;min-height:32px}',
    '#ce-preview-examples>summary:focus-visible{outline:3px solid #c26a00;outline-offset:2px}',
    '#ce-preview-examples h3{font-size:14px;margin:12px 0 2px}',
    '#ce-preview-panel .ce-preview-witnesses li{padding:4px 0}',
    '.ce-preview button.ce-preview-witness{display:block;width:100%;text-align:left;background:#fff;color:#1d4f91;border:1px solid #9db3d3;padding:4px 8px;line-height:1.35}',
    '.ce-preview button.ce-preview-witness:hover{background:#eef3fa}',
    '.ce-preview button.ce-preview-witness[aria-current="true"]{border:2px solid #0b6b2b;background:#eef7f0;color:#0b4f20}',
    '.ce-preview-witness code,.ce-preview-witness .ce-preview-code{font:12px/1.35 ui-monospace,Menlo,Consolas,monospace;word-break:break-word}',
    '.ce-preview-loaded{display:inline-block;font-size:12px;padding:0 6px;border-radius:3px;background:#0b6b2b;color:#fff;margin:2px 0 0}',
    '[data-ce-stale]{outline:3px dashed #a04a00;outline-offset:3px}',
    '.ce-stale{margin:6px 0 14px;padding:6px 10px;border:2px solid #a04a00;border-left-width:6px;border-radius:4px;background:#fff8ef;color:#1b1b1b;font-size:15px}',
    '.ce-stale .ce-stale-head{font-weight:700;color:#7a3800}',
    '.ce-stale>details>summary{cursor:pointer;color:#1d4f91;min-height:32px;padding:4px 0}',
    '.ce-stale>details>summary:focus-visible{outline:3px solid #c26a00;outline-offset:2px}',
    '.ce-stale p{margin:4px 0}',
    '.ce-stale-text{border-left:3px solid #6b6b6b;padding-left:8px;white-space:pre-wrap;word-break:break-word}',
    '.ce-stale-old{text-decoration:line-through;text-decoration-thickness:1px;color:#4a4a4a}',
    '.ce-stale .ce-preview-file{font-size:13px;font-weight:400}',
    '@media print{.ce-preview{display:none!important}}'
  ].join('\n');
  document.head.appendChild(el('style', { id: 'ce-preview-style', text: CSS }));

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
    if (p.line) return p.column ? t('at', { l: p.line, c: p.column }, true) : t('atLine', { l: p.line }, true);
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
    overlay.appendChild(el('h2', { text: tn('errors', s.errors.length, { n: s.errors.length }, true) }));
    overlay.appendChild(el('p', { text: s.hasBundle ? t('lastGood', null, true) : t('noBundle', null, true) }));
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
  var toggle = el('button', { id: 'ce-preview-toggle', 'class': 'ce-preview', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'ce-preview-panel', text: t('panel'), hidden: true });
  var panel = el('section', { id: 'ce-preview-panel', 'class': 'ce-preview', 'aria-label': t('panel'), hidden: true });
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
    if (!hasState()) { panel.appendChild(el('p', { text: t('noState') })); return; }
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
      el('label', { 'for': 'ce-preview-week', text: t('week') }), weekInput, el('span', { text: t('of', { n: program.weeks }) }), reset
    ]));
    summary = el('p', { 'class': 'ce-preview-hint', id: 'ce-preview-summary', 'aria-live': 'polite' });
    panel.appendChild(summary);
    buildExamples();
    for (var p = 0; p < program.phases.length; p++) {
      var phase = program.phases[p];
      panel.appendChild(el('h3', null, [phase.title + ' ', el('span', { 'class': 'ce-preview-hint', text: '(' + t(phase.weeks === 1 ? 'week' : 'weeks', { a: phase.firstWeek, b: phase.firstWeek + phase.weeks - 1 }) + ')' })]));
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
    var link = el('a', { href: m.url, 'aria-label': t('openPage', { x: m.title }), text: '→' });
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
    if (w.kind === 'offer') return t(w.gets ? 'offerGets' : 'offerNot', { x: group.title });
    if (w.kind === 'block') return t(w.gets ? 'blockGets' : 'blockNot', { l: w.line, c: w.condition });
    return tn('phaseCount', w.modules, { n: w.modules, x: group.title });
  }

  function patientLine(w) {
    var parts = [t('weekN', { n: w.week }), w.answers || t('noAnswers')];
    if (w.chosen && w.chosen.length) parts.push(t('chose', { x: w.chosen.map(titleOf).join(', ') }));
    return parts.join(' · ');
  }

  function showExamples(list) {
    P.witnesses = list;
    var focused = document.activeElement && examplesBody.contains(document.activeElement) ? document.activeElement.getAttribute('data-witness') : null;
    examplesBody.textContent = '';
    witnessButtons = [];
    examplesSummary.textContent = t('examples') + ' (' + list.count + ')';
    examplesBody.appendChild(el('p', { 'class': 'ce-preview-hint', text: list.count ? t('examplesHint') : t('noExamples') }));
    witnessStatus = el('p', { 'class': 'ce-preview-hint', id: 'ce-preview-witness-status', role: 'status' });
    examplesBody.appendChild(witnessStatus);
    for (var g = 0; g < list.groups.length; g++) {
      var group = list.groups[g];
      examplesBody.appendChild(el('h3', { text: group.kind === 'phase' ? t('choiceIn', { x: group.title }) : group.title }));
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
      .catch(function (e) { if (witnessStatus) witnessStatus.textContent = t('loadFailed', { e: e.message }); });
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
    if (witnessStatus) witnessStatus.textContent = label ? t('nowShowing', { x: label }) : '';
    // Right after loading one, the panel scrolls to it (once: the author may scroll on).
    if (shown && saved.reveal && !panel.hidden) {
      panel.scrollTop = Math.max(0, shown.offsetTop - panel.clientHeight / 3);
      saved.reveal = false;
      var s = store('sessionStorage');
      if (s) try { s.setItem(witnessKey, JSON.stringify(saved)); } catch (e) { /* full */ }
    }
  }

  function evaluate(tree, state) {
    if (!tree || !window.CE || typeof CE.evaluate !== 'function') return null;
    try { return CE.evaluate(tree, state); } catch (e) { return null; }
  }

  function update() {
    if (!P.program || !hasState() || !weekInput) return;
    var st = CE.state.get();
    var cond = CE.state.forConditions();
    var week = cond.week;
    if (document.activeElement !== weekInput) weekInput.value = typeof st.week === 'number' ? String(st.week) : '';
    weekInput.placeholder = String(week);
    // The scheduler's rules (ContentEngine.Runtime's Scheduler): an optional module completed counts
    // as chosen; where a phase's choice is full, the optional modules not chosen there lock.
    var chosen = [], taken = {}, max = {};
    var all_ = P.program.modules;
    for (var c = 0; c < all_.length; c++) {
      var mc = all_[c];
      if (mc.optional && (st.chosen.indexOf(mc.id) >= 0 || st.completed.indexOf(mc.id) >= 0)) { chosen.push(mc.id); taken[mc.phase] = (taken[mc.phase] || 0) + 1; }
    }
    for (var q = 0; q < P.program.phases.length; q++) {
      var ph = P.program.phases[q];
      if (ph.choose && typeof ph.choose.max === 'number') max[ph.id] = ph.choose.max;
    }
    var open = 0, all = 0, rec = 0;
    for (var id in rows) {
      if (!Object.prototype.hasOwnProperty.call(rows, id)) continue;
      var r = rows[id], m = r.module;
      var weekOk = P.program.release === 'all' || week >= m.programWeek;
      var missing = [];
      for (var i = 0; i < m.requires.length; i++) if (st.completed.indexOf(m.requires[i]) < 0) missing.push(titleOf(m.requires[i]));
      var done = st.completed.indexOf(id) >= 0;
      var isChosen = chosen.indexOf(id) >= 0;
      var full = m.optional && !isChosen && !done && weekOk && missing.length === 0
        && Object.prototype.hasOwnProperty.call(max, m.phase) && (taken[m.phase] || 0) >= max[m.phase];
      var isOpen = weekOk && missing.length === 0 && !full;
      var state = done ? 'completed' : !weekOk || missing.length ? 'locked' : !m.optional || isChosen ? 'open' : full ? 'locked' : 'offered';
      var why = [];
      if (!weekOk) why.push(t('opensIn', { n: m.programWeek }));
      if (missing.length) why.push(t('needs', { x: missing.join(', ') }));
      if (full) why.push(t('limit', { n: taken[m.phase] || 0, m: max[m.phase] }));
      r.status.textContent = isOpen || done && why.length === 0 ? t('open') : t('locked') + ': ' + why.join('; ');
      r.done.checked = done;
      r.li.setAttribute('data-state', state);
      r.li.setAttribute('data-open', isOpen ? 'true' : 'false');
      r.li.setAttribute('data-locked', isOpen ? 'false' : 'true');
      r.li.setAttribute('data-completed', done ? 'true' : 'false');
      all++;
      if (isOpen) open++;
      if (m.optional) {
        var value = m.offerWhen ? evaluate(m.offerWhen.tree, cond) : null;
        var recommended = value === true;
        if (recommended) rec++;
        var offered = state === 'offered';
        r.li.setAttribute('data-offered', offered ? 'true' : 'false');
        r.li.setAttribute('data-recommended', recommended ? 'true' : 'false');
        r.badges.textContent = '';
        r.badges.appendChild(el('span', { 'class': 'ce-preview-badge', text: t('optional') }));
        if (offered) r.badges.appendChild(el('span', { 'class': 'ce-preview-badge', text: t('offered') }));
        r.badges.appendChild(el('span', { 'class': 'ce-preview-badge' + (recommended ? ' ce-preview-badge-recommended' : ''), 'data-preview-recommended': recommended ? 'true' : 'false', text: recommended ? t('recommended') : t('notRecommended') }));
        r.reason.hidden = !(recommended && m.offerReason);
        if (r.chosen) r.chosen.checked = st.chosen.indexOf(id) >= 0;
      }
    }
    // The form follows the number of modules ("1 of 1 module", "1 of 6 modules").
    if (summary) summary.textContent = tn('summary', all, { w: week, open: open, all: all, rec: rec });
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
      var marker = el('div', { 'class': 'ce-preview ce-stale', role: 'note', 'aria-label': t('staleLabel'), 'data-unit': u.id }, [
        el('p', { 'class': 'ce-stale-head' }, [el('span', { 'aria-hidden': 'true', text: '\u26A0 ' }), t('staleSummary')]),
        el('p', { text: t('staleNow') }),
        el('p', { 'class': 'ce-stale-text ce-stale-now', lang: u.sourceLocale, text: u.source }),
        el('details', null, [
          el('summary', { text: t('staleThen') }),
          el('p', { 'class': 'ce-stale-text ce-stale-old', lang: u.sourceLocale, text: u.old }),
          el('p', { 'class': 'ce-preview-file', text: t('staleWhere', { f: u.file, l: u.line }) + ' \u00B7 ' + u.id })
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
    if (document.visibilityState === 'hidden') disconnect(); else connect();
  });

  function start() {
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
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
""";
}
