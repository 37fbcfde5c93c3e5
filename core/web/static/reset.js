// Password reset: #/reset asks for an emailed link; #/reset/{token} (the link) chooses a new password.
import * as API from "./api.js";
import { el } from "./grid.js";
import { screen, school } from "./views.js";

const field = (label, input, hint) =>
  el("label", { class: "field" }, el("span", {}, label), input, hint ? el("small", {}, hint) : null);

async function post(path, body) {
  // Open routes: no session is sent, and a refused answer is shown as the server words it.
  return API.api(path, { method: "POST", body, open: true });
}

function askView() {
  const error = el("p", { class: "error", role: "alert" });
  const email = el("input", { type: "email", name: "email", autocomplete: "username", required: true });
  const submit = el("button", { type: "submit", class: "primary wide" }, "Email me a link");
  const form = el("form", { class: "card narrow" },
    el("p", { class: "muted" }, `Enter the email you use at ${school}. We will send a link to choose a new password.`),
    field("Email", email), error, submit,
    el("p", { class: "muted small" }, el("a", { href: "#/signin" }, "Back to sign in")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    submit.disabled = true;
    try {
      const answer = await post("/auth/password-reset", { email: email.value });
      screen("Check your email", el("p", { role: "status" }, answer.message),
        el("a", { class: "button", href: "#/signin" }, "Back to sign in"));
    } catch (e) {
      error.textContent = e instanceof API.OfflineError ? "You are offline. Connect to ask for a link." : e.message;
      submit.disabled = false;
    }
  });
  screen("Forgot your password?", form);
  email.focus();
}

function chooseView(token) {
  const error = el("p", { class: "error", role: "alert" });
  const password = el("input", { type: "password", name: "password", autocomplete: "new-password", required: true });
  const submit = el("button", { type: "submit", class: "primary wide" }, "Save the new password");
  const form = el("form", { class: "card narrow" },
    el("p", { class: "muted" }, "Choose a new password. Every device signed in to your account will be signed out."),
    field("New password", password, "At least 10 characters; a short phrase you will remember works well."), error, submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    submit.disabled = true;
    try {
      await post("/auth/password-reset/confirm", { token, password: password.value });
      screen("Password changed", el("p", { role: "status" }, "Your new password is set. Sign in with it."),
        el("a", { class: "button primary", href: "#/signin" }, "Sign in"));
    } catch (e) {
      error.textContent = e instanceof API.OfflineError ? "You are offline. Connect to save your password." : e.message;
      if (e.code === "reset_used" || e.code === "reset_expired" || e.code === "reset_invalid") {
        error.append(" ", el("a", { href: "#/reset" }, "Ask for a new link."));
      }
      submit.disabled = false;
      password.focus();
    }
  });
  screen("Choose a new password", form);
  password.focus();
}

export function resetView(go, token) {
  return token ? chooseView(token) : askView();
}
