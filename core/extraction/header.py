"""Teacher, class, term and year from the lines above (or around) the timetable."""

from __future__ import annotations

import re
import unicodedata

from core.extraction.class_fields import class_from_fields
from core.extraction.daytime import has_clock
from core.extraction.model import DraftTimetable

# Where a header value ends: a separator, "Term", or the next "Label:" on the same line.
_SEP = r"\s*(?:[·•|,;:]|\s-\s|\s–\s|\s(?=(?:term|semester|sem)\b)|\s(?=[A-Z][\w.]{0,12}\s?:)|$)"
_TEACHER_RES = [
    # "Name:" alone is a student's as often as a teacher's: only a titled name ("Name: Mr Lee")
    # counts, through the title pattern below.
    re.compile(r"(?i)\b(?:teacher|staff|advis[eo]rs?)\s*[:\-]\s*(.+)$"),
    re.compile(r"(?i)\btime\s*table\s*(?:for|[—–\-:])\s*(.+)$"),
    re.compile(r"\b((?:Mr|Mrs|Ms|Miss|Dr|Prof|Mx)\.?\s+(?:[A-Z]\.\s*)*[A-Z][\w'’\-]+)"),
]
# A title naming the class before the word timetable: "S1 MCA - TIME TABLE (18.11.2020 onwards)".
_TITLE_CLASS_RE = re.compile(
    r"(?i)^\s*(.+?)\s*[-–—:]?\s*\b(?:class\s+)?(?:time\s*-?\s*table|schedule|routine)\b"
)
# ... or after it: "Time Table 6th Sem CSE (Section A: Room CR-3)".
_AFTER_TITLE_RE = re.compile(r"(?i)\btime\s*-?\s*table\s*(?:for\s+|of\s+)?[-–—:]?\s*(.+)$")
# An ordinal's raised letters OCR reads as a quote or a degree sign: 4" semester, 2"4 floor, 1°.
_SUPERSCRIPT_RE = re.compile(r"\b(\d{1,2})[\"“”°](?:[a-z\d](?=\s|$))?")
_NOT_A_CODE_RE = re.compile(
    r"(?i)\b(?:week|day|page|period|lecture|no|version|ver|issue|format|time|table|timetable|schedule|routine)\b"
)

_GRADE_RE = re.compile(r"(?i)\b((?:year|grade)\s*\d{1,2}[A-Za-z]?)\b")
_TERM_RE = re.compile(r"(?i)\b(?:term|semester)\s*[:\-]?\s*([\w]+?)\s*(?:\b((?:19|20)\d{2})\b|" + _SEP + ")")
_YEAR_RE = re.compile(r"\b((?:19|20)\d{2})\b")


# A phrase or a class after "Timetable for", not a person: "the Academic Term", "Class 9B".
_NOT_A_NAME_RE = re.compile(r"(?i)(?:the|class|grade|form|section|semester)\b")
# What follows a titled word in an institution's name: "Dr. AMBEDKAR INSTITUTE OF TECHNOLOGY".
_INSTITUTION_RE = re.compile(r"(?i)^\W*(?:institute|college|university|school|academy|polytechnic)\b")


def _looks_like_person(text: str, after: str = "") -> bool:
    """A name has letters and few digits: "2022-2023" or "8:30" after "Timetable -" is not one, nor
    a phrase ("the Academic Term: January 2024"), nor a title starting an institution's name."""
    letters = sum(ch.isalpha() for ch in text)
    digits = sum(ch.isdigit() for ch in text)
    if (
        re.match(r"(?i)(?:the|class|grade|form|section|semester)\b", text)
        or _YEAR_RE.search(text)
        or ":" in text
    ):
        return False
    if _INSTITUTION_RE.match(after):
        return False
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
    # The dots of an abbreviation ("B.C.S.") and a hyphen joining a code ("X-B") are part of its
    # letters, not specks.
    joined = re.sub(r"(?<=\b[A-Za-z])\.|(?<=\w)[-–](?=\w)", "", text)
    undotted = [ch for ch in joined if not ch.isspace()]
    if sum(ch.isalnum() for ch in undotted) < 0.7 * len(undotted):
        return None
    if len({_script(ch) for ch in marks if ch.isalpha()}) > 1:
        return None
    tokens = [t for t in re.split(r"[\s\-–/.,&()'’+#:]+", text) if t]
    if any(_junk_token(t) for t in tokens):
        return None
    # Single marks, not words ("A . Y 1 r"); a dotted abbreviation ("S.Y.", "B.C.S.") is one word.
    words = [t for t in re.split(r"[\s\-–/,&()'’+#:]+", text) if t.strip(".")]
    if len(words) >= 3 and sum(len(t.strip(".")) == 1 for t in words) >= 0.75 * len(words):
        return None
    return text


def _title_class(text: str) -> str | None:
    """The class named before "Timetable" in a title: a short code with a number ("S1 MCA",
    "10B", "II B.Tech I Sem CSE-A"), not a year, a term or a person."""
    m = _TITLE_CLASS_RE.search(text)
    if not m:
        return None
    value = m.group(1).strip(" -—–:")
    numbered = re.search(r"\d|\b[IVX]{2,4}\b", value)
    if not value or len(value.split()) > (5 if numbered and not numbered.group().isdigit() else 3):
        return None
    if not numbered:
        return None
    if _YEAR_RE.search(value) or re.search(r"(?i)\b(term|semester|week|mr|mrs|ms|dr|prof)\b", value):
        return None
    return value


def _ordinal(match: re.Match[str]) -> str:
    n = int(match.group(1))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def plausible_prefix(value: str) -> str | None:
    """The longest run of a value's first words that reads as a class name: "IV B.Tech (IoT)" of
    "IV B.Tech (IoT) A.Y¥1r", where OCR made specks of the next field."""
    tokens = _SUPERSCRIPT_RE.sub(_ordinal, value).split()
    for n in range(len(tokens), 0, -1):
        if found := plausible_class(" ".join(tokens[:n])):
            return found
    return None


def _after_title_class(text: str) -> str | None:
    """The class named after "Time Table" in a title: with a digit, and no year, clock or person."""
    m = _AFTER_TITLE_RE.search(text)
    if not m:
        return None
    value = m.group(1).strip(" -—–:")
    if not re.search(r"\d", value) or len(value.split()) > 8 or has_clock(value):
        return None
    if _YEAR_RE.search(value) or re.search(r"\b(term|week|mr|mrs|ms|dr|prof)\b", value, re.IGNORECASE):
        return None
    return plausible_prefix(value)


def _bare_code(segment: str) -> str | None:
    """A title that is only a class code, as timetable programs print it over each class's grid:
    "BSE-6A", "HUMSS 11B", "Flyers 2-E (21-22)": a word or two and a code joining a number and a
    letter; no clock, year, date or page furniture ("Week 1", "Page 2", the period numbers)."""
    text = " ".join(segment.split()).strip(_EDGE)
    tokens = text.split()
    if not 1 <= len(tokens) <= 3 or len(text) > 20 or not text[0].isalnum():
        return None
    # OCR debris has stray brackets and bits of small letters ("9) eg", "(yan 7"); a code has neither.
    if text.count("(") != text.count(")") or any(re.fullmatch(r"[a-z]{1,3}", t) for t in tokens):
        return None
    if (
        has_clock(text)
        or _YEAR_RE.search(text)
        or re.search(r"\d[./]\d", text)
        or re.search(r"(?i)\d\s?[ap]\.?m\b", text)  # "9AM" is a time
        or _NOT_A_CODE_RE.search(text)
    ):
        return None
    # The code joins its number and letter ("6A", "2-E", "23S6H"; a Roman numeral is a number:
    # "VIII B"), and numbers a grade or a year, never hundreds: "Bell 5" is no code, "223K" a room.
    numbered = re.sub(r"\b[IVX]{2,4}\s?\b([A-Z])\b", r"8\1", text)
    if not any(re.search(r"\d", t) and re.search(r"[A-Za-z]", t) for t in numbered.split()):
        return None
    if re.search(r"\d{3}", text):
        return None
    return plausible_class(text)


def _class_name(lines: list[str]) -> str | None:
    """The class from the header: its labelled fields first, then a title naming it ("Year 9",
    "S1 MCA - Time Table", "Time Table 6th Sem CSE"), then a line that is only a class code."""
    flat = [" ".join(t.split()) for t in lines]
    if found := class_from_fields(flat, plausible_prefix):
        return plausible_class(found)
    for text in flat:
        if (m := _GRADE_RE.search(text)) and (found := plausible_class(m.group(1))):
            return found
        if found := plausible_class(_title_class(text)) or _after_title_class(text):
            return found
    # A header's pieces far apart on one line ("Service Manual     BSE-6A") are read apart; a line
    # with a clock is a phone's status bar ("9:41   4G   80%") or a row of times, not a title.
    segments = [seg for t in lines if not has_clock(t) for seg in re.split(r"\s{3,}", t.strip())]
    return next((found for seg in segments if (found := _bare_code(seg))), None)


def read_header(lines: list[str], draft: DraftTimetable) -> None:
    """Fill teacher, class_name, term and year in draft from header lines (first match wins)."""
    if draft.class_name is None:
        draft.class_name = _class_name(lines)
    for text in lines:
        text = " ".join(text.split())
        if not text:
            continue
        if draft.teacher is None:
            for rx in _TEACHER_RES:
                m = rx.search(text)
                if m:
                    teacher = re.split(r"\s+[·•|]\s+|\s{2,}|;", m.group(1))[0].strip(" -—–:")
                    if _looks_like_person(teacher, text[m.end(1) :]):
                        draft.teacher = teacher
                    break
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
