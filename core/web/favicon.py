"""/favicon.ico: the app's calendar icon (core/web/icons.py) in the product's colours, for the admin
console, the API explorer and any page without its own icon (browsers ask for /favicon.ico)."""

from __future__ import annotations

import io
from functools import cache

from litestar import Response, get
from PIL import Image

from core.schools.settings import DEFAULTS
from core.web.icons import icon_png

FAVICON_PATH = "/favicon.ico"


@cache
def favicon_ico() -> bytes:
    drawn = Image.open(io.BytesIO(icon_png(DEFAULTS.primary_color, DEFAULTS.accent_color, 64, False)))
    out = io.BytesIO()
    drawn.save(out, format="ICO", sizes=[(16, 16), (32, 32), (48, 48), (64, 64)])
    return out.getvalue()


@get(FAVICON_PATH, operation_id="favicon", include_in_schema=False, opt={"exclude_from_auth": True})
async def favicon() -> Response:
    return Response(
        favicon_ico(),
        media_type="image/vnd.microsoft.icon",
        headers={"Cache-Control": "public, max-age=86400"},
    )
