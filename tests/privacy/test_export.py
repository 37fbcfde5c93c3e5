"""GET /me/export: a person's own data as one JSON document, and nothing of anyone else's."""

from __future__ import annotations

from tests.privacy.conftest import PUBLIC_URL
from tests.privacy.test_erase import unique, use_everything
from tests.support.accounts import invite, register
from tests.support.stacks import Stack


def test_export_holds_everything_of_mine_and_nothing_of_others(stack: Stack) -> None:
    head = register(stack, name=unique("Head"))
    teacher = invite(head, name=unique("Exporting Teacher"))
    colleague = invite(head, name=unique("Colleague"))
    mine = use_everything(teacher)
    theirs = use_everything(colleague)
    school = head.user["tenantId"]
    assert (
        head.client.put(
            f"/schools/{school}/users/{teacher.user['id']}/role", json={"role": "reviewer"}
        ).status_code
        == 200
    )

    response = teacher.client.get("/me/export")
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["profile"]["email"] == teacher.email and data["profile"]["role"] == "reviewer"
    assert [d["id"] for d in data["documents"]] == [mine["document"]]
    link = data["documents"][0]["downloadUrl"]
    assert link == f"{PUBLIC_URL}/api/v1/documents/{mine['document']}/file"
    assert teacher.client.get(link.removeprefix(PUBLIC_URL + "/api/v1")).status_code == 200
    timetable = teacher.client.get(f"/timetables/{mine['timetable']}").json()
    exported = next(t for t in data["timetables"] if t["id"] == mine["timetable"])
    assert [(b["day"], b["startTime"], b["name"]) for b in exported["timeblocks"]] == [
        (b["day"], b["startTime"], b["name"]) for b in timetable["timeblocks"]
    ]
    assert [(j["id"], j["status"]) for j in data["jobs"]] == [(mine["job"], "completed")]
    prefs = data["preferences"]
    assert prefs["notifications"] == {"email": False, "push": True, "inApp": True}
    assert [p["endpoint"] for p in prefs["pushSubscriptions"]] == [mine["endpoint"]]
    assert prefs["calendarFeed"]["active"] is True
    role_change = [a for a in data["audit"] if a["action"] == "set_role"]
    assert role_change and role_change[0]["after"]["role"] == "reviewer" and not role_change[0]["byYou"]

    text = response.text
    for value in (*theirs.values(), colleague.email, colleague.user["name"]):
        assert value not in text
    # The export itself is in the school's audit log.
    log = head.client.get(f"/schools/{school}/audit").json()
    assert any(e["action"] == "export_data" and e["actorEmail"] == teacher.email for e in log)
