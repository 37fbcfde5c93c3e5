"""The app's static files: a fixed set read once, each with an ETag, and one version for them all.

The version names the service worker's cache, so a deploy with changed files replaces the cache.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

STATIC = Path(__file__).parent / "static"
TYPES = {
    ".js": "text/javascript",  # Litestar adds "; charset=utf-8" to text/* types
    ".css": "text/css",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes  # compressed once at start-up: about a quarter of the bytes on a phone network
    media_type: str
    etag: str


def _load() -> dict[str, Asset]:
    assets = {}
    for path in sorted(STATIC.iterdir()):
        if path.suffix in TYPES:
            body = path.read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            assets[path.name] = Asset(
                body=body, gzipped=gzip.compress(body, 9, mtime=0), media_type=TYPES[path.suffix], etag=etag
            )
    return assets


ASSETS = _load()
VERSION = hashlib.sha256("".join(a.etag for a in ASSETS.values()).encode()).hexdigest()[:12]
