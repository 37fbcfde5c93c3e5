"""Teacher, class, term and year from the lines above (or around) the timetable."""

from __future__ import annotations

import re
import unicodedata

from core.extraction.daytime import has_clock
from core.extraction.model import DraftTimetable

# Where a header value ends: a separator, "Term", or the next "Label:" on the same line.
_SEP = r"\s*(?:[·•|,;:]|\s-\s|\s–\s|\s(?=(?:term|semester|sem)\b)|\s(?=[A-Z][\w.]{0,12}\s?:)|$)"
_TEACHER_RES = [
    # "Name:" alone is a student's as often as a teacher's: only a titled name ("Name: Mr Lee")
    # counts, through the title pattern below.
    re.compile(r"(?i)\b(?:teacher|staff)\s*[:\-]\s*(.+)$"),
    re.compile(r"(?i)\btime\s*table\s*(?:for|[—–\-:])\s*(.+)$"),
    re.compile(r"\b((?:Mr|Mrs|Ms|Miss|Dr|Prof|Mx)\.?\s+(?:[A-Z]\.\s*)*[A-Z][\w'’\-]+)"),
]
_CLASS_RE = re.compile(r"(?i)\b(?:class|form|group|section)\s*([:\-]?)\s*(.+?)" + _SEP)
# A college's class is its programme and semester or section: "Semester/Section: Second/I".
_TERM_CLASS_RE = re.compile(
    r"(?i)\b((?:semester|sem)(?:\s*/\s*section)?|section(?:\s*/\s*semester)?)\s*:\s*(.+?)" + _SEP
)
_DEPT_RE = re.compile(r"(?i)\b(?:department|dept\.?|branch|programme|program)\s*[:\-]\s*(.+?)" + _SEP)
_SCHOOL_CLASS_RE = re.compile(r"(?i)\b(?:class|form)\s*[:\-]")
# A title naming the class before the word timetable: "S1 MCA - TIME TABLE (18.11.2020 onwards)".
_TITLE_CLASS_RE = re.compile(r"(?i)^\s*(.+?)\s*[-–—:]?\s*\btime\s*-?\s*table\b")
_GRADE_RE = re.compile(r"(?i)\b((?:year|grade)\s*\d{1,2}[A-Za-z]?)\b")
_TERM_RE = re.compile(r"(?i)\b(?:term|semester)\s*[:\-]?\s*([\w]+?)\s*(?:\b((?:19|20)\d{2})\b|" + _SEP + ")")
_YEAR_RE = re.compile(r"\b((?:19|20)\d{2})\b")


def _looks_like_person(text: str) -> bool:
    """A name has letters and few digits: "2022-2023" or "8:30" after "Timetable -" is not one."""
    letters = sum(ch.isalpha() for ch in text)
    digits = sum(ch.isdigit() for ch in text)
    return letters >= 2 and digits <= letters // 3 and not has_clock(text)


# What a class name may hold besides letters, digits and spaces: "IV B.Tech I-Sem-CSE (IoT)",
# "Sem V 'A' Sec", "AI&ML-A", "Year/Part II/II". Anything else (currency signs, bars, tildes,
# underscores, stars) is OCR reading specks and shading as characters.
_CLASS_PUNCT = set("-–/.,&()'’+#:")
_EDGE = " -—–:·•|,;."


def _script(ch: str) -> str:
    """The script of a letter, by its Unicode name: LATIN, GREEK, CYRILLIC, CJK..."""
    return unicodedata.name(ch, "?").split()[0]


def _junk_token(token: str) -> bool:
    """Letters and digits in a mix no class code has: "a1b2c" (five runs; "23S6H" has four), case
    flipping within a word ("lIlI"; "McDonald" and "IoT" flip once), or a capital, a digit and
    then small letters that are no ordinal ("Y1r"; "10th", "Yr7" and "7a" are codes)."""
    runs = len(re.findall(r"\d+|[^\W\d_]+", token))
    flips = sum(a.islower() and b.isupper() for a, b in zip(token, token[1:], strict=False))
    tail = re.search(r"[A-Z]\d+([a-z]+)$", token)
    return runs >= 5 or flips > 1 or bool(tail and tail.group(1) not in ("st", "nd", "rd", "th"))


def plausible_class(value: str | None) -> str | None:
    """The class name when it reads like one; None for what OCR made of specks ("A.Y¥1r", "~|_").

    A class name is letters, digits and a little punctuation in one script; mostly letters and
    digits; its words are words or codes, not letters strewn one by one. Shown garbage is worse
    than no class name: a teacher types the right one in a second.
    """
    if value is None:
        return None
    text = " ".join(value.split()).strip(_EDGE)
    if not text or len(text) > 120:
        return None
    marks = [ch for ch in text if not ch.isspace()]
    if any(not ch.isalnum() and ch not in _CLASS_PUNCT for ch in marks):
        return None
    if sum(ch.isalnum() for ch in marks) < 0.7 * len(marks):
        return None
    if len({_script(ch) for ch in marks if ch.isalpha()}) > 1:
        return None
    tokens = [t for t in re.split(r"[\s\-–/.,&()'’+#:]+", text) if t]
    if any(_junk_token(t) for t in tokens):
        return None
    if len(tokens) >= 3 and sum(len(t) == 1 for t in tokens) >= 0.75 * len(tokens):
        return None  # "A . Y 1 r": single marks, not words
    return text


def _class_value(label_sep: str, value: str) -> bool:
    """After "Class:" any value names the class; after a bare "Class" only a short code does
    ("Class 9B"): a table's column titles ("Class Type Group Day Time") are no class."""
    if not value:
        return False
    return bool(label_sep) or (len(value.split()) <= 3 and bool(re.search(r"\d", value)))


def _title_class(text: str) -> str | None:
    """The class named before "Timetable" in a title: a short code with a digit ("S1 MCA",
    "10B"), not a year, a term or a person."""
    m = _TITLE_CLASS_RE.search(text)
    if not m:
        return None
    value = m.group(1).strip(" -—–:")
    if not value or len(value.split()) > 3 or not re.search(r"\d", value):
        return None
    if _YEAR_RE.search(value) or re.search(r"(?i)\b(term|semester|week|mr|mrs|ms|dr|prof)\b", value):
        return None
    return value


def _college_class(lines: list[str]) -> str | None:
    """ "Department: Information Technology" and "Semester/Section: Second/I" make the class
    "Information Technology, Semester/Section Second/I": the section alone names no class."""
    if any(_SCHOOL_CLASS_RE.search(t) for t in lines):
        return None  # "Class: 9C  Section: B": the class label names it
    dept = next((m.group(1).strip() for t in lines if (m := _DEPT_RE.search(" ".join(t.split())))), None)
    for text in lines:
        m = _TERM_CLASS_RE.search(" ".join(text.split()))
        if m and m.group(2).strip() and (dept or "sem" in m.group(1).lower()):
            own = f"{m.group(1)} {m.group(2).strip()}"
            return f"{dept}, {own}" if dept else own
    return None


def read_header(lines: list[str], draft: DraftTimetable) -> None:
    """Fill teacher, class_name, term and year in draft from header lines (first match wins)."""
    if draft.class_name is None:
        draft.class_name = plausible_class(_college_class(lines))
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
            # A value OCR garbled is no class: a later line may still name it.
            m = _CLASS_RE.search(text)
            if m and _class_value(m.group(1), m.group(2).strip()):
                draft.class_name = plausible_class(m.group(2).strip())
            elif m := _GRADE_RE.search(text):
                draft.class_name = plausible_class(m.group(1))
            else:
                draft.class_name = plausible_class(_title_class(text))
        if draft.term is None:
            m = _TERM_RE.search(text)
            if m:
                draft.term = m.group(1)
                if m.group(2):
                    draft.year = int(m.group(2))
        if draft.year is None:
            m = _YEAR_RE.search(text)
            if m and not has_clock(text):
                draft.year = int(m.group(1))
