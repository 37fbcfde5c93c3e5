"""The class a header names in labelled fields: "Class: S.Y. B.Tech  Div: S  Semester: IV  Room: CR-32",
"CLASS 7 - SECTION A", "Department: Cyber Security  Branch/Sem: CY/III".

A header line is cut into fields at its labels; the fields that say which group of students this is
(class, section or division, semester, course or branch, room) make the class name together, and
the others (w.e.f. dates, academic years, form numbers) end the value before them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from core.extraction.daytime import has_clock

# Labels naming the group of students, by kind. "Year" is left out: "Academic Year: 2024-25".
_KINDS = {
    "class": r"class|form|grade|standard|std\.?|group",
    "section": r"section|sec\.?|div\.?|division|batch",
    "term": r"semester|sem\.?",
    "programme": r"course|programme|program|branch|stream|department|dept\.?",
    "room": r"room(?:\s*no\.?)?|hall",
}
_ONE = "|".join(f"(?:{v})" for v in _KINDS.values())
# A label, maybe compound ("Course/Semester"), then a colon (OCR reads some as ";"), a spaced
# dash, or nothing.
_LABEL_RE = re.compile(
    rf"(?i)(?<![\w.\-/])((?:{_ONE})(?:\s*/\s*(?:{_ONE}))*)(?![\w])(\s*[:;]\s*|\s+[-–]\s+|\s*)"
)
# Another field's label ("WEF:", "A.Yr:2022", "w.e.f.:") or a date ends a value; a colon between
# digits is a clock's.
_OTHER_LABEL_RE = re.compile(r"(?<!\S)[^\s:]*[A-Za-z.][^\s:\d]*:")
_DATE_RE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\(?\bw\.?\s?e\.?\s?f\b", re.IGNORECASE)
# A term, a year standing alone, or a separator mark ends a value too: "Class 5M · Term 3 2026".
_END_RE = re.compile(r"(?i)\bterm\b|(?<![(\-\w])(?:19|20)\d{2}\b|[·•|]")
_MONTHS = "jan feb mar apr may jun jul aug sep sept oct nov dec spring summer autumn fall winter"
_TITLE_WORD_RE = re.compile(r"(?i)\b(?:time\s*-?\s*table|schedule|routine)\b")
_ROMAN_RE = re.compile(r"^[IVX]{1,4}$")
# A class code already ending in its section ("9C", "10-B", "VII-C"): a Section field repeats it.
_SECTIONED_RE = re.compile(r"(?:\d|\b[IVX]+)\s*-?\s*[A-Z]$")


@dataclass
class Field:
    kind: str
    label: str
    value: str
    line: int
    start: int = 0
    labelled: bool = True  # with a colon or dash after its label, not a bare "Semester 1"


def _kind(label: str) -> str:
    first = re.split(r"\s*/\s*", label)[0]
    return next(k for k, rx in _KINDS.items() if re.fullmatch(rf"(?i){rx}", first.strip()))


def _bare_value(kind: str, value: str) -> str:
    """What a label with no colon may be followed by: a short class code with a digit ("Class 9B",
    "Class 11) AI&ML-A"), or one code for the others ("SECTION A", "Sem IV", "Room 12"); words
    ("Class Schedule", "Semester v" of a menu) are no value."""
    tokens = value.split()
    if kind == "class":
        # A school names its sections after people and places: "Grade 10 - St. Francis of Assisi".
        head, _, tail = value.partition(" - ")
        numbered = re.search(r"\d", head) or re.match(r"[IVX]{1,4}\b", head)  # "Class X-A"
        if not (0 < len(head.split()) <= 3 and numbered):
            return ""
        named = tail and len(tail.split()) <= 5 and tail[0].isupper() and not re.search(r"\d", tail)
        return f"{head} - {tail}" if named and not _TITLE_WORD_RE.search(tail) else head
    if not tokens:
        return ""
    code = tokens[0]
    if re.fullmatch(r"[A-Z]", code) or _ROMAN_RE.match(code) or re.fullmatch(r"[A-Z]*\d[\w-]*", code):
        return code
    return ""


def _a_date(value: str) -> bool:
    """ "Jan 2026", "Fall-2024", "2023-24": a term or year, which names no group of students."""
    words = [w for w in re.split(r"[\s\-–/,]+", value.lower()) if w]
    return bool(words) and all(w in _MONTHS.split() or re.fullmatch(r"\d{2,4}", w) for w in words)


def line_fields(text: str, line: int = 0) -> list[Field]:
    """The identity fields of one header line, each value cut where the next label or a date begins."""
    text = " ".join(text.split())
    labels = [m for m in _LABEL_RE.finditer(text) if not has_clock(text[m.start() : m.end() + 6])]
    ends = (
        {m.start() for m in _OTHER_LABEL_RE.finditer(text)}
        | {m.start() for m in _DATE_RE.finditer(text)}
        | {m.start() for m in _END_RE.finditer(text)}
    )
    fields = _fields(text, labels, ends, line)
    # A label word with no value ("Class: 4th semester") is part of the value before it: read again
    # with only the labels that gave a field.
    kept = [m for m in labels if any(f.start == m.start() for f in fields)]
    return _fields(text, kept, ends, line) if len(kept) < len(labels) else fields


def _fields(text: str, labels: list[re.Match[str]], ends: set[int], line: int) -> list[Field]:
    stops = sorted({m.start() for m in labels} | ends)
    fields: list[Field] = []
    for m in labels:
        end = next((s for s in stops if s >= m.end()), len(text))
        value = text[m.end() : end].strip(" ,;|·•")
        kind, sep = _kind(m.group(1)), m.group(2).strip()
        if not sep or (sep in "-–" and kind != "class"):
            value = _bare_value(kind, value)
        if value and not _a_date(value):
            label = " ".join(m.group(1).split())
            fields.append(Field(kind, label, value, line, m.start(), bool(sep)))
    return fields


def class_from_fields(lines: list[str], plausible: Callable[[str], str | None]) -> str | None:
    """The class from the header's identity fields, or None when no line has any.

    A class label ("Class:", "Grade", "Form") anchors it, joined by the other identity fields of its
    own line (its division, semester, room); a college header with no class label names its group by
    the department (from any line) and the semester or course fields of one line. `plausible` trims
    each value to what reads as a class name, so OCR specks after a value do not sink it.
    """
    fields = []
    for i, text in enumerate(lines):
        for f in line_fields(text, i):
            f.value = plausible(f.value) or ""
            if f.value:
                fields.append(f)
    anchor = next((f for f in fields if f.kind == "class"), None)
    if anchor is not None:
        # "Class 9C" is class 9C; a grade or form keeps its word: "Grade 12", "Form 5".
        named = anchor.label.lower() in ("class", "group")
        parts = [anchor.value if named else f"{anchor.label} {anchor.value}"]
        for f in fields:
            if f is anchor or f.line != anchor.line or f.kind == "class":
                continue
            if f.kind == "section" and _SECTIONED_RE.search(anchor.value):
                continue  # "Class: 9C  Section: B": the class code names its section already
            parts.append(f"{f.label} {f.value}")
        return ", ".join(parts)
    dept = next((f for f in fields if f.label.lower().startswith("dep")), None)
    rest = [f for f in fields if f is not dept and f.kind != "room"]
    if not rest or (dept is None and all(f.kind == "term" and not f.labelled for f in rest)):
        # A department or a room alone names no class; nor does a bare "Semester 1" in a title
        # ("Courses Registered for 2026-2027 Semester 1"): that is the term.
        return None
    own = [f for f in fields if f.line == rest[0].line and f is not dept]
    parts = ([dept.value] if dept else []) + [f"{f.label} {f.value}" for f in own]
    return ", ".join(parts)
