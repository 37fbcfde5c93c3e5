"""Layout analysis and timetable interpretation on the intermediate form (pages of words + rules).

For each page we try every reading we know (ruled grid, rule-less columns, day-by-day list) and keep
the one that explains the most of the page; statistics of that reading feed the confidence score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.extraction.columns import ruleless_table
from core.extraction.days import day_index
from core.extraction.grid import ruled_table
from core.extraction.header import read_header
from core.extraction.lines import group_lines
from core.extraction.listing import interpret_list
from core.extraction.model import DraftBlock, DraftTimetable, Page, Word
from core.extraction.table import interpret_table
from core.extraction.timeparse import find_range


@dataclass
class Analysis:
    draft: DraftTimetable
    # Per reading: how many candidate cells/lines there were and how many became blocks.
    candidates: int = 0
    used: int = 0
    rows: int = 0
    rows_timed: int = 0
    guessed: bool = False  # a rule-less reading placed cells by their position alone
    used_words: list[Word] = field(default_factory=list)


@dataclass
class _Reading:
    blocks: list[DraftBlock]
    layout: str
    candidates: int
    used: int
    rows: int
    rows_timed: int
    header_words: list[Word]
    guessed: bool = False


def _read_page(page: Page) -> _Reading | None:
    readings: list[_Reading] = []
    table = ruled_table(page)
    if table is not None:
        blocks, layout, st = interpret_table(table, page.number)
        if blocks:
            above = [w for w in table.outside if w.y1 <= table.y0 + 2]
            readings.append(
                _Reading(blocks, layout, int(st["cells"]), int(st["cells_used"]), int(st["rows"]),
                         int(st["rows_timed"]), above or table.outside)
            )  # fmt: skip
    lines = group_lines(page.words)
    blocks, timed, used = interpret_list(lines, page.number)
    if blocks:
        first_y = min(
            (ln.y0 for ln in lines if day_index(ln.text) is not None or find_range(ln.text)), default=0.0
        )
        head = [w for ln in lines if ln.y1 <= first_y for w in ln.words]
        readings.append(_Reading(blocks, "list", timed, used, timed, timed, head))
    if not readings or max(len(r.blocks) for r in readings) < 4:
        rl = ruleless_table(page)
        if rl is not None:
            blocks, layout, st = interpret_table(rl, page.number)
            if blocks:
                above = [w for w in rl.outside if w.y1 <= rl.y0 + 2]
                readings.append(
                    _Reading(blocks, layout, int(st["cells"]), int(st["cells_used"]), int(st["rows"]),
                             int(st["rows_timed"]), above, guessed=True)
                )  # fmt: skip
    if not readings:
        return None
    # The reading with the most blocks explains the most of the page; earlier (ruled) wins ties.
    return max(readings, key=lambda r: len(r.blocks))


def analyse_pages(pages: list[Page]) -> Analysis:
    draft = DraftTimetable()
    an = Analysis(draft)
    layouts: list[str] = []
    header_done = False
    for page in pages:
        reading = _read_page(page)
        if reading is None:
            continue
        if not header_done:
            head_lines = [ln.text for ln in group_lines(reading.header_words)]
            read_header(head_lines, draft)
            header_done = True
        draft.blocks.extend(reading.blocks)
        layouts.append(reading.layout)
        an.candidates += reading.candidates
        an.used += reading.used
        an.rows += reading.rows
        an.rows_timed += reading.rows_timed
        an.guessed = an.guessed or reading.guessed
    if layouts:
        draft.layout = max(set(layouts), key=layouts.count)
    if not header_done and pages:
        read_header([ln.text for ln in group_lines(pages[0].words)[:5]], draft)
    return an


def interpret_pages(pages: list[Page]) -> DraftTimetable:
    return analyse_pages(pages).draft
