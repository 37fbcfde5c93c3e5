"""One lock for every PDFium call in a process.

PDFium is not thread-safe (pypdfium2 says so), and a worker runs jobs on several threads: two PDFs
opened or rendered at once can trip PDFium's own checks, which kill the whole process (SIGTRAP)
and strand the jobs it held. Holding this lock around each open, render, text or close makes the
calls take turns; they are short next to OCR, so little waits.
"""

from __future__ import annotations

import threading

PDFIUM = threading.RLock()  # re-entrant: a reader that checks a PDF's limits also opens it
