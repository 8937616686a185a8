/* ContentEngine web bundle: installable and available offline when served over http(s). Links the
   web app manifest and registers the service worker (sw.js at the bundle's root, whose scope is the
   whole bundle). From file:// it does nothing, so the bundle works there as it always has; nor in the
   preview of `contentengine serve`, which rebuilds the pages on every save and must never be answered
   from a cache. The script tag carries both URLs, relative to the page. */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || (location.protocol !== 'http:' && location.protocol !== 'https:')) return;
  var manifest = script.getAttribute('data-manifest');
  if (manifest && !document.querySelector('link[rel="manifest"]')) {
    var link = document.createElement('link');
    link.rel = 'manifest';
    link.href = manifest;
    document.head.appendChild(link);
  }
  var worker = script.getAttribute('data-worker');
  // Service workers need a secure context: https, or http on this machine (localhost, 127.0.0.1).
  if (!worker || !('serviceWorker' in navigator)) return;
  function register() {
    if (window.__cePreview) return; // the preview's own script, injected into every page it serves
    navigator.serviceWorker.register(worker).then(keepTracks).catch(function (e) {
      // Without the worker the bundle still works online; say why, quietly.
      if (window.console) console.warn('The program is not kept for offline use:', e);
    });
  }
  // The page's players: the worker fetches their tracks into its cache now, so they play offline later (it keeps
  // only the bundle's own tracks, and fetches a track it already has no more).
  function keepTracks() {
    var urls = Array.prototype.map.call(document.querySelectorAll('audio[src]'), function (a) { return a.src; });
    if (urls.length === 0) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: 'contentengine-keep', urls: urls });
    });
  }
  if (document.readyState === 'complete') register(); else window.addEventListener('load', register);
})();
