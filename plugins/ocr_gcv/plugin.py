"""Built-in plugin: the Google Cloud Vision OCR engine ("gcv").

Configure with TIMETABLER_GCV_API_KEY (an API key) or GOOGLE_APPLICATION_CREDENTIALS (a
service-account key file); TIMETABLER_GCV_ENDPOINT points it elsewhere (a local fake in tests),
TIMETABLER_GCV_TIMEOUT sets the per-call deadline in seconds (default 30).
"""

from __future__ import annotations

from core.plugin_api import hookimpl
from plugins.ocr_gcv.engine import GcvEngine

TIMETABLER_HOOK_API = 3  # recognize is handed a PageImage


@hookimpl
def register_ocr_engines() -> list[GcvEngine]:
    return [GcvEngine()]
