"""Whether a school may upload now, asked before an upload is taken.

The product itself never refuses a school; billing (tenants/billing) adds its quota check here when
the composition roots load it (core/app.py). A check raises a DomainError that says what to do.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

from core.settings import Settings

Check = Callable[[UUID | str, Settings | None], Awaitable[None]]
_checks: list[Check] = []


def add_upload_check(check: Check) -> None:
    if check not in _checks:
        _checks.append(check)


async def check_upload_allowed(tenant_id: UUID | str, settings: Settings | None = None) -> None:
    for check in _checks:
        await check(tenant_id, settings)
