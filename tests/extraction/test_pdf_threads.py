"""A worker reads several PDFs at once on its threads: PDFium is not thread-safe, so every call
takes one lock (core/pdfium_lock.py). Run in a fresh interpreter, since PDFium's failure kills the
process rather than raising."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import DOCUMENTS

PROBE = """
import json, sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from core.checking import first_page_png
from core.extraction import images, probe
from core.plugins import EngineRegistry, make_plugin_manager
from core.extraction.limits import check_pdf

paths = [Path(p) for p in sys.argv[1:]]
# Pages rendered at 72 dpi, not 300: the same PDFium calls overlap on the threads at a seventeenth
# of the pixels. With the lock made a no-op this crashed 4 runs in 12, as at 300 dpi (2 in 5).
images.PDF_DPI = 72
reader = EngineRegistry.from_plugins(make_plugin_manager()).reader_for("pdf_text")

def one(k):
    path = paths[k % len(paths)]
    check_pdf(path, path.name)
    probe.check_readable(path, "pdf_text", path.name)
    words = sum(len(page.words) for page in reader.read(path))
    rendered = sum(1 for _ in images.page_images(path, "pdf_scan"))
    preview = len(first_page_png(path.read_bytes())) if k % 8 == 0 else None
    return words, rendered, preview

# Enough turns on enough threads that unguarded PDFium calls collide (without the lock a sound
# PDF came back "damaged" within 200 turns on 8 threads).
with ThreadPoolExecutor(8) as pool:
    results = list(pool.map(one, range(200)))
print(json.dumps(results))
"""


def test_pdfs_read_on_several_threads_at_once_all_come_back_whole() -> None:
    pdfs = [DOCUMENTS / "003_days_cols_pdf_text.pdf", DOCUMENTS / "017_days_cols_pdf_text.pdf"]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *map(str, pdfs)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout)
    assert len(results) == 200
    # Each file gives the same words and pages every time, whichever thread read it.
    assert len({tuple(r[:2]) for r in results[0::2]}) == 1 and len({tuple(r[:2]) for r in results[1::2]}) == 1
    assert all(words > 50 and pages == 1 for words, pages, _ in results)
    assert all(preview > 1000 for _, _, preview in results if preview is not None)
