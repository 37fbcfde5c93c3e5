"""The teacher's app: its page, manifest, icons, service worker and static files, per school.

| route | roles |
| --- | --- |
| GET /app/ , /t/{slug}/app/ (the app's one page; views are #/fragments) | anyone: the page holds no data |
| GET …/manifest.webmanifest, …/sw.js, …/icons/{name}.png | anyone |
| GET /app/static/{name} | anyone |

Every route here is open on purpose (listed with exclude_from_auth): the pages and files carry no
school data; the app signs in against the API and sends its bearer token there itself.
"""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Request, Response, Router, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from core.schools.resolution import resolve_school, slug_from_path
from core.web.assets import ASSETS, VERSION
from core.web.brand import AppBrand, brand_of
from core.web.icons import ICONS, icon_png

OPEN = {"exclude_from_auth": True}
TEMPLATES = Path(__file__).parent / "templates"
_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
# What the service worker stores at install so the app opens with no network (besides the page).
SHELL_ASSETS = [name for name in ASSETS if name != "sw-core.js"]


def paths(suffix: str) -> list[str]:
    return [f"/app/{suffix}", f"/t/{{slug:str}}/app/{suffix}"]


async def brand_for(request: Request) -> AppBrand:
    """The school the address names (path prefix or subdomain); an unknown school is a 404."""
    settings = request.app.state.settings
    school = await resolve_school(
        host=request.headers.get("host", ""), path=request.url.path, base_domain=settings.base_domain
    )
    named = slug_from_path(request.url.path) is not None
    if named and school is None:
        raise NotFoundException("No school uses this address. Check the link you were given.")
    return await brand_of(school, slug_in_path=named)


def _csp(request: Request) -> str:
    host = request.headers.get("host", "")
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' https: data: blob:; object-src 'self' blob:; frame-src 'self' blob:; "
        f"connect-src 'self' ws://{host} wss://{host}; worker-src 'self'; manifest-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )


@get(["/app", "/t/{slug:str}/app"], operation_id="webApp", opt=OPEN, include_in_schema=False)
async def app_page(request: Request, state: State) -> Response:
    raw_path = request.scope.get("raw_path", b"").decode("latin-1")
    if not raw_path.endswith("/"):
        # The service worker's scope ends in a slash; keep the page inside it (Litestar hides the slash).
        return Redirect(request.url.path + "/", status_code=308)  # type: ignore[return-value]
    brand = await brand_for(request)
    # Sign-up creates a new school, so it is offered only where the address names none.
    signup = state.settings.self_signup and not brand.of_a_school
    html = _env.get_template("app.html").render(brand=brand, version=VERSION, signup=signup)
    return Response(
        html,
        media_type="text/html",
        headers={
            "Cache-Control": "no-cache",
            "Content-Security-Policy": _csp(request),
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "same-origin",
            "X-Content-Type-Options": "nosniff",
        },
    )


@get(paths("manifest.webmanifest"), operation_id="webAppManifest", opt=OPEN, include_in_schema=False)
async def manifest(request: Request) -> Response:
    brand = await brand_for(request)
    icons = [
        {"src": f"{brand.base}icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": f"{brand.base}icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {
            "src": f"{brand.base}icons/maskable-512.png",
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    body = {
        "id": brand.base,
        "name": f"{brand.name} timetable" if brand.slug else "Timetabler",
        "short_name": brand.short_name,
        "description": "Photograph your timetable; get it as a digital weekly timetable.",
        "start_url": brand.base + "#/",
        "scope": brand.base,
        "display": "standalone",
        "orientation": "any",
        "theme_color": brand.primary,
        "background_color": "#ffffff",
        "icons": icons,
    }
    return Response(
        json.dumps(body, indent=1),
        media_type="application/manifest+json",
        headers={"Cache-Control": "no-cache"},
    )


@get(paths("icons/{name:str}"), operation_id="webAppIcon", opt=OPEN, include_in_schema=False)
async def icon(request: Request, name: FromPath[str]) -> Response:
    if name not in ICONS:
        raise NotFoundException(f"No icon '{name}'. Icons: {', '.join(ICONS)}.")
    brand = await brand_for(request)
    size, full_bleed = ICONS[name]
    return Response(
        icon_png(brand.primary, brand.accent, size, full_bleed),
        media_type="image/png",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@get(paths("sw.js"), operation_id="webAppServiceWorker", opt=OPEN, include_in_schema=False)
async def service_worker(request: Request) -> Response:
    brand = await brand_for(request)
    config = {
        "version": VERSION,
        "base": brand.base,
        "precache": [
            brand.base,
            f"{brand.base}manifest.webmanifest",
            *(f"{brand.base}icons/{name}" for name in ICONS),
            *(f"/app/static/{name}" for name in SHELL_ASSETS),
        ],
    }
    # One worker per school's scope; its logic is shared (sw-core.js), its settings are these.
    body = (
        f"self.TT_CONFIG = {json.dumps(config)};\n"
        f"importScripts('/app/static/shared.js?v={VERSION}', '/app/static/sw-core.js?v={VERSION}');\n"
    )
    return Response(
        body,
        media_type="text/javascript",  # Litestar adds the charset
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": brand.base},
    )


@get("/app/static/{name:str}", operation_id="webAppStatic", opt=OPEN, include_in_schema=False)
async def static_file(request: Request, name: FromPath[str]) -> Response:
    asset = ASSETS.get(name)
    if asset is None:
        raise NotFoundException(f"No file '{name}'.")
    headers = {
        "ETag": asset.etag,
        "Cache-Control": "no-cache",
        "Vary": "Accept-Encoding",
        "X-Content-Type-Options": "nosniff",
    }
    if request.headers.get("if-none-match") == asset.etag:
        return Response(b"", status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(asset.gzipped, media_type=asset.media_type, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


web_router = Router(
    path="/",
    route_handlers=[app_page, manifest, icon, service_worker, static_file],
    include_in_schema=False,
)
