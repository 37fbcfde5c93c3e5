"""Usage and cost per school and month: usage events, documents, reviews and job timings.

Aggregated in Python rather than SQL: month arithmetic differs between SQLite and PostgreSQL, and a
year of one school's events is small.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from core.db.scoping import TenantScope
from core.db.tables import Document, Job, Review, Tenant, UsageEvent

MONTHS = 12
# What each month counts. Documents, OCR and LLM calls and cost come from usage events (what billing
# sees: one event per job and kind, so calls are counted as events); pages from the documents
# uploaded; review load from the reviews opened.
KINDS = ("document", "page", "ocr_call", "llm_call", "review")


@dataclass
class MonthUsage:
    month: str  # YYYY-MM
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    cost_usd: float = 0.0
    durations: list[float] = field(default_factory=list)  # seconds, finished jobs

    @property
    def median_seconds(self) -> float | None:
        return statistics.median(self.durations) if self.durations else None


@dataclass
class SchoolUsage:
    school: Tenant
    months: list[MonthUsage]  # oldest first

    @property
    def total_cost(self) -> float:
        return sum(m.cost_usd for m in self.months)

    def total(self, kind: str) -> int:
        return sum(m.counts[kind] for m in self.months)


def month_keys(today: dt.date, count: int = MONTHS) -> list[str]:
    """The last ``count`` months ending with this one, oldest first."""
    year, month = today.year, today.month
    keys = []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def _month(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m") if value.tzinfo else value.strftime("%Y-%m")


async def school_usage(school: Tenant, *, now: dt.datetime | None = None) -> SchoolUsage:
    now = now or dt.datetime.now(dt.UTC)
    keys = month_keys(now.date())
    since = dt.datetime.strptime(keys[0] + "-01", "%Y-%m-%d").replace(tzinfo=dt.UTC)
    months = {key: MonthUsage(key) for key in keys}

    def bucket(when: dt.datetime | None) -> MonthUsage | None:
        return months.get(_month(when)) if when else None

    scope = TenantScope(school.id)
    events = await scope.select(
        UsageEvent, UsageEvent.kind, UsageEvent.quantity, UsageEvent.cost_usd, UsageEvent.created_at
    ).where(UsageEvent.created_at >= since)
    for row in events:
        if (month := bucket(row["created_at"])) is None:
            continue
        if row["kind"] == "document":
            month.counts["document"] += int(row["quantity"] or 0)
        elif row["kind"] in ("ocr_call", "llm_call"):
            month.counts[row["kind"]] += 1  # quantity is pages or tokens; one event is one call
        month.cost_usd += float(row["cost_usd"] or 0.0)
    documents = await scope.select(Document, Document.pages, Document.created_at).where(
        Document.created_at >= since
    )
    for row in documents:
        if (month := bucket(row["created_at"])) is not None:
            month.counts["page"] += int(row["pages"] or 0)
    reviews = await scope.select(Review, Review.created_at).where(Review.created_at >= since)
    for row in reviews:
        if (month := bucket(row["created_at"])) is not None:
            month.counts["review"] += 1
    jobs = await scope.select(Job, Job.started_at, Job.finished_at).where(
        Job.started_at.is_not_null(), Job.finished_at.is_not_null(), Job.finished_at >= since
    )
    for row in jobs:
        if (month := bucket(row["finished_at"])) is not None:
            month.durations.append(max((row["finished_at"] - row["started_at"]).total_seconds(), 0.0))
    return SchoolUsage(school=school, months=[months[key] for key in keys])


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str


def bar_chart(
    points: list[tuple[str, float]], *, width: int = 480, height: int = 120, fmt: str = "{:g}"
) -> list[Bar]:
    """Bar geometry for an inline SVG (no JavaScript): one bar per point, scaled to the largest."""
    if not points:
        return []
    top = max(value for _, value in points) or 1.0
    slot = width / len(points)
    bars = []
    for i, (label, value) in enumerate(points):
        h = (height - 16) * value / top
        bars.append(Bar(i * slot + 2, height - 14 - h, max(slot - 4, 1), h, label, fmt.format(value)))
    return bars
