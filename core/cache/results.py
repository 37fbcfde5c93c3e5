"""Cache-or-compute for the two expensive readings.

OCR: one page, keyed by (engine, hash of the page image before preprocessing, preprocessors and
their versions), so a page seen before skips both preprocessing and OCR even when it arrives in
another file (the same photo as PNG and as TIFF, a scan inside a PDF).
LLM: one answer, keyed by (engine, model, hash of the document and prompt inputs).
Both keys start with the school (``use_tenant``); with no school set nothing is cached.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import msgspec

from core.cache.namespace import current_tenant
from core.cache.store import get_store, record
from core.settings import get_settings

log = logging.getLogger(__name__)
T = TypeVar("T")


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy numbers in a box edge
        return value.item()
    raise NotImplementedError(f"cannot cache {type(value).__name__}")


def image_hash(image: Any) -> str:
    """The page's pixels with their shape: equal images hash equal, whatever file held them."""
    digest = hashlib.sha256(f"{getattr(image, 'shape', '')}|{getattr(image, 'dtype', '')}|".encode())
    digest.update(memoryview(image.tobytes()) if hasattr(image, "tobytes") else bytes(image))
    return digest.hexdigest()


def _cached(
    kind: str,
    key: str,
    ttl_seconds: int,
    type_: type[T],
    compute: Callable[[], T],
    on_hit: Callable[[T], T] | None = None,
) -> T:
    tenant = current_tenant()
    settings = get_settings()
    if tenant is None or not settings.cache_enabled:
        return compute()
    store = get_store(settings)
    full_key = f"{kind}:t:{tenant}:{key}"
    raw = store.get(full_key)
    if raw is not None:
        try:
            value = msgspec.json.decode(raw, type=type_)
        except (msgspec.DecodeError, msgspec.ValidationError):
            log.warning("a damaged %s cache entry was ignored", kind)
        else:
            record(kind, True, store)
            return on_hit(value) if on_hit else value
    record(kind, False, store)
    value = compute()
    store.set(full_key, msgspec.json.encode(value, enc_hook=_plain), ttl_seconds)
    return value


def cached_ocr_page(
    engine: str,
    image: Any,
    preprocessors: Sequence[tuple[str, str]],
    page_type: type[T],
    compute: Callable[[], T],
) -> T:
    steps = ",".join(f"{name}@{version}" for name, version in preprocessors)
    key = f"{engine}:{hashlib.sha256(steps.encode()).hexdigest()[:16]}:{image_hash(image)}"
    ttl = int(get_settings().cache_ocr_ttl_hours * 3600)
    return _cached("ocr", key, ttl, page_type, compute)


def cached_llm_answer(
    engine: str,
    model: str,
    document_hash: str,
    answer_type: type[T],
    compute: Callable[[], T],
    on_hit: Callable[[T], T] | None = None,
) -> T:
    """``on_hit`` adjusts a reused answer (the Claude engine zeroes its tokens and cost)."""
    ttl = int(get_settings().cache_llm_ttl_hours * 3600)
    return _cached("llm", f"{engine}:{model}:{document_hash}", ttl, answer_type, compute, on_hit)
