// Service worker: keeps the app shell and every page already opened readable without a connection.
// Version {{ version }}: rendered by app/pages/views.py, which lists the current hashed files.
"use strict";

const SHELL = {{ shell | tojson }};
const OFFLINE_PAGE = {{ offline_url | tojson }};
// File names carry their content hash, so this cache never holds a stale file and needs no version.
const STATIC_CACHE = "pasapas-static";
// Pages hold personal progress: app.js deletes this cache when someone signs out.
const PAGES_CACHE = "pasapas-pages";
const HASHED = /\.[0-9a-f]{10}\.[a-z0-9]+$/;
// Facilitators' pages show many people's data and are used online: never kept on a device.
// Sign-in pages (a card's link holds a secret) are not worth keeping either.
const NEVER_KEPT = {{ never_kept | tojson }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then((cache) => cache.addAll([...SHELL, OFFLINE_PAGE]))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

async function cacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

async function networkFirst(request, keep) {
  const cache = await caches.open(PAGES_CACHE);
  try {
    const response = await fetch(request);
    // A redirect (to sign-in, say) or an error page is not worth keeping.
    if (keep && response.ok && response.type === "basic" && !response.redirected) {
      cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreVary: true });
    if (cached) return cached;
    if (request.mode === "navigate") {
      const fallback = await caches.match(OFFLINE_PAGE, { ignoreVary: true });
      if (fallback) return fallback;
    }
    throw error;
  }
}

function kept(url) {
  return !NEVER_KEPT.some((prefix) => url.pathname.startsWith(prefix));
}

// From app.js: a page opened before this worker was running, to keep like the others.
self.addEventListener("message", (event) => {
  const url = new URL(event.data.keep, self.location.href);
  if (url.origin === self.location.origin && kept(url)) {
    event.waitUntil(caches.open(PAGES_CACHE).then((cache) => cache.add(url)).catch(() => {}));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/") && HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate" || url.pathname.startsWith("/lecons/media/")) {
    event.respondWith(networkFirst(request, kept(url)));
  }
});
