/* ContentEngine web bundle: the service worker that keeps the program available offline when the
   bundle is served over http(s) (assets/offline.js registers it; never from file://, never in the
   preview). It caches every file of the bundle when installed, and answers from that cache first.
   The cache is named by a hash of the bundle's content: a new build is a new worker with a new cache,
   and the old cache is deleted once it takes over. Only this bundle's files are answered; every other
   request goes to the network as if there were no worker.
   The modules' tracks (MEDIA, <locale>/audio/*.mp3) are too large to fetch all at install on a phone:
   a track is cached when its module page is visited (offline.js names the page's players) or when it is
   first played, and then answered from the cache, a Range request with 206 and its Content-Range. A
   track a new build leaves unchanged (the same hash in MEDIA) moves to the new cache when it takes over. */
'use strict';

var PROGRAM = {{ program_id }};
var VERSION = {{ version }};
var FILES = {{ files }};
var MEDIA = {{ media }};

// One bundle per scope: another bundle (or program) served elsewhere on the same site keeps its cache.
var PREFIX = 'contentengine ' + PROGRAM + ' ' + self.registration.scope + ' ';
var CACHE = PREFIX + VERSION;
var SCOPE = new URL(self.registration.scope).pathname;
var KNOWN = {};
FILES.forEach(function (f) { KNOWN[f] = true; });
Object.keys(MEDIA).forEach(function (f) { KNOWN[f] = true; });

/** The cache key of a track: its path with the hash of its bytes, so another build's cache can hand it over. */
function mediaKey(path) { return path + '?v=' + MEDIA[path]; }

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    // 'reload': the files as the server has them now, not as the browser's HTTP cache kept them.
    return cache.addAll(FILES.map(function (f) { return new Request(f, { cache: 'reload' }); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    var old = keys.filter(function (k) { return k.indexOf(PREFIX) === 0 && k !== CACHE; });
    return carryOver(old).then(function () { return Promise.all(old.map(function (k) { return caches.delete(k); })); });
  }).then(function () { return self.clients.claim(); }));
});

/** Copies the tracks this build still has, unchanged, from the caches of earlier builds into this one. */
function carryOver(oldNames) {
  if (oldNames.length === 0) return Promise.resolve();
  return caches.open(CACHE).then(function (cache) {
    return Promise.all(Object.keys(MEDIA).map(function (path) {
      return cache.match(mediaKey(path)).then(function (have) {
        if (have) return null;
        return Promise.all(oldNames.map(function (n) { return caches.open(n).then(function (c) { return c.match(mediaKey(path)); }); }))
          .then(function (found) {
            var hit = found.filter(Boolean)[0];
            return hit ? cache.put(mediaKey(path), hit) : null;
          });
      });
    }));
  }).catch(function () { /* nothing carried over: the tracks are fetched again when needed */ });
}

/** The whole track (never a part: a Range request's answer cannot be cached), from the cache or fetched into it. */
function track(path) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(mediaKey(path)).then(function (cached) {
      if (cached) return cached;
      return fetch(new Request(path, { cache: 'reload' })).then(function (response) {
        if (response.status !== 200) return response;
        return cache.put(mediaKey(path), response.clone()).then(function () { return response; }, function () { return response; });
      });
    });
  });
}

// A page names the tracks it plays (offline.js): they are fetched into the cache now, so they play offline later.
self.addEventListener('message', function (event) {
  var data = event.data;
  if (!data || data.type !== 'contentengine-keep' || !Array.isArray(data.urls)) return;
  var paths = data.urls.map(function (u) {
    try { return bundlePath(new URL(u, self.registration.scope)); } catch (e) { return null; }
  }).filter(function (p) { return p !== null && MEDIA[p] !== undefined; });
  event.waitUntil(Promise.all(paths.map(function (p) { return track(p).catch(function () { return null; }); })));
});

/** The bundle path a URL asks for ("sv/modules/values.html"), or null when it is not one of the bundle's files. */
function bundlePath(url) {
  if (url.origin !== self.location.origin || url.pathname.indexOf(SCOPE) !== 0) return null;
  var path;
  try { path = decodeURIComponent(url.pathname.slice(SCOPE.length)); } catch (e) { return null; }
  if (path === '' || path.charAt(path.length - 1) === '/') path += 'index.html';
  return KNOWN[path] ? path : null;
}

/** A part of a cached file, for a request with a Range header (audio and video seek with them). */
function partOf(response, range) {
  var m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!m || (m[1] === '' && m[2] === '')) return response;
  return response.arrayBuffer().then(function (body) {
    var size = body.byteLength;
    var start = m[1] === '' ? Math.max(0, size - parseInt(m[2], 10)) : parseInt(m[1], 10);
    var end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(parseInt(m[2], 10), size - 1);
    if (start > end || start >= size) {
      return new Response(null, { status: 416, headers: { 'Content-Range': 'bytes */' + size } });
    }
    var headers = new Headers(response.headers);
    headers.set('Content-Range', 'bytes ' + start + '-' + end + '/' + size);
    headers.set('Content-Length', String(end - start + 1));
    return new Response(body.slice(start, end + 1), { status: 206, statusText: 'Partial Content', headers: headers });
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var path = bundlePath(new URL(request.url));
  if (path === null) return;
  var range = request.headers.get('Range');
  if (MEDIA[path] !== undefined) {
    event.respondWith(track(path).then(function (whole) {
      return range && whole.status === 200 ? partOf(whole, range) : whole;
    }, function () { return fetch(request); }));
    return;
  }
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(path).then(function (cached) {
      if (!cached) return fetch(request);
      return range ? partOf(cached, range) : cached;
    });
  }));
});
