"""Human review: a document below the school's bar waits for a person, who corrects and completes it."""

from __future__ import annotations

from litestar.testing import TestClient

from core.runtime import get_runtime
from tests.jobs.conftest import PDF, upload, wait_final


def teacher_of(client: TestClient, admin: dict[str, str]) -> dict[str, str]:
    school = client.get("/auth/me", headers=admin).json()["tenantId"]
    link = client.post(
        f"/schools/{school}/invites", json={"email": f"t{id(admin)}@school.test"}, headers=admin
    )
    token = link.json()["inviteUrl"].rsplit("/", 1)[1]
    joined = client.post(
        "/auth/accept-invite", json={"token": token, "name": "T", "password": "long password 1"}
    )
    return {"Authorization": f"Bearer {joined.json()['accessToken']}"}


def test_a_reviewer_corrects_a_document_and_it_completes(
    client: TestClient, auth: dict[str, str], unsure: None
) -> None:
    teacher = teacher_of(client, auth)
    ids = upload(client, teacher)
    job = wait_final(client, teacher, ids["jobId"])
    assert job["status"] == "review"
    steps = [d["step"] for d in job["decisions"]]
    assert steps == ["route", "secondary_ocr", "llm"] or steps == ["route"]
    assert all(d["reason"] for d in job["decisions"])

    queue = client.get("/reviews", headers=auth).json()
    mine = [r for r in queue if r["jobId"] == ids["jobId"]]
    assert len(mine) == 1 and mine[0]["confidence"] == 0.42 and mine[0]["reason"]
    assert [r["createdAt"] for r in queue] == sorted(r["createdAt"] for r in queue)  # oldest first
    # By default the uploader checks their own (and only that); a reviewer sees the school's queue.
    assert [r["jobId"] for r in client.get("/reviews", headers=teacher).json()] == [ids["jobId"]]

    detail = client.get(f"/reviews/{mine[0]['id']}", headers=auth).json()
    assert len(detail["timeblocks"]) > 20  # the draft to start from
    original = client.get(detail["documentUrl"].removeprefix("/api/v1"), headers=auth)
    assert original.status_code == 200 and original.content == PDF.read_bytes()
    assert original.headers["content-type"] == "application/pdf"

    bad = client.post(
        f"/reviews/{mine[0]['id']}",
        json={"timeblocks": [{"name": "Maths", "day": "Funday", "startTime": "09:00", "endTime": "10:00"}]},
        headers=auth,
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_timeblock"
    assert client.get(f"/jobs/{ids['jobId']}", headers=teacher).json()["status"] == "review"

    corrected = [
        {"name": "Forest School", "day": "Monday", "startTime": "09:00", "endTime": "10:30"},
        {"name": "Mathematics", "day": "Tuesday", "startTime": "09:00", "endTime": "10:00", "notes": "Rm 4"},
    ]
    done = client.post(f"/reviews/{mine[0]['id']}", json={"timeblocks": corrected}, headers=auth)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "done" and done.json()["reviewerId"] is not None
    job = client.get(f"/jobs/{ids['jobId']}", headers=teacher).json()
    assert job["status"] == "completed" and job["decisions"][-1]["step"] == "review"
    assert client.get(f"/documents/{ids['documentId']}", headers=teacher).json()["status"] == "processed"
    blocks = client.get(f"/timetables/{job['timetableId']}", headers=teacher).json()["timeblocks"]
    assert [(b["name"], b["day"], b["duration"]) for b in blocks] == [
        ("Forest School", "Monday", 90),
        ("Mathematics", "Tuesday", 60),
    ]
    again = client.post(f"/reviews/{mine[0]['id']}", json={"timeblocks": corrected}, headers=auth)
    assert again.status_code == 409
    assert all(r["jobId"] != ids["jobId"] for r in client.get("/reviews", headers=auth).json())


def test_a_reviewers_corrections_teach_the_schools_vocabulary(
    client: TestClient, auth: dict[str, str]
) -> None:
    import asyncio

    from core.db.scoping import TenantScope
    from core.extraction import stages
    from core.extraction.model import DraftBlock, DraftTimetable, ReadResult
    from core.schools import vocabulary

    school = client.get("/auth/me", headers=auth).json()["tenantId"]
    draft = DraftTimetable(blocks=[DraftBlock("Monday", "09:00", "10:00", "Quidditch Practice")])
    read = ReadResult("pdf_text", "pdf_text", [])
    pm = get_runtime().plugins
    before = stages.score(pm, draft, read, asyncio.run(vocabulary.terms(TenantScope(school))))
    learnt = asyncio.run(
        vocabulary.learn(TenantScope(school), ["Quidditch Practice", " quidditch practice "])
    )
    assert learnt == ["Quidditch Practice"]
    after = stages.score(pm, draft, read, asyncio.run(vocabulary.terms(TenantScope(school))))
    assert after > before
