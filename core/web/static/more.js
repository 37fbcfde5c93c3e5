// History with retry, settings (notifications, push, calendar feed), and the review screen.
import * as API from "./api.js";
import { DAYS, el } from "./grid.js";
import { base, screen, toast } from "./views.js";

const STATUS_WORDS = {
  queued: "Waiting", processing: "Reading", running: "Reading", processed: "Ready", completed: "Ready",
  failed: "Failed", review: "Being checked", uploaded: "Uploaded",
};

// Reviewers and school admins may also see their colleagues' uploads; everyone starts with their own.
const SCHOOL_WIDE = ["reviewer", "school_admin"];
let historyOfSchool = false;

function historyScope(go) {
  const user = API.currentUser();
  if (!user || !SCHOOL_WIDE.includes(user.role)) return null;
  const choice = (label, wide) => el("button", {
    type: "button", "aria-pressed": String(historyOfSchool === wide),
    class: historyOfSchool === wide ? "primary small" : "small",
    onclick: () => { historyOfSchool = wide; historyView(go); },
  }, label);
  return el("div", { class: "toolbar history-scope", role: "group", "aria-label": "Whose uploads" },
    choice("My uploads", false), choice("Everyone at the school", true));
}

export async function historyView(go) {
  screen("History", el("p", { class: "loading" }, "Loading…"));
  const scope = historyScope(go);
  const wide = Boolean(scope) && historyOfSchool;
  let page;
  try {
    page = await API.api(`/documents?limit=20${wide ? "" : "&mine=true"}`);
  } catch (e) {
    if (e instanceof API.OfflineError) {
      screen("History", el("p", { class: "card" }, "History needs a connection. Your saved timetables still open from the Timetable tab."));
      return;
    }
    throw e;
  }
  if (!page.items.length) {
    screen("History", scope || "", el("div", { class: "card empty" },
      el("p", {}, wide ? "Nobody at your school has uploaded anything yet." : "You have not uploaded anything yet."),
      el("a", { class: "button primary", href: "#/upload" }, "Upload a timetable")));
    return;
  }
  // Each row names its latest job, so the history is one request (plus the review queue, when a
  // document waits for a check this person may do).
  const jobs = page.items.map((d) => d.jobId
    ? { id: d.jobId, status: d.jobStatus, stage: d.jobStage, error: d.jobError, timetableId: d.timetableId }
    : null);
  const checkable = jobs.some((j) => j && j.status === "review") ? await API.reviewableJobs().catch(() => new Set()) : new Set();
  const rows = page.items.map((doc, i) => {
    const job = jobs[i];
    const status = job ? job.status : doc.status;
    const actions = el("td", { class: "actions" });
    if (job && job.status === "completed" && job.timetableId && !doc.timetableDeleted) actions.append(el("a", { href: `#/timetables/${job.timetableId}` }, "Open"));
    if (job && job.timetableId && doc.timetableDeleted) {
      actions.append(el("span", { class: "muted small" }, "Timetable deleted "), el("button", {
        type: "button", class: "small", "aria-label": `Restore the timetable of ${doc.filename}`, onclick: async () => {
          try {
            await API.api(`/timetables/${job.timetableId}/restore`, { method: "POST" });
            toast(`The timetable of ${doc.filename} is back.`);
            historyView(go);
          } catch (e) { toast(e.message); }
        },
      }, "Restore"));
    }
    if (job && ["queued", "running"].includes(job.status)) actions.append(el("a", { href: `#/jobs/${job.id}` }, "Follow progress"));
    if (job && job.status === "review") {
      if (checkable.has(job.id)) actions.append(el("a", { href: `#/review/${job.id}` }, "Check it"));
      else if (job.timetableId) actions.append(el("a", { href: `#/timetables/${job.timetableId}` }, "See draft"));
    }
    if (job && job.status === "failed") {
      actions.append(el("button", {
        type: "button", class: "small", "aria-label": `Try ${doc.filename} again`, onclick: async () => {
          try { await API.api(`/jobs/${job.id}/retry`, { method: "POST" }); go(`#/jobs/${job.id}`); } catch (e) { toast(e.message); }
        },
      }, "Try again"));
    }
    return el("tr", {},
      // The uploader under the file's name, not in a column of its own: the table stays narrow on a phone.
      el("th", { scope: "row" }, doc.filename,
        wide ? el("div", { class: "uploader muted small" }, `by ${doc.uploaderName || "someone who left"}`) : null),
      el("td", {}, new Date(doc.createdAt).toLocaleString()),
      el("td", {}, el("span", { class: `badge ${status}` }, STATUS_WORDS[status] || status),
        job && job.error ? el("div", { class: "error small" }, job.error) : null),
      actions);
  });
  const headings = ["File", "Uploaded", "Status", ""];
  screen("History", scope || "", el("div", { class: "table-scroll", role: "region", "aria-label": "Uploaded documents", tabindex: "0" },
    el("table", { class: "history" },
      el("caption", { class: "sr-only" }, wide ? "Documents uploaded at your school, who uploaded them and what became of them"
        : "Your uploaded documents and what became of them"),
      el("thead", {}, el("tr", {}, ...headings.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, ...rows))),
    el("p", { class: "muted small" }, wide ? `${page.total} documents at your school` : `${page.total} of your documents`));
}

/* ---------- settings ---------- */

function urlBase64ToUint8Array(text) {
  const padded = (text + "=".repeat((4 - (text.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function notificationsCard() {
  const status = el("p", { class: "muted small", role: "status" });
  let prefs;
  try {
    prefs = await API.api("/me/notification-preferences");
  } catch (e) {
    return el("section", { class: "card" }, el("h2", {}, "Notifications"),
      el("p", { class: "muted" }, e.status === 404 ? "Notification settings are not available on this server yet." : e.message));
  }
  const box = (key, label) => el("label", { class: "check" },
    el("input", { type: "checkbox", name: key, checked: prefs[key] !== false, onchange: async (event) => {
      const next = { ...prefs, [key]: event.target.checked };
      try { prefs = await API.api("/me/notification-preferences", { method: "PUT", body: next }); status.textContent = "Saved."; }
      catch (e) { event.target.checked = !event.target.checked; status.textContent = e.message; }
    } }), label);
  const pushButton = el("button", { type: "button", onclick: () => enablePush(status) }, "Turn on notifications on this device");
  return el("section", { class: "card", "aria-labelledby": "notify-title" },
    el("h2", { id: "notify-title" }, "Notifications"),
    el("fieldset", {}, el("legend", {}, "Tell me when a timetable is ready, failed or waits for a check, by:"),
      box("email", "Email"), box("push", "Notification on my devices"), box("inApp", "In the app")),
    "PushManager" in window ? pushButton : el("p", { class: "muted small" }, "This browser cannot show notifications."),
    status);
}

async function enablePush(status) {
  try {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") { status.textContent = "Notifications are blocked. Allow them in the browser's site settings."; return; }
    const { publicKey } = await API.api("/push/public-key");
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true, applicationServerKey: urlBase64ToUint8Array(publicKey),
    });
    await API.api("/me/push-subscriptions", { method: "POST", body: subscription.toJSON() });
    status.textContent = "Notifications are on for this device.";
  } catch (e) {
    status.textContent = e.status === 404 ? "Push notifications are not available on this server yet." : e.message;
  }
}

async function calendarCard() {
  const status = el("p", { class: "muted small", role: "status" });
  const body = el("div", {});
  const card = el("section", { class: "card", "aria-labelledby": "feed-title" },
    el("h2", { id: "feed-title" }, "Calendar subscription"),
    el("p", { class: "muted" }, "A private link your calendar app checks for changes. Anyone with the link sees your timetable; revoke it if it leaks."),
    body, status);
  async function draw(url) {
    let feed;
    try { feed = await API.api("/me/calendar-feed"); } catch (e) {
      body.replaceChildren(el("p", { class: "muted" }, e.status === 404 ? "Calendar subscriptions are not available on this server yet." : e.message));
      return;
    }
    const create = el("button", { type: "button", class: "primary", onclick: async () => {
      try { const made = await API.api("/me/calendar-feed", { method: "POST" }); draw(made.url); } catch (e) { status.textContent = e.message; }
    } }, feed.active ? "Make a new link (the old one stops)" : "Make a subscription link");
    const revoke = feed.active ? el("button", { type: "button", class: "danger", onclick: async () => {
      try { await API.api("/me/calendar-feed", { method: "DELETE" }); status.textContent = "The link no longer works."; draw(); } catch (e) { status.textContent = e.message; }
    } }, "Revoke the link") : null;
    const shown = url ? el("div", { class: "field" }, el("label", { for: "feed-url" }, "Your link (copy it into your calendar app)"),
      el("input", { id: "feed-url", readonly: true, value: url, onfocus: (e) => e.target.select() }),
      el("a", { href: url.replace(/^https?:/, "webcal:") }, "Open in my calendar app")) : null;
    body.replaceChildren(
      el("p", {}, feed.active ? `Active since ${new Date(feed.createdAt).toLocaleDateString()}.` : "No link yet."),
      shown || "", el("div", { class: "toolbar" }, create, revoke));
  }
  await draw();
  return card;
}

export async function settingsView(go, signOut) {
  screen("Settings", el("p", { class: "loading" }, "Loading…"));
  const user = API.currentUser();
  let cards;
  try {
    cards = await Promise.all([notificationsCard(), calendarCard()]);
  } catch (e) {
    if (!(e instanceof API.OfflineError)) throw e;
    cards = [el("p", { class: "card" }, "Settings need a connection.")];
  }
  screen("Settings",
    el("section", { class: "card", "aria-labelledby": "me-title" }, el("h2", { id: "me-title" }, "You"),
      el("p", {}, user ? `${user.name} · ${user.email} · ${user.role.replace("_", " ")} at ${user.school}` : ""),
      el("button", { type: "button", onclick: signOut }, "Sign out")),
    ...cards);
}

/* ---------- review: the original beside the lessons ---------- */

export async function reviewView(go, jobId) {
  screen("Check a timetable", el("p", { class: "loading" }, "Loading…"));
  const open = await API.api("/reviews?status=open&limit=200");
  const summary = open.find((r) => r.jobId === jobId);
  if (!summary) {
    screen("Check a timetable", el("p", { class: "card" }, "This document is not waiting for a check (maybe someone finished it)."));
    return;
  }
  const review = await API.api(`/reviews/${summary.id}`);
  const file = await API.api(review.documentUrl.replace(/^\/api\/v1/, ""), { raw: true });
  const type = file.headers.get("Content-Type") || "";
  const url = URL.createObjectURL(await file.blob());
  const original = type.startsWith("image/") && !type.includes("tiff")
    ? el("img", { src: url, alt: `The original: ${review.filename}` })
    : el("object", { data: url, type, "aria-label": `The original: ${review.filename}` },
      el("a", { href: url, download: review.filename }, "Open the original"));
  const tbody = el("tbody", {});
  const addRow = (b = { name: "", day: "Monday", startTime: "09:00", endTime: "10:00", notes: "" }) => {
    const n = tbody.children.length + 1;
    tbody.append(el("tr", {},
      el("td", {}, el("input", { "aria-label": `Lesson ${n} name`, name: "name", value: b.name })),
      el("td", {}, el("select", { "aria-label": `Lesson ${n} day`, name: "day" }, ...DAYS.map((d) => el("option", { selected: d === b.day }, d)))),
      el("td", {}, el("input", { type: "time", "aria-label": `Lesson ${n} start`, name: "startTime", value: b.startTime })),
      el("td", {}, el("input", { type: "time", "aria-label": `Lesson ${n} end`, name: "endTime", value: b.endTime })),
      el("td", {}, el("input", { "aria-label": `Lesson ${n} notes`, name: "notes", value: b.notes || "" })),
      el("td", {}, el("button", { type: "button", class: "remove", "aria-label": `Remove lesson ${n}`, title: "Remove this lesson",
        onclick: (e) => e.currentTarget.closest("tr").remove() }, "✕"))));
  };
  review.timeblocks.forEach(addRow);
  const error = el("p", { class: "error", role: "alert" });
  const form = el("form", {},
    el("div", { class: "table-scroll" }, el("table", { class: "review-table" },
      el("thead", {}, el("tr", {}, ...["Lesson", "Day", "Starts", "Ends", "Notes", ""].map((h) => el("th", { scope: "col" }, h)))), tbody)),
    el("div", { class: "toolbar" }, el("button", { type: "button", onclick: () => addRow() }, "Add lesson"),
      el("button", { type: "submit", class: "primary" }, "These lessons are right: finish")), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const timeblocks = [...tbody.children].map((row) => Object.fromEntries(
      [...row.querySelectorAll("input,select")].map((input) => [input.name, input.value || (input.name === "notes" ? null : "")])));
    try {
      await API.api(`/reviews/${review.id}`, { method: "POST", body: { timeblocks } });
      toast(API.currentUser().role === "teacher" ? "Checked. Your timetable is ready." : "Checked. The teacher is told it is ready.");
      go(review.timetableId ? `#/timetables/${review.timetableId}` : "#/history");
    } catch (e) {
      error.textContent = e.message;
    }
  });
  screen(`Check ${review.filename}`,
    el("p", { class: "muted" }, `Why it needs a check: ${review.reason}. Compare each lesson with the original, fix what differs, then finish.`),
    el("div", { class: "review" }, el("figure", { class: "original" }, original, el("figcaption", {}, "The original · ",
      el("a", { href: url, target: "_blank", rel: "noopener" }, "open full size"))), form));
}

export { base };
