"""The API's error answers, described as they are: ``{code, message}``.

Litestar documents a 400 on every route that validates input with its own ValidationException shape
(``status_code``, ``detail``, ``extra``), but core.api.errors answers ``{code, message}``; the fuzzer
found every such 400 breaking the schema. Each HTTP route's responses are completed here (a route's
own declarations win), before the schema is first built.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec

from core.accounts.schemas import ErrorOut

ERROR_RESPONSES = {
    400: ResponseSpec(data_container=ErrorOut, description="The request is not valid; the message says why."),
    401: ResponseSpec(data_container=ErrorOut, description="Sign in first, or again."),
    403: ResponseSpec(data_container=ErrorOut, description="Your role does not allow this."),
    404: ResponseSpec(data_container=ErrorOut, description="Not found (or not yours to see)."),
    # core.ratelimit answers any route over its limits, with Retry-After.
    429: ResponseSpec(
        data_container=ErrorOut, description="Too many requests; try again after the Retry-After seconds."
    ),
}


def document_error_responses(app: Litestar) -> None:
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if isinstance(handler, HTTPRouteHandler) and handler.include_in_schema:
                declared: dict[int, Any] = dict(handler.responses or {})
                handler.responses = {**ERROR_RESPONSES, **declared}
