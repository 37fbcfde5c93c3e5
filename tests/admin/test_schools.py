"""Which schools each admin sees, and editing settings through the console's forms."""

from __future__ import annotations

import re

from litestar.testing import TestClient

from core.db.tables import District, Tenant
from core.schools.service import as_dict
from tests.admin.conftest import World, post_form, row, rows, run, sign_in, text


def school_settings_in_db(school: Tenant) -> dict:
    fresh = run(Tenant.objects().where(Tenant.id == school.id).first())
    return as_dict(fresh.settings)


def test_a_school_admin_sees_their_school_and_no_other(client: TestClient, world: World) -> None:
    sign_in(client, world.oak_admin)
    dashboard = client.get("/admin/")
    assert f"/admin/schools/{world.oak.id}" in dashboard.text
    assert f"/admin/schools/{world.elm.id}" not in dashboard.text
    for other in (world.elm, world.pine):
        response = client.get(f"/admin/schools/{other.id}")
        assert response.status_code == 404
        assert other.name not in text(response.text)
        assert client.get(f"/admin/schools/{other.id}/simulate").status_code == 404
    # District pages are for district and platform admins.
    assert client.get(f"/admin/districts/{world.district_a.id}").status_code == 403


def test_a_district_admin_sees_the_districts_schools_and_gets_404_for_another_district(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.district_admin_a)
    dashboard = client.get("/admin/")
    assert f"/admin/schools/{world.oak.id}" in dashboard.text
    assert f"/admin/schools/{world.elm.id}" in dashboard.text
    assert f"/admin/schools/{world.pine.id}" not in dashboard.text
    assert client.get(f"/admin/schools/{world.oak.id}").status_code == 200
    assert client.get(f"/admin/districts/{world.district_a.id}").status_code == 200
    for path in (
        f"/admin/schools/{world.pine.id}",
        f"/admin/schools/{world.pine.id}/simulate",
        f"/admin/districts/{world.district_b.id}",
        f"/admin/districts/{world.district_b.id}/simulate",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Pine" not in response.text and "Birch" not in response.text
    # Nor can they write to another district's school, even with a valid CSRF token.
    response = post_form(
        client, "/admin/", {"acceptThreshold": "0.5"}, action=f"/admin/schools/{world.pine.id}"
    )
    assert response.status_code == 404
    assert school_settings_in_db(world.pine) == {}


def test_a_platform_admin_sees_every_school_and_district(client: TestClient, world: World) -> None:
    sign_in(client, world.platform_admin)
    dashboard = client.get("/admin/")
    for school in (world.oak, world.elm, world.pine):
        assert f"/admin/schools/{school.id}" in dashboard.text
    for district in (world.district_a, world.district_b):
        assert f"/admin/districts/{district.id}" in dashboard.text


def test_settings_show_where_each_value_comes_from(client: TestClient, world: World) -> None:
    run(District.update({District.settings: {"llmThreshold": 0.7}}).where(District.id == world.district_a.id))
    run(Tenant.update({Tenant.settings: {"acceptThreshold": 0.97}}).where(Tenant.id == world.oak.id))
    sign_in(client, world.oak_admin)
    page = client.get(f"/admin/schools/{world.oak.id}").text
    assert row(page, 'data-setting="acceptThreshold"') == "Accept at or above 0.97 school"
    assert row(page, 'data-setting="llmThreshold"') == "LLM at or above (below: human review) 0.7 district"
    assert row(page, 'data-setting="secondaryOcrThreshold"') == "Secondary OCR at or above 0.9 default"


def test_an_admin_edits_settings_and_a_bad_threshold_order_is_refused_with_nothing_saved(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.oak_admin)
    path = f"/admin/schools/{world.oak.id}"
    saved = post_form(client, path, {"acceptThreshold": "0.95", "displayName": "Oak Academy"})
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{path}?saved=1"
    assert school_settings_in_db(world.oak) == {"acceptThreshold": 0.95, "displayName": "Oak Academy"}
    after = client.get(saved.headers["location"])
    assert "Saved." in after.text
    assert "Oak Academy" in after.text  # the page wears the new display name

    refused = post_form(
        client,
        path,
        {"acceptThreshold": "0.95", "secondaryOcrThreshold": "0.85", "llmThreshold": "0.9"},
    )
    assert refused.status_code == 400
    message = text(refused.text)
    assert "Not saved." in message and "thresholds must rise" in message
    # The form keeps what was typed so it can be corrected.
    assert 'name="llmThreshold" value="0.9"' in refused.text
    assert school_settings_in_db(world.oak) == {"acceptThreshold": 0.95, "displayName": "Oak Academy"}

    # A value that is not a number is refused the same way.
    bad = post_form(client, path, {"acceptThreshold": "high"})
    assert bad.status_code == 400
    assert "Accept threshold must be a number between 0 and 1, like 0.95." in text(bad.text)
    assert "Expected" not in text(bad.text) and "$." not in text(bad.text)

    audit = client.get("/admin/audit").text
    ok = row(audit, 'data-outcome="ok"')
    assert "acceptThreshold : — → 0.95" in ok and world.oak_admin.email in ok
    refusals = rows(audit, 'data-outcome="refused"')
    assert len(refusals) == 2
    assert "Accept threshold must be a number" in refusals[0]  # newest first
    assert "thresholds must rise" in refusals[1] and "llmThreshold : — → 0.9" in refusals[1]


def test_clearing_a_field_returns_to_the_inherited_value(client: TestClient, world: World) -> None:
    run(Tenant.update({Tenant.settings: {"retentionDays": 30}}).where(Tenant.id == world.oak.id))
    sign_in(client, world.oak_admin)
    path = f"/admin/schools/{world.oak.id}"
    assert 'name="retentionDays" value="30"' in client.get(path).text
    assert post_form(client, path, {"retentionDays": ""}).status_code == 303
    assert school_settings_in_db(world.oak) == {}


def test_who_checks_an_unsure_timetable_is_a_choice_and_old_settings_read(
    client: TestClient, world: World
) -> None:
    # Saved before `checkedBy` existed: true let teachers check their own beside the reviewers.
    run(Tenant.update({Tenant.settings: {"teachersReviewOwn": True}}).where(Tenant.id == world.oak.id))
    sign_in(client, world.oak_admin)
    path = f"/admin/schools/{world.oak.id}"
    form = client.get(path).text
    choice = re.search(r'<select id="f-checkedBy" name="checkedBy">(.*?)</select>', form, re.S)
    assert choice, "checkedBy is a choice, not a text box"
    assert re.findall(r'<option value="([^"]*)"', choice.group(1)) == ["", "uploader", "reviewers", "both"]
    assert '<option value="both" selected>' in choice.group(1)
    assert post_form(client, path, {"checkedBy": "reviewers"}).status_code == 303
    assert school_settings_in_db(world.oak) == {"checkedBy": "reviewers"}  # the old name is gone
    refused = post_form(client, path, {"checkedBy": "the cat"})
    assert refused.status_code == 400 and "uploader, reviewers or both" in text(refused.text)


def test_a_district_admin_sets_district_defaults_and_sees_refusals(client: TestClient, world: World) -> None:
    sign_in(client, world.district_admin_a)
    path = f"/admin/districts/{world.district_a.id}"
    page = client.get(path).text
    assert "Oak" in page and "Elm" in page
    assert post_form(client, path, {"secondaryOcrThreshold": "0.93"}).status_code == 303
    district = run(District.objects().where(District.id == world.district_a.id).first())
    assert as_dict(district.settings) == {"secondaryOcrThreshold": 0.93}
    refused = post_form(client, path, {"monthlySpendCapUsd": "-5"})
    assert refused.status_code == 400
    assert "spend cap cannot be negative" in text(refused.text)
    district = run(District.objects().where(District.id == world.district_a.id).first())
    assert as_dict(district.settings) == {"secondaryOcrThreshold": 0.93}
    # The school page now shows the district's value as its source.
    school_page = client.get(f"/admin/schools/{world.oak.id}").text
    assert row(school_page, 'data-setting="secondaryOcrThreshold"').endswith("0.93 district")


def test_an_uninstalled_engine_is_refused(client: TestClient, world: World) -> None:
    sign_in(client, world.oak_admin)
    response = post_form(client, f"/admin/schools/{world.oak.id}", {"ocrEngine": "nonesuch"})
    assert response.status_code == 400
    assert "is not installed" in text(response.text)
    assert school_settings_in_db(world.oak) == {}


def test_a_settings_post_without_the_csrf_token_is_refused(client: TestClient, world: World) -> None:
    sign_in(client, world.oak_admin)
    path = f"/admin/schools/{world.oak.id}"
    for data in ({"acceptThreshold": "0.5"}, {"acceptThreshold": "0.5", "csrf_token": "forged"}):
        response = client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403
        assert "Reload the page" in text(response.text)
    assert school_settings_in_db(world.oak) == {}


def test_another_sessions_csrf_token_does_not_work(client: TestClient, world: World) -> None:
    sign_in(client, world.district_admin_a)
    elm_page = client.get(f"/admin/schools/{world.elm.id}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', elm_page.text).group(1)
    sign_in(client, world.oak_admin)
    response = client.post(
        f"/admin/schools/{world.oak.id}",
        data={"acceptThreshold": "0.5", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 403


def test_an_unknown_console_page_is_a_page_not_json(client: TestClient, world: World) -> None:
    client.cookies.clear()
    assert client.get("/admin/no-such-page", follow_redirects=False).status_code == 303
    sign_in(client, world.oak_admin)
    response = client.get("/admin/no-such-page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "no such page" in text(response.text)
