"""The VAPID key pair that signs every push (RFC 8292).

From the ``privateKey`` setting, TIMETABLER_VAPID_PRIVATE_KEY (the raw 32-byte key base64url-encoded,
or a base64url DER key, as ``vapid --gen`` writes), or else generated once and kept in the data folder
(``vapid_private.pem``) so that browsers' subscriptions keep working across restarts. Several app
servers or workers must share one key: set the variable, or share the data folder.
"""

from __future__ import annotations

import base64
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from core.plugin_api import get_settings, public_root
from plugins.notify_webpush.settings import WebPushSettings

if TYPE_CHECKING:  # py_vapid and cryptography load with the first key used, not with the plugin
    from py_vapid import Vapid02

KEY_FILE = "vapid_private.pem"


@cache
def _from_env(value: str) -> Vapid02:
    from py_vapid import Vapid02

    return Vapid02.from_string(private_key=value)


@cache
def _from_folder(data_dir: Path) -> Vapid02:
    from py_vapid import Vapid02

    path = data_dir / KEY_FILE
    if not path.exists():
        key = Vapid02()
        key.generate_keys()
        data_dir.mkdir(parents=True, exist_ok=True)
        # Written aside, then linked into place: of two processes starting at once, one key wins
        # and neither ever reads a half-written file.
        draft = data_dir / f".{KEY_FILE}.{os.getpid()}"
        draft.write_bytes(key.private_pem())
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return Vapid02.from_file(str(path))


def vapid(settings: WebPushSettings) -> Vapid02:
    value = (settings.private_key or "").strip()
    return _from_env(value) if value else _from_folder(get_settings().data_dir.resolve())


def application_server_key(settings: WebPushSettings) -> str:
    """The public key the browser subscribes with (``applicationServerKey``), base64url."""
    from cryptography.hazmat.primitives import serialization

    raw = vapid(settings).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def subject(settings: WebPushSettings) -> str:
    """Who the push services may contact about these pushes: a mailto: or https: address."""
    if settings.subject:
        return settings.subject
    public_url = public_root(get_settings())
    if public_url.startswith("https://"):
        return public_url
    return f"mailto:admin@{urlsplit(public_url).hostname or 'localhost'}"
