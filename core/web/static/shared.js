/* Shared by the page and the service worker (a classic script, so the worker can importScripts it):
   the app's IndexedDB store, the refresh-token session and the offline upload queue.

   Where the tokens live, and why: the access token (30 minutes) is kept in page memory only. The
   refresh token must outlive a reload and must be readable by the service worker, which sends queued
   uploads when the network returns even with no tab open; IndexedDB is the one store both can read.
   The server rotates it on every use and ends every session when a spent one comes back, and the
   page's Content-Security-Policy runs only this origin's scripts, which limits what a stolen copy or
   an injected script could do. Signing out deletes it and every cached timetable. */
(function (root) {
  "use strict";
  const DB_NAME = "timetabler";
  const STORES = ["kv", "timetables", "outbox"];
  let opening = null;

  function db() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = () => {
          const d = request.result;
          if (!d.objectStoreNames.contains("kv")) d.createObjectStore("kv");
          if (!d.objectStoreNames.contains("timetables")) d.createObjectStore("timetables", { keyPath: "id" });
          if (!d.objectStoreNames.contains("outbox")) d.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return opening;
  }

  async function tx(store, mode, work) {
    const d = await db();
    return new Promise((resolve, reject) => {
      const t = d.transaction(store, mode);
      const result = work(t.objectStore(store));
      t.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  }

  const store = {
    get: (name, key) => tx(name, "readonly", (s) => s.get(key)),
    put: (name, value, key) => tx(name, "readwrite", (s) => (key === undefined ? s.put(value) : s.put(value, key))),
    del: (name, key) => tx(name, "readwrite", (s) => s.delete(key)),
    all: (name) => tx(name, "readonly", (s) => s.getAll()),
    clear: (name) => tx(name, "readwrite", (s) => s.clear()),
    wipe: () => Promise.all(STORES.map((name) => store.clear(name))),
  };

  // One holder at a time across tabs and the worker: two refreshes with one token would look like theft.
  function locked(name, work) {
    if (root.navigator && root.navigator.locks) return root.navigator.locks.request(name, work);
    return work();
  }

  class Offline extends Error {}

  /* A fresh access token from the stored refresh token; null when the session has ended. */
  function refresh() {
    return locked("tt-session", async () => {
      const token = await store.get("kv", "refreshToken");
      if (!token) return null;
      let response;
      try {
        response = await fetch("/api/v1/auth/refresh", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ refreshToken: token }),
        });
      } catch (error) {
        throw new Offline("offline");
      }
      if (response.status === 401 || response.status === 400) {
        await store.del("kv", "refreshToken");
        return null;
      }
      if (!response.ok) throw new Offline("server unavailable");
      const body = await response.json();
      await store.put("kv", body.refreshToken, "refreshToken");
      return body.accessToken;
    });
  }

  /* Send every queued upload; each leaves the queue only once the server has it. */
  function flushOutbox(accessToken) {
    return locked("tt-outbox", async () => {
      const items = await store.all("outbox");
      const sent = [];
      if (!items.some((item) => !item.error)) return sent;
      let token = accessToken || (await refresh());
      if (!token) return sent;
      for (const item of items) {
        if (item.error) continue; // refused before: the page shows why and lets the teacher remove it
        const form = new FormData();
        form.append("file", item.file, item.name);
        let response;
        try {
          response = await fetch("/api/v1/documents/upload", {
            method: "POST",
            headers: { Authorization: "Bearer " + token },
            body: form,
          });
          if (response.status === 401) {
            token = await refresh();
            if (!token) break;
            response = await fetch("/api/v1/documents/upload", {
              method: "POST",
              headers: { Authorization: "Bearer " + token },
              body: form,
            });
          }
        } catch (error) {
          break; // still offline: keep the rest for later
        }
        if (response.ok) {
          const body = await response.json();
          await store.del("outbox", item.id);
          sent.push({ name: item.name, documentId: body.documentId, jobId: body.jobId });
        } else if (response.status >= 400 && response.status < 500) {
          // The server refuses this file for good (type, size): keep the reason for the page to show.
          let message = "The server refused this file.";
          try { message = (await response.json()).message || message; } catch (e) { /* not JSON */ }
          await store.put("outbox", { ...item, error: message });
        }
      }
      return sent;
    });
  }

  root.TT = { db, store, refresh, flushOutbox, Offline };
})(self);
