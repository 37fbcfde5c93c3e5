"""Codes in the cells, names in a key: "MA = Mathematics", "CN: Computer Networks", "DT - Design
Technology", printed beside or under the grid.

A lesson is called by its subject's name, as a teacher would write it; the code it was printed as
goes first into its notes, so nothing printed is lost. A key counts only when at least two of the
codes it names are lessons' names: "Room: 12" or "Lunch - canteen" on the page is not a key.
"""

from __future__ import annotations

import re

from core.extraction.lines import group_lines
from core.extraction.model import DraftBlock, Page

# A code: a capital then up to five letters, digits or "&" ("MA", "DT", "CS301", "R&D").
_CODE = r"[A-Z][A-Za-z0-9&]{0,5}"
_SEP = r"\s*(?:=|:|–|—|-)\s*"
# One entry: a code, a separator, then a name of words that runs to the next entry, a list mark or
# the end of the line (several entries often share a line of the key).
_ENTRY = re.compile(
    rf"(?<![\w&])({_CODE}){_SEP}([A-Za-z][\w&'’()./ ]*?[A-Za-z)])"
    rf"(?=\s+{_CODE}{_SEP}[A-Za-z]|\s*[,;|]|\s*$)"
)
MIN_CODES_USED = 2


def _looks_like_code(code: str, name: str) -> bool:
    """Capitals ("MA", "CS301") or a short abbreviation of its own name ("Eng" for English): a
    word such as "Lunch - canteen" or "Note: bring a pen" is no code."""
    if len(code) >= 2 and code == code.upper():
        return True
    return len(code) <= 4 and name[:1].upper() == code[:1] and name.lower().startswith(code[:2].lower())


def key_entries(pages: list[Page]) -> dict[str, str]:
    """Code -> name from every line on the pages that reads as key entries."""
    key: dict[str, str] = {}
    for page in pages:
        for line in group_lines(page.words):
            for code, name in _ENTRY.findall(line.text):
                name = name.strip()
                letters = sum(ch.isalpha() for ch in name)
                # A name starts with a word: "MAT-T04" is a subject and its teacher's code.
                coded = re.match(r"[A-Z]{0,2}\d", name) is not None
                if letters >= 3 and len(name) > len(code) and _looks_like_code(code, name) and not coded:
                    key.setdefault(code.upper(), name)
    return key


def _code_of(name: str, key: dict[str, str]) -> str | None:
    """The key's code a lesson name is printed as: the whole name, or its first word before a
    group or room ("MA G1")."""
    text = name.strip()
    if text.upper() in key:
        return text
    first = text.split(maxsplit=1)[0] if text else ""
    return first if first.upper() in key and len(first) >= 2 else None


def _alnum(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", text).upper()


def name_from_key(blocks: list[DraftBlock], pages: list[Page]) -> None:
    """Lessons printed as a key's codes take the key's names, in place."""
    # A lesson's own cell ("MAT-T04/IPP-T44": a subject and its teacher's code) reads like an
    # entry too; an entry that some lesson prints whole is that lesson, not a key.
    printed = [_alnum(f"{b.name} {b.notes or ''}") for b in blocks]
    key = {c: n for c, n in key_entries(pages).items() if not any(_alnum(c + n) in p for p in printed)}
    if not key:
        return
    codes = {code.upper(): code for b in blocks if (code := _code_of(b.name, key))}
    if len(codes) < MIN_CODES_USED:
        return
    for b in blocks:
        code = _code_of(b.name, key)
        if code is None:
            continue
        rest = b.name.strip()[len(code) :].strip()
        # A teacher or room the key adds in brackets ("Operating Systems (Dr. Rao)") is a note.
        name, _, aside = key[code.upper()].partition(" (")
        aside = f"({aside}" if aside else ""
        b.name = name.strip()
        b.notes = " ".join(part for part in (code, rest, aside, b.notes or "") if part) or None
