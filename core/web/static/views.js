// The main screens: sign in, join, the timetable, upload with live progress.
import * as API from "./api.js";
import { DAYS, editLesson, el, renderGrid } from "./grid.js";
import { FINAL, watchJob } from "./live.js";

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

/* Paint the saved copy at once (a reload on a slow network shows the week before the server
   answers); the live copy replaces it when it arrives. */
export async function paintSaved(go, id) {
  const list = await API.remembered();
  const timetable = (id ? list.find((t) => t.id === id) : list[0]) || null;
  if (timetable) drawTimetable(go, timetable, list, "updating");
  return Boolean(timetable);
}

export async function timetableView(go, id) {
  if (!document.querySelector("main .grid-scroll")) screen("Your timetable", el("p", { class: "loading" }, "Loading…"));
  let list = [];
  let timetable = null;
  let offline = false;
  try {
    list = (await API.api("/timetables?limit=50")).items;
    const wanted = id || (list[0] && list[0].id);
    if (wanted) {
      timetable = await API.api(`/timetables/${wanted}`);
      await API.remember(timetable);
    }
  } catch (e) {
    if (!(e instanceof API.OfflineError)) throw e;
    offline = true;
    list = await API.remembered();
    timetable = (id ? list.find((t) => t.id === id) : list[0]) || null;
  }
  if (!timetable) {
    screen("Your timetable", el("div", { class: "card empty" },
      el("p", {}, offline ? "No timetable is saved on this device yet." : "You have no timetable yet."),
      el("a", { class: "button primary", href: "#/upload" }, "Upload a photo of your timetable")));
    return;
  }
  drawTimetable(go, timetable, list, offline ? "offline" : "live");
}

function drawTimetable(go, timetable, list, mode) {
  const offline = mode !== "live";
  const blocks = timetable.timeblocks || [];
  const refresh = () => timetableView(go, timetable.id);
  const addButton = el("button", {
    type: "button", class: "primary no-print", disabled: offline,
    onclick: () => editLesson({ name: "", day: "Monday", startTime: "09:00", endTime: "10:00" }, {
      title: "Add a lesson",
      onSave: async (values) => {
        await API.api(`/timetables/${timetable.id}/timeblocks`, { method: "POST", body: values });
        toast(`${values.name} added.`);
        refresh();
      },
    }),
  }, "Add lesson");
  const switcher = list.length > 1 ? field("Timetable", el("select", {
    onchange: (event) => go(`#/timetables/${event.target.value}`),
  }, ...list.map((t) => el("option", { value: t.id, selected: t.id === timetable.id }, t.name || "Untitled")))) : null;
  const onEdit = (block) => {
    if (offline) {
      toast(mode === "updating" ? "Fetching the latest copy: try again in a moment." : "You are offline: editing waits until you are back online.");
      return;
    }
    editLesson(block, {
      title: `Edit ${block.name}`,
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
  screen(timetable.name || "Your timetable",
    el("p", { class: "muted" }, subtitle(timetable) || " ",
      offline ? el("span", { class: "badge" }, mode === "updating" ? " Saved copy, updating…" : " Saved copy") : null),
    el("div", { class: "toolbar" }, switcher, addButton),
    blocks.length
      ? renderGrid(blocks, { onEdit, caption: `Week of ${timetable.name || "lessons"}` })
      : el("p", { class: "card" }, "This timetable has no lessons yet. Add one."),
    exportButtons(timetable),
    el("p", { class: "muted small" }, `${blocks.length} lessons · last changed ${new Date(timetable.updatedAt).toLocaleString()}`));
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
  const at = ORDER.indexOf(job.stage);
  const done = job.status === "completed";
  return el("ol", { class: "steps" }, ...STEPS
    .filter(([stage]) => !["secondary_ocr", "llm"].includes(stage) || at >= ORDER.indexOf(stage) && job.stage === stage)
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
  screen(heading, el("div", { class: "card progress-card", "data-job-id": jobId }, status, steps, actions));
  const stop = watchJob(jobId, (job) => {
    if (!job.status) return;
    steps.replaceChildren(progressList(job));
    if (job.status === "queued") status.textContent = "In the queue: starting in a moment…";
    if (job.status === "running") status.textContent = `Working: ${(STEPS.find(([s]) => s === job.stage) || [0, "processing"])[1].toLowerCase()}…`;
    if (job.status === "completed") {
      status.textContent = "Done. Opening your timetable…";
      go(`#/timetables/${job.timetableId}`);
    }
    if (job.status === "review") {
      status.textContent = "We are not sure enough about this one: a person at your school will check it. You will be told when it is ready.";
      const draft = job.timetableId ? el("a", { class: "button", href: `#/timetables/${job.timetableId}` }, "See the draft") : "";
      actions.replaceChildren(draft);
      API.reviewableJobs().then((jobs) => {
        if (!jobs.has(jobId)) return;
        if (API.currentUser().role === "teacher") {
          status.textContent = "We are not sure enough about this one: your school lets you check it yourself. Compare it with your photo and fix what differs.";
        }
        actions.replaceChildren(el("a", { class: "button primary", href: `#/review/${jobId}` }, "Check it now"), draft);
      }).catch(() => {});
    }
    if (job.status === "failed") {
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
