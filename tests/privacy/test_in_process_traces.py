"""Erasure on the embedded default: what this process keeps in memory about the erased goes too."""

from __future__ import annotations

import asyncio
import uuid

from core.cache import store as result_cache
from core.privacy.erase import forget_in_process
from core.ratelimit import limiters as rate_limits
from core.settings import load_settings


def test_cached_readings_and_rate_counts_of_the_erased_are_forgotten_and_others_kept() -> None:
    settings = load_settings({})  # no Redis: the in-process cache and limiter
    erased, kept = str(uuid.uuid4()), str(uuid.uuid4())
    store = result_cache.get_store(settings)
    store.set(f"ocr:t:{erased}:tesseract:abc", b"page", 60)
    store.set(f"ocr:t:{kept}:tesseract:abc", b"page", 60)
    limiter = rate_limits.limiter_for(settings)
    asyncio.run(limiter.hit(f"school:{erased}", 100))
    asyncio.run(limiter.hit(f"school:{kept}", 100))

    assert forget_in_process([erased]) == 2

    assert store.get(f"ocr:t:{erased}:tesseract:abc") is None
    assert store.get(f"ocr:t:{kept}:tesseract:abc") == b"page"
    assert forget_in_process([erased]) == 0  # nothing of theirs is left
    assert forget_in_process([kept]) == 2
