// The main screens: sign in, join, the timetable, upload with live progress.
import * as API from "./api.js";
import { DAYS, daysOf, editLesson, el, renderGrid, weekSwitcher } from "./grid.js";
import { FINAL, watchJob } from "./live.js";
import { nextStep } from "./more.js";

const TT = self.TT;
export const base = document.body.dataset.base;
export const school = document.body.dataset.school;
// The server sets data-signup only on /app/ (no school in the address) with self-service sign-up on.
const signUpOpen = document.body.dataset.signup === "true";

export function toast(message) {
  const box = document.getElementById("toast");
  box.textContent = message;
  box.classList.add("show");
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.classList.remove("show"), 6000);
}

/* A toast with one action (Undo): it stays longer, and the button works by keyboard too. */
export function toastAction(message, label, action) {
  const box = document.getElementById("toast");
  const button = el("button", { type: "button", class: "small toast-action", onclick: async () => {
    box.classList.remove("show");
    button.disabled = true;
    try { await action(); } catch (e) { toast(e.message); }
  } }, label);
  box.replaceChildren(el("span", {}, message, " "), button);
  box.classList.add("show");
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.classList.remove("show"), 12000);
}

/* "3 Dec" (with the year when it is not this year): how the app names an upload's day. */
export function shortDate(iso) {
  const date = new Date(iso);
  const options = { day: "numeric", month: "short" };
  if (date.getFullYear() !== new Date().getFullYear()) options.year = "numeric";
  return date.toLocaleDateString("en-GB", options);
}

export function screen(title, ...children) {
  const main = document.getElementById("main");
  main.replaceChildren(el("h1", {}, title), ...children);
  document.title = `${title} · ${document.body.dataset.school}`; // app.js names the school once signed in
  return main;
}

const field = (label, input, hint) =>
  el("label", { class: "field" }, el("span", {}, label), input, hint ? el("small", {}, hint) : null);

function formError() {
  return el("p", { class: "error", role: "alert" });
}

/* ---------- sign in and join ---------- */

export function signInView(go) {
  const error = formError();
  const email = el("input", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = el("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const submit = el("button", { type: "submit", class: "primary wide" }, "Sign in");
  const form = el("form", { class: "card narrow", "aria-describedby": "signin-help" },
    el("p", { id: "signin-help", class: "muted" }, `Sign in with the email and password you use at ${school}.`),
    field("Email", email), field("Password", password), error, submit,
    el("p", { class: "muted small" }, el("a", { href: "#/reset" }, "Forgot your password?")),
    signUpOpen
      ? el("p", { class: "muted small" }, el("a", { href: "#/register" }, "New here? Create your school's account"))
      : el("p", { class: "muted small" }, "New here? Open the invite link your school admin sent you."));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    submit.disabled = true;
    try {
      await API.signIn(email.value, password.value);
      go("#/");
    } catch (e) {
      error.textContent = e instanceof API.OfflineError ? "You are offline. Connect to sign in." : e.message;
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  screen("Sign in", form);
  email.focus();
}

export function joinView(go, token) {
  const error = formError();
  const name = el("input", { name: "name", autocomplete: "name", required: true });
  const password = el("input", { type: "password", name: "password", autocomplete: "new-password", required: true });
  const submit = el("button", { type: "submit", class: "primary wide" }, `Join ${school}`);
  const form = el("form", { class: "card narrow" },
    el("p", { class: "muted" }, "Your school admin invited you. Choose your name and a password to finish."),
    field("Your name", name), field("Password", password, "A short phrase you will remember works well."), error, submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    submit.disabled = true;
    try {
      await API.acceptInvite(token, name.value, password.value);
      go("#/upload");
    } catch (e) {
      error.textContent = e.message;
    } finally {
      submit.disabled = false;
    }
  });
  screen("Join your school", form);
  name.focus();
}

/* ---------- the timetable ---------- */

async function download(path, fallbackName) {
  const response = await API.api(path, { raw: true });
  const blob = await response.blob();
  const disposition = response.headers.get("Content-Disposition") || "";
  const match = /filename="?([^";]+)"?/.exec(disposition);
  const link = el("a", { href: URL.createObjectURL(blob), download: match ? match[1] : fallbackName });
  document.body.append(link);
  link.click();
  setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
}

function exportButtons(timetable) {
  const status = el("p", { class: "muted small", role: "status" });
  const slug = (timetable.name || "timetable").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "timetable";
  const run = (path, name) => async () => {
    status.textContent = "";
    try {
      await download(path, name);
    } catch (e) {
      status.textContent = e.status === 404 || e.status === 405
        ? "Export is not available on this server yet."
        : e instanceof API.OfflineError ? "Connect to the internet to export." : e.message;
    }
  };
  return el("div", { class: "toolbar no-print" },
    el("button", { type: "button", onclick: run(`/timetables/${timetable.id}/export.ics`, `${slug}.ics`) }, "Add to calendar (.ics)"),
    el("button", { type: "button", onclick: run(`/timetables/${timetable.id}/export.csv`, `${slug}.csv`) }, "Download CSV"),
    el("button", { type: "button", onclick: () => window.print() }, "Print"),
    status);
}

function subtitle(t) {
  const parts = [t.teacher, t.className && `Class ${t.className}`, t.term && `Term ${t.term}`, t.year].filter(Boolean);
  return parts.join(" · ");
}

/* The saved copy to open without the server: the one asked for, else the saved current one. */
function savedPick(list, id) {
  if (id) return list.find((t) => t.id === id) || null;
  const own = list.filter((t) => t.mine !== false);
  return own.find((t) => t.isCurrent) || own[0] || null;
}

/* Paint the saved copy at once (a reload on a slow network shows the week before the server
   answers); the live copy replaces it when it arrives. */
export async function paintSaved(go, id) {
  const list = await API.remembered();
  const timetable = savedPick(list, id);
  if (timetable) drawTimetable(go, timetable, list, "updating");
  return Boolean(timetable);
}

/* The signed-in person's own current timetable (school admins too), or the one in the address. */
export async function timetableView(go, id) {
  if (!document.querySelector("main .grid-scroll")) screen("Your timetable", el("p", { class: "loading" }, "Loading…"));
  let list = [];
  let timetable = null;
  let offline = false;
  try {
    list = (await API.api("/timetables?mine=true&limit=50")).items;
    try {
      timetable = await API.api(id ? `/timetables/${id}` : "/timetables/current");
    } catch (e) {
      if (e.status !== 404) throw e;
      if (id) throw e;
    }
    // Saved with whether it is one's own, so offline the home page still opens one's own.
    if (timetable) await API.remember({ ...timetable, mine: list.some((t) => t.id === timetable.id) });
  } catch (e) {
    if (!(e instanceof API.OfflineError)) throw e;
    offline = true;
    list = await API.remembered();
    timetable = savedPick(list, id);
  }
  if (!timetable) {
    screen("Your timetable", el("div", { class: "card empty" },
      el("p", {}, offline ? "No timetable is saved on this device yet." : "You have no timetable yet."),
      el("a", { class: "button primary", href: "#/upload" }, "Upload a photo of your timetable")));
    return;
  }
  drawTimetable(go, timetable, list, offline ? "offline" : "live");
}

/* "Week A · 3 Dec": two uploads of one file differ by their day in the switcher, and by their time
   when they came the same day. */
function optionLabels(list) {
  const day = (t) => `${t.name || "Untitled"} · ${shortDate(t.createdAt)}`;
  const seen = {};
  list.forEach((t) => { seen[day(t)] = (seen[day(t)] || 0) + 1; });
  const time = (t) => new Date(t.createdAt).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  const labels = list.map((t) => `${day(t)}${seen[day(t)] > 1 ? ` ${time(t)}` : ""}`);
  const count = {};  // still alike (the same minute): number them
  const numbered = labels.map((l) => { count[l] = (count[l] || 0) + 1; return count[l] > 1 ? `${l} (${count[l]})` : l; });
  return numbered.map((l, i) => `${l}${list[i].isCurrent ? " (current)" : ""}`);
}

function renameTimetable(go, timetable) {
  const dialog = el("dialog", { class: "editor", "aria-labelledby": "rename-title" });
  const error = el("p", { class: "error", role: "alert", id: "rename-error" });
  const name = el("input", { name: "name", required: true, value: timetable.name || "", autocomplete: "off", maxlength: "200" });
  const form = el("form", { method: "dialog", "aria-describedby": "rename-error" },
    el("h2", { id: "rename-title" }, "Rename this timetable"),
    el("label", { class: "field" }, el("span", {}, "Name"), name,
      el("small", {}, "A name you will recognise, like “Week A” or “Spring term”.")),
    error,
    el("div", { class: "toolbar" },
      el("button", { type: "submit", class: "primary" }, "Save name"),
      el("button", { type: "button", onclick: () => dialog.close() }, "Cancel")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const saved = await API.api(`/timetables/${timetable.id}`, { method: "PATCH", body: { name: name.value } });
      dialog.close();
      toast(`Renamed to ${saved.name}.`);
      timetableView(go, timetable.id);
    } catch (e) {
      error.textContent = e instanceof API.OfflineError ? "You are offline: renaming waits until you are back online." : e.message;
    }
  });
  dialog.append(form);
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  name.select();
}

async function deleteTimetable(go, timetable) {
  try {
    await API.api(`/timetables/${timetable.id}`, { method: "DELETE" });
  } catch (e) {
    toast(e instanceof API.OfflineError ? "You are offline: deleting waits until you are back online." : e.message);
    return;
  }
  await TT.store.del("timetables", timetable.id).catch(() => {});
  toastAction(`${timetable.name || "The timetable"} deleted.`, "Undo", async () => {
    await API.api(`/timetables/${timetable.id}/restore`, { method: "POST" });
    toast(`${timetable.name || "The timetable"} is back.`);
    go(`#/timetables/${timetable.id}`);
  });
  go("#/");
}

async function makeCurrent(go, timetable) {
  try {
    await API.api("/timetables/current", { method: "PUT", body: { timetableId: timetable.id } });
    toast(`${timetable.name || "This timetable"} is now your current timetable (your home page and calendar).`);
    timetableView(go, timetable.id);
  } catch (e) {
    toast(e.message);
  }
}

/* A two-week timetable shows one week at a time; the week a person last looked at, else Week A. */
const shownWeeks = {};

function isoDay(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/* Where today falls in a rotating timetable, by the school's calendar: filled in once known. */
function todayLine(timetable, offline) {
  const line = el("p", { class: "muted rotation-today", "aria-live": "polite" });
  if (timetable.rotation === "weekly" || offline) return line;
  API.api(`/timetables/${timetable.id}/days/${isoDay(new Date())}`).then((day) => {
    if (!day.schoolDay) line.textContent = "Today is not a school day.";
    else if (day.week) line.textContent = `Today is in Week ${day.week}.`;
    else if (day.cycleDay) {
      line.textContent = `Today is ${day.cycleDay} of the cycle.`;
      const tab = document.querySelector(`.day-tabs button[aria-label="${CSS.escape(day.cycleDay)}"]`);
      if (tab) tab.click();  // on a phone, today's column first
    }
    if (day.week && !(timetable.id in shownWeeks)) {
      shownWeeks[timetable.id] = day.week;
      const tab = document.querySelector(`.week-tabs button[data-week="${CSS.escape(day.week)}"]`);
      if (tab) tab.click();
    }
  }).catch(() => {});
  return line;
}

function weekTabs(timetable, draw) {
  if (timetable.rotation !== "two_week") return null;
  return weekSwitcher(timetable.weeks, shownWeeks[timetable.id], (w) => { shownWeeks[timetable.id] = w; draw(); });
}

function drawTimetable(go, timetable, list, mode) {
  const offline = mode !== "live";
  const allBlocks = timetable.timeblocks || [];
  const twoWeek = timetable.rotation === "two_week";
  if (twoWeek && !shownWeeks[timetable.id]) shownWeeks[timetable.id] = timetable.weeks[0];
  const days = daysOf(timetable);
  const weeks = twoWeek ? timetable.weeks : null;
  const refresh = () => timetableView(go, timetable.id);
  const addButton = el("button", {
    type: "button", class: "primary no-print", disabled: offline,
    onclick: () => editLesson({ name: "", day: days[0], week: shownWeeks[timetable.id], startTime: "09:00", endTime: "10:00" }, {
      title: "Add a lesson", days, weeks,
      onSave: async (values) => {
        await API.api(`/timetables/${timetable.id}/timeblocks`, { method: "POST", body: values });
        toast(`${values.name} added.`);
        refresh();
      },
    }),
  }, "Add lesson");
  // One's own timetables, newest first; a colleague's opened from History is added to the list.
  const own = list.filter((t) => t.mine !== false);
  const mine = own.some((t) => t.id === timetable.id);
  const choices = mine ? own : [timetable, ...own];
  const labels = optionLabels(choices);
  const switcher = choices.length > 1 ? field("Timetable", el("select", {
    onchange: (event) => go(`#/timetables/${event.target.value}`),
  }, ...choices.map((t, i) => el("option", { value: t.id, selected: t.id === timetable.id }, labels[i])))) : null;
  const manage = el("div", { class: "toolbar no-print timetable-actions" },
    el("button", { type: "button", disabled: offline, onclick: () => renameTimetable(go, timetable) }, "Rename"),
    mine && !timetable.isCurrent
      ? el("button", { type: "button", disabled: offline, onclick: () => makeCurrent(go, timetable) }, "Make this my current timetable")
      : null,
    el("button", { type: "button", class: "danger", disabled: offline, onclick: () => deleteTimetable(go, timetable) }, "Delete timetable"));
  const onEdit = (block) => {
    if (offline) {
      toast(mode === "updating" ? "Fetching the latest copy: try again in a moment." : "You are offline: editing waits until you are back online.");
      return;
    }
    editLesson(block, {
      title: `Edit ${block.name}`, days, weeks,
      onSave: async (values) => {
        await API.api(`/timeblocks/${block.id}`, { method: "PUT", body: values });
        toast(`${values.name} saved.`);
        refresh();
      },
      onDelete: async () => {
        await API.api(`/timeblocks/${block.id}`, { method: "DELETE" });
        toast(`${block.name} deleted.`);
        refresh();
      },
    });
  };
  const grid = () => {
    const week = shownWeeks[timetable.id];
    const blocks = twoWeek ? allBlocks.filter((b) => b.week === week) : allBlocks;
    const caption = twoWeek ? `Week ${week} of ${timetable.name || "lessons"}` : `Week of ${timetable.name || "lessons"}`;
    if (!blocks.length) {
      return el("p", { class: "card" }, twoWeek ? `Week ${week} has no lessons yet. Add one.` : "This timetable has no lessons yet. Add one.");
    }
    return renderGrid(blocks, { onEdit, caption, cycleDays: timetable.rotation === "cycle" ? days : null });
  };
  const gridHolder = el("div", { class: "grid-holder" }, grid());
  screen(timetable.name || "Your timetable",
    el("p", { class: "muted" }, subtitle(timetable) || " ",
      timetable.isCurrent ? el("span", { class: "badge current" }, " Current") : null,
      timetable.createdAt ? ` ${timetable.documentId ? "Uploaded" : "Made"} ${shortDate(timetable.createdAt)}.` : "",
      offline ? el("span", { class: "badge" }, mode === "updating" ? " Saved copy, updating…" : " Saved copy") : null),
    el("div", { class: "toolbar" }, switcher, addButton),
    todayLine(timetable, offline),
    el("div", {}, weekTabs(timetable, () => gridHolder.replaceChildren(grid()))),
    gridHolder,
    exportButtons(timetable),
    manage,
    el("p", { class: "muted small" }, `${allBlocks.length} lessons · last changed ${new Date(timetable.updatedAt).toLocaleString()}`));
}

/* ---------- upload and live progress ---------- */

const STEPS = [
  ["classify", "Recognising the file"],
  ["read", "Reading the text"],
  ["interpret", "Finding your lessons"],
  ["score", "Checking how sure we are"],
  ["secondary_ocr", "Reading it again, more carefully"],
  ["llm", "Double-checking the lessons"],
  ["save", "Saving your timetable"],
];
const ORDER = ["classify", "read", "interpret", "score", "route", "secondary_ocr", "llm", "validate", "save", "notify"];

function progressList(job) {
  // A job that ended well (completed, or waiting for a check with its draft saved) ran every step;
  // a failed one ran the steps before the one it stopped at, and none after it.
  const done = ["completed", "review"].includes(job.status) || job.stage === "done";
  const at = done ? ORDER.length : ORDER.indexOf(job.stage);
  const failed = job.status === "failed";
  return el("ol", { class: "steps" }, ...STEPS
    .filter(([stage]) => !["secondary_ocr", "llm"].includes(stage) || at >= ORDER.indexOf(stage) && job.stage === stage)
    .filter(([stage]) => !failed || ORDER.indexOf(stage) <= at)
    .map(([stage, label]) => {
      const index = ORDER.indexOf(stage);
      const state = done || at > index ? "done" : at === index && job.status === "running" ? "current"
        : at === index && job.status === "failed" ? "failed" : "waiting";
      const words = { done: "done", current: "in progress", failed: "failed", waiting: "waiting" }[state];
      return el("li", { class: `step ${state}`, "aria-current": state === "current" ? "step" : null },
        el("span", { class: "dot", "aria-hidden": "true" }), label, el("span", { class: "sr-only" }, ` (${words})`));
    }));
}

export function jobView(go, jobId, heading = "Reading your timetable") {
  const status = el("p", { class: "status-line", role: "status", "aria-live": "polite" }, "Waiting for the server…");
  const steps = el("div", { class: "steps-box" });
  const actions = el("div", { class: "toolbar" });
  const card = el("div", { class: "card progress-card", "data-job-id": jobId }, status, steps, actions);
  screen(heading, card);
  const stop = watchJob(jobId, (job) => {
    if (!job.status) return;
    card.dataset.status = job.status; // where it stands; final only once the job row says so
    steps.replaceChildren(progressList(job));
    if (job.status === "queued") status.textContent = "In the queue: starting in a moment…";
    if (job.status === "running") status.textContent = `Working: ${(STEPS.find(([s]) => s === job.stage) || [0, "processing"])[1].toLowerCase()}…`;
    if (job.status === "completed") {
      status.textContent = "Done. Opening your timetable…";
      go(`#/timetables/${job.timetableId}`);
    }
    if (job.status === "review") {
      // Who checks it is the school's choice: the uploader (then the check opens now) or a reviewer.
      status.textContent = "We are not sure we read every lesson right.";
      const draft = job.timetableId ? el("a", { class: "button", href: `#/timetables/${job.timetableId}` }, "See the draft") : "";
      API.reviewableJobs().then((jobs) => {
        const next = nextStep(jobs.has(jobId));
        status.textContent = `We are not sure we read every lesson right. ${next.text}`;
        if (!jobs.has(jobId)) { actions.replaceChildren(draft); return; }
        actions.replaceChildren(el("a", { class: "button primary", href: `#/review/${jobId}` }, "Check it now"));
        if (location.hash === `#/jobs/${jobId}`) go(`#/review/${jobId}`);
      }).catch(() => actions.replaceChildren(draft));
    }
    if (job.status === "failed" && job.errorCode === "not_a_timetable") {
      // Reading it again would give the same answer: the way on is another file.
      card.dataset.errorCode = job.errorCode;
      document.querySelector("main h1").textContent = "Not a timetable";
      status.textContent = job.error;
      actions.replaceChildren(el("a", { class: "button primary", href: "#/upload" }, "Upload another file"));
    } else if (job.status === "failed") {
      status.textContent = `It did not work: ${job.error || "the document could not be read."}`;
      actions.replaceChildren(el("button", {
        type: "button", class: "primary", onclick: async () => {
          try { await API.api(`/jobs/${jobId}/retry`, { method: "POST" }); jobView(go, jobId); } catch (e) { toast(e.message); }
        },
      }, "Try again"), el("a", { class: "button", href: "#/upload" }, "Upload another file"));
    }
  });
  window.addEventListener("hashchange", stop, { once: true });
}

export async function queueOffline(file) {
  await TT.store.put("outbox", { file, name: file.name, type: file.type, queuedAt: new Date().toISOString() });
  try {
    const registration = await navigator.serviceWorker.ready;
    if (registration.sync) await registration.sync.register("tt-outbox");
  } catch (e) { /* no Background Sync: the page's online listener sends it */ }
}

async function outboxList() {
  const items = await TT.store.all("outbox");
  if (!items.length) return null;
  return el("section", { class: "card", "aria-labelledby": "outbox-title" },
    el("h2", { id: "outbox-title" }, "Waiting to be sent"),
    el("ul", { class: "outbox" }, ...items.map((item) => el("li", {},
      el("span", {}, item.name), " ",
      item.error ? el("span", { class: "error" }, item.error) : el("span", { class: "badge" }, "sends when online"),
      " ", el("button", { type: "button", class: "link", onclick: async () => { await TT.store.del("outbox", item.id); uploadView(); } }, "Remove")))));
}

export async function uploadView(go) {
  go = go || uploadView.go;
  uploadView.go = go;
  const error = formError();
  const bar = el("progress", { max: "100", value: "0", "aria-label": "Upload progress" });
  const barText = el("span", { class: "muted" });
  const progress = el("div", { class: "upload-progress", hidden: true }, bar, barText);
  const choose = (capture) => el("input", {
    type: "file", class: "sr-only", accept: "image/*,application/pdf,.docx", capture: capture ? "environment" : null,
    id: capture ? "camera-input" : "file-input", onchange: (event) => send(event.target.files[0]),
  });
  const camera = choose(true);
  const picker = choose(false);
  const drop = el("div", { class: "dropzone" },
    el("p", { class: "big" }, "Photograph your timetable, or choose a file"),
    el("div", { class: "toolbar center" },
      el("label", { class: "button primary", for: "camera-input" }, "Take a photo"), camera,
      el("label", { class: "button", for: "file-input" }, "Choose a file"), picker),
    el("p", { class: "muted small" }, "Photo, scan, PDF or Word file, up to 20 MB. On a computer you can drop it here."));

  async function send(file) {
    if (!file) return;
    error.textContent = "";
    if (!navigator.onLine) {
      await queueOffline(file);
      toast(`${file.name} will be sent when you are back online.`);
      uploadView(go);
      return;
    }
    progress.hidden = false;
    barText.textContent = `Sending ${file.name}…`;
    try {
      const result = await API.upload(file, (fraction) => {
        bar.value = Math.round(fraction * 100);
        barText.textContent = `Sending ${file.name}: ${Math.round(fraction * 100)}%`;
      });
      if (result.duplicateOf) {
        showDuplicate(result);
        return;
      }
      go(`#/jobs/${result.jobId}`);
    } catch (e) {
      progress.hidden = true;
      if (e instanceof API.OfflineError) {
        await queueOffline(file);
        toast(`The connection dropped: ${file.name} will be sent when you are back online.`);
        uploadView(go);
      } else {
        error.textContent = e.message;
      }
    }
  }

  /* The same file as before: say when, link to that timetable, and let the new copy go on. */
  function showDuplicate(result) {
    const earlier = result.duplicateOf;
    const day = shortDate(earlier.uploadedAt);
    progress.hidden = true;
    const card = el("section", { class: "card duplicate", role: "status", "aria-labelledby": "duplicate-title" },
      el("h2", { id: "duplicate-title" }, `You uploaded this on ${day}`),
      el("p", {}, `It is the same file as “${earlier.filename}”. We are reading this copy too, so nothing is lost; `
        + "delete one of them later if you do not need both."),
      el("div", { class: "toolbar" },
        earlier.timetableId
          ? el("a", { class: "button primary", href: `#/timetables/${earlier.timetableId}` }, `Open the one from ${day}`)
          : null,
        el("a", { class: "button", href: `#/jobs/${result.jobId}` }, "Follow this copy")));
    drop.replaceWith(card);
  }

  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    send(event.dataTransfer.files[0]);
  });
  screen("Upload a timetable", drop, progress, error);
  const waiting = await outboxList();
  if (waiting) document.getElementById("main").append(waiting);
}

export { DAYS, FINAL };
