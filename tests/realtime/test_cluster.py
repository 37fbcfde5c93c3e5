"""Production shape: two app servers on one Redis and one PostgreSQL, the pipeline in a separate
`timetabler worker`. Events published by the worker reach a client of the other app server; a client
of another school learns nothing about the job."""

from __future__ import annotations

from tests.realtime.conftest import PNG, Cluster, accept_everything
from tests.realtime.live import FINAL_TYPES, signed_in, subscribe
from tests.support.accounts import register


def test_events_from_the_worker_reach_a_client_of_the_other_server(cluster: Cluster) -> None:
    teacher = register(cluster.one)  # signs up and uploads through server one
    stranger = register(cluster.two)  # another school
    accept_everything(teacher)
    watcher = signed_in(cluster.two.base_url, teacher.access_token)  # the same person's phone, server two
    outsider = signed_in(cluster.two.base_url, stranger.access_token)

    ids = teacher.upload(PNG).json()
    assert subscribe(watcher, ids["jobId"]) == {"type": "subscribed", "data": {"jobId": ids["jobId"]}}
    refused = subscribe(outsider, ids["jobId"])
    assert refused["type"] == "error" and refused["data"]["code"] == "not_found"

    seen = watcher.until(lambda m: m["type"] in FINAL_TYPES)
    # The worker saved the job row before it told: read when the end arrives, the job has ended.
    job = teacher.client.get(f"/jobs/{ids['jobId']}").json()
    assert job["status"] == "completed", cluster.one.log_tail()
    assert {"jobId": ids["jobId"], "status": "completed", "stage": "done"} in [m["data"] for m in seen]
    final = seen[-1]
    assert final["type"] == "job:completed"
    assert final["data"]["result"] == {
        "timetableId": job["timetableId"],
        "documentId": ids["documentId"],
        "confidence": job["confidence"],
    }
    # Live progress from the worker process, not only a snapshot read by server two.
    running = [
        m["data"]["stage"] for m in seen if m["type"] == "job:status" and m["data"]["status"] == "running"
    ]
    assert "notify" in running and len(running) >= 3

    # The outsider's socket works, and nothing of the job was sent to it: its pong comes first.
    outsider.send({"type": "ping"})
    assert outsider.recv() == {"type": "pong"}
    for live in (watcher, outsider):
        live.close()
