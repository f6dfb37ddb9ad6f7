{% autoescape off %}// The portal's service worker (served by campaign_portal.views.service_worker from the site root).
// Static files: cache first. Pages: the network; the filing form is kept on each visit (network first) so
// that a reload without a connection still shows it; any other page falls back to the offline page.
// Nothing but GET is touched: a POST without a connection fails, and the filing form's script queues it.
"use strict";
const VERSION = {{ version }};
const STATIC_CACHE = "portal-static-" + VERSION;
const PAGES_CACHE = "portal-pages";
const PRECACHE = {{ precache }};
const OFFLINE_URL = {{ offline_url }};
const STATIC_PREFIX = {{ static_prefix }};
const KEPT_PAGES = /^\/reports\/periods\/\d+\/units\/[^/]+\/$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith("portal-static-") && key !== STATIC_CACHE).map((key) => caches.delete(key))
      ))
      .then(() => self.clients.claim())
  );
});

// A page seen without anyone logged in asks to forget the kept pages: they belong to the last person.
self.addEventListener("message", (event) => {
  if (event.data === "forget-pages") {
    event.waitUntil(caches.delete(PAGES_CACHE));
  }
});

async function fromCache(request) {
  const hit = await caches.match(request, { cacheName: STATIC_CACHE });
  if (hit) {
    return hit;
  }
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(STATIC_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function navigate(request, url) {
  const kept = KEPT_PAGES.test(url.pathname);
  try {
    const response = await fetch(request);
    if (kept && response.ok && !response.redirected) {
      const cache = await caches.open(PAGES_CACHE);
      await cache.put(url.pathname, response.clone());
    }
    return response;
  } catch (error) {
    const hit = kept && (await caches.match(url.pathname, { cacheName: PAGES_CACHE, ignoreVary: true }));
    return hit || (await caches.match(OFFLINE_URL, { cacheName: STATIC_CACHE, ignoreVary: true })) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(request, url));
  } else if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(fromCache(request));
  }
});
{% endautoescape %}
