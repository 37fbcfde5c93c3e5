"""The console's staff page (invite, list, change a role, remove; the school keeps a school admin),
and creating districts and schools (platform admins; district admins in their own district)."""

from __future__ import annotations

import re

from litestar.testing import TestClient

from core.db.tables import District, Tenant, User
from tests.admin.conftest import World, csrf_of, post_form, row, run, sign_in, text


def link_on(page: str) -> str:
    match = re.search(r'id="invite-link" type="text" readonly value="([^"]+)"', page)
    assert match, "no invite link on the page"
    return match.group(1)


def test_a_school_admin_invites_changes_a_role_and_removes_a_person(client: TestClient, world: World) -> None:
    sign_in(client, world.oak_admin)
    path = f"/admin/schools/{world.oak.id}/staff"
    made = post_form(client, path, {"email": "Nia@Oak.test", "role": "reviewer"}, action=f"{path}/invite")
    assert made.status_code == 200, made.text
    assert "No email was sent" in text(made.text)
    link = link_on(made.text)
    assert row(made.text, 'data-invite="nia@oak.test"').startswith("nia@oak.test Reviewer")

    # The link works: Nia joins (through the API, as the app does).
    token = link.rsplit("/", 1)[1]
    joined = client.post(
        "/api/v1/auth/accept-invite",
        json={"token": token, "name": "Nia Reviewer", "password": "long enough pass 1"},
    )
    assert joined.status_code == 201, joined.text
    page = client.get(path).text
    assert "Nia Reviewer" in row(page, 'data-person="nia@oak.test"')
    assert 'data-invite="nia@oak.test"' not in page  # no longer waiting

    nia = run(User.objects().where(User.email == "nia@oak.test").first())
    changed = post_form(client, path, {"role": "school_admin"}, action=f"{path}/{nia.id}/role")
    assert "Nia Reviewer is now School admin." in text(changed.text)
    assert run(User.select(User.role).where(User.id == nia.id).first())["role"] == "school_admin"

    # Removing asks first, then the person is gone.
    confirm = client.get(f"{path}/{nia.id}/remove")
    assert "Remove Nia Reviewer?" in text(confirm.text)
    removed = client.post(f"{path}/{nia.id}/remove", data={"csrf_token": csrf_of(confirm)})
    assert "Nia Reviewer was removed from Oak." in text(removed.text)
    assert run(User.exists().where(User.id == nia.id)) is False


def test_the_last_school_admin_is_kept_in_plain_words(client: TestClient, world: World) -> None:
    sign_in(client, world.oak_admin)
    path = f"/admin/schools/{world.oak.id}/staff"
    admin = world.oak_admin
    refused = post_form(client, path, {"role": "teacher"}, action=f"{path}/{admin.id}/role")
    assert refused.status_code == 400
    assert "is the school's only school admin" in text(refused.text)
    assert "make someone else school admin first" in text(refused.text)
    confirm = client.get(f"{path}/{admin.id}/remove")
    kept = client.post(f"{path}/{admin.id}/remove", data={"csrf_token": csrf_of(confirm)})
    assert "only school admin" in text(kept.text)
    assert run(User.exists().where(User.id == admin.id))


def test_a_bad_invite_keeps_what_was_typed_and_says_why(client: TestClient, world: World) -> None:
    sign_in(client, world.oak_admin)
    path = f"/admin/schools/{world.oak.id}/staff"
    bad = post_form(client, path, {"email": "not-an-email", "role": "teacher"}, action=f"{path}/invite")
    assert bad.status_code == 400
    assert "Enter a valid email address" in text(bad.text)
    assert 'value="not-an-email"' in bad.text
    taken = post_form(client, path, {"email": world.oak_teacher.email}, action=f"{path}/invite")
    assert "already has an account" in text(taken.text)


def test_cancelling_an_invite_and_other_schools_are_out_of_reach(client: TestClient, world: World) -> None:
    sign_in(client, world.oak_admin)
    path = f"/admin/schools/{world.oak.id}/staff"
    made = post_form(client, path, {"email": "zed@oak.test"}, action=f"{path}/invite")
    invite_id = re.search(r"/invites/([0-9a-f-]{36})/cancel", made.text).group(1)
    done = post_form(client, path, {}, action=f"{path}/invites/{invite_id}/cancel")
    assert "its link no longer works" in text(done.text)
    assert 'data-invite="zed@oak.test"' not in done.text

    pine = f"/admin/schools/{world.pine.id}/staff"
    assert client.get(pine).status_code == 404
    sneaky = post_form(client, path, {"email": "spy@pine.test"}, action=f"{pine}/invite")
    assert sneaky.status_code == 404
    assert client.get(f"{pine}/{world.oak_teacher.id}/remove").status_code == 404


def test_a_platform_admin_creates_a_district_and_a_school_in_it(client: TestClient, world: World) -> None:
    sign_in(client, world.platform_admin)
    # The dashboard's title names the page, and its forms are drawn once, in the page.
    dashboard = client.get("/admin/").text
    assert re.search(r"<title>Schools · [^<]*</title>", dashboard), dashboard[:400]
    assert dashboard.count("Create the district") == 1
    empty = post_form(client, "/admin/", {"name": "   "}, action="/admin/districts")
    assert empty.status_code == 400 and "Give the district a name." in text(empty.text)

    made = post_form(client, "/admin/", {"name": "Cedar District"}, action="/admin/districts")
    assert made.status_code == 303
    district_page = made.headers["location"]
    district = run(District.objects().where(District.name == "Cedar District").first())
    assert district_page == f"/admin/districts/{district.id}?created=1"
    assert "Cedar District was created" in text(client.get(district_page).text)

    school = post_form(
        client, "/admin/", {"name": "Willow", "district_id": str(district.id)}, action="/admin/schools"
    )
    assert school.status_code == 303
    willow = run(Tenant.objects().where(Tenant.name == "Willow").first())
    assert willow.district_id == district.id
    # Next: the new school's staff page, to invite its school admin.
    assert school.headers["location"] == f"/admin/schools/{willow.id}/staff?created=1"
    assert "Invite its school admin" in text(client.get(school.headers["location"]).text)


def test_a_district_admin_adds_schools_to_their_own_district_only(client: TestClient, world: World) -> None:
    sign_in(client, world.district_admin_a)
    page = f"/admin/districts/{world.district_a.id}"
    # Asking for another district still puts the school in their own.
    made = post_form(
        client, page, {"name": "Hazel", "district_id": str(world.district_b.id)}, action="/admin/schools"
    )
    assert made.status_code == 303
    hazel = run(Tenant.objects().where(Tenant.name == "Hazel").first())
    assert hazel.district_id == world.district_a.id
    blank = post_form(
        client,
        page,
        {"name": "", "district_id": str(world.district_a.id), "back": "district"},
        action="/admin/schools",
    )
    assert blank.status_code == 400 and "Give the school a name." in text(blank.text)
    assert "Add a school to Maple District" in text(blank.text)
    # District admins create no districts; school admins create nothing.
    assert post_form(client, page, {"name": "Mine"}, action="/admin/districts").status_code == 403
    sign_in(client, world.oak_admin)
    assert post_form(client, "/admin/", {"name": "Rogue"}, action="/admin/schools").status_code == 403
    assert run(Tenant.exists().where(Tenant.name == "Rogue")) is False
