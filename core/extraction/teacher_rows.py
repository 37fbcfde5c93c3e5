"""A grid that gives each period two ruled rows, the subject's and under it the teacher's ("Math 8"
over "K. Viray"), common in K-12 class programmes: the second row shares the period's time label
and holds people, not lessons. Its cells are the lessons' teachers, never lessons of their own."""

from __future__ import annotations

import re

from core.extraction.grid import Table

# A person as class programmes print one: an initial and a surname ("K. Viray", "G.Abando"), with
# a title ("Ms. J Barrinuevo", "Mr Cruz") or surname first ("Santos, M."). OCR slips on the initial
# ("6. Sison", "J, Calleja") and on the surname's first letter ("tlagan") are allowed.
_TITLE = r"(?:mr|mrs|ms|miss|dr|prof|sir|madam|maam)"
_PERSON_RES = (
    re.compile(
        r"^(?:(?:mr|mrs|ms|miss|dr|prof|sir|madam|maam)\b\.?\s*)?[a-z0-9]{1,2}\s?[.,]\s?[a-z]{3,}$", re.I
    ),
    re.compile(r"^(?:mr|mrs|ms|miss|dr|prof|sir|madam|maam)\b\.?\s*(?:[a-z][.]?\s*){0,2}[a-z]{3,}$", re.I),
    re.compile(r"^[a-z]{3,},\s?[a-z]\.?$", re.I),
)
_EDGE = " '\"`‘’“”:;.,|_-—–~!"
MIN_SHARE = 2 / 3  # of a row's filled day cells that must read as people
MIN_PEOPLE = 2


def looks_like_person(text: str) -> bool:
    t = " ".join(text.split()).strip(_EDGE)
    return any(p.match(t) for p in _PERSON_RES)


def teacher_rows(
    table: Table, header: int, day_cols: dict[int, int], times: dict[int, tuple[str, str]]
) -> set[int]:
    """Rows under the header that share the row above's period (its time label spans both) and
    whose one-row day cells mostly hold a person's name."""
    rows: set[int] = set()
    for r in range(header + 2, table.nrows):
        if r not in times or times.get(r - 1) != times[r] or r - 1 in rows:
            continue
        texts = []
        for c in day_cols:
            cell = table.owner(r, c)
            if cell is not None and cell.r0 == r and cell.r1 == r + 1 and cell.words:
                texts.append(cell.text)
        people = sum(looks_like_person(t) for t in texts)
        if people >= MIN_PEOPLE and people >= MIN_SHARE * len(texts):
            rows.add(r)
    return rows
