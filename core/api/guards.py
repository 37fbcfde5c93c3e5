"""The app-wide guard: every route states who may call it (deny by default), as the route options
of core/schools/roles.py `allow` name them."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler


async def role_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """App-wide guard: a route that opts out of authentication is open; every other route must
    name its roles, and the signed-in user must hold one of them. A coroutine although it never
    waits: Litestar runs a plain function guard on a thread, a hop to another thread and back for
    every request."""
    if handler.opt.get("exclude_from_auth"):
        return
    roles = handler.opt.get("roles")
    if roles is None:
        raise PermissionDeniedException("This endpoint names no roles, so nobody may call it.")
    if connection.user.role not in roles:
        raise PermissionDeniedException("Your role does not allow this. Ask your school admin.")
