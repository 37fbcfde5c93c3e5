"""The Web Push notifier's settings, declared as its schema: the deployment's, read at each push."""

from __future__ import annotations

from typing import Annotated

import msgspec

from core.plugin_api import setting

PREFIX = "TIMETABLER_VAPID"


class WebPushSettings(msgspec.Struct, rename="camel", kw_only=True, frozen=True):
    private_key: Annotated[
        str | None,
        setting(
            "the VAPID private key (base64url raw or DER, as `vapid --gen` writes); unset: one is made "
            "and kept in the data folder",
            secret=True,
        ),
    ] = None
    subject: Annotated[
        Annotated[str, msgspec.Meta(pattern=r"^(mailto:|https://)\S+$")] | None,
        setting("who push services may contact: a mailto: or https: address (unset: the public URL)"),
    ] = None

    def __repr__(self) -> str:  # the key never in a log line or traceback
        return (
            f"WebPushSettings(private_key={'hidden' if self.private_key else None}, subject={self.subject!r})"
        )
