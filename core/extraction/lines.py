"""Group words into text lines; small geometry helpers shared by layout modules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from core.extraction.daytime import TIME_TOKEN_RE, find_range
from core.extraction.model import Word


@dataclass
class Line:
    words: list[Word] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def text(self) -> str:
        return " ".join(w.text for w in sorted(self.words, key=lambda w: w.x0))

    @property
    def confidence(self) -> float:
        return min((w.confidence for w in self.words), default=1.0)


def median_height(words: list[Word]) -> float:
    hs = [w.y1 - w.y0 for w in words if w.y1 > w.y0]
    return median(hs) if hs else 10.0


_TIME_TOKEN = TIME_TOKEN_RE
_DASH_RE = re.compile(r"^([-–—~]{1,2}|to)$")


def _joins_time(left: str, right: str) -> bool:
    """A time range whose dash OCR lost ("10:35   11:20") leaves a wide gap; keep it one piece."""
    return bool(_TIME_TOKEN.match(left) and _TIME_TOKEN.match(right))


def _unstack(frag: Line) -> list[Line]:
    """A fragment whose words sit at clearly different heights is stacked lines merged by chaining
    (on a tilted photo a cell's middle line bridges the lines above and below it): split it where
    the sorted word centres jump by more than half a word's height."""
    words = sorted(frag.words, key=lambda w: (w.y0 + w.y1) / 2)
    gap = 0.5 * median(w.y1 - w.y0 for w in words)
    parts: list[list[Word]] = [[words[0]]]
    for prev, w in zip(words, words[1:], strict=False):
        if (w.y0 + w.y1) / 2 - (prev.y0 + prev.y1) / 2 > gap:
            parts.append([])
        parts[-1].append(w)
    return [Line(sorted(p, key=lambda w: w.x0)) for p in parts]


def group_lines(words: list[Word], split_gap: float | None = None) -> list[Line]:
    """Group words whose vertical centres overlap into lines, top to bottom.

    With split_gap, a line is also cut where the horizontal gap between words exceeds it (to keep
    side-by-side columns apart when there are no rules).
    """
    lines: list[Line] = []
    for w in sorted(words, key=lambda w: ((w.y0 + w.y1) / 2, w.x0)):
        cy, h = (w.y0 + w.y1) / 2, max(w.y1 - w.y0, 1.0)
        for line in reversed(lines[-4:]):
            if abs(line.cy - cy) < 0.5 * max(h, line.height):
                line.words.append(w)
                break
        else:
            lines.append(Line([w]))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    if split_gap is not None:
        out: list[Line] = []
        for line in lines:
            cur = Line([line.words[0]])
            for w in line.words[1:]:
                gap = w.x0 - cur.words[-1].x1
                # Time labels side by side (periods across the top) are kept apart once whole; a
                # lost dash leaves a gap of a word or two, never several: farther pieces are other
                # columns' ("9:20 –" beside "10:30 –", each wrapped over two lines).
                lost_dash = gap < 2 * split_gap and _joins_time(cur.words[-1].text, w.text)
                if len(cur.words) > 1 and _DASH_RE.match(cur.words[-1].text):
                    # A dash that hugs its start time was not lost: what lies far after it is not
                    # its end.
                    lost_dash = lost_dash and cur.words[-1].x0 - cur.words[-2].x1 > 0.5 * gap
                if gap > split_gap and (find_range(cur.text) or not lost_dash):
                    out.append(cur)
                    cur = Line([w])
                else:
                    cur.words.append(w)
            out.append(cur)
        lines = [sub for frag in out for sub in _unstack(frag)]
    lines.sort(key=lambda ln: (ln.cy, ln.x0))
    return lines


def text_of(words: list[Word]) -> str:
    """The words' text, line by line joined with spaces (a cell's text)."""
    return " ".join(line.text for line in group_lines(words)).strip()


def column_bands(words: list[Word], min_gap: float) -> list[tuple[float, float]]:
    """x bands of the columns: where the words' x-extents, projected, leave gaps of min_gap."""
    bands: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: w.x0):
        if bands and w.x0 - bands[-1][1] < min_gap:
            bands[-1] = (bands[-1][0], max(bands[-1][1], w.x1))
        else:
            bands.append((w.x0, w.x1))
    return bands
