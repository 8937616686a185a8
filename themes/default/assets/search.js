/* Client-side search over the module and worksheet texts of this locale (search-index.js). */
(function () {
  'use strict';
  var index = window.CE_SEARCH || [];
  var input = document.querySelector('[data-search-input]');
  var list = document.querySelector('[data-search-results]');
  var status = document.querySelector('[data-search-status]');
  if (!input || !list) return;
  function norm(s) { return (s || '').toLowerCase(); }
  function run() {
    var words = norm(input.value).split(/\s+/).filter(function (w) { return w.length > 0; });
    list.innerHTML = '';
    if (words.length === 0) { status.textContent = ''; return; }
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var title = norm(index[i].t), text = norm(index[i].x), score = 0, all = true;
      for (var j = 0; j < words.length; j++) {
        var inTitle = title.indexOf(words[j]) >= 0, inText = text.indexOf(words[j]) >= 0;
        if (!inTitle && !inText) { all = false; break; }
        score += inTitle ? 10 : 1;
      }
      if (all) hits.push({ item: index[i], score: score });
    }
    hits.sort(function (a, b) { return b.score - a.score; });
    for (var k = 0; k < hits.length; k++) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = hits[k].item.u;
      a.textContent = hits[k].item.t;
      li.appendChild(a);
      var at = norm(hits[k].item.x).indexOf(words[0]);
      if (at >= 0) {
        var p = document.createElement('p');
        p.textContent = '…' + hits[k].item.x.substring(Math.max(0, at - 60), at + 100) + '…';
        li.appendChild(p);
      }
      list.appendChild(li);
    }
    // A count has two forms, one (for 1) and other, as the theme's strings "results-count.one" and "results-count.other".
    var counted = status.getAttribute(hits.length === 1 ? 'data-count-one' : 'data-count-other') || '{0}';
    status.textContent = hits.length === 0 ? status.getAttribute('data-none') : counted.replace('{0}', String(hits.length));
  }
  input.addEventListener('input', run);
  var q = /[?&]q=([^&]*)/.exec(window.location.search);
  if (q) { input.value = decodeURIComponent(q[1].replace(/\+/g, ' ')); run(); }
})();
