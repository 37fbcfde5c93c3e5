"""Day and time names as timetables print them, read tolerantly of OCR: the one place that does.

Days: "Monday", "Mon", "Mo", "Tue.", "TUES", "THUR", OCR slips ("Frlday", "M0N", "Thursdav",
"rnon"), a week label after the day ("Mon A", "Monday 1", "Week B") or a date ("Wed 4th Sep"), and
Malay names (Isnin..Ahad). Indices are 0 = Monday .. 6 = Sunday; a week's order is the header's
own, so neighbouring days are found cyclically (`next_day`), never by assuming Monday comes first.

Times: "8:30", "08.30", "8h30", "0830", "9.00am", "8:30 AM", "8:30 a.m.", ranges with a hyphen,
an en or em dash, "to" or only spaces between ("8.50 – 9.00", "08:35 –\n09:00"), start hours only
("9", "10", "11" over the columns) and bare 12-hour times put in order by their axis
(`order_axis`: 1:30 after 12:40 is 13:30).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# ---------------------------------------------------------------- days

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# Every spelling of a day; two-letter forms only count where a caller allows short names.
_SPELLINGS: dict[int, tuple[str, ...]] = {
    0: ("monday", "mon", "mo", "isnin"),
    1: ("tuesday", "tue", "tues", "tu", "selasa"),
    2: ("wednesday", "wed", "weds", "we", "rabu"),
    3: ("thursday", "thu", "thur", "thurs", "th", "khamis"),
    4: ("friday", "fri", "fr", "jumaat", "jumat"),
    5: ("saturday", "sat", "sa", "sabtu"),
    6: ("sunday", "sun", "su", "ahad"),
}
# Letters and digits OCR confuses inside words: fold both the text and the spellings the same way.
_FOLD = str.maketrans({"0": "o", "1": "i", "l": "i", "|": "i", "!": "i"})


def _fold(word: str) -> str:
    w = re.sub(r"[^a-z]", "", word.lower().translate(_FOLD))
    return w.replace("rn", "m").replace("vv", "w")


_EDGE = " |[]()!.,:;-_'\"`"  # a cell's rules and punctuation around a name, not letters of it
_ALIASES: dict[str, int] = {_fold(s): d for d, names in _SPELLINGS.items() for s in names}
# A week label after the day: "Mon A", "Monday 1", "Tue (B)", "Wed Week 2", "Thu (odd weeks)".
_WEEK_RE = re.compile(r"^\(?\s*(?:week|wk)?\s*([A-Da-d]|[1-4])\s*\)?$|^\((?:odd|even)\s*weeks?\)$", re.I)
_WEEK_AFTER_RE = re.compile(r"([A-Za-z]{3,9}?)\s*(?:wk|week)?\.?\s*([1-4])", re.I)
_WEEK_BEFORE_RE = re.compile(r"^\(?([A-D1-4])\)?\s*[-.:]?\s*([A-Za-z]{3,9})$")
# A date after the day: "4th Sep", "2 September", "03/09", "Sep 4", "12.09.2024".
_DATE_RE = re.compile(
    r"^(?:\d{1,2}(?:st|nd|rd|th)?\.?|\d{1,2}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?|(?:19|20)\d{2})$",
    re.I,
)


@dataclass(frozen=True)
class DayName:
    """A day read from text, with the week label printed beside it ("A" of "Mon A") if any."""

    index: int
    week: str | None = None

    @property
    def name(self) -> str:
        return DAYS[self.index]


def _word_day(word: str, allow_short: bool) -> int | None:
    t = _fold(word.strip(_EDGE))
    if len(t) < 3 and not allow_short:
        return None
    idx = _ALIASES.get(t)
    if idx is None and len(t) >= 6:
        # Slips beyond the look-alikes ("Wednesdav", "Thursdey"): first three letters and length.
        for i, d in enumerate(DAYS):
            if t[:3] == d[:3].lower() and abs(len(t) - len(d)) <= 1:
                return i
    return idx


def read_day(text: str, allow_short: bool = False) -> DayName | None:
    """The day a short text names, alone or followed by a week label or a date; else None."""
    words = text.replace(",", " ").split()
    if not words:
        return None
    # The week label glued before or after the day ("AMon", "1 Tue", "(B) Wed", "Mon2", "MonWk2").
    t = text.strip(_EDGE)
    before, after = _WEEK_BEFORE_RE.match(t), _WEEK_AFTER_RE.fullmatch(t)
    if before and (ahead := _word_day(before.group(2), False)) is not None:
        return DayName(ahead, before.group(1).upper())
    if after and (behind := _word_day(after.group(1), False)) is not None:
        return DayName(behind, after.group(2))
    # "T.U.E", "Tue.", "MON|": one word once the dots and rules are gone.
    idx = _word_day(text, allow_short) if len(words) == 1 else None
    if idx is not None:
        return DayName(idx)
    idx = _word_day(words[0], allow_short)
    rest = words[1:]
    if idx is not None and len(rest) <= 2 and (week := _WEEK_RE.match(" ".join(rest))):
        return DayName(idx, (week.group(1) or " ".join(rest)).upper())
    if idx is not None and 1 <= len(rest) <= 3 and all(_DATE_RE.match(w) for w in rest):
        return DayName(idx)
    # Letters only, digits and the rest dropped ("Monday-2", "MON|"), as always read.
    idx = _word_day(re.sub(r"[^A-Za-z]", "", text), allow_short)
    return None if idx is None else DayName(idx)


def day_index(text: str, allow_short: bool = False) -> int | None:
    """Index 0..6 when text is just a day name ("Mon", "MONDAY", "Tue.", "Mon A") else None."""
    d = read_day(text, allow_short)
    return None if d is None else d.index


def day_name(text: str) -> str | None:
    idx = day_index(text, allow_short=True)
    return None if idx is None else DAYS[idx]


def next_day(index: int, step: int = 1) -> int:
    """The day step days after index, wrapping round the week (Saturday, Sunday, Monday...); a
    cycle day's neighbour is the next of its cycle."""
    if index >= CYCLE_BASE:
        return index + step
    return (index + step) % 7


def week_order(indices: list[int]) -> list[int] | None:
    """Positions of days in a header's own week (first day = 0), when they run forwards with no
    repeats; None otherwise. A week starting Saturday ("Sat Sun Mon") is as ordered as Mon-first."""
    if not indices:
        return []
    pos = [(i - indices[0]) % 7 for i in indices]
    return pos if all(b > a for a, b in zip(pos, pos[1:], strict=False)) else None


RESEMBLANCE = 0.6  # of a misread heading's letters to a day's name (difflib's ratio)


def resembles_day(text: str, index: int) -> bool:
    """A misread heading that still looks like day `index` ("MIN" for Monday, "TWE" for Tuesday):
    for a heading beside a day read, which names that day's neighbour in the week if any. Long
    texts are compared with the whole name, short ones with its first three letters."""
    if index >= CYCLE_BASE:  # "Dav 4" beside "Day 3": the cycle day's whole label
        t = re.sub(r"[^a-z0-9]", "", text.lower())
        ref = re.sub(r"[^a-z0-9]", "", day_label(index).lower())
        return 2 <= len(t) <= 6 and difflib.SequenceMatcher(None, t, ref).ratio() >= 0.75
    t = re.sub(r"[^a-z]", "", text.lower())
    if not 0 <= index < len(DAYS) or not 2 <= len(t) <= 10:
        return False
    name = DAYS[index].lower()
    ref = name if len(t) > 4 else name[:3]
    return difflib.SequenceMatcher(None, t, ref).ratio() >= RESEMBLANCE


# One-letter day names: T is Tuesday or Thursday, S Saturday or Sunday; R is the US Thursday.
_LETTER_DAYS: dict[str, tuple[int, ...]] = {
    "m": (0,), "t": (1, 3), "w": (2,), "r": (3,), "f": (4,), "s": (5, 6), "u": (6,),
}  # fmt: skip
MIN_LETTER_DAYS = 3  # letters read as days: fewer are initials or grades, not a week


def _letter_days(texts: list[str]) -> list[int | None]:
    """Days of a header of capital letters, left to right ("M T W TH F", "M T W R F S"): "T" and "S"
    are Tuesday and Saturday, or Thursday and Sunday after them, as in a compact code."""
    out: list[int | None] = []
    last: int | None = None
    for text in texts:
        t = text.strip(_EDGE)
        idx: int | None
        if _is_initial(t):
            days = _LETTER_DAYS[t.lower()]
            idx = next((d for d in days if last is None or d > last), days[0])
        else:
            idx = day_index(t, allow_short=True) if len(t) <= 3 else None  # "TH", "Sa" beside them
        last = idx if idx is not None else last
        out.append(idx)
    return out


def _is_initial(text: str) -> bool:
    """A capital day initial: "M", "T", "W", "R", "F", "S", "U"."""
    return len(text) == 1 and text.isupper() and text.lower() in _LETTER_DAYS


def may_head_a_day(text: str) -> bool:
    """Whether text could head a day column among others: a day's name, its two-letter form, its
    capital initial ("M", "T", "TH") or a letter cycle's day ("A" … "H"). Only a header of them
    running as a week says it does."""
    t = text.strip(_EDGE)
    return day_index(t, allow_short=True) is not None or _is_initial(t) or _BARE_LETTER.match(t) is not None


def _initials_run(texts: list[str], letters: list[int | None]) -> bool:
    """Initials read in sequence make a week: two or more single letters among three or more days
    in order, with nothing between them but dates ("M 3 T 4"), and a day lost only among four."""
    read = [i for i, d in enumerate(letters) if d is not None]
    if len(read) < 3 or sum(len(texts[i].strip(_EDGE)) == 1 for i in read) < 2:
        return False
    between = (texts[i].strip(_EDGE) for i in range(read[0], read[-1] + 1) if letters[i] is None)
    if any(t and not t.isdigit() for t in between):
        return False
    order = week_order([letters[i] for i in read])  # type: ignore[misc]
    return order is not None and order[-1] <= len(read) - (1 if len(read) < 4 else 0)


def _runs_as_week(days: list[int | None]) -> bool:
    """Three or more days in week order with at most one missed: "Th Mo We" is no week."""
    found = [d for d in days if d is not None]
    order = week_order(found) if len(found) >= 3 else None
    return order is not None and order[-1] <= len(found)


def header_days(texts: list[str]) -> list[int | None]:
    """The day each text of a header names, left to right. Two-letter names ("Mo", "Tu", "Th")
    and capital initials ("M T W TH F") count only when three or more of them run in week order:
    alone, "We", "Th" or "F" are just words. A header of cycle days ("Day 1" … "Day 6", "D1" …,
    "Day A" …, bare "A" "B" "C" …) gives their indices from CYCLE_BASE on (`cycle_header`); weekday
    names win where both are read."""
    if (cycle := cycle_header(texts)) is not None:
        return cycle
    if (weeks := _days_with_weeks(texts)) is not None:
        return weeks
    strict = [day_index(t) for t in texts]
    named = sum(d is not None for d in strict)
    short = [day_index(t, allow_short=True) for t in texts]
    if _runs_as_week(short) and sum(d is not None for d in short) > named:
        return short
    if named:
        return strict
    if (week := _letter_week(texts)) is not None:  # one heading per column, a lost one between
        return week
    # Initials whose places do not count (a word list, dates between them: "M 3 T 4 W 5").
    letters = _letter_days(texts)
    return letters if _initials_run(texts, letters) else strict


def _days_with_weeks(texts: list[str]) -> list[int | None] | None:
    """A header of both weeks of a two-week timetable, each day with its week ("Mon A" … "Fri A",
    "Mon B" …; "AMon", "Monday 1", "Mon Wk2"): indices from WEEK_BASE on, one run of days per week
    label (`week_of_index` gives it back). Two labels, each over two or more days in week order;
    else None (a day beside a date or a room is no week)."""
    read = [read_day(t) for t in texts]
    labels = list(dict.fromkeys(d.week for d in read if d is not None and d.week))
    if len(labels) != 2 or any(lb not in _WEEK_SLOTS for lb in labels):
        return None
    read = _days_by_place(texts, _weeks_by_place(read))
    for lb in labels:
        run = [d.index for d in read if d is not None and d.week == lb]
        if len(run) < 2 or week_order(run) is None:
            return None
    if sum(d is not None and d.week is None for d in read) > 1:
        return None  # weekdays without a week beside them: not a two-week header
    return [
        WEEK_BASE + 7 * _WEEK_SLOTS.index(d.week) + d.index if d is not None and d.week else None
        for d in read
    ]  # fmt: skip


def _weeks_by_place(read: list[DayName | None]) -> list[DayName | None]:
    """Days whose week OCR lost ("FRI" for "FRI 1") take the week of the run they sit in: the
    week of the day before them when they come after it in the week, else the week of the day
    after them when they come before it ("MON 1 TUE 1 FRI | MON 2" -> FRI is week 1)."""
    out = list(read)
    weeked = [k for k, d in enumerate(read) if d is not None and d.week]
    for k, d in enumerate(read):
        if d is None or d.week:
            continue
        before = [j for j in weeked if j < k]
        after = [j for j in weeked if j > k]
        prev = read[before[-1]] if before else None
        nxt = read[after[0]] if after else None
        ends_prev = nxt is None or nxt.week != prev.week or nxt.index > d.index if prev else False
        if prev is not None and d.index > prev.index and ends_prev:
            out[k] = DayName(d.index, prev.week)
        elif nxt is not None and d.index < nxt.index and (prev is None or prev.week != nxt.week):
            out[k] = DayName(d.index, nxt.week)
    return out


def _days_by_place(texts: list[str], read: list[DayName | None]) -> list[DayName | None]:
    """Headings OCR misread among days with weeks ("mom 1", "WEO 1", "HON 2" in a photo): each
    takes the day and week its place gives, counted from the nearest day read, when that keeps
    every week's days in order and unrepeated. Corner words ("Time") and empty cells stay unread."""
    out = list(read)
    known = [k for k, d in enumerate(read) if d is not None and d.week]
    for k, text in enumerate(texts):
        word = text.strip(_EDGE)
        letters = "".join(ch for ch in word.lower() if ch.isalpha())[:3]
        if out[k] is not None or len(letters) < 3 or _is_corner(word):
            continue
        printed = [tok for tok in word.split()[1:] if tok in _WEEK_SLOTS]  # "HON 2": week 2
        candidates = [j for j in known if not printed or read[j].week == printed[0]]  # type: ignore[union-attr]
        if not candidates:
            continue
        j = min(candidates, key=lambda j: abs(j - k))
        near = read[j]
        assert near is not None
        index = near.index + (k - j)
        # The day its place gives, if the heading could be it misread: one letter of three wrong.
        if 0 <= index <= 6 and _near(letters, DAYS[index][:3].lower()):  # "mom", "WEO"
            out[k] = DayName(index, near.week)
    for week in {d.week for d in out if d is not None and d.week}:
        run = [(k, d.index) for k, d in enumerate(out) if d is not None and d.week == week]
        indices = [i for _, i in run]
        if indices != sorted(set(indices)):
            return read  # a filled heading would break a week's order: fill none
    return out


def _letter_week(texts: list[str]) -> list[int | None] | None:
    """Days of a header printed as letters, one heading per day ("M", "T", "W", "TH", "F"), with
    headings OCR lost (empty) between them. A letter is ambiguous alone; a week of them is not:
    each heading's day is the first one's plus its position, and every letter read must fit it,
    with at least one that is no T or S. Empty headings between two read take their position's
    day (a faint "T" OCR missed); one that holds some other word breaks the week."""
    cands: dict[int, tuple[int, ...]] = {}
    for i, t in enumerate(texts):
        folded = _fold(t.strip(_EDGE))
        if not folded:
            continue
        if folded in _LETTER_DAYS:
            cands[i] = _LETTER_DAYS[folded]
        elif len(folded) == 2 and (d := _ALIASES.get(folded)) is not None:
            cands[i] = (d,)  # a two-letter name among the letters ("TH", "Su")
    if len(cands) < MIN_LETTER_DAYS or all(len(c) > 1 for c in cands.values()):
        return None
    first, last = min(cands), max(cands)
    # Another word inside the run is no heading of this week.
    if any(texts[i].strip(_EDGE) and i not in cands for i in range(first, last + 1)):
        return None
    fits = [
        d0 for d0 in range(7)
        if all(next_day(d0, i - first) in c for i, c in cands.items())
    ]  # fmt: skip
    if len(fits) != 1:
        return None
    out: list[int | None] = [None] * len(texts)
    for i in range(first, last + 1):
        out[i] = next_day(fits[0], i - first)
    return out


# ---------------------------------------------------------------- cycle days

# Cycle days share the day index space with the weekdays (0..6) so every reader carries them the
# same way: "Day 1" … "Day 20" are CYCLE_BASE + 0 … 19, "Day A" … "Day T" LETTER_BASE + 0 … 19.
CYCLE_BASE = 10
LETTER_BASE = 40
_MAX_CYCLE = 20
# "Day 1", "DAY 10", "Day-3", "D1", "D 4", "Day A", "Day. C"; the letter or number alone is
# `_BARE_LETTER`'s, read only in a run.
_CYCLE_RE = re.compile(r"^(?:day|d)\s*[-.:]?\s*(\d{1,2})$|^day\s*[-.:]?\s*([a-t])$", re.I)
# Day orders (Indian colleges): "Day Order 3", "DAY ORDER - 3", "DO 3", "D.O. 3", "Day Order III";
# day order n is cycle day n.
_DAY_ORDER_RE = re.compile(r"^(?:day\s*-?\s*order|d\.?\s*o\.?)\s*[-.:]?\s*(\d{1,2}|[ivx]{1,4})$", re.I)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_BARE_LETTER = re.compile(r"^([A-T])$")
MIN_CYCLE_RUN = 3  # fewer cycle days in a header are a coincidence ("D1" a room)


WEEK_BASE = 100  # a weekday of a week named in the header: WEEK_BASE + 7 * slot + weekday
_WEEK_SLOTS = ["A", "B", "C", "D", "1", "2", "3", "4"]


def week_day_index(day: DayName) -> int | None:
    """The day index of a weekday read with its week ("Mon B"); None when it has none we know."""
    if day.week not in _WEEK_SLOTS:
        return None
    return WEEK_BASE + 7 * _WEEK_SLOTS.index(day.week) + day.index


def week_of_index(index: int) -> str | None:
    """The week a day index carries ("B" of "Mon B"), None for a plain weekday or cycle day."""
    return _WEEK_SLOTS[(index - WEEK_BASE) // 7] if index >= WEEK_BASE else None


def day_label(index: int) -> str:
    """The name of a day index: "Monday" … "Sunday", or a cycle day "Day 3" / "Day C"."""
    if index >= WEEK_BASE:
        return DAYS[(index - WEEK_BASE) % 7]
    if index < CYCLE_BASE:
        return DAYS[index]
    if index < LETTER_BASE:
        return f"Day {index - CYCLE_BASE + 1}"
    return f"Day {chr(ord('A') + index - LETTER_BASE)}"


def cycle_index(label: str) -> int | None:
    """The day index of a cycle day as printed ("Day 3", "D3", "day c", "Day Order 3", "DO 3");
    None for anything else."""
    if order := _DAY_ORDER_RE.match(label.strip(_EDGE)):
        key = order.group(1).lower()
        n = int(key) if key.isdigit() else _ROMAN.get(key, 0)
        return CYCLE_BASE + n - 1 if 1 <= n <= _MAX_CYCLE else None
    m = _CYCLE_RE.match(label.strip(_EDGE))
    if not m:
        return None
    if m.group(1):
        n = int(m.group(1))
        return CYCLE_BASE + n - 1 if 1 <= n <= _MAX_CYCLE else None
    return LETTER_BASE + ord(m.group(2).upper()) - ord("A")


def cycle_header(texts: list[str]) -> list[int | None] | None:
    """The cycle day of each text when the header is a run of cycle days: at least three, each
    one on from the one before ("Day 1 Day 2 Day 3", "A B C D"), the first of them a cycle's
    start or a day on from the previous (a header split over two grids). Bare letters count only
    as a run from A with nothing but empty cells and times around: a letter alone is a period or
    a set. None where the header is not a cycle's."""
    named = [cycle_index(t) for t in texts]
    if sum(i is not None for i in named):  # a misread one may sit beside three read ones too
        named = _misread_run(texts, named)
    if 0 < sum(i is not None for i in named) < MIN_CYCLE_RUN:
        named = _numbered_by_place(texts, named)
    if sum(i is not None for i in named) < MIN_CYCLE_RUN:
        bare = [_BARE_LETTER.match(t.strip(_EDGE)) for t in texts]
        letters = [LETTER_BASE + ord(m.group(1)) - ord("A") if m else None for m in bare]
        found = [i for i in letters if i is not None]
        if len(found) < MIN_CYCLE_RUN or found != list(range(LETTER_BASE, LETTER_BASE + len(found))):
            return None
        if any(i is None and t.strip(_EDGE) and not has_clock(t) and not _is_corner(t)
               for i, t in zip(letters, texts, strict=True)):  # fmt: skip
            return None
        named = letters
    found = [i for i in named if i is not None]
    # In order, one kind (numbers or letters); a day OCR lost may leave a gap.
    if any(b <= a for a, b in zip(found, found[1:], strict=False)):
        return None
    if len({i >= LETTER_BASE for i in found}) != 1:
        return None
    return named


# "D1" as OCR reads a bold heading: "dl", "b2", "0S", "06" (the D a d, b, 0 or O; digits look-alikes).
_MISREAD_CYCLE = re.compile(r"^(?:[dD]\.?\s*[oO0]\.?|[dDbO0o])\s*([0-9lI|!SsZzB]{1,2})$")  # "DOS": DO 5


# "Day 3" / "Day Order 3" with a letter of a word misread ("Oay Order 3", "Dav 4", "Day 0rder 5").
_MISREAD_LONG = re.compile(r"^(\w{3})\s*(?:(\w{5})\s*)?[-.:]?\s*([0-9lI|!SsZzB]{1,2})$")


def _near(word: str | None, target: str) -> bool:
    """A word OCR read with at most one letter wrong: "Oay" for "day", "0rder" for "order", "WEO"
    for "wed"."""
    return (
        word is not None
        and len(word) == len(target)
        and sum(a == b for a, b in zip(word.lower(), target, strict=True)) >= len(target) - 1
    )


def _misread_digits(text: str) -> str | None:
    """The number part of a misread cycle heading ("b2", "0S", "Oay Order 3"), digits mended."""
    if m := _MISREAD_CYCLE.match(text):
        return m.group(1)
    m = _MISREAD_LONG.match(text)
    if m and _near(m.group(1), "day") and (m.group(2) is None or _near(m.group(2), "order")):
        return m.group(3)
    return None


def _misread_run(texts: list[str], named: list[int | None]) -> list[int | None]:
    """Headings beside a cycle day read ("D3") that OCR misread ("dl b2 D3 b4 0S 06", "Oay Order 3"):
    taken when, digits mended, every heading of the run is the next day on from the one before."""
    loose: list[int | None] = list(named)
    for k, text in enumerate(texts):
        number = _misread_digits(text.strip(_EDGE))
        if loose[k] is None and number is not None:
            digits = "".join(DIGIT_LOOKALIKES.get(ch, ch) for ch in number)
            loose[k] = (
                CYCLE_BASE + int(digits) - 1 if digits.isdigit() and 1 <= int(digits) <= _MAX_CYCLE else None
            )
    found = [i for i in loose if i is not None]
    if any(b != a + 1 for a, b in zip(found, found[1:], strict=False)):
        return named
    return loose


def _numbered_by_place(texts: list[str], named: list[int | None]) -> list[int | None]:
    """Headings reading "Day" alone (OCR lost the small number after it) among numbered ones
    ("Day Day … Day 10"): each takes the number its place gives, when every numbered heading
    agrees with one count along the header."""
    offsets = {i - k for k, i in enumerate(named) if i is not None and i < LETTER_BASE}
    if len(offsets) != 1:
        return named
    offset = offsets.pop()
    out = list(named)
    for k, text in enumerate(texts):
        if out[k] is None and text.strip(_EDGE).lower() == "day" and CYCLE_BASE <= offset + k < LETTER_BASE:
            out[k] = offset + k
    return out


def _is_corner(text: str) -> bool:
    """A header's corner cell: "Time", "Period", "Day" — the words above the axis, not a heading."""
    return text.strip(_EDGE).lower() in {"time", "times", "period", "periods", "day", "days", "lesson"}


# ---------------------------------------------------------------- times

# Characters OCR reads in place of digits in times and numbers (a handwriting or chalk font).
DIGIT_LOOKALIKES = {
    "&": "8", "§": "8", "B": "8", "$": "5", "S": "5", "s": "5", "O": "0", "o": "0", "D": "0",
    "Q": "0", "l": "1", "I": "1", "|": "1", "!": "1", "i": "1", "]": "1", "[": "1", "q": "9",
    "g": "9", "Z": "2", "z": "2", "b": "6", "G": "6", "T": "7",
}  # fmt: skip

# OCR often reads ":" as "." or ";" (or both, "10;:25") and dashes as "~" or "—"; accept them all.
# "8h30" is the French-style separator some schools print.
# Portals print "08.00 hr" (hours): the suffix is dropped, not read as a word between two times.
_T = r"(\d{1,2})\s?(?:[:.;·,]{1,2}|h)\s?(\d{2})\s*((?:a|p)\.?\s?m\.?)?(?:\s?hrs?\b\.?)?"
# The dash itself is often lost by OCR ("10:15 10:35"): two adjacent times still make a range.
# A dash may come doubled ("-—": OCR of a long dash or of a dash on a rule).
# A speck OCR reads as a full stop may sit before the dash or "to" ("10:30.to 12:00" in a photo).
_DASH = r"(?:\s*[.,]?\s*(?:[-–—~−]{1,2}|to|until)\s*|\s+)"
RANGE_RE = re.compile(_T + _DASH + _T, re.IGNORECASE)
# What ends the first line of a range printed over two: "08:35 –", "8:30 AM to", "9.00am -".
OPEN_DASH_RE = re.compile(r"\s*(?:[-–—~−]{1,2}|\bto|\buntil)\s*$", re.IGNORECASE)
# OCR also drops the colon itself on scans ("08 40 — 09 20"); only a whole range of two such times,
# standing alone, is read that way, so "Room 12 30" never becomes a time.
_TS = r"([01]?\d|2[0-3])\s(\d{2})\s*((?:a|p)\.?\s?m\.?)?"
# One of the two colons lost ("09:45-10 30"): with a dash between them the pair is still a range.
_D = r"\s*[-–—~−]{1,2}\s*"
_TSP = r"([01]?\d|2[0-3])\s(\d{2})\s*((?:a|p)\.?\s?m\.?)?"  # "10 30": a time whose colon was lost
MIXED_RANGE_RES = (
    re.compile(r"(?<![\w:.])" + _T + _D + _TSP + r"(?![\w:.])", re.I),
    re.compile(r"(?<![\w:.])" + _TSP + _D + _T + r"(?![\d])", re.I),
)
SPACED_RANGE_RE = re.compile(
    r"(?<![\w:.])" + _TS + r"\s*(?:-|–|—|~|to)?\s*" + _TS + r"(?![\w:.])", re.IGNORECASE
)
TIME_RE = re.compile(r"(?<![\d])" + _T + r"(?![\d])", re.IGNORECASE)
# One time standing alone in a cell or a word: "8:30", "08.30 am", "9 AM", "9am", "0830", "8h30".
_ALONE_RE = re.compile(
    r"^\s*(\d{1,2})(?:\s?(?:[:.;]{1,2}|h)\s?(\d{2}))?\s*((?:a|p)\.?\s?m\.?)?\s*$"
    r"|^\s*([01]?\d|2[0-3])([0-5]\d)\s*((?:a|p)\.?\s?m\.?)?\s*$",
    re.I,
)
# A time as one word of a line (the dash of a range or its "to" counts too): what keeps a range
# whose dash OCR lost in one piece.
TIME_TOKEN_RE = re.compile(
    r"^\d{1,2}(?:[:.;]{1,2}|h)\d{2}\s*([ap]\.?m\.?)?$|^[-–—~]{1,2}$|^(to|am|pm|a\.m\.|p\.m\.)$", re.IGNORECASE
)


def has_clock(text: str) -> bool:
    """Whether text holds a clock time ("8:30", "10.15") anywhere: a title or class line does not."""
    return _CLOCK_IN_TEXT_RE.search(text) is not None


_CLOCK_IN_TEXT_RE = re.compile(r"\d{1,2}[:.]\d{2}")
# Clock hours in a text ("08:30", "0830"): to tell whether a table pads hours with a zero.
CLOCK_RE = re.compile(r"(?<!\d)(\d{1,2})(?:\s?[:.]\s?\d{2}|\d{2})(?!\d)")

# School days start after 06:00 and end before 20:00: a bare "1:30" is 13:30.
_PM_GUESS_BELOW = 7
_SCHOOL_ENDS = 20 * 60
LONGEST_PERIOD = 4 * 60  # minutes


def _suffix(s: str | None) -> str | None:
    if not s:
        return None
    return "pm" if s.lower().startswith("p") else "am"


def to_minutes(hour: int, minute: int, suffix: str | None, guess: bool = True) -> int | None:
    if minute > 59 or hour > 23:
        return None
    if suffix:
        if hour < 1 or hour > 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif guess and 1 <= hour < _PM_GUESS_BELOW:
        hour += 12
    return hour * 60 + minute


def fmt(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes_of(hhmm: str, default: int | None = None) -> int:
    """Minutes after midnight of a normalised "HH:MM" (the inverse of `fmt`). Anything else raises
    ValueError, or gives `default` where the caller reads text that may hold anything."""
    try:
        h, m = hhmm.split(":")
        return int(h) * 60 + int(m)
    except ValueError:
        if default is None:
            raise
        return default


def parse_time(text: str) -> str | None:
    """Parse one time ("8:30", "08.30", "1:30 pm", "13:05", "8h30") into 24-hour HH:MM."""
    m = TIME_RE.search(text.strip())
    if not m:
        return None
    mins = to_minutes(int(m.group(1)), int(m.group(2)), _suffix(m.group(3)))
    return None if mins is None else fmt(mins)


@dataclass(frozen=True)
class ClockTime:
    """One time as printed: hour and minute as read, the am/pm if printed, and whether the minutes
    were (a bare "9" is an hour label, not a time of its own)."""

    hour: int
    minute: int
    suffix: str | None
    has_minutes: bool
    compact: bool = False  # "0830": no separator, so also a plain number (a room, a code)

    def minutes(self, guess: bool = True) -> int | None:
        return to_minutes(self.hour, self.minute, self.suffix, guess)


def alone_time(text: str, bare_hour: bool = False) -> ClockTime | None:
    """The time a text is when it is nothing else ("8:30", "9.00am", "9 AM", "0830", "8h30");
    a bare number ("9") only with bare_hour (a header of start hours)."""
    m = _ALONE_RE.match(text)
    if not m:
        return None
    if m.group(4) is not None:
        h, mi, suf, has = int(m.group(4)), int(m.group(5)), m.group(6), True
        compact = True
    else:
        compact = False
        h, suf, has = int(m.group(1)), m.group(3), m.group(2) is not None
        mi = int(m.group(2) or 0)
        if not has and not suf and not bare_hour:
            return None
    if h > 23 or mi > 59 or (suf and not 1 <= h <= 12):
        return None
    return ClockTime(h, mi, _suffix(suf), has, compact)


def start_hours(texts: list[str]) -> list[int] | None:
    """A header of start hours only ("8" "9" "10" "11" "12" "1" "2"): minutes since midnight of
    each, when they run on by one hour (12-hour wrap allowed) from a school morning; else None.
    Period numbers ("1" "2" "3") start too early to be hours and are refused."""
    times = [alone_time(t, bare_hour=True) for t in texts]
    if len(times) < 3 or any(t is None or t.has_minutes for t in times):
        return None
    mins = order_axis([t.minutes(guess=False) for t in times if t is not None])
    if mins is None or not 6 * 60 <= mins[0] <= 11 * 60:
        return None
    return mins if all(b - a == 60 for a, b in zip(mins, mins[1:], strict=False)) else None


def order_axis(minutes: list[int | None]) -> list[int] | None:
    """Times down an axis, bare 12-hour ones moved to the afternoon where the order demands it
    ("12:40" then "1:30" is 13:30; "11" then "12" then "1" is 13:00). None if one is missing or
    the axis still runs backwards."""
    out: list[int] = []
    for m in minutes:
        if m is None:
            return None
        if out and m <= out[-1] and 60 <= m < 13 * 60 and m + 12 * 60 < _SCHOOL_ENDS:
            m += 12 * 60
        if out and m <= out[-1]:
            return None
        out.append(m)
    return out


# "1430-1620" (24-hour without a colon, common in university systems) or "935-1015" (the dots lost).
COMPACT_RANGE_RE = re.compile(r"(?<![\w.:])(\d{1,2})(\d{2})\s*(?:-|–|—|~|to)\s*(\d{1,2})(\d{2})(?![\w.:])")


def _compact_range(text: str) -> tuple[str, str, int, int] | None:
    for m in COMPACT_RANGE_RE.finditer(text):
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if all(19 <= h <= 20 for h in (h1, h2)):
            continue  # "2022-2023" is a school year
        start, end = to_minutes(h1, m1, None), to_minutes(h2, m2, None)
        if start is None or end is None:
            continue
        # No period is longer than an afternoon: "0910-0340" is a misread "0910-0940", not 6.5 hours.
        if 5 <= end - start <= LONGEST_PERIOD:
            return fmt(start), fmt(end), m.start(), m.end()
    return None


# A whole hour printed bare before a dash ("8 - 9:30", "8-8:45"): the start of a range whose end
# has its minutes. Only with a dash, and only when the period it makes is a plausible one.
_BARE_START_RE = re.compile(
    r"(?<![\w:.,])(\d{1,2})\s*(?:[-–—~−]{1,2}|to)\s*" + _T + r"(?![\d])", re.IGNORECASE
)


_COUNTED = re.compile(r"\b(?:period|lesson|day|room|rm|block|week|wk|year|yr|grade|class|no)\.?\s*$", re.I)


def _bare_start_range(text: str) -> tuple[str, str, int, int] | None:
    for m in _BARE_START_RE.finditer(text):
        if _COUNTED.search(text[: m.start()]):
            continue  # "Period 2 - 2:45": the number counts periods, days or rooms, no hour
        h1, h2, m2, s2 = m.groups()
        end = to_minutes(int(h2), int(m2), _suffix(s2))
        start = to_minutes(int(h1), 0, _suffix(s2))
        if start is not None and end is not None and start >= end and not s2:
            start = to_minutes(int(h1), 0, None, guess=False)
        if start is not None and end is not None and 20 <= end - start <= LONGEST_PERIOD:
            return fmt(start), fmt(end), m.start(), m.end()
    return None


def find_range(text: str) -> tuple[str, str, int, int] | None:
    """Find the first time range in text: (start, end, match start, match end) in 24-hour HH:MM."""
    m = (
        RANGE_RE.search(text)
        or MIXED_RANGE_RES[0].search(text)
        or MIXED_RANGE_RES[1].search(text)
        or SPACED_RANGE_RE.search(text)
    )
    if not m:
        return _compact_range(text) or _bare_start_range(text)
    h1, m1, s1, h2, m2, s2 = m.groups()
    s1, s2 = _suffix(s1), _suffix(s2)
    h1, m1, h2, m2 = int(h1), int(m1), int(h2), int(m2)
    end = to_minutes(h2, m2, s2)
    if end is None:
        return None
    if s1 is None and s2 is not None:
        # "11:30 - 12:15pm": the start shares the end's suffix unless that puts it after the end.
        start = to_minutes(h1, m1, s2)
        if start is None or start >= end:
            start = to_minutes(h1, m1, "am" if s2 == "pm" else "pm")
    else:
        start = to_minutes(h1, m1, s1)
    if start is None:
        return None
    if s1 is None and s2 is None and start >= end and h1 >= _PM_GUESS_BELOW and h2 <= 12:
        # "11:30 - 1:00" with no suffix: the end is in the afternoon.
        end = to_minutes(h2, m2, "pm") or end
    # "1:00 - 12:00" stays as read when nothing mends it; validation reports it.
    return fmt(start), fmt(end), m.start(), m.end()


_CLOCK_24H_RE = re.compile(r"^\s*(\d{1,2})[:.h]?(\d{2})\s*$")


def clock_24h(text: object) -> str | None:
    """'9:05', '09.05', '9h05', '0905' -> '09:05'; None for anything that is not plainly a 24-hour
    time (am/pm, words, 25:00). For times a program wrote (an LLM's answer), which are never
    repaired by guessing."""
    m = _CLOCK_24H_RE.match(str(text or ""))
    if not m:
        return None
    h, mi = int(m.group(1)), int(m.group(2))
    return f"{h:02d}:{mi:02d}" if h < 24 and mi < 60 else None


def normalize_time(value: str) -> str | None:
    """Normalise a time string already meant as 24-hour or with am/pm into HH:MM."""
    m = TIME_RE.fullmatch(value.strip()) or TIME_RE.search(value)
    if not m:
        m2 = re.fullmatch(r"\s*(\d{1,2})(\d{2})\s*", value)
        if not m2:
            return None
        mins = to_minutes(int(m2.group(1)), int(m2.group(2)), None, guess=False)
        return None if mins is None else fmt(mins)
    mins = to_minutes(int(m.group(1)), int(m.group(2)), _suffix(m.group(3)), guess=False)
    return None if mins is None else fmt(mins)


# ---------------------------------------------------------------- several days in one text

# US registration letters: M T W R(Thursday) F S U(Sunday), with Tu/Th/Sa/Su spelt out ("TTh").
_CODE_RE = re.compile(r"Th|TH|Tu|TU|Sa|SA|Su|SU|[MTWRFSU]")
_CODE_DAY = {"m": 0, "tu": 1, "w": 2, "r": 3, "th": 3, "f": 4, "sa": 5, "su": 6, "u": 6}


def day_codes(text: str) -> list[int] | None:
    """The days of a compact code ("MWF", "TR", "TTh", "MTWThF"), in order; None unless the whole
    text is such a code. "T" and "S" are Tuesday and Saturday, or Thursday and Sunday after them
    ("MTWTF"); the days must run forwards with no repeat."""
    t = text.strip(_EDGE)
    if not t or not t.isalpha() or not t[0].isupper() or len(t) > 8:
        return None
    tokens = _CODE_RE.findall(t)
    if "".join(tokens) != t:
        return None
    out: list[int] = []
    for tok in tokens:
        low = tok.lower()
        if low == "t":
            idx = 3 if out and out[-1] >= 1 else 1
        elif low == "s":
            idx = 6 if out and out[-1] >= 5 else 5
        else:
            idx = _CODE_DAY[low]
        if out and idx <= out[-1]:
            return None
        out.append(idx)
    return out


# Days named together are set apart by a mark or "and"; days set apart by spaces only are a
# grid's header row, not a group.
_GROUP_SPLIT_RE = re.compile(r"\s*(?:,|/|&|\+|;|\band\b)\s*(?:and\b)?\s*", re.IGNORECASE)
_SPAN_RE = re.compile(r"^\s*([A-Za-z.]+)\s*(?:-|–|—|to|thru|through)\s*([A-Za-z.]+)\s*$", re.IGNORECASE)


def day_group(text: str, codes: bool = False) -> list[int] | None:
    """The days a heading or cell names together: "Monday, Tuesday, Thursday, Friday",
    "Mon/Wed", "Tuesday & Thursday", "(Tu, Th)", "Monday - Friday", or one day; with codes, also a
    compact code ("MWF", "TR": only where a column of them says so, a lone "F" is too common).
    None when any part is not a day."""
    t = text.strip().strip(":()[] ")
    if not t:
        return None
    if (span := _SPAN_RE.match(t)) is not None:
        a, b = day_index(span.group(1), True), day_index(span.group(2), True)
        if a is not None and b is not None and a != b:
            return [next_day(a, k) for k in range((b - a) % 7 + 1)]
    parts = [p.strip("()") for p in _GROUP_SPLIT_RE.split(t) if p and p.strip("()")]
    if len(parts) >= 2:
        days: list[int] = []
        for p in parts:
            d = day_index(p, allow_short=True)
            if d is None or d in days:
                days = []
                break
            days.append(d)
        if days:
            return days
    if (one := day_index(t)) is not None:  # "THU" is Thursday, not Thursday and Sunday
        return [one]
    return day_codes(t) if codes else None
