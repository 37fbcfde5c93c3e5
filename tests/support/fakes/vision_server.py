"""A local fake of Google Cloud Vision's REST API: ``POST /v1/images:annotate``.

It answers DOCUMENT_TEXT_DETECTION in Vision's JSON shape (fullTextAnnotation → pages → blocks →
paragraphs → words → symbols, with boundingBox vertices, confidences and detected breaks), reading
the words of a timetable rendered by `render.py`: a word comes back only where the image it was
sent has ink in that word's box, scaled to the size it was sent at. Like Vision, it cuts
punctuation into words of its own and omits zero coordinates (proto3 JSON).

Tests can make the next requests fail (503, 429, 403 ...), hang, or carry a per-image error, and
read back every request it received.
"""

from __future__ import annotations

import base64
import io
import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import unquote

from PIL import Image

from tests.ocr_gcv.render import Rendered, Token
from tests.support.fakes.loopback import LoopbackServer

_STATUS = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}
# Vision's enum numbers, used when the client asks for "$alt=json;enum-encoding=int" (the SDK does).
_ENUMS = {"DOCUMENT_TEXT_DETECTION": 11, "TEXT": 1, "SPACE": 1, "LINE_BREAK": 5}
_PIECE = re.compile(r"\d{1,2}[:.]\d{2}|\w+|[^\w\s]")
DEFAULT_CONFIDENCE = 0.97


@dataclass
class Received:
    path: str
    query: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def feature_types(self) -> list[str]:
        names = {v: k for k, v in _ENUMS.items() if k.endswith("DETECTION")}
        return [names.get(f.get("type"), f.get("type")) for f in self.request.get("features", [])]

    @property
    def request(self) -> dict[str, Any]:
        return self.body["requests"][0]

    def image(self) -> Image.Image:
        return Image.open(io.BytesIO(base64.b64decode(self.request["image"]["content"])))


@dataclass
class FakeVision:
    rendered: Rendered
    # Word text -> confidence; others get DEFAULT_CONFIDENCE.
    confidences: dict[str, float] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    failures: deque[int] = field(default_factory=deque)  # statuses for the next requests
    hangs: int = 0  # the next n requests never answer (until the fake stops)
    image_error: tuple[int, str] | None = None  # a per-image error inside a 200 answer
    retry_after: str | None = None  # sent with failures

    def __post_init__(self) -> None:
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._server: LoopbackServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start the fake first"
        return self._server.url

    def start(self) -> FakeVision:
        self._server = LoopbackServer(_handler(self), "fake-vision")
        return self

    def stop(self) -> None:
        self._release.set()  # let hanging handlers finish
        if self._server is not None:
            self._server.close()

    def fail(self, times: int, status: int = 503) -> None:
        self.failures.extend([status] * times)

    # ---- what one request gets --------------------------------------------------------------

    def answer(
        self, path: str, query: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, dict[str, Any]] | None:
        if path == "/token":  # OAuth token exchange, should service-account credentials ask for one
            return 200, {"access_token": "fake-access-token", "expires_in": 3600, "token_type": "Bearer"}
        body = json.loads(raw or b"{}")
        received = Received(path, query, headers, body)
        with self._lock:
            self.received.append(received)
            if self.hangs:
                self.hangs -= 1
                hang = True
            else:
                hang = False
                status = self.failures.popleft() if self.failures else 200
        if hang:
            self._release.wait(60)
            return None
        if path != "/v1/images:annotate":
            return 404, _error(404, f"no route {path}")
        if status != 200:
            messages = {
                429: "Quota exceeded for quota metric 'Requests' of service 'vision.googleapis.com'.",
                403: "Cloud Vision API has not been used in project 123 before or it is disabled.",
            }
            return status, _error(status, messages.get(status, "The service is currently unavailable."))
        if self.image_error:
            code, message = self.image_error
            return 200, {"responses": [{"error": {"code": code, "message": message}}]}
        if received.feature_types != ["DOCUMENT_TEXT_DETECTION"]:
            wrong = received.feature_types
            return 400, _error(400, f"this fake only does DOCUMENT_TEXT_DETECTION, not {wrong}")
        annotation = self._annotation(received.image().convert("L"))
        if "enum-encoding=int" in unquote(query):
            annotation = _int_enums(annotation)
        response = {"textAnnotations": _text_annotations(annotation), "fullTextAnnotation": annotation}
        return 200, {"responses": [response]}

    def _annotation(self, image: Image.Image) -> dict[str, Any]:
        sx = image.width / self.rendered.image.width
        sy = image.height / self.rendered.image.height
        blocks, text = [], []
        for drawn in self.rendered.texts:
            words = [
                w for t in drawn.tokens if _has_ink(image, t, sx, sy) for w in self._words(t, drawn, sx, sy)
            ]
            if not words:
                continue
            conf = sum(w["confidence"] for w in words) / len(words)
            box = _poly(
                min(t.x0 for t in drawn.tokens) * sx,
                min(t.y0 for t in drawn.tokens) * sy,
                max(t.x1 for t in drawn.tokens) * sx,
                max(t.y1 for t in drawn.tokens) * sy,
            )
            paragraph = {"boundingBox": box, "words": words, "confidence": conf}
            block = {"boundingBox": box, "paragraphs": [paragraph], "blockType": "TEXT", "confidence": conf}
            blocks.append(block)
            text.append(" ".join(t.text for t in drawn.tokens))
        page = {
            "property": {"detectedLanguages": [{"languageCode": "en", "confidence": 1}]},
            "width": image.width,
            "height": image.height,
            "blocks": blocks,
        }
        return {"pages": [page], "text": "\n".join(text) + "\n"}

    def _words(self, token: Token, drawn: Any, sx: float, sy: float) -> list[dict[str, Any]]:
        """Vision's words for one drawn word: punctuation cut off, each with its symbols."""
        font = self.rendered.font
        full = font.getlength(token.text) or 1.0
        pieces = list(_PIECE.finditer(token.text))
        last_token = token is drawn.tokens[-1]
        out = []
        for i, m in enumerate(pieces):
            # Horizontal extent from the advance widths of the text before and within the piece.
            a = token.x0 + (token.x1 - token.x0) * font.getlength(token.text[: m.start()]) / full
            b = token.x0 + (token.x1 - token.x0) * font.getlength(token.text[: m.end()]) / full
            # No break: glued to the next piece, as printed.
            brk = None if i < len(pieces) - 1 else "LINE_BREAK" if last_token else "SPACE"
            conf = self.confidences.get(token.text, self.confidences.get(m.group(), DEFAULT_CONFIDENCE))
            symbols = []
            for k, ch in enumerate(m.group()):
                c0 = a + (b - a) * k / len(m.group())
                c1 = a + (b - a) * (k + 1) / len(m.group())
                symbol: dict[str, Any] = {
                    "boundingBox": _poly(c0 * sx, token.y0 * sy, c1 * sx, token.y1 * sy),
                    "text": ch,
                    "confidence": conf,
                }
                if k == len(m.group()) - 1 and brk:
                    symbol["property"] = {"detectedBreak": {"type": brk}}
                symbols.append(symbol)
            out.append(
                {
                    "property": {"detectedLanguages": [{"languageCode": "en"}]},
                    "boundingBox": _poly(a * sx, token.y0 * sy, b * sx, token.y1 * sy),
                    "symbols": symbols,
                    "confidence": conf,
                }
            )
        return out


def _text_annotations(annotation: dict[str, Any]) -> list[dict[str, Any]]:
    """Vision's older, flat answer that comes along: the whole text, then each word."""
    words = [
        w
        for page in annotation["pages"]
        for block in page["blocks"]
        for para in block["paragraphs"]
        for w in para["words"]
    ]
    if not words:
        return []
    xs = [v.get("x", 0) for w in words for v in w["boundingBox"]["vertices"]]
    ys = [v.get("y", 0) for w in words for v in w["boundingBox"]["vertices"]]
    whole = {
        "locale": "en",
        "description": annotation["text"],
        "boundingPoly": _poly(min(xs), min(ys), max(xs), max(ys)),
    }
    return [whole] + [
        {"description": "".join(s["text"] for s in w["symbols"]), "boundingPoly": w["boundingBox"]}
        for w in words
    ]


def _has_ink(image: Image.Image, t: Token, sx: float, sy: float) -> bool:
    x0, y0 = int(t.x0 * sx), int(t.y0 * sy)
    box = (x0, y0, max(int(t.x1 * sx), x0 + 1), max(int(t.y1 * sy), y0 + 1))
    lo, _hi = image.crop(box).getextrema()
    return lo < 128


def _poly(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    """Vision's four vertices, clockwise from top-left; zero coordinates omitted as proto3 JSON does."""
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    vertices = []
    for x, y in corners:
        v = {}
        if round(x):
            v["x"] = round(x)
        if round(y):
            v["y"] = round(y)
        vertices.append(v)
    return {"vertices": vertices}


def _int_enums(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _ENUMS[v] if k in ("type", "blockType") else _int_enums(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_int_enums(v) for v in value]
    return value


def _error(code: int, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": _STATUS.get(code, "UNKNOWN")}}


def _handler(fake: FakeVision) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            path, _, query = self.path.partition("?")
            result = fake.answer(path, query, headers, raw)
            if result is None:
                self.close_connection = True
                return
            status, payload = result
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            if status != 200 and fake.retry_after:
                self.send_header("Retry-After", fake.retry_after)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

    return Handler
