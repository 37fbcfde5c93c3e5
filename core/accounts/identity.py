"""What identifies a person and their one-time links: a well-formed email, and the hash under which
invite and reset tokens are stored (the token itself is only ever in the link)."""

from __future__ import annotations

import hashlib
import re

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
