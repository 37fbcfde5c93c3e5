"""Confidence from four factors, each 0..1, and their combination.

- ocr: mean recognition confidence of the words that became blocks (1.0 for text layers);
- vocabulary: how many block names are known subjects (a plain list a school can extend), or look
  like subject codes ("ITC01", "BT"), rather than OCR noise;
- layout: how much of what looked like timetable content became blocks, how many periods had times,
  and whether blocks of a day do not collide;
- times: how many blocks have plausible school times (06:00-22:00, 5 minutes to 8 hours).
The weights were set so that confidence tracks measured F1 (see bench/calibrate.py).

Confidence is a promise that the school's accept threshold relies on, so signs that something on
the pages was not read cap it below accept (DOUBT_CAP), whatever the four factors say: day names or
time ranges no block explains, a page that gave nothing while another did, cells with text that
gave no lesson (core/extraction/left_out.py and the readers' coverage), lessons with impossible
times, a time axis whose labels were mostly misread, and an OCR'd name that is neither a known word
nor a code.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from core.extraction.daytime import minutes_of
from core.extraction.model import DraftBlock, DraftTimetable

DEFAULT_VOCABULARY = Path(__file__).with_name("subjects.txt")
REVIEW_CAP = 0.5
DOUBT_CAP = 0.95  # below any sensible accept threshold (the default is 0.98)
UNKNOWN_NAME = 0.3  # name_score of a name with no known word that is not a code either
FULL_COVERAGE = 0.98  # share of the chosen reading's cells with text that must give a lesson
WEIGHTS = {"ocr": 0.3, "vocabulary": 0.2, "layout": 0.3, "times": 0.2}
_CODE_RE = re.compile(r"^[A-Z]{1,5}[-/]?\d{0,4}[A-Z]?\*?$|^[A-Z]{2,4}\d{2,4}(\([A-Z0-9]+\))?$")


@lru_cache(maxsize=8)
def _load(path: str) -> frozenset[str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    return frozenset(
        ln.strip().lower() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
    )


def vocabulary(path: Path | str | None = None, extra: Iterable[str] | None = None) -> frozenset[str]:
    """The subject vocabulary: the built-in list, a school's file (argument or the
    TIMETABLER_SUBJECTS_FILE setting) and an extra list of words or subjects."""
    words = set(_load(str(DEFAULT_VOCABULARY)))
    school = path or os.environ.get("TIMETABLER_SUBJECTS_FILE")
    if school:
        words |= _load(str(school))
    for item in extra or ():
        words.add(item.strip().lower())
    # Multi-word subjects also count word by word ("Food Technology" -> "food", "technology").
    return frozenset(words | {w for s in words for w in s.split()})


def name_score(name: str, vocab: frozenset[str]) -> float:
    text = name.strip()
    if not text:
        return 0.0
    if text.lower() in vocab:
        return 1.0
    tokens = re.findall(r"[A-Za-z][A-Za-z'&]*|\d+", text)
    if not tokens:
        return 0.2
    known = sum(t.lower() in vocab for t in tokens)
    if known:
        return 0.6 + 0.4 * known / len(tokens)
    if _CODE_RE.match(text.replace(" ", "")):
        return 0.7  # a subject code: plausible, not checkable
    return UNKNOWN_NAME


def time_score(b: DraftBlock) -> float:
    try:
        s, e = minutes_of(b.start_time), minutes_of(b.end_time)
    except ValueError:
        return 0.0
    ok = 6 * 60 <= s < e <= 22 * 60 and 5 <= e - s <= 8 * 60
    return 1.0 if ok else 0.0


def _no_collisions(blocks: list[DraftBlock]) -> float:
    by_day: dict[str, list[tuple[str, str]]] = {}
    for b in blocks:
        by_day.setdefault(b.day, []).append((b.start_time, b.end_time))
    bad = 0
    for spans in by_day.values():
        spans.sort()
        bad += sum(s2 < e1 for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False))
    return max(0.0, 1.0 - bad / len(blocks))


def factors(draft: DraftTimetable, extra_subjects: Iterable[str] | None = None) -> dict[str, float]:
    blocks = draft.blocks
    if not blocks:
        return {k: 0.0 for k in WEIGHTS}
    vocab = vocabulary(extra=extra_subjects)
    st = draft.stats
    layout = 0.4 * st.get("coverage", 1.0) + 0.3 * st.get("rows_timed", 1.0) + 0.3 * _no_collisions(blocks)
    return {
        "ocr": sum(b.confidence for b in blocks) / len(blocks),
        "vocabulary": sum(name_score(b.name, vocab) for b in blocks) / len(blocks),
        "layout": layout,
        "times": sum(time_score(b) for b in blocks) / len(blocks),
    }


def _doubt(st: dict[str, float], score: float) -> float:
    """Text on the pages that the reading left out: lower in proportion, and below accept."""
    left = st.get("left_out", 0.0)
    silent = st.get("silent_pages", 0.0)
    if left > 0 or silent > 0:
        used = st.get("pages_used", 1.0)
        score = min(score * (1.0 - left) * used / (used + silent), DOUBT_CAP)
    coverage = st.get("coverage", 1.0)
    if coverage < FULL_COVERAGE:
        # Cells with text that gave no lesson: below accept, and no higher than the F1 a reading
        # that missed that share of the lessons can reach (all it kept right: 2c / (1 + c)).
        score = min(score, DOUBT_CAP, 2 * coverage / (1 + coverage))
    return score


def confidence(draft: DraftTimetable, extra_subjects: Iterable[str] | None = None) -> float:
    """0..1; no blocks is 0, and a reading with very few blocks or placed by guesswork is doubted."""
    if not draft.blocks:
        return 0.0
    f = factors(draft, extra_subjects)
    score = sum(WEIGHTS[k] * f[k] for k in WEIGHTS)
    if draft.stats.get("guessed"):
        score *= 0.95  # cells placed by position without rules may span wrongly
    n = len(draft.blocks)
    if n < 5:
        score *= 0.5 + 0.1 * n  # one or two "lessons" on a page is more likely noise than a week
    score = _doubt(draft.stats, score)
    # Lessons read with impossible times (or dropped for them by validation) mean a misread.
    bad = draft.stats.get("dropped", 0.0) + sum(time_score(b) == 0.0 for b in draft.blocks)
    if bad:
        score = min(score * n / (n + bad), DOUBT_CAP)
    vocab = vocabulary(extra=extra_subjects)
    if any(b.confidence < 1.0 and name_score(b.name, vocab) <= UNKNOWN_NAME for b in draft.blocks):
        # A recognised name that is neither a known word nor a code may be a misread: unchecked.
        score = min(score, DOUBT_CAP)
    if draft.stats.get("axis_misread"):
        # Most period labels were misread: the times were rebuilt around the few that were not.
        score = min(score, DOUBT_CAP)
    if draft.stats.get("page_notes"):
        score = min(score, REVIEW_CAP)  # a turned page or a tiny image: a person should look
    elif draft.problems:
        score *= 0.95  # pages left out: the rest may still be right
    return round(max(0.0, min(1.0, score)), 4)
