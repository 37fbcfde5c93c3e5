"""Validate and normalise a draft: full day names, 24-hour HH:MM, no empty or backwards blocks."""

from __future__ import annotations

from core.extraction.colours import subject_colours
from core.extraction.daytime import day_name, minutes_of, normalize_time
from core.extraction.header import plausible_class
from core.extraction.model import DraftBlock, DraftTimetable
from core.extraction.weeks import day_order


def duration_minutes(start: str, end: str) -> int:
    """Minutes from start to end, both HH:MM (24-hour)."""
    return minutes_of(end) - minutes_of(start)


MIN_MINUTES = 5
MAX_MINUTES = 8 * 60


def overlaps(blocks: list[DraftBlock]) -> list[str]:
    """Blocks of one day whose times overlap: reported, never dropped (a split class, two groups
    or a misread time; a person decides)."""
    out = []
    by_day: dict[str, list[DraftBlock]] = {}
    for b in blocks:
        # Different classes' lessons on a master timetable run side by side by design.
        key = f"{b.day} of week {b.week}" if b.week else b.day
        by_day.setdefault(f"{key} for {b.class_name}" if b.class_name else key, []).append(b)
    for day, bs in by_day.items():
        bs.sort(key=lambda b: (b.start_time, b.end_time))
        for i, a in enumerate(bs):
            for b in bs[i + 1 :]:
                if b.start_time >= a.end_time:
                    break
                out.append(
                    f"overlap on {day}: {a.start_time}-{a.end_time} '{a.name}' and "
                    f"{b.start_time}-{b.end_time} '{b.name}'"
                )
    return out


def validate_draft(draft: DraftTimetable) -> tuple[DraftTimetable, list[str]]:
    """Normalised blocks and warnings: the draft's problems first (they explain a review), then
    dropped blocks, then overlaps."""
    warnings: list[str] = list(draft.problems)
    kept: list[DraftBlock] = []
    dropped = 0  # lessons read with an impossible day, time or name: something was misread
    seen: set[tuple[str | None, str, str, str, str, str]] = set()
    for b in draft.blocks:
        label = f"{b.day} {b.start_time}-{b.end_time} '{b.name}'"
        # A cycle timetable's days are its cycle's ("Day 3"); every other's a day of the week.
        day = (b.day if b.day in draft.cycle_days else None) if draft.rotation == "cycle" else day_name(b.day)
        start, end = normalize_time(b.start_time), normalize_time(b.end_time)
        name = " ".join(b.name.split())
        if day is None:
            kind = "of the cycle" if draft.rotation == "cycle" else "of the week"
            warnings.append(f"dropped {label}: '{b.day}' is not a day {kind}")
            dropped += 1
            continue
        if start is None or end is None:
            warnings.append(f"dropped {label}: unreadable time")
            dropped += 1
            continue
        if not name:
            warnings.append(f"dropped {label}: empty name")
            dropped += 1
            continue
        minutes = duration_minutes(start, end)
        if minutes <= 0:
            warnings.append(f"dropped {label}: ends before it starts")
            dropped += 1
            continue
        if not MIN_MINUTES <= minutes <= MAX_MINUTES:
            warnings.append(f"dropped {label}: {minutes} minutes is not a lesson (5 minutes to 8 hours)")
            dropped += 1
            continue
        notes = " ".join(b.notes.split()) if b.notes else None
        key = (b.week, day, start, end, name.lower(), (notes or "").lower(), b.class_name)
        if key in seen:
            continue  # an exact duplicate (e.g. the same block read on two pages)
        seen.add(key)
        kept.append(
            DraftBlock(
                day=day, start_time=start, end_time=end, name=name, notes=notes or None,
                color=b.color, page=b.page, confidence=b.confidence, week=b.week, class_name=b.class_name,
            )
        )  # fmt: skip
    kept.sort(key=lambda b: (draft.weeks.index(b.week) if b.week in draft.weeks else -1, day_order(b.day),
                             b.start_time, b.end_time))  # fmt: skip
    # Whatever read the document (layout rules, a second engine, an LLM): no grey lesson colours,
    # no class name made of specks.
    subject_colours(kept)
    out = DraftTimetable(
        teacher=draft.teacher, class_name=plausible_class(draft.class_name), term=draft.term, year=draft.year,
        blocks=kept, layout=draft.layout, stats=dict(draft.stats), problems=list(draft.problems),
        rotation=draft.rotation, weeks=list(draft.weeks), cycle_days=list(draft.cycle_days),
    )  # fmt: skip
    if dropped:
        out.stats["dropped"] = out.stats.get("dropped", 0.0) + dropped  # confidence doubts the rest
    warnings.extend(overlaps(kept))
    return out, warnings


def not_a_timetable_message(words: int, notes: list[str] | None = None) -> str:
    """What a teacher reads when a document holds no lessons: what we saw, in plain words, and what
    to do instead. A photo too small to read says so (the preprocessor's note)."""
    why = (
        "we could not find any writing on it"
        if words == 0
        else "we found writing on it, but no days of the week with lesson times"
    )
    small = next((note for note in notes or [] if "very small" in note), None)
    if small:
        why += f", and {small}"
    return f"This does not look like a timetable: {why}. Try a photo or file of the timetable itself."
