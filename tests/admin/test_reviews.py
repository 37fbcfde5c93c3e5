"""Human review in the console: the queue, the side-by-side screen, corrections that complete the job,
who may see what, and the job history that explains each decision."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest
from litestar.testing import TestClient
from PIL import Image as PILImage

from admin.session import SESSION_COOKIE, open_session
from core.db.tables import Document, Job, Review, Tenant, Timeblock, Timetable, User, json_list
from core.runtime import get_runtime
from tests.admin.conftest import (
    PASSWORD,
    World,
    csrf_of,
    make_user,
    row,
    rows,
    run,
    sign_in,
    text,
)
from tests.conftest import DOCUMENTS

PDF = DOCUMENTS / "003_days_cols_pdf_text.pdf"
PNG = DOCUMENTS / "000_days_cols_png.png"


@dataclass
class Reviewing:
    world: World
    oak_reviewer: User
    pine_reviewer: User
    pine_teacher: User


@pytest.fixture
def people(world: World) -> Reviewing:
    return Reviewing(
        world=world,
        oak_reviewer=run(make_user("reviewer", school=world.oak)),
        pine_reviewer=run(make_user("reviewer", school=world.pine)),
        pine_teacher=run(make_user("teacher", school=world.pine)),
    )


@dataclass
class InReview:
    school: Tenant
    document_id: uuid.UUID
    job_id: uuid.UUID
    review_id: uuid.UUID

    @property
    def path(self) -> str:
        return f"/admin/schools/{self.school.id}/reviews/{self.review_id}"


def into_review(client: TestClient, teacher: User, school: Tenant, path: Path = PDF) -> InReview:
    """Upload through the API as the teacher and wait until the pipeline hands it to a person."""
    login = client.post("/api/v1/auth/login", json={"email": teacher.email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    bearer = {"Authorization": f"Bearer {login.json()['accessToken']}"}
    with path.open("rb") as f:
        uploaded = client.post("/api/v1/documents/upload", files={"file": (path.name, f)}, headers=bearer)
    assert uploaded.status_code == 202, uploaded.text
    job_id = uploaded.json()["jobId"]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}", headers=bearer).json()
        if job["status"] in ("completed", "failed", "review"):
            break
        time.sleep(0.1)
    assert job["status"] == "review", job
    review = run(Review.objects().where(Review.job_id == uuid.UUID(job_id)).first())
    return InReview(school, uuid.UUID(uploaded.json()["documentId"]), uuid.UUID(job_id), review.id)


def fabricated_review(school: Tenant, owner: User, content: bytes, suffix: str, kind: str) -> InReview:
    """A document already in review, made in the tables (for kinds the pipeline is slow to read)."""

    async def make() -> InReview:
        document_id = uuid.uuid4()
        key = f"tenants/{school.id}/documents/{document_id}/original{suffix}"
        get_runtime().storage.put(key, BytesIO(content))
        document = Document(
            id=document_id,
            tenant_id=school.id,
            user_id=owner.id,
            filename=f"timetable{suffix}",
            content_type="application/octet-stream",
            kind=kind,
            content_hash=uuid.uuid4().hex,
            size=len(content),
            storage_key=key,
            status="review",
        )
        await document.save()
        timetable = Timetable(tenant_id=school.id, user_id=owner.id, document_id=document_id, name="Draft")
        await timetable.save()
        await Timeblock(
            tenant_id=school.id,
            timetable_id=timetable.id,
            name="Maths",
            day="Monday",
            start_time="09:00",
            end_time="10:00",
            duration=60,
            confidence=0.37,
        ).save()
        job = Job(
            tenant_id=school.id,
            document_id=document_id,
            user_id=owner.id,
            status="review",
            timetable_id=timetable.id,
            confidence=0.37,
            decisions=[
                {
                    "step": "route",
                    "engine": "tesseract",
                    "confidenceBefore": None,
                    "confidenceAfter": 0.37,
                    "kept": "first",
                    "reason": "Below every bar.",
                }
            ],
        )
        await job.save()
        review = Review(
            tenant_id=school.id,
            job_id=job.id,
            document_id=document_id,
            reason="Below every bar.",
            confidence=0.37,
        )
        await review.save()
        return InReview(school, document_id, job.id, review.id)

    return run(make())


def blocks_in_db(item: InReview) -> list[tuple[str, str, str, str]]:
    job = run(Job.objects().where(Job.id == item.job_id).first())
    found = run(Timeblock.objects().where(Timeblock.timetable_id == job.timetable_id))
    return sorted((b.day, b.start_time, b.end_time, b.name) for b in found)


def grid_form(page_html: str) -> dict[str, str]:
    """The review form as a browser would post it untouched: inputs, selected options, checked boxes."""
    form = re.search(r'<form method="post" action="[^"]*/reviews/[^"]+">(.*?)</form>', page_html, re.S)
    assert form, "no review form"
    body = form.group(1)
    data: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", body):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name:
            continue
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        data[name.group(1)] = value.group(1) if value else ""
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        data[name] = chosen.group(1) if chosen else ""
    return {k: v.replace("&amp;", "&").replace("&#39;", "'").replace("&#34;", '"') for k, v in data.items()}


def test_a_reviewer_signs_in_to_their_schools_queue_and_sees_only_review_pages(
    client: TestClient, people: Reviewing, unsure: None
) -> None:
    world = people.world
    item = into_review(client, world.oak_teacher, world.oak)
    pine_item = fabricated_review(world.pine, people.pine_teacher, PDF.read_bytes(), ".pdf", "pdf_text")

    signed_in = sign_in(client, people.oak_reviewer)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/admin/reviews"
    mine = client.get("/admin/reviews", follow_redirects=False)
    assert mine.headers["location"] == f"/admin/schools/{world.oak.id}/reviews"
    queue = client.get(mine.headers["location"])
    assert queue.status_code == 200
    line = row(queue.text, f'data-review="{item.review_id}"')
    assert PDF.name in line and "0.42" in line and "min" in line  # document, confidence, waiting
    assert f'data-review="{pine_item.review_id}"' not in queue.text
    assert (
        client.get(f"/admin/reviews/{item.review_id}", follow_redirects=False).headers["location"]
        == item.path
    )
    assert client.get(item.path).status_code == 200
    # Only the review pages, and only of their own school.
    for path in (
        "/admin/",
        f"/admin/schools/{world.oak.id}",
        "/admin/usage",
        "/admin/audit",
        "/admin/plugins",
    ):
        assert client.get(path).status_code == 403, path
    for path in (
        f"/admin/schools/{world.pine.id}/reviews",
        pine_item.path,
        f"{pine_item.path}/original",
        f"/admin/schools/{world.oak.id}/reviews/{pine_item.review_id}",
        f"/admin/schools/{world.oak.id}/reviews/{pine_item.review_id}/original",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Pine" not in response.text
    nav = client.get(item.path).text
    assert 'href="/admin/usage"' not in nav and 'href="/admin/reviews"' in nav
    # Signing out works for reviewers too.
    out = client.post(
        "/admin/logout", data={"csrf_token": csrf_of(client.get(item.path))}, follow_redirects=False
    )
    assert out.status_code == 303


def test_admins_see_the_queues_of_the_schools_they_run_and_404_for_others(
    client: TestClient, people: Reviewing
) -> None:
    world = people.world
    oak_item = fabricated_review(world.oak, world.oak_teacher, PDF.read_bytes(), ".pdf", "pdf_text")
    pine_item = fabricated_review(world.pine, people.pine_teacher, PDF.read_bytes(), ".pdf", "pdf_text")

    sign_in(client, world.oak_admin)
    assert (
        client.get("/admin/reviews", follow_redirects=False)
        .headers["location"]
        .endswith(f"/schools/{world.oak.id}/reviews")
    )
    queue = client.get(f"/admin/schools/{world.oak.id}/reviews").text
    assert (
        f'data-review="{oak_item.review_id}"' in queue and f'data-review="{pine_item.review_id}"' not in queue
    )
    assert client.get(oak_item.path).status_code == 200
    assert client.get(f"/admin/schools/{world.pine.id}/reviews").status_code == 404
    assert client.get(pine_item.path).status_code == 404
    assert client.get(f"/admin/schools/{world.oak.id}/reviews/{pine_item.review_id}").status_code == 404

    sign_in(client, world.district_admin_a)
    picker = client.get("/admin/reviews")
    assert picker.status_code == 200
    assert f"/admin/schools/{world.oak.id}/reviews" in picker.text
    assert f"/admin/schools/{world.pine.id}/reviews" not in picker.text
    assert row(picker.text, f'data-school="{world.oak.id}"').endswith("1")
    assert f'data-review="{oak_item.review_id}"' in client.get(f"/admin/schools/{world.oak.id}/reviews").text
    assert client.get(oak_item.path).status_code == 200
    assert client.get(pine_item.path).status_code == 404

    sign_in(client, world.platform_admin)
    assert client.get(pine_item.path).status_code == 200


def test_a_teacher_cannot_open_review_pages(client: TestClient, people: Reviewing) -> None:
    world = people.world
    item = fabricated_review(world.oak, world.oak_teacher, PDF.read_bytes(), ".pdf", "pdf_text")
    assert sign_in(client, world.oak_teacher).status_code == 403
    # Even holding a console session cookie, the guard refuses every review page.
    token = run(open_session(client.app.state.settings, world.oak_teacher))
    client.cookies.set(SESSION_COOKIE, token)
    for path in (
        "/admin/reviews",
        f"/admin/schools/{world.oak.id}/reviews",
        item.path,
        f"{item.path}/original",
    ):
        assert client.get(path).status_code == 403, path


def test_the_side_by_side_screen_shows_the_pdfs_first_page_and_the_blocks_with_confidences(
    client: TestClient, people: Reviewing, unsure: None
) -> None:
    world = people.world
    item = into_review(client, world.oak_teacher, world.oak)
    sign_in(client, people.oak_reviewer)
    screen = client.get(item.path)
    assert screen.status_code == 200
    assert f'<img src="{item.path}/page.png"' in screen.text
    image = client.get(f"{item.path}/page.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    original = client.get(f"{item.path}/original")
    assert original.content == PDF.read_bytes()
    assert original.headers["content-type"] == "application/pdf"
    assert original.headers["x-content-type-options"] == "nosniff"
    # One editable row per block, each with its confidence, plus empty rows to add lessons.
    drafted = blocks_in_db(item)
    grid = rows(screen.text, "data-row=")
    assert len(grid) == len(drafted) + 5
    assert all(re.search(r"\d\.\d\d", line) for line in grid[: len(drafted)])
    assert all("new" in line for line in grid[len(drafted) :])
    assert 'name="day_0"' in screen.text and 'name="delete_0"' in screen.text
    # Why it is here: the decisions that led to review.
    assert 'data-decision="route"' in screen.text


def test_an_image_is_shown_as_itself_and_a_docx_as_a_download(client: TestClient, people: Reviewing) -> None:
    world = people.world
    png = fabricated_review(world.oak, world.oak_teacher, PNG.read_bytes(), ".png", "image")
    docx = fabricated_review(world.oak, world.oak_teacher, b"PK\x03\x04 not really", ".docx", "docx")
    sign_in(client, people.oak_reviewer)
    screen = client.get(png.path).text
    assert f'<img src="{png.path}/original"' in screen
    image = client.get(f"{png.path}/original")
    assert image.headers["content-type"] == "image/png" and image.content == PNG.read_bytes()
    assert row(screen, 'data-row="0"').startswith("Monday") or "0.37" in row(screen, 'data-row="0"')
    # A TIFF, which browsers do not draw, is shown as PNG.
    tiff_bytes = BytesIO()
    PILImage.open(PNG).save(tiff_bytes, format="TIFF")
    tiff = fabricated_review(world.oak, world.oak_teacher, tiff_bytes.getvalue(), ".tiff", "image")
    assert f'<img src="{tiff.path}/page.png"' in client.get(tiff.path).text
    drawn = client.get(f"{tiff.path}/page.png")
    assert drawn.headers["content-type"] == "image/png" and drawn.content.startswith(b"\x89PNG")
    word = client.get(docx.path).text
    assert "<img src=" not in word.split("<main", 1)[1].split("</section>", 1)[0]
    assert "cannot be shown as a picture" in word and f'href="{docx.path}/original"' in word
    assert client.get(f"{docx.path}/page.png").status_code == 404


def test_a_correction_completes_the_job(client: TestClient, people: Reviewing, unsure: None) -> None:
    world = people.world
    item = into_review(client, world.oak_teacher, world.oak)
    sign_in(client, people.oak_reviewer)
    screen = client.get(item.path).text
    data = grid_form(screen)
    count = int(data["rows"])
    drafted = count - 5
    # Keep the first lesson renamed, delete the rest, add one in an empty row.
    data["name_0"] = "Forest School"
    for i in range(1, drafted):
        data[f"delete_{i}"] = "1"
    new = drafted  # the first empty row
    data.update(
        {f"day_{new}": "Tuesday", f"start_{new}": "13:00", f"end_{new}": "14:30", f"name_{new}": "Art"}
    )
    first_day, first_start, first_end = data["day_0"], data["start_0"], data["end_0"]
    saved = client.post(item.path, data=data, follow_redirects=False)
    assert saved.status_code == 303, text(saved.text)[:800]
    assert saved.headers["location"] == f"{item.path}?done=1"
    done = client.get(saved.headers["location"])
    assert "review is complete" in done.text and 'id="review-done"' in done.text
    assert '<form method="post" action="' + item.path not in done.text  # nothing left to submit

    job = run(Job.objects().where(Job.id == item.job_id).first())
    assert job.status == "completed" and job.confidence == 1.0
    last = json_list(job.decisions)[-1]
    assert last["step"] == "review" and last["reviewer"] == str(people.oak_reviewer.id)
    document = run(Document.objects().where(Document.id == item.document_id).first())
    assert document.status == "processed"
    assert blocks_in_db(item) == sorted(
        [(first_day, first_start, first_end, "Forest School"), ("Tuesday", "13:00", "14:30", "Art")]
    )
    review = run(Review.objects().where(Review.id == item.review_id).first())
    assert review.status == "done" and review.reviewer_id == people.oak_reviewer.id
    queue = client.get(f"/admin/schools/{world.oak.id}/reviews").text
    assert f'data-review="{item.review_id}"' not in queue
    assert people.oak_reviewer.email in row(queue, f'data-done="{item.review_id}"')
    # A second submission is refused: the review is done.
    assert client.post(item.path, data={**data, "csrf_token": csrf_of(done)}).status_code in (400, 409)


def test_a_bad_row_is_refused_with_its_message_and_nothing_changes(
    client: TestClient, people: Reviewing
) -> None:
    world = people.world
    item = fabricated_review(world.oak, world.oak_teacher, PDF.read_bytes(), ".pdf", "pdf_text")
    before = blocks_in_db(item)
    sign_in(client, world.oak_admin)
    data = grid_form(client.get(item.path).text)
    data.update({"start_1": "11:00", "end_1": "10:15", "name_1": "Music", "day_1": "Wednesday"})
    data.update({"name_0": "Typed but not saved"})
    refused = client.post(item.path, data=data, follow_redirects=False)
    assert refused.status_code == 400
    message = text(refused.text)
    wrong = "Row 2 (Wednesday 11:00, Music): The lesson ends (10:15) before it starts (11:00)."
    assert "Not saved." in message and wrong in message
    assert "Row 2" in row(refused.text, 'data-row="1"') or "before it starts" in row(
        refused.text, 'data-row="1"'
    )
    # What was typed stays in the form to correct.
    assert 'name="name_0" value="Typed but not saved"' in refused.text
    assert 'name="start_1" value="11:00"' in refused.text and 'name="end_1" value="10:15"' in refused.text
    assert blocks_in_db(item) == before
    assert run(Review.objects().where(Review.id == item.review_id).first()).status == "open"
    assert run(Job.objects().where(Job.id == item.job_id).first()).status == "review"
    # A day outside the week is refused the same way (a crafted post: the select offers only days).
    data = grid_form(client.get(item.path).text)
    data["day_0"] = "Funday"
    funday = client.post(item.path, data=data, follow_redirects=False)
    assert funday.status_code == 400 and "'Funday' is not a day" in text(funday.text)
    assert '<option value="Funday" selected>' in funday.text
    assert blocks_in_db(item) == before


def test_the_review_form_needs_its_csrf_token(client: TestClient, people: Reviewing) -> None:
    world = people.world
    item = fabricated_review(world.oak, world.oak_teacher, PDF.read_bytes(), ".pdf", "pdf_text")
    before = blocks_in_db(item)
    sign_in(client, people.oak_reviewer)
    data = grid_form(client.get(item.path).text)
    data["name_0"] = "Forged"
    for forged in ({k: v for k, v in data.items() if k != "csrf_token"}, {**data, "csrf_token": "nope"}):
        response = client.post(item.path, data=forged, follow_redirects=False)
        assert response.status_code == 403
    assert blocks_in_db(item) == before
    assert run(Review.objects().where(Review.id == item.review_id).first()).status == "open"


def test_the_school_page_shows_each_jobs_decisions(
    client: TestClient, people: Reviewing, unsure: None
) -> None:
    world = people.world
    item = into_review(client, world.oak_teacher, world.oak)
    sign_in(client, world.oak_admin)
    school_page = client.get(f"/admin/schools/{world.oak.id}").text
    section = re.search(rf'<section class="job" data-job="{item.job_id}">(.*?)</section>', school_page, re.S)
    assert section, "the job is not on the school page"
    steps = re.findall(r'data-decision="([^"]+)"', section.group(1))
    assert steps[0] == "route" and steps in (["route"], ["route", "secondary_ocr", "llm"])
    route = row(section.group(1), 'data-decision="route"')
    assert "0.42 →" in route  # the confidence it was routed on
    job = run(Job.objects().where(Job.id == item.job_id).first())
    assert json_list(job.decisions)[0]["reason"] in text(section.group(1))
    assert PDF.name in text(section.group(1)) and "review" in text(section.group(1))
