"""Period times printed apart from the grid: a legend such as "Period 1: 08:30 - 09:20" under a
timetable whose header only numbers its periods (1, 2, 3... or P1, 1st, I, II...).

The times are joined to the grid's labels before interpretation, so the grid then reads like one
that prints each period's time under its label.
"""

from __future__ import annotations

import re
from statistics import median

from core.extraction.daytime import DIGIT_LOOKALIKES, find_range
from core.extraction.lines import group_lines
from core.extraction.model import Page, Word

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
          "xi": 11, "xii": 12}  # fmt: skip
_NUMBER = r"(\d{1,2}|[ivxIVX]{1,4})"
# Slots a legend names rather than numbers; the grid's header then prints the same word.
_BREAKS = ("break", "lunch", "recess", "registration", "assembly", "tutor")
# A label standing before a legend's time: "Period 1:", "P1 -", "1st", "Lesson 2", "III)", "Lunch".
_LEGEND_LABEL_RE = re.compile(
    r"(?:(?:\b(?:period|lesson|les|per|p)\.?\s*)?(?<![\d:.])" + _NUMBER + r"(?:st|nd|rd|th)?"
    r"|\b(" + "|".join(_BREAKS) + r"))\s*[:.)=–—-]?\s*$",
    re.IGNORECASE,
)
# A label word in the grid: "1", "P1", "P.1", "1st", "II".
_GRID_LABEL_RE = re.compile(r"^(?:p\.?)?" + _NUMBER + r"(?:st|nd|rd|th)?[.:)]?$", re.IGNORECASE)
# OCR's usual misreadings of digits after a "P" ("Pl" for P1, "PS" for P5).
_P_LABEL_RE = re.compile(r"^p\.?([0-9lIiSOoZB]{1,2})$", re.IGNORECASE)
_AS_DIGIT = str.maketrans({k: v for k, v in DIGIT_LOOKALIKES.items() if k in "lIiSOoZB"})
MIN_PERIODS = 3  # fewer labels in a row are as likely room numbers or a date


def _label_number(text: str) -> int | None:
    text = text.strip().lower()
    if text.isdigit():
        n = int(text)
        return n if 0 <= n <= 16 else None
    return _ROMAN.get(text)


def legend_times(page: Page) -> tuple[dict[int | str, tuple[str, str]], set[int]]:
    """Period number (or break word) -> (start, end) from legend entries, and the ids of the words
    they use."""
    times: dict[int | str, tuple[str, str]] = {}
    used: set[int] = set()
    for line in group_lines(page.words):
        rest = line.text
        found = False
        while (rng := find_range(rest)) is not None:
            start, end, a, b = rng
            label = _LEGEND_LABEL_RE.search(rest[:a][-24:])
            key = None
            if label is not None:
                key = label.group(2).lower() if label.group(2) else _label_number(label.group(1))
            if key is not None:
                times.setdefault(key, (start, end))
                found = True
            rest = rest[b:]
        if found:
            used.update(id(w) for w in line.words)
    if sum(isinstance(k, int) for k in times) < MIN_PERIODS:
        return {}, set()
    return times, used


def _grid_label(text: str) -> int | None:
    if (m := _P_LABEL_RE.match(text)) is not None:
        return _label_number(m.group(1).translate(_AS_DIGIT))
    if (m := _GRID_LABEL_RE.match(text)) is not None:
        return _label_number(m.group(1))
    return None


def _label_runs(words: list[Word], times: dict[int | str, tuple[str, str]]) -> list[list[tuple[Word, int]]]:
    """Label words in one row (or one column), at least MIN_PERIODS, numbered in reading order."""
    labels = [(w, n) for w in words if (n := _grid_label(w.text)) in times]
    if len(labels) < MIN_PERIODS:
        return []
    height = median(w.y1 - w.y0 for w, _ in labels)
    runs: list[list[tuple[Word, int]]] = []
    for across in (True, False):  # a header row, then a header column
        key = (lambda w: (w.y0 + w.y1) / 2) if across else (lambda w: (w.x0 + w.x1) / 2)
        order = (lambda w: w.x0) if across else (lambda w: w.y0)
        groups: list[list[tuple[Word, int]]] = []
        for item in sorted(labels, key=lambda it: key(it[0])):
            if groups and abs(key(item[0]) - key(groups[-1][-1][0])) <= 0.6 * height:
                groups[-1].append(item)
            else:
                groups.append([item])
        for group in groups:
            group.sort(key=lambda it: order(it[0]))
            numbers = [n for _, n in group]
            if len(set(numbers)) >= MIN_PERIODS and numbers == sorted(numbers):
                runs.append(group)
    return runs


def _is_row(run: list[tuple[Word, int]]) -> bool:
    xs = [w.x0 for w, _ in run]
    ys = [w.y0 for w, _ in run]
    return max(xs) - min(xs) >= max(ys) - min(ys)


def _in_band(w: Word, band: list[Word], across: bool) -> bool:
    """On the header row (or column) the labels are on."""
    height = median(b.y1 - b.y0 for b in band)
    if across:
        cy = median((b.y0 + b.y1) / 2 for b in band)
        return abs((w.y0 + w.y1) / 2 - cy) <= 0.6 * height
    cx = median((b.x0 + b.x1) / 2 for b in band)
    return abs((w.x0 + w.x1) / 2 - cx) <= 3 * height


def with_legend_times(page: Page) -> Page:
    """The page with each numbered period label of its grid followed by the legend's time for it;
    the page itself when it has no such legend or no labels that match it."""
    times, legend_words = legend_times(page)
    if not times:
        return page
    grid_words = [w for w in page.words if id(w) not in legend_words]
    runs = _label_runs(grid_words, times)
    if not runs:
        return page
    best = max(runs, key=len)
    timed: dict[int, int | str] = {id(w): n for w, n in best}
    # Break slots named in the legend ("Lunch 12:10 - 13:00") and in the same header row/column.
    across = _is_row(best)
    band = [w for w, _ in best]
    for w in grid_words:
        word = w.text.strip(":.").lower()
        if word in times and isinstance(times[word], tuple) and _in_band(w, band, across):
            timed[id(w)] = word
    words = []
    for w in page.words:
        if id(w) in timed:
            start, end = times[timed[id(w)]]
            w = Word(f"{w.text} {start}-{end}", w.x0, w.y0, w.x1, w.y1, w.confidence)
        words.append(w)
    return Page(page.number, page.width, page.height, words, page.rules, page.rects, page.source,
                list(page.notes))  # fmt: skip
