"""A document the school's bar does not accept: its uploader is told live that it waits for a
review, and is told again, with the timetable, when a reviewer completes it."""

from __future__ import annotations

from tests.realtime.conftest import PNG
from tests.realtime.live import FINAL_TYPES, signed_in, subscribe
from tests.support.accounts import register
from tests.support.stacks import Stack


def test_the_uploader_sees_the_review_wait_and_its_end(embedded: Stack) -> None:
    admin = register(embedded)  # the school's admin, who also reviews; default thresholds
    live = signed_in(embedded.base_url, admin.access_token)
    ids = admin.upload(PNG).json()
    subscribe(live, ids["jobId"])
    waiting = next(m for m in live.until_ended() if m["type"] in FINAL_TYPES)

    review = next(r for r in admin.client.get("/reviews").json() if r["jobId"] == ids["jobId"])
    assert waiting == {
        "type": "job:hitl_required",
        "data": {"jobId": ids["jobId"], "reason": review["reason"]},
    }
    assert review["reason"]

    corrected = [{"name": "Mathematics", "day": "Monday", "startTime": "09:00", "endTime": "10:00"}]
    assert admin.client.post(f"/reviews/{review['id']}", json={"timeblocks": corrected}).status_code == 200
    seen = live.until(lambda m: m["type"] == "job:completed")
    live.close()
    job = admin.client.get(f"/jobs/{ids['jobId']}").json()
    assert {
        "type": "job:status",
        "data": {"jobId": ids["jobId"], "status": "completed", "stage": "review"},
    } in seen
    assert seen[-1]["data"]["result"] == {
        "timetableId": job["timetableId"],
        "documentId": ids["documentId"],
        "confidence": 1.0,
    }
