"""OCR slips in subject names ("Biolotjy", "Chemistrv") corrected against the subject vocabulary.

Only words read by OCR are touched, only when one vocabulary word is clearly the nearest, and
never short words or codes, so a correct name outside the vocabulary stays as printed.
"""

from __future__ import annotations

import difflib
import re

from core.extraction.confidence import vocabulary

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]{3,}")


def _cased(fixed: str, like: str) -> str:
    if like.isupper():
        return fixed.upper()
    if like[:1].isupper():
        return fixed[:1].upper() + fixed[1:]
    return fixed


def correct_name(name: str) -> str:
    vocab = [w for w in vocabulary() if len(w) >= 4 and " " not in w]

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if low in vocab:
            return word
        best = difflib.get_close_matches(low, vocab, n=2, cutoff=0.8)
        if not best:
            return word
        if len(best) == 2 and difflib.SequenceMatcher(None, low, best[1]).ratio() > 0.85:
            return word  # two candidates alike: do not guess
        return _cased(best[0], word)

    return _WORD.sub(fix, name)


# Letters and digits OCR takes for one another in short codes ("OS" for "DS", "8T" for "BT"; a
# serif "1" read as "4" or "T", a "C" as "0" under a highlighter's stroke).
_CONFUSED = [
    set("OD0Q"), set("0O"), set("1IL"), set("5S"), set("8B"), set("2Z"), set("6G"), set("CG"),
    set("14"), set("1T"), set("0C"),
]  # fmt: skip
_CODE = re.compile(r"^[A-Z0-9]{2,6}$")


def _confusable(a: str, b: str) -> bool:
    """Same length, one position different, and that pair a known OCR confusion."""
    if len(a) != len(b):
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(diff) == 1 and any(diff[0][0] in g and diff[0][1] in g for g in _CONFUSED)


def correct_codes(names: list[str]) -> list[str]:
    """Course codes repeat across a week: a code read once that is one confusable character away
    from exactly one code read at least twice elsewhere in the timetable is that code."""
    counts: dict[str, int] = {}
    for n in names:
        counts[n] = counts.get(n, 0) + 1
    out = []
    for n in names:
        if _CODE.match(n) and counts[n] == 1:
            near = [c for c, k in counts.items() if k >= 2 and _CODE.match(c) and _confusable(n, c)]
            if len(near) == 1:
                n = near[0]
        out.append(n)
    return out


def _one_letter_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def correct_variants(names: list[str]) -> list[str]:
    """A subject read wrongly in different ways across the week ("Acts" on Tuesday, "Aets" on
    Wednesday): two or more different words, each one letter from the same vocabulary word and
    from no other, are that word. One such slip alone is left as read: a real name outside the
    vocabulary ("Farm") is one letter from a known one ("Form") as often as a slip is."""
    vocab = [w for w in vocabulary() if len(w) >= 4 and w.isalpha()]
    near: dict[str, str] = {}  # a misread word (lower case) -> the one vocabulary word it is near
    for name in names:
        for word in _WORD.findall(name):
            low = word.lower()
            if low in vocab or low in near or not low.isalpha():
                continue
            matches = [v for v in vocab if _one_letter_apart(low, v)]
            if len(matches) == 1:
                near[low] = matches[0]
    variants: dict[str, set[str]] = {}
    for low, word in near.items():
        variants.setdefault(word, set()).add(low)
    sure = {low: word for low, word in near.items() if len(variants[word]) >= 2}
    if not sure:
        return names

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        fixed = sure.get(word.lower())
        return _cased(fixed, word) if fixed else word

    return [_WORD.sub(fix, name) for name in names]
