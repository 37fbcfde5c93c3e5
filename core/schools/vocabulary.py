"""A school's subject vocabulary, learnt from its reviewers' corrections.

The confidence score counts these names as known subjects beside the built-in list, so a school's
own "Tutor time" or "Forest School" stops looking like a misread after a reviewer confirms it once.
"""

from __future__ import annotations

from core.db.scoping import TenantScope
from core.db.tables import SubjectTerm


async def terms(scope: TenantScope) -> list[str]:
    return [row["term"] for row in await scope.select(SubjectTerm, SubjectTerm.term)]


async def learn(scope: TenantScope, names: list[str]) -> list[str]:
    """Add the names this school did not know yet; returns the new ones."""
    known = {term.lower() for term in await terms(scope)}
    new: list[str] = []
    for name in (n.strip()[:200] for n in names):
        if name and name.lower() not in known:
            known.add(name.lower())
            new.append(name)
    if new:
        await SubjectTerm.insert(*[scope.insert(SubjectTerm, term=name) for name in new])
    return new
