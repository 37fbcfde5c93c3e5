"""The API's bearer-token authentication: deny by default, every route needs a valid access token
unless it opts out (``exclude_from_auth``). The token and the user are core/auth.py's."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from core.auth import NotAuthenticated, decode_token, load_user
from core.db.fresh import begin_request
from core.settings import Settings


class BearerAuthMiddleware(AbstractAuthenticationMiddleware):
    """Deny by default: every route needs a valid access token unless it opts out explicitly."""

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        settings: Settings = connection.app.state.settings
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if not token and connection.scope["type"] == "websocket":
            token, scheme = connection.query_params.get("token", ""), "bearer"
        if scheme.lower() != "bearer" or not token:
            raise NotAuthorizedException("Sign in first: send 'Authorization: Bearer <accessToken>'.")
        if connection.scope["type"] == "http":
            begin_request()  # one look at the database's version for the whole request
        try:
            claims = decode_token(settings, token.strip(), expected_type="access")
            user = await load_user(claims)
        except NotAuthenticated as exc:
            raise NotAuthorizedException(exc.detail) from exc
        return AuthenticationResult(user=user, auth=claims)
