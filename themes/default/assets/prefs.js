/* ContentEngine web bundle: the reader's preferences, applied before the page is drawn (loaded in
   the head): the text size chosen with the A− / A+ buttons. Kept in this browser only. */
(function () {
  'use strict';
  var html = document.documentElement;
  var key = 'contentengine:' + (html.getAttribute('data-program') || 'program') + ':text-size';
  var steps = [1, 1.15, 1.3, 1.5, 1.75, 2];
  function stored() {
    try { var v = parseInt(window.localStorage.getItem(key) || '0', 10); return v >= 0 && v < steps.length ? v : 0; } catch (e) { return 0; }
  }
  function apply(step) {
    html.style.setProperty('--ce-text-scale', String(steps[step]));
  }
  var current = stored();
  apply(current);
  var CE = (window.CE = window.CE || {});
  CE.textSize = {
    steps: steps,
    get: function () { return current; },
    /** Moves the text size one step up (+1) or down (-1) and returns the new step. */
    change: function (delta) {
      var step = current = Math.max(0, Math.min(steps.length - 1, current + delta));
      try { window.localStorage.setItem(key, String(step)); } catch (e) { /* private mode: this page only */ }
      apply(step);
      return step;
    },
    percent: function (step) { return Math.round(steps[step] * 100); }
  };
})();
