// The API from the page: the session (access token in memory; see shared.js for the refresh token),
// JSON calls that refresh once on 401, and uploads with progress.
const TT = self.TT;

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}
export class OfflineError extends Error {}

const session = { access: null, user: null };
export const currentUser = () => session.user;

export async function restore() {
  // Sign back in from the stored refresh token; null without one; OfflineError when unreachable.
  try {
    session.access = await TT.refresh();
  } catch (error) {
    session.user = (await TT.store.get("kv", "user")) || null;
    if (session.user) throw new OfflineError("offline");
    return null;
  }
  if (!session.access) return null;
  session.user = await api("/auth/me");
  await TT.store.put("kv", session.user, "user");
  return session.user;
}

async function start(tokens) {
  const previous = await TT.store.get("kv", "user");
  session.access = tokens.accessToken;
  await TT.store.put("kv", tokens.refreshToken, "refreshToken");
  session.user = await api("/auth/me");
  // Someone else signed in on this device: the last person's timetables must not show.
  if (previous && previous.id !== session.user.id) {
    await TT.store.clear("timetables");
    await TT.store.clear("outbox");
  }
  await TT.store.put("kv", session.user, "user");
  return session.user;
}

export async function signIn(email, password) {
  return start(await api("/auth/login", { method: "POST", body: { email, password }, open: true }));
}

export async function register({ name, school, email, password }) {
  return start(await api("/auth/register", { method: "POST", body: { name, school, email, password }, open: true }));
}

export async function acceptInvite(token, name, password) {
  return start(await api("/auth/accept-invite", { method: "POST", body: { token, name, password }, open: true }));
}

export async function signOut() {
  const refreshToken = await TT.store.get("kv", "refreshToken");
  // A shared device must not keep showing the last person's notifications.
  try {
    const registration = await navigator.serviceWorker.getRegistration();
    const subscription = registration && (await registration.pushManager.getSubscription());
    if (subscription) {
      await api("/me/push-subscriptions", { method: "DELETE", body: { endpoint: subscription.endpoint } }).catch(() => {});
      await subscription.unsubscribe();
    }
  } catch (error) {
    /* no push on this browser */
  }
  try {
    await api("/auth/logout", { method: "POST", body: refreshToken ? { refreshToken } : {} });
  } catch (error) {
    /* offline: the local session still ends */
  }
  session.access = null;
  session.user = null;
  await TT.store.wipe();
}

export const accessToken = () => session.access;
export const setAccess = (token) => (session.access = token);

async function send(path, { method = "GET", body, open = false, raw = false, headers = {} }) {
  const init = { method, headers: { ...headers } };
  if (!open && session.access) init.headers.Authorization = "Bearer " + session.access;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch("/api/v1" + path, init);
  } catch (error) {
    throw new OfflineError("You are offline.");
  }
}

async function failure(response) {
  let body = {};
  try { body = await response.json(); } catch (e) { /* not JSON */ }
  const message = body.message || body.detail || `The server answered ${response.status}. Try again in a moment.`;
  return new ApiError(response.status, body.code || String(response.status), message);
}

/* A JSON API call; `raw` gives the Response (for files). */
export async function api(path, options = {}) {
  let response = await send(path, options);
  if (response.status === 401 && !options.open) {
    let token = null;
    try { token = await TT.refresh(); } catch (e) { throw new OfflineError("You are offline."); }
    if (!token) {
      session.access = null;
      window.dispatchEvent(new CustomEvent("tt:signed-out"));
      throw new ApiError(401, "unauthorized", "Your session has ended. Sign in again.");
    }
    session.access = token;
    response = await send(path, options);
  }
  if (!response.ok) throw await failure(response);
  if (options.raw) return response;
  if (response.status === 204) return null;
  return response.json();
}

/* Upload one file with progress events (fetch has no upload progress; XHR does). */
export function upload(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/documents/upload");
    xhr.setRequestHeader("Authorization", "Bearer " + session.access);
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new OfflineError("The connection dropped during the upload."));
    xhr.onload = async () => {
      const body = xhr.response || {};
      if (xhr.status === 401) {
        const token = await TT.refresh().catch(() => null);
        if (token) {
          session.access = token;
          upload(file, onProgress).then(resolve, reject);
          return;
        }
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body.code || String(xhr.status),
        body.message || `The upload failed (${xhr.status}). Try again.`));
    };
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

/* Keep a timetable for offline use. */
export async function remember(timetable) {
  await TT.store.put("timetables", { ...timetable, savedAt: new Date().toISOString() });
}

export async function remembered() {
  const rows = await TT.store.all("timetables");
  return rows.sort((a, b) => (b.updatedAt || "").localeCompare(a.updatedAt || ""));
}

/* The jobs this person may check now: every open review for reviewers and school admins; for a
   teacher, their own, when the school lets teachers correct their own results (the server decides:
   it refuses a teacher with 403 when the school does not). */
export async function reviewableJobs() {
  const user = currentUser();
  if (!user || !["teacher", "reviewer", "school_admin"].includes(user.role)) return new Set();
  try {
    const open = await api("/reviews?status=open&limit=200");
    return new Set(open.map((r) => r.jobId));
  } catch (e) {
    if (e.status === 403) return new Set();
    throw e;
  }
}
