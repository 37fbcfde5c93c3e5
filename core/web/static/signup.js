// Self-service sign-up at /app/: #/register creates a new school's account, signs in and opens Upload.
// On a school's own address joining is by invite, so the sign-in screen there offers no link to it.
import * as API from "./api.js";
import { el } from "./grid.js";
import { screen } from "./views.js";

const field = (label, input, hint, hintId) =>
  el("label", { class: "field" }, el("span", {}, label), input, hint ? el("small", { id: hintId }, hint) : null);

export function registerView(go) {
  const error = el("p", { class: "error", role: "alert" });
  const name = el("input", { name: "name", autocomplete: "name", required: true });
  const school = el("input", { name: "school", autocomplete: "organization", required: true });
  const email = el("input", { type: "email", name: "email", autocomplete: "email", required: true });
  const password = el("input", {
    type: "password", name: "password", autocomplete: "new-password", required: true,
    "aria-describedby": "register-password-hint",
  });
  const submit = el("button", { type: "submit", class: "primary wide" }, "Create the account");
  const form = el("form", { class: "card narrow", "aria-describedby": "register-help" },
    el("p", { id: "register-help", class: "muted" },
      "Create your school's account. You become its admin and can invite colleagues from the Staff tab."),
    field("Your name", name), field("School name", school), field("Email", email),
    field("Password", password, "At least 10 characters; a short phrase you will remember works well.",
      "register-password-hint"),
    error, submit,
    el("p", { class: "muted small" }, "Already have an account? ", el("a", { href: "#/signin" }, "Sign in")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    submit.disabled = true;
    try {
      await API.register({ name: name.value, school: school.value, email: email.value, password: password.value });
      go("#/upload");
    } catch (e) {
      // The API's own words: weak password, email taken, school exists, sign-up closed.
      error.textContent = e instanceof API.OfflineError ? "You are offline. Connect to create the account." : e.message;
      if (e.code === "email_taken") error.append(" ", el("a", { href: "#/signin" }, "Sign in."));
      const wrong = { weak_password: password, email_taken: email, invalid_email: email, school_exists: school }[e.code];
      (wrong || name).focus();
    } finally {
      submit.disabled = false;
    }
  });
  screen("Create your school's account", form);
  name.focus();
}
