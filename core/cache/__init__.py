"""Result caches shared by every worker: OCR pages and LLM answers, on Redis or in-process.

``stats()`` gives this process's hit and miss counts (for /metrics); ``shared_stats()`` the totals
every process has added to Redis. Entries are namespaced by the school the current job belongs
to (``use_tenant``): a school's reading is never served to another school.
"""

from core.cache.namespace import current_tenant, use_tenant
from core.cache.results import cached_llm_answer, cached_ocr_page
from core.cache.store import get_store, reset_store, shared_stats, stats

__all__ = [
    "cached_llm_answer",
    "cached_ocr_page",
    "current_tenant",
    "get_store",
    "reset_store",
    "shared_stats",
    "stats",
    "use_tenant",
]
