"""Layout analysis and timetable interpretation on the intermediate form (pages of words + rules).

For each page we try every layout reader (core/extraction/layout_readers.py: ruled grid, day-by-day
list, one row per lesson, calendar view, rule-less columns) and keep the `Reading` that explains the
most of the page; statistics of that reading go into `draft.stats` for the confidence score, and
anything a reviewer should know goes into `draft.problems`.
"""

from __future__ import annotations

from core.extraction.daytime import find_range, header_days
from core.extraction.found import what_was_found
from core.extraction.header import read_header
from core.extraction.layout_readers import page_readings
from core.extraction.left_out import left_out as left_out_items
from core.extraction.legend import with_legend_times
from core.extraction.lines import Line, group_lines
from core.extraction.model import DraftBlock, DraftTimetable, Page, Word
from core.extraction.reading import Reading
from core.extraction.spelling import correct_codes, correct_name, correct_variants
from core.extraction.subject_key import name_from_key
from core.extraction.weeks import settle_cycle, settle_weeks, split_at_weeks, week_of

TEXT_SOURCES = ("pdf_text", "docx")  # readers of text layers: their words are exact


def _read_page(page: Page) -> Reading | None:
    readings = page_readings(page)
    if not readings:
        return None
    # The reading with the most blocks explains the most of the page; earlier (ruled) wins ties,
    # except a one-row-per-lesson reading: it knows which column is the subject, where a line-by-line
    # list reading of the same rows takes the room or the code into the name; and a master
    # timetable's reading: it knows each lesson's class, where a grid reading of the same cells
    # takes the classes' rows for one day's batches.
    best = max(readings, key=lambda r: (len(r.blocks), r.layout in ("records", "master")))
    # A master reading that places as many cells as the best (fewer blocks: a teacher's line
    # under a lesson joined to it) is the truer one: its grid of day blocks and classes was found.
    master = [r for r in readings if r.layout == "master" and r.used >= best.used]
    return master[0] if master else best


def _starts_timetable(line: Line) -> bool:
    """The first line of the timetable proper: day names, a time range, or a day-by-day heading."""
    if find_range(line.text):
        return True
    return any(d is not None for d in header_days([w.text for w in line.words]))


def _spaced_text(line: Line) -> str:
    """A line's text with its far-apart pieces kept apart by three spaces: a logo's specks or a
    note at the left margin are no part of the title centred on the same line."""
    words = sorted(line.words, key=lambda w: w.x0)
    out = words[0].text
    for prev, w in zip(words, words[1:], strict=False):
        far = w.x0 - prev.x1 > 2.5 * max(line.height, 1.0)
        out += ("   " if far else " ") + w.text
    return out


def header_lines(page: Page) -> list[str]:
    """The lines above the timetable (title, teacher, class, term)."""
    out: list[str] = []
    for line in group_lines(page.words):
        if _starts_timetable(line):
            break
        out.append(_spaced_text(line))
    return out[:12]


def _corner_week(page: Page) -> str | None:
    """The week label printed in the grid's corner cell ("Week B" over the times, left of the day
    names): on the first line of the timetable proper."""
    for line in group_lines(page.words):
        if _starts_timetable(line):
            return week_of([line.text])[0]
    return None


def _overlap(a: DraftBlock, b: DraftBlock) -> bool:
    return a.week == b.week and a.day == b.day and a.start_time < b.end_time and b.start_time < a.end_time


def _other_timetable(blocks: list[DraftBlock], kept: list[DraftBlock], week: str | None) -> bool:
    """A later page that mostly collides with the blocks already kept is another class's or
    teacher's timetable (a department's PDF of many classes), not the rest of this one; unless it
    is headed by another week than those blocks: then it is this timetable's other week."""
    kept = [k for k in kept if k.week == week]
    if not kept or not blocks:
        return False
    clash = sum(any(_overlap(b, k) for k in kept) for b in blocks)
    return clash > 0.3 * len(blocks)


def _mean_word_confidence(words: list[Word]) -> float:
    return sum(w.confidence for w in words) / len(words) if words else 0.0


def interpret_pages(pages: list[Page]) -> DraftTimetable:
    draft = DraftTimetable()
    layouts: list[str] = []
    cand = used = rows = rows_timed = 0
    guessed = axis_misread = False
    left_out: list[int] = []
    pages_with_blocks = 0
    ocr_blocks: list[DraftBlock] = []
    # Period times printed in a legend apart from the grid are joined to the grid's labels first.
    pages = [with_legend_times(page) for page in pages]
    # Both weeks of a two-week timetable on one page: each grid read as a page of its own.
    pages = [band for page in pages for band in split_at_weeks(page)]
    week: str | None = None  # the week the pages are in: a page without a label continues the last
    for page in pages:
        # What the reader or OCR engine noticed (a turned page, a tiny image) needs a person.
        draft.problems.extend(n for n in page.notes if n not in draft.problems)
        reading = _read_page(page)
        if reading is None:
            continue
        label, header = week_of(header_lines(page))
        week = label or _corner_week(page) or week
        if _other_timetable(reading.blocks, draft.blocks, week):
            left_out.append(page.number)
            continue
        for b in reading.blocks:
            b.week = b.week or week  # a day's header may carry its own week ("Mon B")
        if not layouts:
            read_header(header, draft)
        pages_with_blocks += 1
        if page.source not in TEXT_SOURCES:
            for b in reading.blocks:
                b.name = correct_name(b.name)
            ocr_blocks.extend(reading.blocks)
        draft.blocks.extend(reading.blocks)
        layouts.append(reading.layout)
        cand += reading.candidates
        used += reading.used
        rows += reading.rows
        rows_timed += reading.rows_timed
        guessed = guessed or reading.guessed
        axis_misread = axis_misread or reading.axis_misread
    # Codes and names repeat across a week: a slip in one is mended from the others.
    mended = correct_variants(correct_codes([b.name for b in ocr_blocks]))
    for b, name in zip(ocr_blocks, mended, strict=True):
        b.name = name
    settle_weeks(draft)
    settle_cycle(draft)
    # Codes in the cells named in a key on the page: lessons take the names.
    name_from_key(draft.blocks, pages)
    if layouts:
        draft.layout = max(set(layouts), key=layouts.count)
    elif pages:
        read_header([ln.text for ln in group_lines(pages[0].words)[:5]], draft)
    if "master" in layouts:
        # Many classes' lessons: no one class heads the document; each lesson names its own, and
        # a person picks the class (the page is not one teacher's or one class's week).
        draft.class_name = None
        classes = sorted({b.class_name for b in draft.blocks if b.class_name})
        draft.problems.append(
            f"the page is a master timetable of {len(classes)} classes side by side; "
            "each lesson names its class"
        )
    if left_out:
        nums = ", ".join(str(n) for n in left_out)
        draft.problems.append(
            f"page(s) {nums} hold another timetable (their lessons collide with page 1's); "
            "only the first is extracted: upload the others separately"
        )
    nwords = sum(len(p.words) for p in pages)
    if not draft.blocks:
        if nwords == 0:
            draft.problems.append("no text was found on the page (blank page or unreadable image)")
        else:
            seen = what_was_found(pages)
            told = f"; the page shows {seen}, but no lesson was placed on a day and a time" if seen else ""
            draft.problems.append(
                "no timetable was found: no day names with lesson times (is this a timetable?)" + told
            )
    # Day names and times on the pages (another timetable's pages aside) that no block explains.
    missed = left_out_items([p for p in pages if p.number not in left_out], draft.blocks)
    draft.stats = {
        "words": float(nwords),
        "ocr": _mean_word_confidence([w for p in pages for w in p.words]),
        "coverage": used / cand if cand else 0.0,
        "rows_timed": rows_timed / rows if rows else 0.0,
        "guessed": 1.0 if guessed else 0.0,
        "axis_misread": 1.0 if axis_misread else 0.0,
        "pages": float(len(pages)),
        "pages_used": float(pages_with_blocks),
        "page_notes": float(sum(len(p.notes) for p in pages)),
        "left_out": missed.fraction,
        "days_missed": float(missed.days_missed),
        "ranges_missed": float(missed.ranges_missed),
        "silent_pages": float(missed.silent_pages),
    }
    return draft
