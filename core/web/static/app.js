// The app's entry: session, hash routes, the offline banner, the service worker and the upload queue.
import * as API from "./api.js";
import { historyView, reviewView, settingsView } from "./more.js";
import { base, jobView, joinView, paintSaved, screen, signInView, timetableView, toast, uploadView } from "./views.js";
import { el } from "./grid.js";
import { resetView } from "./reset.js";
import { registerView } from "./signup.js";
import { staffView } from "./staff.js";

const TT = self.TT;
const PRODUCT = "Timetabler";
let signedIn = false;

/* The school's name in the header, footer and tab title. Where the address names the school the
   page came with it; at /app/ it is the signed-in person's school, else the product's name. */
function showSchool(user) {
  if (document.body.dataset.named === "true") return;
  const name = (user && user.school) || PRODUCT;
  document.body.dataset.school = name;
  document.querySelector(".topbar .school").textContent = name;
  document.querySelector(".footer-name").textContent = name === PRODUCT ? PRODUCT : `${name} · ${PRODUCT}`;
}

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function setNav(name) {
  document.getElementById("nav").hidden = !signedIn;
  const user = API.currentUser();
  document.querySelectorAll("[data-nav-role]").forEach((link) => { link.hidden = !user || user.role !== link.dataset.navRole; });
  document.querySelectorAll("[data-nav]").forEach((link) => {
    if (link.dataset.nav === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  });
}

async function signOut() {
  await API.signOut();
  signedIn = false;
  go("#/signin");
}

/* Views draw after their requests answer, so a slow view could draw over a newer one. Routes are
   drawn one after another, and a route that a newer navigation has overtaken is not drawn at all. */
let drawing = Promise.resolve();
let wanted = 0;
function route() {
  const mine = ++wanted;
  drawing = drawing.then(() => (mine === wanted ? draw() : undefined)).catch(() => {});
  return drawing;
}

async function draw() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [, name = "", id] = hash.split("/");
  if (API.currentUser()) signedIn = true; // the sign-in and join views start a session, then navigate
  showSchool(signedIn ? API.currentUser() : null);
  if (name === "join" && id) { setNav(""); return joinView(go, decodeURIComponent(id)); }
  if (name === "reset") { setNav(""); return resetView(go, id ? decodeURIComponent(id) : ""); }
  if (name === "register" && !signedIn) { setNav(""); return registerView(go); }
  if (!signedIn) { setNav(""); return signInView(go); }
  try {
    if (name === "" || name === "timetables") { setNav("timetable"); await timetableView(go, id); }
    else if (name === "upload") { setNav("upload"); await uploadView(go); }
    else if (name === "jobs" && id) { setNav("upload"); jobView(go, id); }
    else if (name === "history") { setNav("history"); await historyView(go); }
    else if (name === "settings") { setNav("settings"); await settingsView(go, signOut); }
    else if (name === "staff") { setNav("staff"); await staffView(go); }
    else if (name === "review" && id) { setNav("history"); await reviewView(go, id); }
    else if (name === "signin" || name === "register") { go("#/"); return; }
    else { screen("Not found", el("p", {}, "There is no such page. ", el("a", { href: "#/" }, "Open your timetable."))); }
  } catch (e) {
    if (e.status === 401) return;
    screen("Something went wrong", el("p", { class: "error", role: "alert" }, e.message),
      el("a", { class: "button", href: "#/" }, "Back to your timetable"));
  }
  const heading = document.querySelector("main h1");
  if (heading && document.activeElement === document.body) heading.setAttribute("tabindex", "-1");
}

function showOffline() {
  document.getElementById("offline").hidden = navigator.onLine;
  document.body.classList.toggle("is-offline", !navigator.onLine);
}

async function flush() {
  const sent = await TT.flushOutbox(API.accessToken()).catch(() => []);
  announce(sent);
}

function announce(sent) {
  if (!sent || !sent.length) return;
  toast(`Sent ${sent.map((s) => s.name).join(", ")}: reading it now.`);
  if (location.hash.startsWith("#/upload") || location.hash.startsWith("#/history")) route();
}

async function start() {
  showOffline();
  window.addEventListener("online", () => { showOffline(); if (signedIn) flush(); });
  window.addEventListener("offline", showOffline);
  window.addEventListener("hashchange", () => { route(); document.getElementById("main").focus({ preventScroll: true }); });
  window.addEventListener("tt:signed-out", () => { signedIn = false; go("#/signin"); });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(base + "sw.js", { scope: base }).catch(() => {});
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "uploaded") announce(event.data.sent);
    });
  }
  const [, name = "", id] = (location.hash.replace(/^#/, "") || "/").split("/");
  const saved = await TT.store.get("kv", "user");
  if ((name === "" || name === "timetables") && saved) {
    showSchool(saved);
    document.getElementById("nav").hidden = false;
    await paintSaved(go, id);
  }
  try {
    signedIn = Boolean(await API.restore());
  } catch (e) {
    signedIn = e instanceof API.OfflineError; // offline with a stored session: show saved timetables
  }
  await route();
  if (signedIn && navigator.onLine) flush();
}

start();
