/* contentengine serve: no offline worker in the preview. Served as the bundle's sw.js: it removes a
   worker (and its cache) that a bundle served earlier on the same address left, and reloads the pages
   that worker took over, which then come from the preview. */
'use strict';
self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (event) {
  event.waitUntil(self.registration.unregister()
    .then(function () { return caches.keys(); })
    .then(function (keys) { return Promise.all(keys.filter(function (k) { return k.indexOf('contentengine ') === 0; }).map(function (k) { return caches.delete(k); })); })
    .then(function () { return self.clients.matchAll({ type: 'window' }); })
    .then(function (pages) { pages.forEach(function (page) { page.navigate(page.url); }); }));
});
