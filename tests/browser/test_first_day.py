"""A new school's first day on default settings: the admin signs up in the app, then a phone photo, a
text PDF, a Word file and a letter each end somewhere the teacher can act on (their week, their own
check, or "not a timetable"), and no timetable is left for the letter.

How long each took from upload to its end is printed (pytest -s shows it; the issue notes quote it):
speed is measured, not asserted, so the test does not flake on a busy machine.
"""

from __future__ import annotations

import random
import re
import time
import uuid
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect

from bench.corpus_gen import photograph
from tests.browser.test_signup import fill, open_form
from tests.extraction import bad, gen
from tests.support.stacks import Stack

# Where each kind of document may end on default settings; each is a screen the teacher can act on.
WEEK = "week"
CHECK = "check"
NOT_A_TIMETABLE = "not a timetable"


def phone_photo(path: Path) -> Path:
    """The generator's printed week, photographed on a desk (perspective, shadow, blur, JPEG)."""
    page = gen.table_png(gen.Spec(), path.with_suffix(".png"), scale=2.0)
    photograph(Image.open(page).convert("RGB"), random.Random(3)).save(path, quality=85)
    return path


def upload_and_wait(page: Page, path: Path) -> tuple[str, float]:
    """Upload from the Upload tab; answer where it ended and the seconds from choosing the file."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Upload", exact=True).click()
    expect(page.get_by_role("heading", name="Upload a timetable")).to_be_visible()
    started = time.monotonic()
    page.locator("#file-input").set_input_files(path)
    # The end screens: the week's grid, the check beside the original, or the plain refusal.
    week = page.get_by_role("region", name=re.compile("Week of"))
    ended = week.or_(page.locator(".draft")).or_(page.locator(".progress-card[data-error-code]"))
    expect(ended.first).to_be_visible()
    seconds = time.monotonic() - started
    if page.locator(".progress-card[data-error-code='not_a_timetable']").count():
        return NOT_A_TIMETABLE, seconds
    if re.search(r"#/review/", page.url):
        return CHECK, seconds
    return WEEK, seconds


def test_a_new_school_s_first_uploads_each_end_in_a_result(
    page: Page, stack: Stack, shots: Path, tmp_path: Path
) -> None:
    email = f"first-{uuid.uuid4().hex[:8]}@riverside.example"
    open_form(page)
    fill(page, email, "river-timetable-2026")
    expect(page.get_by_role("heading", name="Upload a timetable")).to_be_visible()

    documents = {
        "photo": phone_photo(tmp_path / "IMG_2041.jpg"),
        "text PDF": gen.table_pdf(gen.Spec(), tmp_path / "week.pdf"),
        "Word file": gen.table_docx(gen.Spec(), tmp_path / "week.docx"),
        "letter": bad.letter_pdf(tmp_path / "letter to parents.pdf"),
    }
    ended: dict[str, str] = {}
    for kind, path in documents.items():
        ended[kind], seconds = upload_and_wait(page, path)
        print(f"first day: {kind} ended as {ended[kind]} in {seconds:.1f} s")
        page.screenshot(path=shots / f"first-day-{kind.replace(' ', '-').lower()}.png")

    # A text layer reads surely; the letter is refused in words; a photo ends in the week or the check.
    assert ended["text PDF"] == WEEK and ended["Word file"] == WEEK, ended
    assert ended["letter"] == NOT_A_TIMETABLE, ended
    assert ended["photo"] in (WEEK, CHECK), ended

    # No timetable was made for the letter: the school has one per document that is a timetable.
    with stack.client() as anon:
        token = anon.post("/auth/login", json={"email": email, "password": "river-timetable-2026"}).json()
    with stack.client(token["accessToken"]) as api:
        read = {t["documentId"] for t in api.get("/timetables").json()["items"]}
        uploaded = api.get("/documents").json()["items"]
    letter = next(d for d in uploaded if d["filename"] == "letter to parents.pdf")  # the file is kept
    assert letter["id"] not in read
    assert len(uploaded) == 4 and len(read) == 3
