// History with retry, settings (notifications, push, calendar feed), and the review screen.
import * as API from "./api.js";
import { daysOf, editLesson, el, renderGrid, weekSwitcher } from "./grid.js";
import { base, screen, toast } from "./views.js";

const STATUS_WORDS = {
  queued: "Waiting", processing: "Reading", running: "Reading", processed: "Ready", completed: "Ready",
  failed: "Failed", review: "Needs a check", uploaded: "Uploaded", not_a_timetable: "Not a timetable",
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
    ? { id: d.jobId, status: d.jobStatus, stage: d.jobStage, error: d.jobError, errorCode: d.jobErrorCode, timetableId: d.timetableId }
    : null);
  const checkable = jobs.some((j) => j && j.status === "review") ? await API.reviewableJobs().catch(() => new Set()) : new Set();
  const rows = page.items.map((doc, i) => {
    const job = jobs[i];
    // A file that holds no lessons failed for good: said as such, with no retry (it would say the same).
    const notTimetable = Boolean(job && job.errorCode === "not_a_timetable");
    const status = notTimetable ? "not_a_timetable" : job ? job.status : doc.status;
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
    const next = job && job.status === "review" ? nextStep(checkable.has(job.id)) : null;
    if (next) {
      if (checkable.has(job.id)) actions.append(el("a", { href: `#/review/${job.id}` }, "Check it"));
      else if (job.timetableId) actions.append(el("a", { href: `#/timetables/${job.timetableId}` }, "See draft"));
    }
    if (notTimetable) actions.append(el("a", { href: "#/upload" }, "Upload another"));
    else if (job && job.status === "failed") {
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
      el("td", {}, el("span", { class: `badge ${status}` }, next ? next.badge : STATUS_WORDS[status] || status),
        next ? el("div", { class: "small muted" }, next.hint) : null,
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

/* ---------- check: the original beside the draft ---------- */

/* What happens next to a document waiting for a check, in plain words: the person may check it
   themselves (the school leaves it to uploaders, or they review), or a reviewer will. */
export function nextStep(canCheck) {
  return canCheck
    ? { badge: "Needs your check", hint: "Open it to confirm the lessons.", text: "Needs your check: open it to confirm the lessons." }
    : { badge: "Waiting for a reviewer", hint: "A reviewer at your school checks it; you will be told.",
      text: "Waiting for a reviewer at your school. You will be told when it is ready." };
}

async function originalFigure(review) {
  const caption = el("figcaption", {});
  if (!review.previewUrl) {
    // A Word file: no picture to draw; the file itself opens in the teacher's own app.
    const file = await API.api(review.documentUrl.replace(/^\/api\/v1/, ""), { raw: true });
    const url = URL.createObjectURL(await file.blob());
    return el("figure", { class: "original" }, el("p", { class: "muted" }, "This file cannot be shown here."),
      el("a", { class: "button", href: url, download: review.filename }, "Open the original"), caption);
  }
  const file = await API.api(review.previewUrl.replace(/^\/api\/v1/, ""), { raw: true });
  const url = URL.createObjectURL(await file.blob());
  caption.append("The original · ", el("a", { href: url, target: "_blank", rel: "noopener" }, "open full size"));
  return el("figure", { class: "original" }, el("img", { src: url, alt: `The original: ${review.filename}` }), caption);
}

/* The days and period times read from a page whose lessons could not be placed: shown as the
   frame to fill, and "Add lesson" starts at the first of its slots with no lesson yet. */
function foundCard(found) {
  if (!found || !(found.days.length || found.periods.length)) return "";
  const line = (label, items) => items.length
    ? el("p", {}, el("strong", {}, `${label}: `), items.join(" · ")) : "";
  return el("section", { class: "card found", "aria-labelledby": "found-title" },
    el("h2", { id: "found-title" }, "What we could read"),
    line("Days", found.days),
    line("Times", found.periods.map((p) => `${p.startTime}\u2060–\u2060${p.endTime}`)), // a range never wraps
    el("p", { class: "muted" }, "Press “Add lesson” for each lesson in your original: each new one starts at the first day and time still empty."));
}

function nextSlot(found, draft) {
  const days = found && found.days.length ? found.days : ["Monday"];
  const periods = found && found.periods.length ? found.periods : [{ startTime: "09:00", endTime: "10:00" }];
  for (const day of days) {
    for (const p of periods) {
      if (!draft.some((b) => b.day === day && b.startTime === p.startTime)) return { day, ...p };
    }
  }
  return { day: days[0], ...periods[0] };
}

export async function reviewView(go, jobId) {
  screen("Check a timetable", el("p", { class: "loading" }, "Loading…"));
  const open = await API.api("/reviews?status=open&limit=200");
  const summary = open.find((r) => r.jobId === jobId);
  if (!summary) {
    screen("Check a timetable", el("p", { class: "card" }, "This document is not waiting for a check (maybe someone finished it)."));
    return;
  }
  const review = await API.api(`/reviews/${summary.id}`);
  const original = await originalFigure(review);
  // The draft is edited here and saved in one go when confirmed: nothing changes until then.
  let fresh = 0;
  const draft = review.timeblocks.map((b) => ({ ...b }));
  const marked = Object.fromEntries(review.doubts.map((d) => [d.timeblockId, d.why]));
  const gridBox = el("div", { class: "draft" });
  const doubtList = el("div", {});
  const error = el("p", { class: "error", role: "alert" });

  // A two-week draft is checked one week at a time; every lesson keeps its week.
  const weeks = review.rotation === "two_week" ? review.weeks : null;
  let week = weeks ? weeks[0] : null;
  const switcher = weeks ? weekSwitcher(weeks, week, (w) => { week = w; draw(); }) : "";
  const days = daysOf(review);
  const edit = (block) => editLesson(block, {
    days, weeks,
    title: block.id.startsWith("new-") && !block.name ? "Add a lesson" : `Correct ${block.name}`,
    onSave: async (values) => {
      // The server's own rule, said at once (the grid cannot draw a lesson that ends before it starts).
      if (values.endTime <= values.startTime) throw new Error(`The lesson ends (${values.endTime}) before it starts (${values.startTime}).`);
      const at = draft.findIndex((b) => b.id === block.id);
      if (at < 0) draft.push({ ...block, ...values });
      else draft[at] = { ...draft[at], ...values };
      delete marked[block.id]; // looked at: no longer doubted
      draw();
    },
    onDelete: draft.some((b) => b.id === block.id) ? async () => {
      draft.splice(draft.findIndex((b) => b.id === block.id), 1);
      delete marked[block.id];
      draw();
    } : null,
  });

  function draw() {
    const doubtful = draft.filter((b) => marked[b.id]);
    const shown = weeks ? draft.filter((b) => b.week === week) : draft;
    doubtList.replaceChildren(doubtful.length
      ? el("section", { class: "card doubts", "aria-labelledby": "doubts-title" },
        el("h2", { id: "doubts-title" }, doubtful.length === 1 ? "1 lesson to look at first" : `${doubtful.length} lessons to look at first`),
        el("ul", {}, ...doubtful.map((b) => el("li", {},
          el("button", { type: "button", class: "link", onclick: () => edit(b) }, `${b.week ? `Week ${b.week} ` : ""}${b.day} ${b.startTime} ${b.name}`),
          ` — ${marked[b.id].join("; ")}`))))
      : "");
    const frame = foundCard(review.found);
    gridBox.replaceChildren(frame, switcher,
      shown.length
        ? renderGrid(shown, { onEdit: edit, caption: `Draft of ${review.filename}`, marked, cycleDays: review.rotation === "cycle" ? days : null })
        : frame ? "" : el("p", { class: "card" }, "No lessons were found. Add them from the original."));
  }
  draw();

  const confirm = el("button", { type: "button", class: "primary" }, "These lessons are right: confirm");
  confirm.addEventListener("click", async () => {
    error.textContent = "";
    confirm.disabled = true;
    const timeblocks = draft.map((b) => ({ name: b.name, day: b.day, startTime: b.startTime, endTime: b.endTime,
      notes: b.notes || null, color: b.color || null, week: b.week || null }));
    try {
      await API.api(`/reviews/${review.id}`, { method: "POST", body: { timeblocks } });
      toast(API.currentUser().role === "teacher" ? "Checked. Your timetable is ready." : "Checked. The timetable is ready.");
      go(review.timetableId ? `#/timetables/${review.timetableId}` : "#/history");
    } catch (e) {
      error.textContent = e.message; // names the row, its day, time and name, and what is wrong
    } finally {
      confirm.disabled = false;
    }
  });
  const add = el("button", { type: "button", onclick: () =>
    edit({ id: `new-${++fresh}`, name: "", ...nextSlot(review.found, draft), notes: "", week }) }, "Add lesson");
  screen(`Check ${review.filename}`,
    el("p", { class: "muted reason" }, draft.length ? `${review.reason} Tap a lesson to correct it, then confirm.` : review.reason),
    el("div", { class: "review" }, original,
      el("div", { class: "draft-side" }, doubtList, gridBox, el("div", { class: "toolbar" }, add, confirm), error)));
}

export { base };
