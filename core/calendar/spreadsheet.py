"""A timetable as CSV (RFC 4180), safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

HEADER = ("Day", "Start", "End", "Subject", "Notes", "Confidence", "Page")
# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (OWASP "CSV injection"); tab and carriage return start one too in some of them.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _confidence(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def build_csv(blocks: Iterable[dict[str, Any]], *, weeks: bool = False) -> bytes:
    """One row per lesson; a BOM so Excel reads accented names as UTF-8. A two-week timetable's
    rows start with their week."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow((("Week",) if weeks else ()) + HEADER)
    for block in blocks:
        writer.writerow(
            ([safe_cell(block.get("week"))] if weeks else [])
            + [
                safe_cell(block["day"]),
                safe_cell(block["start_time"]),
                safe_cell(block["end_time"]),
                safe_cell(block["name"]),
                safe_cell(block.get("notes")),
                _confidence(block.get("confidence")),
                str(block.get("page") or 1),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
