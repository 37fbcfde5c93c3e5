"""The password policy, after NIST SP 800-63B: long enough, not a well-known password, not the
email; no composition rules and no forced changes."""

from __future__ import annotations

from pathlib import Path

from core.errors import DomainError

MIN_LENGTH = 10
MAX_LENGTH = 256  # argon2 hashes any length; the cap only bounds the work per attempt
# What a sign-in form's password is cut to before checking: far above MAX_LENGTH, so no real
# password is cut off, and an attacker's megabyte is not hashed.
LOGIN_PASSWORD_LIMIT = 4096
_COMMON = frozenset(
    line.strip().lower()
    for line in (Path(__file__).with_name("common_passwords.txt")).read_text().splitlines()
    if line.strip() and not line.startswith("#")
)


class WeakPassword(ValueError):
    """The password breaks the policy; the message says how to choose a better one."""


def check_password(password: str, *, email: str = "") -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(
            f"Choose a password of at least {MIN_LENGTH} characters; a short phrase works well."
        )
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"Choose a password of at most {MAX_LENGTH} characters.")
    folded = password.strip().lower()
    if folded in _COMMON or len(set(folded)) <= 2:
        raise WeakPassword("That password is one of the most common ones. Choose a phrase of your own.")
    local = email.strip().lower().split("@")[0]
    if email and (folded == email.strip().lower() or (len(local) >= 4 and local in folded)):
        raise WeakPassword("The password must not contain your email address. Choose something else.")


def require_good_password(password: str, email: str) -> None:
    """The policy as a refusal the API, console and CLI can show."""
    try:
        check_password(password, email=email)
    except WeakPassword as exc:
        raise DomainError(400, "weak_password", str(exc)) from exc
