"""Who sees what inside a school: teachers their own work, school staff with a wider role all of it."""

from __future__ import annotations

from typing import Any

from core.auth import CurrentUser

SCHOOL_WIDE_ROLES = ("reviewer", "school_admin", "district_admin", "platform_admin")


def visible(query: Any, table: Any, user: CurrentUser) -> Any:
    """Narrow an already tenant-scoped query to the rows this user may see."""
    if user.role in SCHOOL_WIDE_ROLES:
        return query
    return query.where(table.user_id == user.id)
