"""Roles, the route options naming who may call a route, and who sees what inside a school.

The guard that enforces the options on each request is the API's (core/api/guards.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a type only: the worker checks roles without the web framework
    from core.auth import CurrentUser

TEACHER = "teacher"
REVIEWER = "reviewer"
SCHOOL_ADMIN = "school_admin"
DISTRICT_ADMIN = "district_admin"
PLATFORM_ADMIN = "platform_admin"
ROLES = (TEACHER, REVIEWER, SCHOOL_ADMIN, DISTRICT_ADMIN, PLATFORM_ADMIN)

# People who belong to a school and work with its documents.
SCHOOL_MEMBERS = (TEACHER, REVIEWER, SCHOOL_ADMIN)
# People who administer schools: their own, their district's, or any.
ADMINS = (SCHOOL_ADMIN, DISTRICT_ADMIN, PLATFORM_ADMIN)
EVERYONE = ROLES
# Roles a school admin may hand out inside their school.
SCHOOL_GRANTABLE = (TEACHER, REVIEWER, SCHOOL_ADMIN)


def allow(*roles: str) -> dict[str, Any]:
    """Route options naming the roles that may call a route: ``@get(..., opt=allow(TEACHER))``."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    return {"roles": tuple(roles)}


# Staff who see all of their school's work; a teacher sees their own.
SCHOOL_WIDE_ROLES = (REVIEWER, SCHOOL_ADMIN, DISTRICT_ADMIN, PLATFORM_ADMIN)


def visible(query: Any, table: Any, user: CurrentUser) -> Any:
    """Narrow an already tenant-scoped query to the rows this user may see."""
    if user.role in SCHOOL_WIDE_ROLES:
        return query
    return query.where(table.user_id == user.id)
