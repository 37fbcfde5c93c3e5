"""The product's refusals, with no web framework in them.

Services raise `DomainError` for what a person did wrong or cannot do now, in plain words that say
what to do. Each surface turns it into its own answer in one place: the API into ``{"code",
"message"}`` JSON (core/api/errors.py), the console into a page (admin/errors.py), the CLI into a
line on stderr. ``status_code`` is the HTTP status the API answers with, a fact about the refusal
(not found, conflict, over quota) that the console and CLI may use too.
"""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, status_code: int, code: str, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.detail = message
        self.retry_after = retry_after  # seconds to wait before trying again, when waiting helps


def not_found(what: str) -> DomainError:
    return DomainError(404, "not_found", f"{what} was not found.")
