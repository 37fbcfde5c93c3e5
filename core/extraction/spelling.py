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
