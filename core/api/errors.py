"""Errors as the API answers them: ``{"code", "message"}`` with a message that says what to do."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from core.errors import DomainError, not_found

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "file_too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "too_many_requests",
}


# The API's name for the product's refusals: services raise it, and so do the controllers.
ApiError = DomainError
__all__ = ["EXCEPTION_HANDLERS", "ApiError", "DomainError", "not_found"]


def _body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, **extra}


def handle_http_exception(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if isinstance(exc, ValidationException):
        body = _body("invalid_request", _validation_message(exc), details=exc.extra)
    elif status == 413:
        body = _body("file_too_large", "The upload is too large. Upload a smaller file.")
    else:
        body = _body(_CODES.get(status, "error"), exc.detail or "Request failed.")
    return Response(body, status_code=status, headers=getattr(exc, "headers", None))


def handle_domain_error(request: Request, exc: DomainError) -> Response:
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
    return Response(_body(exc.code, exc.detail), status_code=exc.status_code, headers=headers)


def _validation_message(exc: ValidationException) -> str:
    extra = exc.extra if isinstance(exc.extra, list) else []
    parts = []
    for item in extra:
        if isinstance(item, dict):
            where = item.get("key") or item.get("source") or ""
            parts.append(f"{where}: {item.get('message')}" if where else str(item.get("message")))
    detail = "; ".join(parts) or exc.detail
    return f"The request is not valid: {detail}. Fix it and send it again."


def handle_internal_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return Response(
        _body("internal_error", "Something went wrong on our side. Try again; nothing was lost."),
        status_code=500,
    )


EXCEPTION_HANDLERS = {
    DomainError: handle_domain_error,
    HTTPException: handle_http_exception,
    Exception: handle_internal_error,
}
