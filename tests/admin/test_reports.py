"""Usage and cost by school and month, installed plugins, and the audit log's reach."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from litestar.testing import TestClient

from core.db.tables import Document, Job, Review, Tenant, UsageEvent
from tests.admin.conftest import World, post_form, row, rows, run, sign_in, text
from tests.test_plugins import BUILT_INS


async def usage(school: Tenant, kind: str, quantity: int, cost: float, when: dt.datetime) -> None:
    await UsageEvent(
        tenant_id=school.id,
        kind=kind,
        quantity=quantity,
        cost_usd=cost,
        idempotency_key=f"{uuid.uuid4()}:{kind}",
        created_at=when,
    ).save()


async def timed_job(school: Tenant, owner_id: uuid.UUID, seconds: float, finished: dt.datetime) -> Job:
    document = Document(
        tenant_id=school.id,
        user_id=owner_id,
        filename="t.pdf",
        content_type="application/pdf",
        content_hash=uuid.uuid4().hex,
        size=1,
        storage_key=uuid.uuid4().hex,
        pages=1,
    )
    await document.save()
    job = Job(
        tenant_id=school.id,
        document_id=document.id,
        user_id=owner_id,
        status="completed",
        started_at=finished - dt.timedelta(seconds=seconds),
        finished_at=finished,
    )
    await job.save()
    return job


def test_usage_shows_each_month_per_school(client: TestClient, world: World) -> None:
    now = dt.datetime.now(dt.UTC)
    this_month = now.strftime("%Y-%m")
    last = (now.replace(day=1) - dt.timedelta(days=1)).replace(hour=12)
    last_month = last.strftime("%Y-%m")

    async def record() -> None:
        for _ in range(3):
            await usage(world.oak, "document", 1, 0.0, now)
        await usage(world.oak, "ocr_call", 2, 0.003, now)  # one secondary OCR call over 2 pages
        await usage(world.oak, "llm_call", 1, 0.02, now)
        await usage(world.oak, "llm_input_tokens", 5000, 0.0, now)  # not a call
        await usage(world.oak, "document", 1, 0.0, last)
        jobs = [await timed_job(world.oak, world.oak_teacher.id, s, now) for s in (10, 40, 20)]  # 1 page each
        await Review(
            tenant_id=world.oak.id, job_id=jobs[0].id, document_id=jobs[0].document_id, reason="unsure"
        ).save()
        await usage(world.pine, "document", 50, 9.0, now)  # another district's school

    run(record())
    sign_in(client, world.oak_admin)
    page = client.get("/admin/usage")
    assert page.status_code == 200
    # month, documents, pages, OCR calls, LLM calls, cost, reviews, median processing
    assert row(page.text, f'data-month="{this_month}"') == f"{this_month} 3 3 1 1 0.02 1 20.0 s"
    assert row(page.text, f'data-month="{last_month}"') == f"{last_month} 1 0 0 0 0.00 0 —"
    assert len(rows(page.text, "data-month=")) == 12
    assert "<svg" in page.text and "<rect" in page.text  # the charts, inline, no JavaScript
    assert "Pine" not in page.text

    # The district admin sees both district schools; never the other district's.
    sign_in(client, world.district_admin_a)
    page = client.get("/admin/usage").text
    assert f'id="school-{world.oak.id}"' in page and f'id="school-{world.elm.id}"' in page
    assert f'id="school-{world.pine.id}"' not in page
    # A summary row per school for this month: Oak's 3 documents, 1 LLM call, 1 review, $0.02.
    assert row(page, f'data-school="{world.oak.id}"') == "Oak 3 1 1 0.02"
    assert row(page, f'data-school="{world.elm.id}"') == "Elm 0 0 0 0.00"


def test_the_plugins_page_lists_the_built_ins_with_versions_and_hooks(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.oak_admin)
    page = client.get("/admin/plugins")
    assert page.status_code == 200
    for name in BUILT_INS:
        line = row(page.text, f'data-plugin="{name}"')
        assert "0.1.0" in line and "loaded" in line, line
    assert "register_ocr_engines" in row(page.text, 'data-plugin="ocr_tesseract"')
    assert "tesseract" in text(page.text)


def test_the_plugins_page_shows_a_broken_plugin_with_its_error(client: TestClient, world: World) -> None:
    plugins = client.app.state.runtime.plugins
    plugins.broken["ocr_broken"] = "ImportError: No module named 'nonesuch'"
    try:
        sign_in(client, world.platform_admin)
        line = row(client.get("/admin/plugins").text, 'data-plugin="ocr_broken"')
    finally:
        del plugins.broken["ocr_broken"]
    assert "broken: ImportError: No module named 'nonesuch'" in line


def test_platform_admins_see_each_built_in_engines_settings_and_no_secret(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(client, world.oak_admin)  # the values are the platform's: not a school admin's to see
    assert "/settings" not in client.get("/admin/plugins").text
    assert client.get("/admin/plugins/ocr_tesseract/settings", follow_redirects=False).status_code != 200

    sign_in(client, world.platform_admin)
    listing = client.get("/admin/plugins").text
    for plugin in (
        "llm_claude",
        "notify_sendgrid",
        "notify_webpush",
        "ocr_gcv",
        "ocr_rapid",
        "ocr_tesseract",
    ):
        assert row(listing, f'data-plugin="{plugin}"').endswith(" loaded settings")
        assert f'<a href="/admin/plugins/{plugin}/settings">settings</a>' in listing
        assert client.get(f"/admin/plugins/{plugin}/settings").status_code == 200
    monkeypatch.setenv("TIMETABLER_GCV_API_KEY", "AIza-not-for-any-page")
    vision = client.get("/admin/plugins/ocr_gcv/settings").text
    assert "AIza-not-for-any-page" not in vision
    assert (
        "<td>apiKey</td><td>str | None</td><td>None</td><td>set (hidden)</td><td>TIMETABLER_GCV_API_KEY</td>"
        in vision
    )
    assert (
        "<td>allowed</td><td>bool</td><td>True</td><td>True</td><td>TIMETABLER_GCV_ALLOWED</td><td>yes</td>"
        in vision
    )

    monkeypatch.setenv("TIMETABLER_TESSERACT_LANGUAGES", "eng+deu")
    monkeypatch.setenv("TIMETABLER_TESSERACT_TIMEOUT", "soon")
    tesseract = client.get("/admin/plugins/ocr_tesseract/settings").text
    assert '<p class="error" role="alert">TIMETABLER_TESSERACT_TIMEOUT=&#39;soon&#39; is refused' in tesseract
    assert "<td>timeout</td><td>float</td><td>60.0</td><td>60.0</td>" in tesseract  # the defaults, below


def test_the_audit_log_shows_only_what_an_admin_administers(client: TestClient, world: World) -> None:
    sign_in(client, world.district_admin_b)
    assert post_form(client, f"/admin/schools/{world.pine.id}", {"retentionDays": "90"}).status_code == 303
    sign_in(client, world.district_admin_a)
    assert post_form(client, f"/admin/schools/{world.elm.id}", {"retentionDays": "60"}).status_code == 303
    assert (
        post_form(client, f"/admin/districts/{world.district_a.id}", {"llmThreshold": "0.7"}).status_code
        == 303
    )

    page = client.get("/admin/audit").text
    entries = rows(page, "data-action=")
    assert any("Elm" in e and "retentionDays : — → 60" in e for e in entries)
    assert any("Maple District" in e and "llmThreshold : — → 0.7" in e for e in entries)
    assert not any("Pine" in e or "→ 90" in e for e in entries)

    sign_in(client, world.oak_admin)  # Oak's admin sees neither Elm's change nor the district's
    entries = rows(client.get("/admin/audit").text, "data-action=")
    assert not any("Elm" in e or "Maple" in e for e in entries)

    sign_in(client, world.platform_admin)
    entries = rows(client.get("/admin/audit").text, "data-action=")
    assert any("Pine" in e for e in entries) and any("Elm" in e for e in entries)
