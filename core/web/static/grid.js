// The weekly grid: days as columns, lessons placed by their times and sized by their length, each
// subject in its own colour. Every lesson is a button (keyboard and screen readers reach it) that
// opens the lesson editor.
export const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const PX_PER_MINUTE = 1.3;
// Pale backgrounds under dark text: every pair passes WCAG AA (above 7:1 with #1b1b1b); the edge
// colour tells neighbours apart at a glance.
const PALETTE = [
  ["#dbeafe", "#2563eb"], ["#dcfce7", "#16a34a"], ["#fef3c7", "#d97706"], ["#fce7f3", "#db2777"],
  ["#ede9fe", "#7c3aed"], ["#cffafe", "#0891b2"], ["#ffedd5", "#ea580c"], ["#e0e7ff", "#4f46e5"],
  ["#f3e8ff", "#9333ea"], ["#d1fae5", "#059669"], ["#fee2e2", "#dc2626"], ["#ecfccb", "#65a30d"],
  ["#ccfbf1", "#0d9488"], ["#fae8ff", "#c026d3"], ["#f5ead7", "#92400e"], ["#e0f2fe", "#0369a1"],
];
const TEXT = "#1b1b1b";

export const toMinutes = (hhmm) => {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
};
const hhmm = (mins) => `${String(Math.floor(mins / 60)).padStart(2, "0")}:${String(mins % 60).padStart(2, "0")}`;

/* A subject's name as one key: "Maths", " maths " and "MATHS." are one subject. */
const subjectKey = (name) => name.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();

function hash(text) {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return h;
}

function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

/* Text on a document's own colour: the app's dark text or white, whichever reads better; pure
   black where neither reaches AA (mid tones). */
function readableOn(bg) {
  const best = contrast(bg, TEXT) >= contrast(bg, "#ffffff") ? TEXT : "#ffffff";
  return contrast(bg, best) >= 4.5 ? best : "#000000";
}

/* A colour with a hue of its own: grey, white and near-white (a photo's shading, paper) are not.
   Mirrors core/extraction/colours.py. */
function chromatic(hex) {
  if (!/^#[0-9a-f]{6}/i.test(hex || "")) return false;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const max = Math.max(r, g, b), min = Math.min(r, g, b);
  const light = (max + min) / 510;
  const sat = max === min ? 0 : (max - min) / (light > 0.5 ? 510 - max - min : max + min);
  return max - min >= 16 && sat >= 0.25 && light <= 0.97;
}

const BREAK = /^(break|lunch|recess|assembly|registration)\b/i;

/* The document's own colours, kept only when they tell subjects apart: grey and white never
   count; each subject in at most one hue, and at least two hues among the subjects. Otherwise (a
   photo's greys, one colour for all) null, and the app's palette colours every subject. */
function documentColours(blocks) {
  const bySubject = new Map();
  for (const b of blocks) {
    const key = subjectKey(b.name);
    if (!bySubject.has(key)) bySubject.set(key, new Set());
    if (chromatic(b.color)) bySubject.get(key).add(b.color.slice(0, 7).toLowerCase());
  }
  const colours = new Set();
  for (const set of bySubject.values()) {
    if (set.size > 1) return null;
    set.forEach((c) => colours.add(c));
  }
  if (colours.size < Math.min(2, bySubject.size)) return null;
  return new Map([...bySubject].filter(([, set]) => set.size).map(([key, set]) => [key, [...set][0]]));
}

/* Each subject its own colour from the palette: a hash of its name picks the slot (so a subject
   keeps its colour across the week, reloads and timetables), and a subject whose slot is taken
   moves to the next free one (so two subjects never share while the palette lasts). */
function paletteSlots(keys) {
  const slots = new Map();
  const taken = new Set();
  for (const key of [...keys].sort()) {
    let slot = hash(key) % PALETTE.length;
    if (taken.size < PALETTE.length) while (taken.has(slot)) slot = (slot + 1) % PALETTE.length;
    taken.add(slot);
    slots.set(key, slot);
  }
  return slots;
}

/* Colours for a timetable's blocks: breaks in a quiet grey, subjects in the document's colours
   when they tell subjects apart, else each in its own palette colour. */
function palette(blocks) {
  const lessons = blocks.filter((b) => !BREAK.test(b.name.trim()));
  const own = documentColours(lessons);
  const slots = paletteSlots(new Set(lessons.map((b) => subjectKey(b.name)).filter((k) => !(own && own.has(k)))));
  return (block) => {
    if (BREAK.test(block.name.trim())) return { bg: "#eceef2", edge: "#9aa1ad", fg: TEXT };
    const key = subjectKey(block.name);
    if (own && own.has(key)) {
      const bg = own.get(key);
      return { bg, edge: bg, fg: readableOn(bg) };
    }
    const [bg, edge] = PALETTE[slots.has(key) ? slots.get(key) : hash(key) % PALETTE.length];
    return { bg, edge, fg: TEXT };
  };
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "style") {
      for (const [k, v] of Object.entries(value)) {
        if (k.startsWith("--")) node.style.setProperty(k, v);
        else node.style[k] = v;
      }
    }
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}
export { el };

/* Side by side when lessons overlap: each gets a lane within its cluster. */
function lanes(blocks) {
  const sorted = [...blocks].sort((a, b) => toMinutes(a.startTime) - toMinutes(b.startTime));
  const placed = [];
  let cluster = [];
  let clusterEnd = -1;
  const close = () => {
    const width = Math.max(1, ...cluster.map((p) => p.lane + 1));
    cluster.forEach((p) => (p.of = width));
    cluster = [];
  };
  for (const block of sorted) {
    const start = toMinutes(block.startTime);
    if (start >= clusterEnd) { close(); clusterEnd = -1; }
    const used = new Set(cluster.filter((p) => toMinutes(p.block.endTime) > start).map((p) => p.lane));
    let lane = 0;
    while (used.has(lane)) lane += 1;
    const entry = { block, lane, of: 1 };
    cluster.push(entry);
    placed.push(entry);
    clusterEnd = Math.max(clusterEnd, toMinutes(block.endTime));
  }
  close();
  return placed;
}

/* A two-week timetable's switcher: one week of lessons at a time; `onPick(week)` redraws. */
export function weekSwitcher(weeks, shown, onPick) {
  const tabs = el("div", { class: "week-tabs", role: "group", "aria-label": "Week to show" },
    ...weeks.map((w) => el("button", {
      type: "button", "data-week": w, "aria-pressed": String(w === shown),
      onclick: () => {
        tabs.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.week === w)));
        onPick(w);
      },
    }, `Week ${w}`)));
  return tabs;
}

/* The days a timetable's lessons can be on: Monday … Sunday, or its cycle's days ("Day 1" …). */
export function daysOf(timetable) {
  return timetable && timetable.rotation === "cycle" && timetable.cycleDays ? timetable.cycleDays : DAYS;
}

/* `marked` (optional): the lessons to look at first, by id, each with why in plain words.
   `cycleDays` (optional): the columns of a cycle timetable instead of weekdays; `today`: the column
   a phone shows first (by default today's weekday). */
export function renderGrid(blocks, { onEdit, caption, marked = {}, cycleDays = null, today = null }) {
  const used = new Set(blocks.map((b) => b.day));
  const days = cycleDays || DAYS.filter((d, i) => i < 5 || used.has(d));
  const starts = blocks.map((b) => toMinutes(b.startTime));
  const ends = blocks.map((b) => toMinutes(b.endTime));
  const first = Math.floor((starts.length ? Math.min(...starts) : 8 * 60) / 60) * 60;
  const last = Math.max(first + 60, Math.ceil((ends.length ? Math.max(...ends) : 15 * 60) / 60) * 60);
  const height = (last - first) * PX_PER_MINUTE;
  const colours = palette(blocks);

  const times = el("div", { class: "times", "aria-hidden": "true", style: { height: `${height}px` } });
  for (let t = first; t <= last; t += 60) {
    times.append(el("span", { style: { top: `${(t - first) * PX_PER_MINUTE}px` } }, hhmm(t)));
  }
  const week = el("div", { class: "week", style: { "--days": days.length } },
    el("div", { class: "corner", "aria-hidden": "true" }), times);
  days.forEach((day) => {
    const id = `day-${day.toLowerCase()}`;
    const list = el("ol", { class: "lessons", style: { height: `${height}px` } });
    for (let t = first + 60; t < last; t += 60) {
      list.append(el("li", { class: "hour-line", "aria-hidden": "true", style: { top: `${(t - first) * PX_PER_MINUTE}px` } }));
    }
    const mine = blocks.filter((b) => b.day === day);
    for (const { block, lane, of } of lanes(mine)) {
      const start = toMinutes(block.startTime);
      const minutes = toMinutes(block.endTime) - start;
      const c = colours(block);
      const doubt = marked[block.id];
      const label = `${block.name}, ${day} ${block.startTime} to ${block.endTime}` +
        (block.notes ? `, ${block.notes}` : "") + (doubt ? `. Check this one: ${doubt.join("; ")}` : "") + ". Edit lesson";
      const button = el("button", {
        type: "button", class: "lesson" + (minutes < 35 ? " short" : "") + (doubt ? " doubtful" : ""), "aria-label": label,
        title: doubt ? `Check this one: ${doubt.join("; ")}` : null,
        "data-block-id": block.id,
        style: { background: c.bg, color: c.fg, borderLeftColor: c.edge },
        onclick: () => onEdit(block),
      },
      doubt ? el("span", { class: "doubt-mark", "aria-hidden": "true" }, "Check") : null,
      el("span", { class: "lesson-name" }, block.name),
      el("span", { class: "lesson-time" }, `${block.startTime}–${block.endTime}`),
      block.notes ? el("span", { class: "lesson-notes" }, block.notes) : null);
      list.append(el("li", {
        class: "slot",
        style: {
          top: `${(start - first) * PX_PER_MINUTE}px`, height: `${minutes * PX_PER_MINUTE - 2}px`,
          left: `${(lane / of) * 100}%`, width: `${100 / of}%`,
        },
      }, button));
    }
    week.append(el("h3", { class: "day-name", id }, day), el("section", { class: "day", "aria-labelledby": id }, list));
  });
  // Each day's heading and column sit in the day's grid column; on a phone only the chosen day shows.
  [...week.querySelectorAll(".day-name")].forEach((h, i) => { h.style.gridColumn = String(i + 2); h.dataset.day = days[i]; });
  [...week.querySelectorAll(".day")].forEach((d, i) => { d.style.gridColumn = String(i + 2); d.dataset.day = days[i]; });
  const shown = today || DAYS[(new Date().getDay() + 6) % 7];
  // On a phone only the chosen day's heading and column show (class "shown"; app.css).
  const show = (day) => {
    week.dataset.show = day;
    week.querySelectorAll("[data-day]").forEach((e) => e.classList.toggle("shown", e.dataset.day === day));
  };
  show(days.includes(shown) ? shown : days[0]);
  const tabs = el("div", { class: "day-tabs", role: "group", "aria-label": "Day to show" }, ...days.map((day) =>
    el("button", {
      type: "button", "aria-pressed": String(day === week.dataset.show), "aria-label": day,
      onclick: (event) => {
        show(day);
        tabs.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", String(b === event.currentTarget)));
      },
    }, cycleDays ? day.replace(/^Day /, "") : day.slice(0, 3))));
  return el("div", {}, tabs,
    el("div", { class: "grid-scroll", role: "region", "aria-label": caption, tabindex: "0" }, week));
}

/* The lesson editor: a modal <dialog> (it keeps focus inside and Escape closes it). `days`: the days
   to choose from (a cycle's days on a cycle timetable); `weeks`: a two-week timetable's weeks. */
export function editLesson(block, { onSave, onDelete, title, days = DAYS, weeks = null }) {
  const dialog = el("dialog", { class: "editor", "aria-labelledby": "editor-title" });
  const error = el("p", { class: "error", role: "alert", id: "editor-error" });
  const field = (label, input) => el("label", { class: "field" }, el("span", {}, label), input);
  const name = el("input", { name: "name", required: true, value: block.name || "", autocomplete: "off" });
  const day = el("select", { name: "day" }, ...days.map((d) => el("option", { value: d, selected: d === block.day }, d)));
  const week = weeks ? el("select", { name: "week" }, ...weeks.map((w) => el("option", { value: w, selected: w === block.week }, `Week ${w}`))) : null;
  const start = el("input", { name: "startTime", type: "time", required: true, value: block.startTime || "09:00" });
  const end = el("input", { name: "endTime", type: "time", required: true, value: block.endTime || "10:00" });
  const notes = el("input", { name: "notes", value: block.notes || "", autocomplete: "off", placeholder: "Room, class, teacher" });
  const save = el("button", { type: "submit", class: "primary" }, "Save");
  const buttons = el("div", { class: "actions" }, save,
    el("button", { type: "button", onclick: () => dialog.close() }, "Cancel"));
  if (onDelete) {
    buttons.append(el("button", {
      type: "button", class: "danger", onclick: async () => {
        if (!confirm(`Delete ${block.name}?`)) return;
        try { await onDelete(); dialog.close(); } catch (e) { error.textContent = e.message; }
      },
    }, "Delete lesson"));
  }
  const form = el("form", { method: "dialog", "aria-describedby": "editor-error" },
    el("h2", { id: "editor-title" }, title),
    field("Lesson", name), week ? el("div", { class: "row" }, field("Week", week), field("Day", day)) : field("Day", day),
    el("div", { class: "row" }, field("Starts", start), field("Ends", end)),
    field("Notes", notes), error, buttons);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    save.disabled = true;
    try {
      const values = { name: name.value, day: day.value, startTime: start.value, endTime: end.value, notes: notes.value || null };
      if (week) values.week = week.value;
      await onSave(values);
      dialog.close();
    } catch (e) {
      error.textContent = e.message; // the API's own words: what to fix
    } finally {
      save.disabled = false;
    }
  });
  dialog.append(form);
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  name.focus();
  return dialog;
}
