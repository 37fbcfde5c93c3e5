"""Schemas of the sessions and password routes; JSON names are camelCase like the rest of the API."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from core.schema import Schema


class ErrorOut(Schema):
    """Every error the API answers: a stable code and a message that says what to do."""

    code: str
    message: str
    details: Any = None  # for invalid requests: which field, and what is wrong with it


class SessionOut(Schema):
    id: UUID
    created_at: dt.datetime
    last_used_at: dt.datetime
    expires_at: dt.datetime
    user_agent: str
    ip: str
    current: bool  # the session this request's access token belongs to


class PasswordChangeIn(Schema):
    current_password: str
    new_password: str


class PasswordResetIn(Schema):
    email: str


class PasswordResetOut(Schema):
    message: str  # the same for every email, known or not


class PasswordResetConfirmIn(Schema):
    token: str
    password: str
