/* The app's service worker: the app shell from cache, queued uploads sent on reconnection
   (Background Sync), and push notifications. Settings come from sw.js (self.TT_CONFIG). */
"use strict";
const CONFIG = self.TT_CONFIG;
const CACHE = "tt-shell-" + CONFIG.base + "-" + CONFIG.version;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(CONFIG.precache)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k.startsWith("tt-shell-" + CONFIG.base) && k !== CACHE).map((k) => caches.delete(k))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === CONFIG.base) {
    // The page: fresh when online (new branding, new version), the cached one when not.
    event.respondWith(
      fetch(request)
        .then((response) => {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(CONFIG.base, copy));
          return response;
        })
        .catch(() => caches.match(CONFIG.base))
    );
    return;
  }
  if (url.pathname.startsWith("/app/static/") || url.pathname.startsWith(CONFIG.base)) {
    // Versioned files: from the cache, the network only for what is missing.
    event.respondWith(
      caches.match(request, { ignoreSearch: url.pathname.startsWith("/app/static/") })
        .then((hit) => hit || fetch(request))
    );
  }
  // The API is not cached here: the page keeps its timetables in IndexedDB.
});

async function tellPages(message) {
  const pages = await self.clients.matchAll({ type: "window" });
  pages.forEach((page) => page.postMessage(message));
}

self.addEventListener("sync", (event) => {
  if (event.tag !== "tt-outbox") return;
  event.waitUntil(
    TT.flushOutbox(null).then((sent) => sent.length && tellPages({ type: "uploaded", sent }))
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "flush") {
    event.waitUntil(TT.flushOutbox(null).then((sent) => sent.length && tellPages({ type: "uploaded", sent })));
  }
});

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { body: event.data.text() }; }
  const title = data.title || "Timetabler";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || "",
      icon: CONFIG.base + "icons/icon-192.png",
      badge: CONFIG.base + "icons/icon-192.png",
      tag: data.jobId || undefined,
      data: { url: data.url || CONFIG.base },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data.url || CONFIG.base, self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((pages) => {
      const open = pages.find((page) => page.url.split("#")[0] === target.split("#")[0]);
      if (open) return open.focus().then((page) => page.navigate(target));
      return self.clients.openWindow(target);
    })
  );
});
