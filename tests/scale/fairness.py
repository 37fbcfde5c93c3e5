"""One fairness run: a big school's backlog and a small school's few documents, then the workers.

Both schools' documents are queued before any worker starts, the big school's first, so the small
school's are at the back of every queue. The run measures, from the moment the worker starts, when
each school's last document is done. Used by tests/scale/test_fairness.py and bench/fairness.py.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import DOCUMENTS
from tests.scale.conftest import production_stack, wait_all_final
from tests.support.accounts import Account, register
from tests.support.shared import SharedServers
from tests.support.stacks import start_worker

PDF = DOCUMENTS / "003_days_cols_pdf_text.pdf"


@dataclass(frozen=True)
class Outcome:
    limit: int
    big: int
    small: int
    small_done_s: float  # the small school's last document, seconds after the worker started
    big_median_s: float  # the big school's median document
    big_done_s: float  # the big school's last document
    statuses: frozenset[str]


def _queue(account: Account, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        response = account.upload(PDF)
        assert response.status_code == 202, response.text
        ids.append(response.json()["jobId"])
    return ids


def measure(
    data_dir: Path,
    *,
    big: int,
    small: int,
    limit: int,
    threads: int = 4,
    shared: SharedServers | None = None,
) -> Outcome:
    """One run on ``shared`` (the test session's servers), or on servers of its own (the bench)."""
    # One teacher queues the whole backlog at once: the per-user upload limit (60 a minute) is the
    # setup's, not what is measured here, so it is lifted.
    env = {"TIMETABLER_TENANT_CONCURRENCY": str(limit), "TIMETABLER_RATE_LIMIT_UPLOADS_PER_MINUTE": "0"}
    with production_stack(data_dir, env, workers=0, shared=shared) as scale:
        big_school = register(scale.stack, school="Big School")
        small_school = register(scale.stack, school="Small School")
        big_ids, small_ids = _queue(big_school, big), _queue(small_school, small)
        started = dt.datetime.now(dt.UTC)
        start_worker(scale.stack, "--processes", "1", "--threads", str(threads))
        timeout = 120 + 6 * (big + small)
        small_jobs = wait_all_final(small_school, small_ids, timeout=timeout)
        big_jobs = wait_all_final(big_school, big_ids, timeout=timeout)

    def seconds(job: dict) -> float:
        return (dt.datetime.fromisoformat(job["finishedAt"]) - started).total_seconds()

    big_times = sorted(seconds(j) for j in big_jobs.values())
    return Outcome(
        limit=limit,
        big=big,
        small=small,
        small_done_s=max(seconds(j) for j in small_jobs.values()),
        big_median_s=statistics.median(big_times),
        big_done_s=big_times[-1],
        statuses=frozenset(j["status"] for j in [*small_jobs.values(), *big_jobs.values()]),
    )
