"""On the embedded default (one `timetabler serve`, its worker a thread): a teacher watches their
upload live, and the socket refuses anyone who has not signed in."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from pathlib import Path

import jwt

from core.jobs.pipeline import STAGES
from tests.extraction import gen
from tests.realtime.conftest import PNG, accept_everything
from tests.realtime.live import FINAL_TYPES, Live, signed_in, subscribe
from tests.support.accounts import FINAL, invite, register
from tests.support.stacks import SECRET_KEY, Stack


def test_a_teacher_sees_each_stage_then_the_timetable(embedded: Stack) -> None:
    teacher = register(embedded)
    accept_everything(teacher)
    live = signed_in(embedded.base_url, teacher.access_token)
    ids = teacher.upload(PNG).json()
    assert subscribe(live, ids["jobId"]) == {"type": "subscribed", "data": {"jobId": ids["jobId"]}}
    seen = live.until_ended()
    live.close()

    job = teacher.client.get(f"/jobs/{ids['jobId']}").json()
    assert job["status"] == "completed"
    # The job row's final status first, then how it ended (both sent after the row was saved).
    assert seen[-2]["data"] == {"jobId": ids["jobId"], "status": "completed", "stage": "done"}
    assert seen[-1] == {
        "type": "job:completed",
        "data": {
            "jobId": ids["jobId"],
            "result": {
                "timetableId": job["timetableId"],
                "documentId": ids["documentId"],
                "confidence": job["confidence"],
            },
        },
    }
    assert teacher.client.get(f"/timetables/{job['timetableId']}").status_code == 200
    progress = [m["data"] for m in seen if m["type"] == "job:status"]
    assert {p["jobId"] for p in progress} == {ids["jobId"]}
    # Stage by stage, in the pipeline's order, right up to the last stage.
    running = [p["stage"] for p in progress if p["status"] == "running"]
    assert running == sorted(running, key=STAGES.index)
    assert running[-1] == "notify" and len(running) >= 3


def test_a_job_is_final_in_its_row_before_its_end_is_announced(embedded: Stack, tmp_path: Path) -> None:
    """A page that reads the job as soon as the socket says it ended finds it ended (issue 15: the
    end event went out before the job row was saved, and the page read "running" for ever)."""
    admin = register(embedded)  # default thresholds: this photo is not sure enough and waits for a check
    live = signed_in(embedded.base_url, admin.access_token)
    ids = admin.upload(gen.table_png(gen.Spec(), tmp_path / "photo.png")).json()
    subscribe(live, ids["jobId"])
    told: list[tuple[str, str]] = []  # (event, the job row's status read the moment it arrived)
    deadline = time.monotonic() + 240
    while len(told) < 2 and time.monotonic() < deadline:
        message = live.recv()
        data = message.get("data") or {}
        if message["type"] in FINAL_TYPES or data.get("status") in FINAL:
            row = admin.client.get(f"/jobs/{ids['jobId']}").json()
            told.append((message["type"], row["status"]))
    live.close()
    assert told and told[0][0] == "job:status", told  # the final status comes first, then the outcome
    assert [event for event, _ in told] == ["job:status", "job:hitl_required"], told
    assert all(status == "review" for _, status in told), told


def test_a_late_subscriber_still_sees_how_the_job_ended(embedded: Stack) -> None:
    teacher = register(embedded)
    accept_everything(teacher)
    ids = teacher.upload(PNG).json()
    job = teacher.wait_for_job(ids["jobId"])
    live = signed_in(embedded.base_url, teacher.access_token)
    subscribe(live, ids["jobId"])
    assert live.recv()["data"] == {"jobId": ids["jobId"], "status": "completed", "stage": "done"}
    assert live.recv()["data"]["result"]["timetableId"] == job["timetableId"]
    live.close()


def test_a_teacher_cannot_watch_a_colleagues_job_but_their_reviewer_can(embedded: Stack) -> None:
    admin = register(embedded)
    colleague, reviewer = invite(admin), invite(admin, role="reviewer")
    ids = admin.upload(PNG).json()
    nosy = signed_in(embedded.base_url, colleague.access_token)
    refused = subscribe(nosy, ids["jobId"])
    assert refused["type"] == "error" and refused["data"]["code"] == "not_found"
    # The same answer as for a job that does not exist: nothing tells the two apart.
    unknown = subscribe(nosy, str(uuid.uuid4()))
    assert unknown["data"]["code"] == "not_found"
    staff = signed_in(embedded.base_url, reviewer.access_token)
    assert subscribe(staff, ids["jobId"])["type"] == "subscribed"
    for live in (nosy, staff):
        live.close()


def _token(
    secret: str,
    *,
    expired: bool = False,
    user: str | None = None,
    school: str | None = None,
    lifetime: dt.timedelta = dt.timedelta(minutes=30),
) -> str:
    now = dt.datetime.now(dt.UTC) - (dt.timedelta(hours=2) if expired else dt.timedelta())
    claims = {
        "sub": user or str(uuid.uuid4()),
        "tid": school,
        "role": "teacher",
        "typ": "access",
        "iat": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def test_bad_tokens_and_no_sign_in_are_closed_with_4401(embedded: Stack) -> None:
    teacher = register(embedded)
    user_id, school = teacher.user["id"], teacher.user["tenantId"]
    attempts = {
        "expired": {"type": "auth", "token": _token(SECRET_KEY, expired=True, user=user_id, school=school)},
        "forged": {
            "type": "auth",
            "token": _token("not-the-servers-key-0123456789ab", user=user_id, school=school),
        },
        "refresh token": {"type": "auth", "token": teacher.refresh_token},
        "garbage": {"type": "auth", "token": "not.a.token"},
        "no auth message": {"type": "subscribe:job", "jobId": str(uuid.uuid4())},
    }
    for name, first in attempts.items():
        live = Live(embedded.base_url)
        live.send(first)
        code, messages = live.closed_with()
        assert code == 4401, name
        assert [m["type"] for m in messages] == ["error"], name
        assert messages[0]["data"]["code"] == "unauthorized" and messages[0]["data"]["message"], name
    assert "expired" in _refusal(embedded, attempts["expired"])
    # Silence: the server does not keep a socket that never signs in.
    code, messages = Live(embedded.base_url).closed_with()
    assert code == 4401 and messages[0]["data"]["code"] == "unauthorized"


def _refusal(stack: Stack, first: dict) -> str:
    live = Live(stack.base_url)
    live.send(first)
    return live.closed_with()[1][0]["data"]["message"]


def test_a_bad_message_gets_a_clear_error_and_the_socket_stays_usable(embedded: Stack) -> None:
    teacher = register(embedded)
    live = signed_in(embedded.base_url, teacher.access_token)
    live.send({"type": "subscribe:everything"})
    unknown = live.recv()
    assert unknown["type"] == "error" and unknown["data"]["code"] == "unknown_type"
    assert "subscribe:job" in unknown["data"]["message"]
    live.ws.send("not json")
    assert live.recv()["data"]["code"] == "invalid_message"
    live.send({"type": "subscribe:job", "jobId": "42"})
    assert live.recv()["data"]["code"] == "invalid_message"
    live.send({"type": "ping"})
    assert live.recv() == {"type": "pong"}
    ids = teacher.upload(PNG).json()
    assert subscribe(live, ids["jobId"])["type"] == "subscribed"
    live.send({"type": "unsubscribe:job", "jobId": ids["jobId"]})
    # Events of the job may be on their way until the server takes the unsubscribe.
    live.until(lambda m: m["type"] == "unsubscribed")
    live.close()


def test_the_socket_ends_when_its_sign_in_expires(embedded: Stack) -> None:
    teacher = register(embedded)
    token = _token(
        SECRET_KEY, user=teacher.user["id"], school=teacher.user["tenantId"], lifetime=dt.timedelta(seconds=3)
    )
    live = signed_in(embedded.base_url, token)  # valid now: the server accepts it
    code, messages = live.closed_with()
    assert code == 4401
    assert messages[-1]["data"]["code"] == "unauthorized" and "expired" in messages[-1]["data"]["message"]


def test_a_quiet_socket_is_kept_alive_by_pings(embedded: Stack) -> None:
    teacher = register(embedded)
    live = signed_in(embedded.base_url, teacher.access_token)
    assert [json.loads(live.ws.recv(timeout=30)) for _ in range(2)] == [{"type": "ping"}] * 2
    live.send({"type": "ping"})
    assert live.recv() == {"type": "pong"}
    live.close()


def test_signing_out_ends_the_socket(embedded: Stack) -> None:
    teacher = register(embedded)
    live = signed_in(embedded.base_url, teacher.access_token)
    assert teacher.client.post("/auth/logout").status_code in (200, 204)
    code, messages = live.closed_with()
    assert code == 4401
    assert messages[-1]["data"]["code"] == "unauthorized" and "signed out" in messages[-1]["data"]["message"]
