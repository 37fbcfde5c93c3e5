"""Districts and schools side by side: settings with defaults and overrides, roles, and routing by
each school's own thresholds."""

from __future__ import annotations

import pytest

from tests.conftest import DOCUMENTS
from tests.support.accounts import Account, DistrictSetup

PNG = DOCUMENTS / "000_days_cols_png.png"


def settings_of(account: Account, school_id: str) -> dict:
    response = account.client.get(f"/schools/{school_id}/settings")
    assert response.status_code == 200, response.text
    return response.json()


def test_effective_settings_say_where_each_value_comes_from(
    districts: tuple[DistrictSetup, DistrictSetup],
) -> None:
    north, _ = districts
    assert (
        north.admin.client.put(f"/districts/{north.id}/settings", json={"retentionDays": 200}).status_code
        == 200
    )
    school = north.school
    assert (
        school.admin.client.put(
            f"/schools/{school.id}/settings", json={"primaryColor": "#004400"}
        ).status_code
        == 200
    )
    body = settings_of(school.admin, school.id)
    assert body["settings"]["retentionDays"] == 200 and body["sources"]["retentionDays"] == "district"
    assert body["settings"]["primaryColor"] == "#004400" and body["sources"]["primaryColor"] == "school"
    assert body["settings"]["acceptThreshold"] == 0.98 and body["sources"]["acceptThreshold"] == "default"
    # null removes the school's override: the district's value shows through again
    assert (
        school.admin.client.put(f"/schools/{school.id}/settings", json={"primaryColor": None}).status_code
        == 200
    )
    assert settings_of(school.admin, school.id)["sources"]["primaryColor"] == "default"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"acceptThreshold": 0.85, "llmThreshold": 0.9}, "thresholds must rise"),
        ({"ocrEngine": "no_such_engine"}, "is not installed"),
        ({"monthlySpendCapUsd": -5}, "cannot be negative"),
        ({"acceptThreshhold": 0.9}, "Unknown setting"),
        ({"acceptThreshold": "high"}, "Accept threshold must be a number between 0 and 1"),
        ({"llmThreshold": "0.5x"}, "LLM threshold must be a number between 0 and 1"),
        ({"checkedBy": "nobody"}, "uploader, reviewers or both"),
    ],
)
def test_invalid_settings_are_refused_nothing_changes_and_the_refusal_is_audited(
    districts: tuple[DistrictSetup, DistrictSetup], change: dict, words: str
) -> None:
    school = districts[1].school
    before = settings_of(school.admin, school.id)
    response = school.admin.client.put(f"/schools/{school.id}/settings", json=change)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_settings" and words in response.json()["message"]
    assert settings_of(school.admin, school.id) == before
    latest = school.admin.client.get(f"/schools/{school.id}/audit").json()[0]
    assert (latest["action"], latest["outcome"]) == ("school_settings", "refused")


def test_a_district_default_that_would_break_a_school_is_refused(
    districts: tuple[DistrictSetup, DistrictSetup],
) -> None:
    north = districts[0]
    assert (
        north.school.admin.client.put(
            f"/schools/{north.school.id}/settings", json={"acceptThreshold": 0.91}
        ).status_code
        == 200
    )
    response = north.admin.client.put(f"/districts/{north.id}/settings", json={"secondaryOcrThreshold": 0.95})
    assert response.status_code == 400
    assert "North High" in response.json()["message"]
    north.school.admin.client.put(f"/schools/{north.school.id}/settings", json={"acceptThreshold": None})


def test_each_school_routes_by_its_own_thresholds(districts: tuple[DistrictSetup, DistrictSetup]) -> None:
    north, south = districts
    # North accepts anything; South wants certainty and sends the rest to review.
    assert (
        north.admin.client.put(
            f"/schools/{north.school.id}/settings",
            json={"acceptThreshold": 0.0, "secondaryOcrThreshold": 0.0, "llmThreshold": 0.0},
        ).status_code
        == 200
    )
    strict = {"acceptThreshold": 1.0, "secondaryOcrThreshold": 0.9999, "llmThreshold": 0.9999}
    assert south.admin.client.put(f"/districts/{south.id}/settings", json=strict).status_code == 200
    results = {}
    for name, setup in (("north", north), ("south", south)):
        job_id = setup.school.teacher.upload(PNG).json()["jobId"]
        results[name] = setup.school.teacher.wait_for_job(job_id)
    assert (results["north"]["status"], results["north"]["route"]) == ("completed", "accept")
    assert (results["south"]["status"], results["south"]["route"]) == ("review", "review")
    assert results["north"]["confidence"] == results["south"]["confidence"]  # same reading, different bar


def test_roles_are_enforced_and_a_teacher_cannot_raise_their_own_role(
    districts: tuple[DistrictSetup, DistrictSetup],
) -> None:
    school = districts[0].school
    teacher = school.teacher
    assert teacher.client.get(f"/schools/{school.id}/settings").status_code == 403
    assert (
        teacher.client.put(f"/schools/{school.id}/settings", json={"acceptThreshold": 0.5}).status_code == 403
    )
    assert teacher.client.post("/districts", json={"name": "Mine"}).status_code == 403
    raise_self = teacher.client.put(
        f"/schools/{school.id}/users/{teacher.user['id']}/role", json={"role": "school_admin"}
    )
    assert raise_self.status_code == 403
    assert teacher.client.get("/auth/me").json()["role"] == "teacher"
    refused = [
        e for e in school.admin.client.get(f"/schools/{school.id}/audit").json() if e["action"] == "set_role"
    ]
    assert refused and refused[0]["outcome"] == "refused" and refused[0]["actorEmail"] == teacher.email
    # A school admin cannot make anyone a district admin either.
    promote = school.admin.client.put(
        f"/schools/{school.id}/users/{teacher.user['id']}/role", json={"role": "district_admin"}
    )
    assert promote.status_code == 400
    # But may make a teacher a reviewer, and that is audited with old -> new.
    done = school.admin.client.put(
        f"/schools/{school.id}/users/{teacher.user['id']}/role", json={"role": "reviewer"}
    )
    assert done.status_code == 200 and teacher.client.get("/auth/me").json()["role"] == "reviewer"
    entry = school.admin.client.get(f"/schools/{school.id}/audit").json()[0]
    assert (entry["before"]["role"], entry["after"]["role"]) == ("teacher", "reviewer")
    school.admin.client.put(f"/schools/{school.id}/users/{teacher.user['id']}/role", json={"role": "teacher"})


def test_invites_are_single_use(districts: tuple[DistrictSetup, DistrictSetup]) -> None:
    school = districts[1].school
    link = school.admin.client.post(
        f"/schools/{school.id}/invites", json={"email": "once@school.test"}
    ).json()
    token = link["inviteUrl"].rsplit("/", 1)[1]
    body = {"token": token, "name": "Once", "password": "long enough password"}
    with school.admin.stack.client() as client:
        assert client.post("/auth/accept-invite", json=body).status_code == 201
        again = client.post("/auth/accept-invite", json=body)
        forged = client.post("/auth/accept-invite", json={**body, "token": token[:-2] + "xx"})
    assert again.status_code == 409 and again.json()["code"] == "invite_used"
    assert forged.status_code == 404 and forged.json()["code"] == "invite_not_found"
