"""What Claude is told: the rules (a cached system prompt), the tool whose schema shapes its answer,
and the per-document text prompt."""

from __future__ import annotations

from core.plugin_api import DAYS, DraftTimetable

# Bump when the rules or the schema change: cached answers made under older rules are not reused.
PROMPT_VERSION = "2026-12-07.1"

TOOL_NAME = "record_timetable"

SYSTEM_PROMPT = """\
You read school timetables from images of the uploaded document and record them with the \
record_timetable tool. Your answer is read by a program, then shown to the teacher as their weekly \
timetable, so a wrong block is worse than a block left out and noted.

Rules:
1. Names. Copy every subject, lesson or activity name exactly as printed: the same words, spelling, \
abbreviations and capitals ("Maths", "MATHS", "Ma", "PE", "Eng Lit"). Never expand, translate, \
correct or tidy a name. Room numbers, teacher initials and group codes printed in the cell go in \
notes, not in the name.
2. Days. Use the full English day name: Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, \
Sunday. Work out which day each cell belongs to from the header of its own column (days as \
columns) or its own row (days as rows). Check the column of every block against the header above \
it: do not shift a column's lessons onto the neighbouring day. Leave out days with no lessons.
3. Times. Write every time as 24-hour HH:MM ("8.30" -> "08:30", "1:15pm" -> "13:15", "1430" -> \
"14:30"). Afternoon times printed without am/pm in a school day ("1:15", "2.30") are afternoon \
(13:15, 14:30).
4. Durations. Take start and end times from the period's printed times. When only period numbers \
or start times are printed, each period ends when the next one starts; the last period of the day \
ends where the document says, else after the same length as the period before it.
5. Merged cells. A cell that spans several periods (a double lesson) is ONE block from the start \
of its first period to the end of its last one. Two neighbouring cells with the same name that are \
separately ruled are two blocks.
6. Breaks. A break, lunch, registration or assembly row that runs across all days is recorded once \
for each day it applies to, with its printed name ("Break", "Lunch"). Do not invent breaks that \
are not printed.
7. Empty cells, free periods printed as blank, and decorative text (school name, logos, legends) \
are not blocks.
8. Uncertainty. Never invent or guess silently. When a name, time or day is hard to read, record \
your best reading, set unsure to true and say what is uncertain in notes ("name partly hidden by \
a fold", "end time not printed; taken from the next period"). Problems with the whole document \
(a page cut off, a second week, text you could not read) go in problems.
9. Record each block once. If the document shows two alternating weeks (Week A / Week B, Week 1 / \
Week 2, odd / even weeks), record the blocks of both weeks, each with its week as printed ("A", \
"B", "1", "2", "Odd", "Even"); for a timetable of one week leave week out. If the days are cycle \
days (Day 1 … Day 10, or lettered days A–H) rather than weekdays, say so in problems.
10. The teacher and class given in the request were read by OCR and may be wrong or missing: use \
the names printed on the document when you can read them.

Example: a days-as-columns grid with period rows "1 8:50-9:40" and "2 9:40-10:30", where the \
Tuesday column has one cell "Science Lab 3" spanning both rows, gives one block: day Tuesday, \
start 08:50, end 10:30, name "Science", notes "Lab 3".
"""

_BLOCK_SCHEMA = {
    "type": "object",
    "properties": {
        "day": {"type": "string", "enum": DAYS, "description": "Full English day name."},
        "start_time": {
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
            "description": "24-hour HH:MM.",
        },
        "end_time": {
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
            "description": "24-hour HH:MM, after start_time.",
        },
        "name": {"type": "string", "description": "Exactly as printed."},
        "notes": {
            "type": ["string", "null"],
            "description": "Room, teacher initials, and anything uncertain about this block.",
        },
        "page": {"type": "integer", "minimum": 1, "description": "Page the block is on (1-based)."},
        "week": {
            "type": ["string", "null"],
            "description": "On a two-week timetable, the block's week as printed (A, B, 1, 2, Odd, Even).",
        },
        "unsure": {
            "type": "boolean",
            "description": "True when any part of this block was hard to read or inferred.",
        },
    },
    "required": ["day", "start_time", "end_time", "name", "unsure"],
}

TOOL = {
    "name": TOOL_NAME,
    "description": "Record the weekly timetable read from the document, one entry per timeblock.",
    "input_schema": {
        "type": "object",
        "properties": {
            "teacher": {"type": ["string", "null"], "description": "Teacher's name as printed."},
            "class_name": {"type": ["string", "null"], "description": "Class or form as printed."},
            "term": {"type": ["string", "null"]},
            "year": {"type": ["integer", "null"]},
            "layout": {
                "type": "string",
                "enum": ["days_cols", "days_rows", "list", "unknown"],
                "description": "days_cols: days are column headers; days_rows: days head the rows.",
            },
            "blocks": {"type": "array", "items": _BLOCK_SCHEMA},
            "problems": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Problems with the whole document a person should look at.",
            },
        },
        "required": ["layout", "blocks"],
    },
}


def user_text(hint: DraftTimetable | None, pages: int, truncated: bool, images: bool = True) -> str:
    """The text that goes with the page images: what OCR already knows about the document."""
    shown = f"the {pages} page image(s) above" if images else "the Word file's text above"
    lines = [f"Read the school timetable in {shown} and record it with {TOOL_NAME}."]
    if truncated:
        lines.append("Only the first pages are shown; note in problems that later pages were not read.")
    teacher = hint.teacher if hint else None
    class_name = hint.class_name if hint else None
    lines.append(f"Teacher (from OCR): {teacher or 'not found'}")
    lines.append(f"Class (from OCR): {class_name or 'not found'}")
    if hint and hint.layout in ("days_cols", "days_rows"):
        lines.append(f"OCR thinks the days are {'columns' if hint.layout == 'days_cols' else 'rows'}.")
    return "\n".join(lines)
