"""The API explorer at /schema/swagger, served whole by this server: Swagger UI's script and styles
come from the swagger-ui-py package (Swagger UI 5, which reads OpenAPI 3.1) under /schema/assets/, so
the page works with no internet (a school's network, a laptop on a train), not from a CDN."""

from __future__ import annotations

from functools import cache
from importlib.util import find_spec
from pathlib import Path

from litestar import Response, Router, get
from litestar.exceptions import NotFoundException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.params import FromPath

from core.web.favicon import FAVICON_PATH

ASSETS_PATH = "/schema/assets"
# The only files the page loads; nothing else from the package is served.
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-standalone-preset.js": "text/javascript",
    "swagger-ui.css": "text/css",
}


@cache
def _static_dir() -> Path:
    spec = find_spec("swagger_ui")  # found without importing it (its handlers import web frameworks)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("swagger-ui-py is not installed: run `uv sync`.")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


@cache
def _asset(name: str) -> bytes:
    return (_static_dir() / name).read_bytes()


@get(
    "/assets/{name:str}",
    operation_id="apiExplorerAsset",
    include_in_schema=False,
    opt={"exclude_from_auth": True},
)
async def explorer_asset(name: FromPath[str]) -> Response:
    if name not in ASSETS:
        raise NotFoundException(f"No file '{name}' here.")
    # The file changes only with the package's version, which changes the app's deploy.
    return Response(_asset(name), media_type=ASSETS[name], headers={"Cache-Control": "public, max-age=86400"})


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Timetabler API",
        version="1.0.0",
        path="/schema",
        render_plugins=[
            SwaggerRenderPlugin(
                js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
                css_url=f"{ASSETS_PATH}/swagger-ui.css",
                standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
                favicon=f"<link rel='icon' href='{FAVICON_PATH}'>",
            )
        ],
        # The API's description is public, like /health: listed in the open set explicitly.
        # Its own pages stay out of the document they serve (the fuzzer read them as API routes).
        openapi_router=Router(
            path="/schema",
            route_handlers=[explorer_asset],
            opt={"exclude_from_auth": True},
            include_in_schema=False,
        ),
    )
