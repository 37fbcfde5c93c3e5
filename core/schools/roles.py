"""Roles and the guard that makes every route state who may call it (deny by default)."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

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


def role_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """App-wide guard: a route that opts out of authentication is open; every other route must
    name its roles, and the signed-in user must hold one of them."""
    if handler.opt.get("exclude_from_auth"):
        return
    roles = handler.opt.get("roles")
    if roles is None:
        raise PermissionDeniedException("This endpoint names no roles, so nobody may call it.")
    if connection.user.role not in roles:
        raise PermissionDeniedException("Your role does not allow this. Ask your school admin.")
