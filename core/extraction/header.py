"""Teacher, class, term and year from the lines above (or around) the timetable."""

from __future__ import annotations

import re

from core.extraction.model import DraftTimetable

# Where a header value ends: a separator, "Term", or the next "Label:" on the same line.
_SEP = r"\s*(?:[·•|,;:]|\s-\s|\s–\s|\s(?=(?:term|semester|sem)\b)|\s(?=[A-Z][\w.]{0,12}\s?:)|$)"
_TEACHER_RES = [
    re.compile(r"(?i)\b(?:teacher|staff|name)\s*[:\-]\s*(.+)$"),
    re.compile(r"(?i)\btime\s*table\s*(?:for|[—–\-:])\s*(.+)$"),
    re.compile(r"\b((?:Mr|Mrs|Ms|Miss|Dr|Prof|Mx)\.?\s+(?:[A-Z]\.\s*)*[A-Z][\w'’\-]+)"),
]
_CLASS_RE = re.compile(r"(?i)\b(?:class|form|group|section)\s*[:\-]?\s*(.+?)" + _SEP)
_GRADE_RE = re.compile(r"(?i)\b((?:year|grade)\s*\d{1,2}[A-Za-z]?)\b")
_TERM_RE = re.compile(r"(?i)\b(?:term|semester)\s*[:\-]?\s*([\w]+?)\s*(?:\b((?:19|20)\d{2})\b|" + _SEP + ")")
_YEAR_RE = re.compile(r"\b((?:19|20)\d{2})\b")


def _looks_like_person(text: str) -> bool:
    """A name has letters and few digits: "2022-2023" or "8:30" after "Timetable -" is not one."""
    letters = sum(ch.isalpha() for ch in text)
    digits = sum(ch.isdigit() for ch in text)
    return letters >= 2 and digits <= letters // 3 and not re.search(r"\d{1,2}[:.]\d{2}", text)


def read_header(lines: list[str], draft: DraftTimetable) -> None:
    """Fill teacher, class_name, term and year in draft from header lines (first match wins)."""
    for text in lines:
        text = " ".join(text.split())
        if not text:
            continue
        if draft.teacher is None:
            for rx in _TEACHER_RES:
                m = rx.search(text)
                if m:
                    teacher = re.split(r"\s+[·•|]\s+|\s{2,}", m.group(1))[0].strip(" -—–:")
                    if _looks_like_person(teacher):
                        draft.teacher = teacher
                    break
        if draft.class_name is None:
            m = _CLASS_RE.search(text)
            if m and m.group(1).strip():
                draft.class_name = m.group(1).strip()
            else:
                m = _GRADE_RE.search(text)
                if m:
                    draft.class_name = m.group(1)
        if draft.term is None:
            m = _TERM_RE.search(text)
            if m:
                draft.term = m.group(1)
                if m.group(2):
                    draft.year = int(m.group(2))
        if draft.year is None:
            m = _YEAR_RE.search(text)
            if m and not re.search(r"\d{1,2}[:.]\d{2}", text):
                draft.year = int(m.group(1))
