"""A school's staff through the API: invite (the link is returned, and says whether an email went),
pending invites, cancelling one, changing roles and removing people; the school keeps a school admin."""

from __future__ import annotations

import uuid

from tests.support.accounts import Account, invite, platform_admin, register
from tests.support.stacks import Stack


def test_an_invite_answers_its_link_and_whether_it_was_emailed(stack: Stack) -> None:
    admin = register(stack)
    school = admin.user["tenantId"]
    email = f"{uuid.uuid4().hex[:8]}@school.test"
    made = admin.client.post(f"/schools/{school}/invites", json={"email": email, "role": "reviewer"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["inviteUrl"] and body["role"] == "reviewer"
    # No email service is set up on the embedded defaults: the admin is told so (and shares the link).
    assert body["emailStatus"] and body["emailStatus"] != "sent"

    pending = admin.client.get(f"/schools/{school}/invites", params={"pending": "true"}).json()
    assert [i["email"] for i in pending] == [email]

    bad = admin.client.post(f"/schools/{school}/invites", json={"email": "x@y.z", "role": "principal"})
    assert bad.status_code == 400 and "teacher, reviewer, school admin" in bad.json()["message"]


def test_a_cancelled_invite_no_longer_works(stack: Stack) -> None:
    admin = register(stack)
    school = admin.user["tenantId"]
    made = admin.client.post(
        f"/schools/{school}/invites", json={"email": f"{uuid.uuid4().hex[:8]}@school.test"}
    ).json()
    token = made["inviteUrl"].rsplit("/", 1)[1]
    assert admin.client.delete(f"/schools/{school}/invites/{made['id']}").status_code == 204
    assert admin.client.get(f"/schools/{school}/invites", params={"pending": "true"}).json() == []
    with stack.client() as anon:
        joined = anon.post(
            "/auth/accept-invite", json={"token": token, "name": "Late", "password": "another long password"}
        )
    assert joined.status_code == 404, joined.text
    # Another school's admin cannot cancel this school's invites.
    other = register(stack)
    again = admin.client.post(
        f"/schools/{school}/invites", json={"email": f"{uuid.uuid4().hex[:8]}@school.test"}
    ).json()
    assert other.client.delete(f"/schools/{school}/invites/{again['id']}").status_code == 404


def test_the_last_school_admin_keeps_the_role_and_cannot_be_removed(stack: Stack) -> None:
    admin = register(stack)
    school = admin.user["tenantId"]
    # Demoting oneself as the only school admin would leave the school with nobody to run it.
    refused = admin.client.put(f"/schools/{school}/users/{admin.user['id']}/role", json={"role": "teacher"})
    assert refused.status_code == 409 and refused.json()["code"] == "last_admin", refused.text
    assert "make someone else school admin first" in refused.json()["message"]
    gone = admin.client.delete(f"/users/{admin.user['id']}")
    assert gone.status_code == 409 and gone.json()["code"] == "last_admin"

    colleague: Account = invite(admin, role="teacher", name="Cleo Colleague")
    promoted = admin.client.put(
        f"/schools/{school}/users/{colleague.user['id']}/role", json={"role": "school_admin"}
    )
    assert promoted.status_code == 200 and promoted.json()["role"] == "school_admin"
    # With a second school admin, the first may step down.
    stepped = admin.client.put(f"/schools/{school}/users/{admin.user['id']}/role", json={"role": "teacher"})
    assert stepped.status_code == 200, stepped.text
    people = {u["email"]: u["role"] for u in colleague.client.get(f"/schools/{school}/users").json()}
    assert people[admin.email] == "teacher" and people[colleague.email] == "school_admin"

    # The colleague removes the first admin: the account is gone and cannot sign in.
    assert colleague.client.delete(f"/users/{admin.user['id']}").status_code == 204
    emails = [u["email"] for u in colleague.client.get(f"/schools/{school}/users").json()]
    assert emails == [colleague.email]
    with stack.client() as anon:
        login = anon.post("/auth/login", json={"email": admin.email, "password": admin.password})
    assert login.status_code == 401


def test_a_district_or_school_needs_a_name(stack: Stack) -> None:
    root = platform_admin(stack)
    blank = root.client.post("/districts", json={"name": "   "})
    assert blank.status_code == 400 and blank.json()["message"] == "Give the district a name."
    too_long = root.client.post("/schools", json={"name": "x" * 201})
    assert too_long.status_code == 400 and "under 200 characters" in too_long.json()["message"]
    district = root.client.post("/districts", json={"name": "  Ash   Valley "})
    assert district.status_code == 201 and district.json()["name"] == "Ash Valley"
    school = root.client.post("/schools", json={"name": "Rowan", "districtId": district.json()["id"]})
    assert school.status_code == 201 and school.json()["districtId"] == district.json()["id"]
