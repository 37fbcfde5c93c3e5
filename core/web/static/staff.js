// Staff (school admins): invite a colleague, see who is here and who is invited, change roles, remove.
import * as API from "./api.js";
import { el } from "./grid.js";
import { screen, toast } from "./views.js";

const ROLES = [
  ["teacher", "Teacher", "uploads and keeps their own timetables"],
  ["reviewer", "Reviewer", "also checks documents that were hard to read"],
  ["school_admin", "School admin", "also invites people and changes the school's settings"],
];
const ROLE_WORDS = Object.fromEntries(ROLES.map(([key, words]) => [key, words]));

const field = (label, input, hint) =>
  el("label", { class: "field" }, el("span", {}, label), input, hint ? el("small", {}, hint) : null);

function roleSelect(current, attrs = {}) {
  return el("select", attrs, ...ROLES.map(([key, words]) => el("option", { value: key, selected: key === current }, words)));
}

async function copy(text, input) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    input.select(); // no clipboard access (an insecure address): the old way
    document.execCommand("copy");
  }
}

/* What the admin reads after making an invite: whether it was emailed, and the link either way. */
function inviteMade(made) {
  const emailed = made.emailStatus === "sent";
  const link = el("input", { id: "invite-link", "aria-label": `Invite link for ${made.email}`, readonly: true, value: made.inviteUrl, onfocus: (e) => e.target.select() });
  const copied = el("span", { class: "muted small", role: "status" });
  return el("div", { class: "staff-invite-made", role: "status" },
    el("p", {}, emailed
      ? `Invite sent to ${made.email} as ${ROLE_WORDS[made.role]}. They can also use this link:`
      : `Invite made for ${made.email} as ${ROLE_WORDS[made.role]}. No email was sent (email is not set up for your school), so send them this link yourself:`),
    el("div", { class: "staff-link" }, link,
      el("button", { type: "button", onclick: async () => { await copy(made.inviteUrl, link); copied.textContent = "Copied."; } }, "Copy link"),
      copied),
    el("p", { class: "muted small" }, `The link works once, until ${new Date(made.expiresAt).toLocaleDateString()}.`));
}

function inviteCard(schoolId, refresh) {
  const email = el("input", { type: "email", name: "email", autocomplete: "off", required: true });
  const role = roleSelect("teacher", { name: "role" });
  const error = el("p", { class: "error", role: "alert" });
  const result = el("div", {});
  const submit = el("button", { type: "submit", class: "primary" }, "Invite");
  const form = el("form", {},
    field("Their email", email),
    field("Their role", role, ROLES.map(([, words, what]) => `${words}: ${what}.`).join(" ")),
    error, submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    submit.disabled = true;
    try {
      const made = await API.api(`/schools/${schoolId}/invites`, { method: "POST", body: { email: email.value, role: role.value } });
      result.replaceChildren(inviteMade(made));
      form.reset();
      await refresh();
    } catch (e) {
      error.textContent = e.code === "email_taken"
        ? `${email.value} already has an account. A person can belong to one school only.`
        : e.message;
      email.focus();
    } finally {
      submit.disabled = false;
    }
  });
  return el("section", { class: "card", "aria-labelledby": "invite-title" },
    el("h2", { id: "invite-title" }, "Invite a colleague"), form, result);
}

function personRow(schoolId, person, me, refresh, status) {
  const name = person.id === me.id ? `${person.name} (you)` : person.name;
  const role = roleSelect(person.role, { "aria-label": `Role of ${person.name}` });
  role.addEventListener("change", async () => {
    const wanted = role.value;
    try {
      await API.api(`/schools/${schoolId}/users/${person.id}/role`, { method: "PUT", body: { role: wanted } });
      status.textContent = `${person.name} is now ${ROLE_WORDS[wanted]}.`;
      if (person.id === me.id && wanted !== "school_admin") {
        me.role = wanted; // no Staff screen any more: back to the timetable, without the Staff tab
        toast(status.textContent);
        location.hash = "#/";
        return;
      }
      await refresh();
    } catch (e) {
      role.value = person.role;
      status.textContent = e.code === "last_admin"
        ? `${person.name} is your school's only school admin, so they keep that role. Make someone else school admin first.`
        : e.message;
    }
  });
  const actions = el("div", { class: "staff-actions" });
  const remove = el("button", { type: "button", class: "danger small", "aria-label": `Remove ${person.name}`, onclick: () => {
    actions.replaceChildren(
      el("span", {}, `Remove ${person.name}? Their account and timetables are deleted.`),
      el("button", { type: "button", class: "danger small", onclick: async () => {
        try {
          await API.api(`/users/${person.id}`, { method: "DELETE" });
          status.textContent = `${person.name} was removed.`;
          await refresh();
        } catch (e) {
          status.textContent = e.code === "last_admin"
            ? `${person.name} is your school's only school admin, so they cannot be removed. Make someone else school admin first.`
            : e.message;
          actions.replaceChildren(remove);
        }
      } }, "Yes, remove"),
      el("button", { type: "button", class: "small", onclick: () => actions.replaceChildren(remove) }, "Keep"));
  } }, "Remove");
  actions.append(remove);
  return el("li", { class: "staff-row", "data-email": person.email },
    el("div", { class: "staff-who" }, el("strong", {}, name), el("span", { class: "muted small" }, person.email)),
    role, actions);
}

function inviteRow(schoolId, invite, refresh, status) {
  const expired = new Date(invite.expiresAt) < new Date();
  return el("li", { class: "staff-row", "data-email": invite.email },
    el("div", { class: "staff-who" }, el("strong", {}, invite.email),
      el("span", { class: "muted small" }, `${ROLE_WORDS[invite.role] || invite.role} · ` +
        (expired ? "the link has expired: invite them again" : `link works until ${new Date(invite.expiresAt).toLocaleDateString()}`))),
    el("button", { type: "button", class: "small", "aria-label": `Cancel the invite for ${invite.email}`, onclick: async () => {
      try {
        await API.api(`/schools/${schoolId}/invites/${invite.id}`, { method: "DELETE" });
        status.textContent = `The invite for ${invite.email} no longer works.`;
        await refresh();
      } catch (e) { status.textContent = e.message; }
    } }, "Cancel invite"));
}

export async function staffView(go) {
  const me = API.currentUser();
  if (!me || me.role !== "school_admin") {
    screen("Staff", el("p", { class: "card" }, "Only your school admin can invite people and change roles."));
    return;
  }
  screen("Staff", el("p", { class: "loading" }, "Loading…"));
  const schoolId = me.tenantId;
  const status = el("p", { class: "staff-status", role: "status", "aria-live": "polite" });
  const people = el("ul", { class: "staff-list", "aria-label": "People" });
  const invites = el("ul", { class: "staff-list", "aria-label": "Invites waiting" });
  const invitesCard = el("section", { class: "card", "aria-labelledby": "invites-title" },
    el("h2", { id: "invites-title" }, "Invites waiting"), invites);
  async function refresh() {
    const [users, waiting] = await Promise.all([
      API.api(`/schools/${schoolId}/users`),
      API.api(`/schools/${schoolId}/invites?pending=true`),
    ]);
    people.replaceChildren(...users.map((u) => personRow(schoolId, u, me, refresh, status)));
    invites.replaceChildren(...waiting.map((i) => inviteRow(schoolId, i, refresh, status)));
    invitesCard.hidden = !waiting.length;
  }
  try {
    await refresh();
  } catch (e) {
    if (e instanceof API.OfflineError) { screen("Staff", el("p", { class: "card" }, "Staff needs a connection.")); return; }
    throw e;
  }
  screen("Staff",
    el("p", { class: "muted" }, `Invite colleagues to ${me.school} and choose what each may do.`),
    inviteCard(schoolId, refresh),
    el("section", { class: "card", "aria-labelledby": "people-title" },
      el("h2", { id: "people-title" }, `People at ${me.school}`), status, people),
    invitesCard);
}
