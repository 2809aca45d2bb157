// Service worker: keeps the app shell, and the pages one person opened, readable without a connection.
// Version {{ version }}: rendered by app/pages/views.py, which lists the current hashed files.
"use strict";

const SHELL = {{ shell | tojson }};
const OFFLINE_PAGE = {{ offline_url | tojson }};
// One shell cache per version: a new version deletes the old one's files when it takes over.
const STATIC_CACHE = "pasapas-static-{{ version }}";
// Pages show a person's progress: they are kept per person, named by the opaque id the server puts
// in every page of a signed-in person (<meta name="pasapas-person">). A page without it means that
// nobody is signed in; a page with another id, that someone else is: either way the pages kept for
// anyone else are deleted, whatever ended the session.
const PAGES_PREFIX = "pasapas-pages-";
const PERSON = /<meta name="pasapas-person" content="([^"]+)">/;
const CSRF_TOKEN = /name="csrf_token" value="([^"]+)"/;
const HASHED = /\.[0-9a-f]{10}\.[a-z0-9]+$/;
// Facilitators' pages show many people's data, personal data pages are for one reading, and
// sign-in pages (a card's link holds a secret) are not worth keeping: never kept on a device.
const NEVER_KEPT = {{ never_kept | tojson }};
// Forms that only work with a connection (an exercise's steps): sent without one, the offline page
// answers in words instead of the browser's error.
const NEEDS_CONNECTION = {{ needs_connection | tojson }};
// A lesson changes rarely: opened again, it shows at once from the phone and is refreshed behind.
const LESSON = /^\/lecons\/(?!media\/)[^/]+$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then((cache) => cache.addAll([...SHELL, OFFLINE_PAGE]))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("pasapas-static") && name !== STATIC_CACHE).map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

function kept(url) {
  return !NEVER_KEPT.some((prefix) => url.pathname.startsWith(prefix));
}

// The person whose pages are kept (null: nobody's), from the name of their cache.
async function keptPerson() {
  const name = (await caches.keys()).find((key) => key.startsWith(PAGES_PREFIX));
  return name ? name.slice(PAGES_PREFIX.length) : null;
}

// Deletes every person's pages but those of `person` (everyone's when null) and returns theirs.
async function pagesOf(person) {
  const mine = person ? PAGES_PREFIX + person : null;
  const names = await caches.keys();
  await Promise.all(
    names.filter((name) => name.startsWith(PAGES_PREFIX) && name !== mine).map((name) => caches.delete(name))
  );
  return mine ? caches.open(mine) : null;
}

function storable(response) {
  // A redirect (to sign-in, say), an error page or a page the server says not to store is not kept.
  return response.ok && response.type === "basic" && !response.redirected &&
    !/no-store/.test(response.headers.get("Cache-Control") || "");
}

function keepable(html) {
  // A page that carries a one-time message (« C'est envoyé ») is not the page to show next time.
  return !html.includes('class="flash ');
}

function htmlResponse(html) {
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// A page from the network: who it is for decides whose pages stay, and it is kept for them.
// Returns that person (null: nobody signed in) and the page's text; nothing for what is not a page.
async function remember(request, response, keep) {
  if (!response.ok || !(response.headers.get("Content-Type") || "").startsWith("text/html")) return {};
  const html = await response.clone().text();
  const person = (html.match(PERSON) || [])[1] || null;
  const cache = await pagesOf(person);
  if (cache && keep && storable(response) && keepable(html)) await cache.put(request, htmlResponse(html));
  return { person, html };
}

// The window a navigation opens exists once its answer starts to arrive: wait for it a little.
async function windowOf(clientId) {
  for (let tries = 0; tries < 20; tries += 1) {
    const client = await self.clients.get(clientId);
    if (client) return client;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

async function cacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

async function offline(request, cached, error) {
  if (cached) return cached;
  if (request.mode === "navigate") {
    const fallback = await caches.match(OFFLINE_PAGE, { ignoreVary: true });
    if (fallback) return fallback;
  }
  throw error;
}

async function page(event) {
  const request = event.request;
  const url = new URL(request.url);
  const keep = kept(url);
  const person = keep ? await keptPerson() : null;
  const cached = person ? await (await caches.open(PAGES_PREFIX + person)).match(request, { ignoreVary: true }) : undefined;
  const network = fetch(request);
  if (cached && LESSON.test(url.pathname)) {
    // Shown at once; the fresh copy replaces it for next time and gives the page the form token of
    // this session. If the copy was kept for another person, or the page now sends elsewhere (to
    // sign in: the session ended), the copy is dropped and the page loaded again.
    event.waitUntil(
      network
        .then(async (response) => {
          if (response.type !== "opaqueredirect") return remember(request, response, keep);
          await (await caches.open(PAGES_PREFIX + person)).delete(request, { ignoreVary: true });
          return { moved: true };
        })
        .then(async (fresh) => {
          if (fresh.html === undefined && !fresh.moved) return;
          const client = await windowOf(event.resultingClientId);
          if (!client) return;
          // Told to the page rather than navigated from here: a navigation started while the page
          // is still loading may be dropped; the page's listener gets the message once it runs.
          if (fresh.moved || fresh.person !== person) {
            client.postMessage({ reload: true });
            return;
          }
          const token = (fresh.html.match(CSRF_TOKEN) || [])[1];
          if (token) client.postMessage({ csrfToken: token });
        })
        .catch(() => {})
    );
    return cached;
  }
  try {
    const response = await network;
    event.waitUntil(remember(request, response, keep).catch(() => {}));
    return response;
  } catch (error) {
    return offline(request, cached, error);
  }
}

// A lesson's picture: kept with the pages of the person signed in.
async function picture(request) {
  const person = await keptPerson();
  const cache = person ? await caches.open(PAGES_PREFIX + person) : null;
  try {
    const response = await fetch(request);
    if (cache && storable(response)) cache.put(request, response.clone());
    return response;
  } catch (error) {
    return offline(request, cache ? await cache.match(request, { ignoreVary: true }) : undefined, error);
  }
}

// From app.js: the page shown before this worker was running, as the browser received it, so that
// it is kept without being downloaded a second time.
self.addEventListener("message", (event) => {
  const url = new URL(event.data.keep, self.location.href);
  const html = event.data.html;
  const person = typeof html === "string" ? (html.match(PERSON) || [])[1] : null;
  if (url.origin !== self.location.origin || !kept(url) || !person || !keepable(html)) return;
  event.waitUntil(pagesOf(person).then((cache) => cache.put(url, htmlResponse(html))).catch(() => {}));
});

async function sentOrOffline(request) {
  try {
    return await fetch(request);
  } catch (error) {
    return offline(request, undefined, error);
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && request.mode === "navigate" && NEEDS_CONNECTION.some((prefix) => url.pathname.startsWith(prefix))) {
    event.respondWith(sentOrOffline(request));
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.startsWith("/static/") && HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (url.pathname.startsWith("/lecons/media/")) {
    event.respondWith(picture(request));
  }
});
