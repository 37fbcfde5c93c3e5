"""Which school a web page is for: from the Host subdomain or a ``/t/{slug}/`` path prefix.

The API takes the school from the token; web pages that are shown before anyone signs in (the
console's sign-in page, invite pages) take it from the address, so they can wear the school's brand.
"""

from __future__ import annotations

import re

from core.db.tables import Tenant

_PREFIX = re.compile(r"^/t/([a-z0-9][a-z0-9-]{0,99})(?:/|$)")


def slug_from_host(host: str, base_domain: str | None) -> str | None:
    """``oak.example.org`` under base domain ``example.org`` -> ``oak``; anything else -> None."""
    if not base_domain or not host:
        return None
    hostname = host.split(":", 1)[0].strip().lower().rstrip(".")
    suffix = "." + base_domain.strip().lower().strip(".")
    if not hostname.endswith(suffix):
        return None
    label = hostname[: -len(suffix)]
    # Only a single label names a school: www.oak.example.org is not Oak.
    if not label or "." in label or label == "www":
        return None
    return label


def slug_from_path(path: str) -> str | None:
    """``/t/oak/admin/login`` -> ``oak``."""
    match = _PREFIX.match(path)
    return match.group(1) if match else None


def resolve_slug(*, host: str, path: str, base_domain: str | None) -> str | None:
    """The path prefix wins over the host: it is the more explicit of the two."""
    return slug_from_path(path) or slug_from_host(host, base_domain)


async def resolve_school(*, host: str, path: str, base_domain: str | None) -> Tenant | None:
    """The school a web page is for, or None when the address names none (or an unknown one)."""
    slug = resolve_slug(host=host, path=path, base_domain=base_domain)
    if slug is None:
        return None
    return await Tenant.objects().where(Tenant.slug == slug).first()
