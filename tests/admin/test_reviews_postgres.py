"""Human review in the console on the production parts: `timetabler serve` and a worker on PostgreSQL
with row-level security and Redis, driven over HTTP like a browser. A reviewer completes a document;
a district admin sees their school's queue and decisions, and the other district's admin sees none."""

from __future__ import annotations

import httpx

from tests.admin.conftest import csrf_of, row
from tests.admin.test_reviews import grid_form
from tests.conftest import DOCUMENTS
from tests.support.accounts import PASSWORD, make_district, platform_admin
from tests.support.stacks import Stack

SCAN = DOCUMENTS / "000_days_cols_png.png"
# Bars nobody's reading reaches: every document of the school goes to a person.
ALWAYS_REVIEW = {"acceptThreshold": 0.9999, "secondaryOcrThreshold": 0.9998, "llmThreshold": 0.9997}


def browser(stack: Stack, email: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=stack.base_url, timeout=60)
    form = client.get("/admin/login")
    signed_in = client.post(
        "/admin/login", data={"email": email, "password": password, "csrf_token": csrf_of(form)}
    )
    assert signed_in.status_code == 303, signed_in.text
    return client


def test_a_reviewer_completes_a_review_and_districts_stay_apart_under_row_security(pg_stack: Stack) -> None:
    root = platform_admin(pg_stack)
    north, south = make_district(root, "Review North"), make_district(root, "Review South")
    school = north.school
    saved = school.admin.client.put(f"/schools/{school.id}/settings", json=ALWAYS_REVIEW)
    assert saved.status_code == 200, saved.text
    made = school.teacher.upload(SCAN, content_type="image/png")
    assert made.status_code == 202, made.text
    job = school.teacher.wait_for_job(made.json()["jobId"])
    assert job["status"] == "review", job

    reviewer = browser(pg_stack, school.reviewer.email, school.reviewer.password)
    queue_path = f"/admin/schools/{school.id}/reviews"
    assert reviewer.get("/admin/reviews").headers["location"] == queue_path
    queue = reviewer.get(queue_path)
    assert queue.status_code == 200 and SCAN.name in queue.text
    review_path = queue.text.split(f'href="{queue_path}/', 1)[1].split('"', 1)[0]
    path = f"{queue_path}/{review_path}"
    screen = reviewer.get(path)
    assert screen.status_code == 200 and f'<img src="{path}/original"' in screen.text
    image = reviewer.get(f"{path}/original")
    assert image.headers["content-type"] == "image/png" and image.content == SCAN.read_bytes()
    assert reviewer.get("/admin/").status_code == 403

    # The other district's admin finds nothing of North's; North's admin sees the queue and why.
    outsider = browser(pg_stack, south.admin.email, PASSWORD)
    assert outsider.get(path).status_code == 404
    assert outsider.get(queue_path).status_code == 404
    district = browser(pg_stack, north.admin.email, PASSWORD)
    assert district.get(path).status_code == 200
    assert row(district.get("/admin/reviews").text, f'data-school="{school.id}"').endswith("1")
    school_page = district.get(f"/admin/schools/{school.id}").text
    assert f'data-job="{job["id"]}"' in school_page and 'data-decision="route"' in school_page

    data = grid_form(screen.text)
    data["name_0"] = "Checked by a person"
    done = reviewer.post(path, data=data)
    assert done.status_code == 303, done.text
    assert "review is complete" in reviewer.get(done.headers["location"]).text
    finished = school.teacher.client.get(f"/jobs/{job['id']}").json()
    assert finished["status"] == "completed" and finished["decisions"][-1]["step"] == "review"
    lessons = school.teacher.client.get(f"/timetables/{finished['timetableId']}").json()["timeblocks"]
    assert "Checked by a person" in [b["name"] for b in lessons]
