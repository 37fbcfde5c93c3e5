"""Every implementation of pipeline_event sees every stage change of a job, in order."""

from __future__ import annotations

import time

from litestar.testing import TestClient

from core import hookimpl
from core.jobs.pipeline import STAGES
from core.policy import PipelineEvent
from core.runtime import get_runtime
from tests.jobs.conftest import upload, wait_final


class Recorder:
    def __init__(self) -> None:
        self.events: list[PipelineEvent] = []

    @hookimpl
    def pipeline_event(self, event: PipelineEvent) -> None:
        self.events.append(event)


def test_pipeline_event_sees_every_stage(client: TestClient, auth: dict[str, str]) -> None:
    recorder = Recorder()
    get_runtime().plugins.register(recorder)
    try:
        ids = upload(client, auth)
        job = wait_final(client, auth, ids["jobId"])
        time.sleep(0.2)
    finally:
        get_runtime().plugins.unregister(recorder)
    mine = [e for e in recorder.events if e.job_id == ids["jobId"]]
    assert [(e.stage, e.status) for e in mine] == [(s, "running") for s in STAGES] + [("done", job["status"])]
    assert {e.document_id for e in mine} == {ids["documentId"]}
