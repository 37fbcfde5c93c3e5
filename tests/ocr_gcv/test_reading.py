"""What the engine sends to Vision and how Vision's answer becomes the common intermediate form."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from google.auth.credentials import AnonymousCredentials

from core.engines import OcrEngine
from core.extraction.model import Page
from plugins.ocr_gcv import encode as encode_module
from plugins.ocr_gcv.engine import GcvEngine
from tests.ocr_gcv.conftest import settings_for
from tests.ocr_gcv.render import Rendered
from tests.support.fakes.vision_server import FakeVision


def _by_text(page: Page) -> dict[str, list]:
    out: dict[str, list] = {}
    for w in page.words:
        out.setdefault(w.text, []).append(w)
    return out


def test_engine_meets_the_ocr_contract(engine: GcvEngine) -> None:
    assert isinstance(engine, OcrEngine)
    assert engine.name == "gcv"
    assert engine.cost_per_page_usd == pytest.approx(0.0015)


def test_words_boxes_and_confidences(engine: GcvEngine, fake: FakeVision, rendered: Rendered) -> None:
    fake.confidences = {"Chemistry": 0.41, "Drama": 0.73}
    image = rendered.bgr()
    page = engine.recognize(image, 2)

    assert (page.number, page.width, page.height) == (2, image.shape[1], image.shape[0])
    assert page.source == "gcv"
    # One word per drawn word, in order, with its box to the pixel (Vision's vertices are integers).
    assert [w.text for w in page.words] == [t.text for t in rendered.tokens]
    for word, token in zip(page.words, rendered.tokens, strict=True):
        assert word.x0 == pytest.approx(token.x0, abs=1)
        assert word.y0 == pytest.approx(token.y0, abs=1)
        assert word.x1 == pytest.approx(token.x1, abs=1)
        assert word.y1 == pytest.approx(token.y1, abs=1)
        assert 0.0 <= word.confidence <= 1.0
    words = _by_text(page)
    assert words["Chemistry"][0].confidence == pytest.approx(0.41)
    assert words["Drama"][0].confidence == pytest.approx(0.73)
    assert words["Monday"][0].confidence == pytest.approx(0.97)


def test_punctuation_vision_cuts_off_is_joined_back(
    engine: GcvEngine, fake: FakeVision, rendered: Rendered
) -> None:
    fake.confidences = {"08:30": 0.9, "-": 0.5, "09:20": 0.9}
    page = engine.recognize(rendered.bgr(), 1)
    # Vision answered "08:30", "-", "09:20" with no break between them: one token, as printed.
    sent = fake.received[0]
    assert sent.path == "/v1/images:annotate"
    times = [w for w in page.words if w.text == "08:30-09:20"]
    assert len(times) == 1
    token = next(t for t in rendered.tokens if t.text == "08:30-09:20")
    assert (times[0].x0, times[0].x1) == (pytest.approx(token.x0, abs=1), pytest.approx(token.x1, abs=1))
    assert times[0].confidence == pytest.approx((0.9 * 5 + 0.5 + 0.9 * 5) / 11)  # per character
    # "J." too; "-" between spaces in the title stays a word of its own.
    assert "J." in _by_text(page)
    assert "-" in _by_text(page)


def test_request_is_document_text_detection_with_the_image_inline(
    engine: GcvEngine, fake: FakeVision, rendered: Rendered
) -> None:
    image = rendered.bgr()
    engine.recognize(image, 1)
    (sent,) = fake.received
    assert sent.path == "/v1/images:annotate"
    assert sent.feature_types == ["DOCUMENT_TEXT_DETECTION"]
    assert sent.headers["x-goog-api-key"] == "test-key"
    content = sent.request["image"]["content"]
    assert base64.b64decode(content, validate=True)[:8] == b"\x89PNG\r\n\x1a\n"  # lossless for text
    got = np.asarray(sent.image().convert("RGB"))[:, :, ::-1]
    assert np.array_equal(got, image)  # the very pixels, no resizing


def test_anonymous_credentials_send_no_key(fake: FakeVision, rendered: Rendered) -> None:
    engine = GcvEngine(settings_for(fake, api_key=None), credentials=AnonymousCredentials())
    page = engine.recognize(rendered.bgr(), 1)
    assert len(page.words) == len(rendered.tokens)
    headers = fake.received[0].headers
    assert "x-goog-api-key" not in headers and "authorization" not in headers


def test_grey_image_and_ruling_lines(engine: GcvEngine, rendered: Rendered) -> None:
    grey = np.asarray(rendered.image)  # 2-D: what the preprocessor hands on
    page = engine.recognize(grey, 1)
    assert len(page.words) == len(rendered.tokens)
    # Vision reports no rules; the grid's 7 vertical and 6 horizontal lines are found on the image.
    vertical = [r for r in page.rules if r.x0 == r.x1]
    horizontal = [r for r in page.rules if r.y0 == r.y1]
    assert (len(vertical), len(horizontal)) == (7, 6)


def test_an_image_too_big_to_send_is_shrunk_and_boxes_scaled_back(
    engine: GcvEngine, fake: FakeVision, rendered: Rendered, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encode_module, "MAX_BYTES", 40_000)
    image = rendered.bgr()
    page = engine.recognize(image, 1)
    sent = fake.received[0].image()
    assert sent.format == "JPEG" and sent.width < image.shape[1]
    assert (page.width, page.height) == (image.shape[1], image.shape[0])
    assert [w.text for w in page.words] == [t.text for t in rendered.tokens]
    assert any("sent to Google Cloud Vision at" in note for note in page.notes)
    tolerance = 2 * image.shape[1] / sent.width  # one pixel at the sent size, either side
    for word, token in zip(page.words, rendered.tokens, strict=True):
        assert word.x0 == pytest.approx(token.x0, abs=tolerance)
        assert word.y1 == pytest.approx(token.y1, abs=tolerance)


def test_a_blank_page_reads_as_no_words(engine: GcvEngine, fake: FakeVision) -> None:
    page = engine.recognize(np.full((300, 400, 3), 255, np.uint8), 1)
    assert page.words == [] and (page.width, page.height) == (400, 300)
