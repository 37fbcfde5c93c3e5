"""The what-if simulator replays recorded confidences through proposed thresholds."""

from __future__ import annotations

import json

from litestar.testing import TestClient

from core.db.tables import District, Job, StageResult, Tenant
from core.schools.service import as_dict
from tenants.pricing import CLAUDE_PER_DOCUMENT_USD, GOOGLE_VISION_PER_PAGE_USD
from tests.admin.conftest import World, post_form, record_jobs, row, run, sign_in, text

# Under the defaults (0.98 / 0.90 / 0.80): 3 accept, 3 secondary OCR, 2 LLM, 2 review.
CONFIDENCES = [0.99, 0.99, 0.99, 0.97, 0.95, 0.92, 0.85, 0.82, 0.70, 0.50]
# A second OCR engine and an LLM set up (both installed here): every step of the ladder can run.
ENGINES = {"secondaryOcrEngine": "gcv", "llmEngine": "claude"}


def set_up_engines(school: Tenant) -> None:
    run(Tenant.update({Tenant.settings: ENGINES}).where(Tenant.id == school.id))


def test_the_simulator_shows_shares_and_monthly_cost_now_and_proposed(
    client: TestClient, world: World
) -> None:
    run(record_jobs(world.oak, world.oak_teacher, CONFIDENCES, pages=2))
    # A failed job and another school's jobs are not replayed.
    run(record_jobs(world.oak, world.oak_teacher, [0.1], status="failed"))
    run(record_jobs(world.elm, world.oak_teacher, [0.1, 0.1]))
    set_up_engines(world.oak)
    sign_in(client, world.oak_admin)
    page = client.get(
        f"/admin/schools/{world.oak.id}/simulate",
        params={
            "acceptThreshold": "0.96",
            "secondaryOcrThreshold": "0.90",
            "llmThreshold": "0.60",
            "per_month": "100",
        },
    )
    assert page.status_code == 200, page.text
    body = page.text
    assert row(body, 'data-route="accept"') == "Accept 3 30.0% 4 40.0%"
    assert row(body, 'data-route="secondary_ocr"') == "Secondary OCR 3 30.0% 2 20.0%"
    assert row(body, 'data-route="llm"') == "LLM 2 20.0% 3 30.0%"
    assert row(body, 'data-route="review"') == "Human review 2 20.0% 1 10.0%"
    # 100 documents a month of 2 pages; secondary OCR priced per page, the LLM per document.
    now = 30 * 2 * GOOGLE_VISION_PER_PAGE_USD + 20 * CLAUDE_PER_DOCUMENT_USD
    proposed = 20 * 2 * GOOGLE_VISION_PER_PAGE_USD + 30 * CLAUDE_PER_DOCUMENT_USD
    assert f"Now ${now:.2f} a month; proposed ${proposed:.2f} a month." in text(body)
    assert "gcv" in body and "claude" in body  # the engines priced, named in the cost table


def test_the_default_month_is_the_last_30_days(client: TestClient, world: World) -> None:
    run(record_jobs(world.oak, world.oak_teacher, CONFIDENCES))
    set_up_engines(world.oak)
    sign_in(client, world.oak_admin)
    page = client.get(f"/admin/schools/{world.oak.id}/simulate").text
    assert "projects a month of 10 documents" in text(page)
    # Proposed defaults to the thresholds in force: the two columns agree.
    assert row(page, 'data-route="llm"') == "LLM 2 20.0% 2 20.0%"
    assert 'id="engines-note"' not in page  # everything is set up: nothing to explain


def test_a_school_without_a_second_engine_or_an_llm_sends_the_rest_to_review(
    client: TestClient, world: World
) -> None:
    """Out of the box a school has neither: the "Now" column must not route (or bill) documents to them."""
    run(record_jobs(world.oak, world.oak_teacher, CONFIDENCES, pages=2))
    sign_in(client, world.oak_admin)
    page = client.get(
        f"/admin/schools/{world.oak.id}/simulate", params={"llmThreshold": "0.60", "per_month": "100"}
    ).text
    assert row(page, 'data-route="accept"') == "Accept 3 30.0% 3 30.0%"
    assert row(page, 'data-route="secondary_ocr"') == "Secondary OCR 0 0.0% 0 0.0%"
    assert row(page, 'data-route="llm"') == "LLM 0 0.0% 0 0.0%"
    assert row(page, 'data-route="review"') == "Human review 7 70.0% 7 70.0%"
    assert "Now $0.00 a month; proposed $0.00 a month." in text(page)  # Tesseract only; review unbilled
    assert "gcv" not in page and "claude" not in page
    assert "Oak has no second OCR engine and no LLM set up" in text(page)
    # With only an LLM, a second reading is passed over: on to the LLM.
    run(Tenant.update({Tenant.settings: {"llmEngine": "claude"}}).where(Tenant.id == world.oak.id))
    page = client.get(f"/admin/schools/{world.oak.id}/simulate").text
    assert row(page, 'data-route="llm"') == "LLM 5 50.0% 5 50.0%"
    assert "documents for a second reading go on to the LLM" in text(page)


def test_thresholds_that_make_no_sense_are_explained_not_simulated(client: TestClient, world: World) -> None:
    run(record_jobs(world.oak, world.oak_teacher, CONFIDENCES))
    sign_in(client, world.oak_admin)
    page = client.get(
        f"/admin/schools/{world.oak.id}/simulate",
        params={"acceptThreshold": "0.9", "secondaryOcrThreshold": "0.95", "llmThreshold": "0.8"},
    )
    assert page.status_code == 400
    assert "thresholds must rise" in text(page.text)
    assert "Save these thresholds" not in page.text


def test_save_these_thresholds_goes_through_the_settings_service(client: TestClient, world: World) -> None:
    run(record_jobs(world.oak, world.oak_teacher, CONFIDENCES))
    sign_in(client, world.oak_admin)
    path = f"/admin/schools/{world.oak.id}/simulate"
    proposal = {"acceptThreshold": "0.96", "secondaryOcrThreshold": "0.9", "llmThreshold": "0.6"}
    page = client.get(path, params=proposal)
    assert 'value="0.96"' in page.text and "Save these thresholds" in page.text
    saved = post_form(
        client,
        f"{path}?acceptThreshold=0.96&secondaryOcrThreshold=0.9&llmThreshold=0.6",
        proposal,
        action=path,
    )
    assert saved.status_code == 303
    fresh = run(Tenant.objects().where(Tenant.id == world.oak.id).first())
    assert as_dict(fresh.settings) == {
        "acceptThreshold": 0.96,
        "secondaryOcrThreshold": 0.9,
        "llmThreshold": 0.6,
    }
    # The simulator now starts from the saved thresholds.
    assert row(client.get(path).text, 'data-route="accept"') == "Accept 4 40.0% 4 40.0%"
    # Without the CSRF token nothing is saved.
    refused = client.post(path, data={"acceptThreshold": "0.5"}, follow_redirects=False)
    assert refused.status_code == 403
    audit = client.get("/admin/audit").text
    assert "acceptThreshold : — → 0.96" in text(audit)


def test_a_refused_save_shows_the_message_and_saves_nothing(client: TestClient, world: World) -> None:
    sign_in(client, world.oak_admin)
    path = f"/admin/schools/{world.oak.id}/simulate"
    response = post_form(
        client, path, {"acceptThreshold": "0.5", "secondaryOcrThreshold": "0.9", "llmThreshold": "0.8"}
    )
    assert response.status_code == 400
    assert "thresholds must rise" in text(response.text)
    fresh = run(Tenant.objects().where(Tenant.id == world.oak.id).first())
    assert as_dict(fresh.settings) == {}


def test_the_district_simulator_replays_every_school_and_respects_school_overrides(
    client: TestClient, world: World
) -> None:
    run(record_jobs(world.oak, world.oak_teacher, [0.99, 0.95, 0.85, 0.7]))
    run(record_jobs(world.elm, world.oak_teacher, [0.99, 0.95, 0.85, 0.7]))
    run(record_jobs(world.pine, world.oak_teacher, [0.1] * 5))  # another district: left out
    # Elm sets its own LLM threshold, so a new district default does not move Elm's documents.
    run(Tenant.update({Tenant.settings: {"llmThreshold": 0.8}}).where(Tenant.id == world.elm.id))
    run(District.update({District.settings: ENGINES}).where(District.id == world.district_a.id))
    sign_in(client, world.district_admin_a)
    path = f"/admin/districts/{world.district_a.id}/simulate"
    page = client.get(
        path, params={"acceptThreshold": "0.98", "secondaryOcrThreshold": "0.9", "llmThreshold": "0.6"}
    ).text
    # Now: each school 1 accept, 1 secondary, 1 LLM, 1 review. Proposed: Oak's 0.7 goes to the LLM.
    assert row(page, 'data-route="llm"') == "LLM 2 25.0% 3 37.5%"
    assert row(page, 'data-route="review"') == "Human review 2 25.0% 1 12.5%"
    saved = post_form(
        client, path, {"acceptThreshold": "0.98", "secondaryOcrThreshold": "0.9", "llmThreshold": "0.6"}
    )
    assert saved.status_code == 303
    district = run(District.objects().where(District.id == world.district_a.id).first())
    assert as_dict(district.settings)["llmThreshold"] == 0.6
    # A school admin has no district simulator.
    sign_in(client, world.oak_admin)
    assert client.get(path).status_code == 403


def test_an_escalated_document_is_replayed_with_its_first_score(client: TestClient, world: World) -> None:
    """After an LLM reading the job holds its best confidence; routing used the first score."""
    run(record_jobs(world.oak, world.oak_teacher, [0.99]))

    async def first_score(value: float) -> None:
        job = await Job.objects().where(Job.tenant_id == world.oak.id).first()
        await StageResult(
            tenant_id=world.oak.id,
            document_id=job.document_id,
            stage="score",
            payload=json.dumps({"confidence": value}),
        ).save()

    run(first_score(0.85))
    set_up_engines(world.oak)
    sign_in(client, world.oak_admin)
    page = client.get(f"/admin/schools/{world.oak.id}/simulate").text
    assert row(page, 'data-route="llm"') == "LLM 1 100.0% 1 100.0%"


def test_an_installed_engine_is_priced_at_the_cost_it_declares() -> None:
    import uuid

    from admin.simulate import Recorded, project
    from core.plugins import make_plugin_manager
    from core.schools.settings import SchoolSettings

    school = uuid.uuid4()
    # Ten one-page documents at 0.95: between the default LLM and accept thresholds, so second OCR.
    samples = [Recorded(confidence=0.95, pages=1, school_id=school) for _ in range(10)]
    settings = {school: SchoolSettings(secondary_ocr_engine="acme_ocr")}
    declared = {"ocr_per_page": {"acme_ocr": 0.01}, "llm_per_document": {}}
    priced = project(make_plugin_manager(), samples, settings, per_month=1000, declared=declared)
    unpriced = project(make_plugin_manager(), samples, settings, per_month=1000)
    line = priced.lines[("Secondary OCR", "acme_ocr")]
    assert (line.unit_price, line.quantity) == (0.01, 1000)
    assert priced.monthly_cost == 10.0
    # Without a declaration, an unknown engine is priced as the dearest listed OCR (Google Vision).
    assert unpriced.monthly_cost == 1000 * 0.0015
