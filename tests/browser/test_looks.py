"""How the app looks to a new school: one colour per subject (never a photo's grey), the school's
name in the header, and History readable on a phone."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, Page, expect

from core.web.brand import AA, contrast
from tests.browser.conftest import Account, School, register_school, sign_in, teacher
from tests.support.stacks import Stack

# What reading a photo stored as lesson colours: its greys (cell shading, paper white).
GREYS = ["#c8c8c8", "#f4f4f4", "#9a9a9a", "#e6e6e6", "#ffffff"]
SUBJECTS = ["Maths", "English", "Science", "Art", "History", "French", "Music", "PE"]
SLOTS = [("08:30", "09:20"), ("09:20", "10:10"), ("10:30", "11:20"), ("11:20", "12:10"), ("13:00", "13:50")]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _photo_week() -> list[dict[str, str]]:
    """Eight subjects over a week, each several times, every lesson with a photo's grey."""
    week = []
    for d, day in enumerate(DAYS):
        for t, (start, end) in enumerate(SLOTS):
            name = SUBJECTS[(3 * d + t) % len(SUBJECTS)]
            week.append(
                {"name": name, "day": day, "startTime": start, "endTime": end, "color": GREYS[(d + t) % 5]}
            )
    return week


def _signed_in(page: Page, school: School, account: Account) -> None:
    """Signed in, with the first screen drawn (a view still loading would draw over the next)."""
    sign_in(page, school, account)
    expect(page.locator("main .loading")).to_have_count(0)


def _hex(css: str) -> str:
    r, g, b = (int(v) for v in re.findall(r"\d+", css)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def _grey(hex_colour: str) -> bool:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return max(r, g, b) - min(r, g, b) < 16


def _lesson_colours(page: Page) -> list[tuple[str, str, str]]:
    """(subject, background, text colour) of every lesson on the week grid, once the grid is drawn
    (a grid being replaced has lessons with no style yet)."""
    # Read in the same moment as checked: the app may draw the grid again (its saved copy, then the
    # server's) between a check and a later read, and a lesson not yet styled has no colour.
    rows = page.wait_for_function(
        """() => {
            const rows = [...document.querySelectorAll('.lesson')].map(e => [
                e.querySelector('.lesson-name').textContent,
                getComputedStyle(e).backgroundColor, getComputedStyle(e).color]);
            return rows.length && rows.every(r => /\\d/.test(r[1]) && /\\d/.test(r[2])) ? rows : null;
        }"""
    ).json_value()
    return [(name, _hex(bg), _hex(fg)) for name, bg, fg in rows]


def test_each_subject_has_its_own_colour_and_none_is_grey(page: Page, stack: Stack, shots: Path) -> None:
    school = register_school(stack)
    me = teacher(stack, school)
    with me.client as client:
        response = client.post("/timetables", json={"name": "My week (photo)", "timeblocks": _photo_week()})
    assert response.status_code == 201, response.text
    timetable_id = response.json()["id"]

    _signed_in(page, school, me)
    page.goto(f"{school.app_url}#/timetables/{timetable_id}")
    expect(page.locator(".lesson")).to_have_count(25)
    seen = _lesson_colours(page)
    page.screenshot(path=shots / "subject-colours.png", full_page=True)

    by_subject: dict[str, set[str]] = {}
    for name, bg, fg in seen:
        by_subject.setdefault(name, set()).add(bg)
        assert not _grey(bg), f"{name} is grey ({bg})"
        assert contrast(bg, fg) >= AA, f"{name}: {fg} on {bg} does not read"
    assert set(by_subject) == set(SUBJECTS)
    assert all(len(colours) == 1 for colours in by_subject.values()), by_subject  # one per subject
    colours = [next(iter(c)) for c in by_subject.values()]
    assert len(set(colours)) == len(SUBJECTS), by_subject  # no two subjects share

    page.reload()
    expect(page.locator(".lesson")).to_have_count(25)
    assert sorted(_lesson_colours(page)) == sorted(seen)  # the same colours after a reload


def test_a_documents_own_colours_show_only_when_they_tell_subjects_apart(page: Page, stack: Stack) -> None:
    school = register_school(stack)
    me = teacher(stack, school)
    own = dict(
        zip(
            SUBJECTS,
            ["#4472c4", "#ed7d31", "#70ad47", "#ffc000", "#5b9bd5", "#a5a5ff", "#c00000", "#7030a0"],
            strict=True,
        )
    )
    coloured = [{**b, "color": own[b["name"]]} for b in _photo_week()]
    all_blue = [{**b, "color": "#dbe5f1"} for b in _photo_week()]
    with me.client as client:
        ids = [
            client.post("/timetables", json={"name": name, "timeblocks": week}).json()["id"]
            for name, week in [("Printed in colour", coloured), ("All one colour", all_blue)]
        ]
    _signed_in(page, school, me)

    page.goto(f"{school.app_url}#/timetables/{ids[0]}")
    expect(page.get_by_role("heading", name="Printed in colour")).to_be_visible()
    expect(page.locator(".lesson")).to_have_count(25)
    for name, bg, fg in _lesson_colours(page):
        assert bg == own[name]  # the school's own colour code is kept
        assert contrast(bg, fg) >= AA, f"{name}: {fg} on {bg} does not read"

    page.goto(f"{school.app_url}#/timetables/{ids[1]}")
    expect(page.get_by_role("heading", name="All one colour")).to_be_visible()
    expect(page.locator(".lesson")).to_have_count(25)
    shown = {name: bg for name, bg, _ in _lesson_colours(page)}
    assert "#dbe5f1" not in shown.values() and len(set(shown.values())) == len(SUBJECTS)


def test_the_header_names_the_school_once_signed_in(page: Page, stack: Stack) -> None:
    school = register_school(stack, displayName="Harbour View Primary")
    me = teacher(stack, school)

    # Before signing in, /app/ cannot know the school: the product's name, once.
    page.goto("/app/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator(".topbar .school")).to_have_text("Timetabler")
    expect(page.locator(".footer")).to_have_text("Timetabler")

    page.get_by_label("Email").fill(me.email)
    page.get_by_label("Password").fill(me.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").wait_for()
    expect(page.locator(".topbar .school")).to_have_text("Harbour View Primary")
    expect(page.locator(".footer")).to_have_text("Harbour View Primary · Timetabler")
    expect(page).to_have_title(re.compile(r"· Harbour View Primary$"))

    # The school's own address names it before anyone signs in.
    page.goto(school.app_url)
    expect(page.locator(".topbar .school")).to_have_text("Harbour View Primary")


LONG_NAMES = [
    "Timetable_Autumn_Term_2026_Year9_final_v2.jpg",
    "Stundenplan-Klasse-7b-Schuljahr-2026-2027.png",
    "my timetable from the staff room (1).png",
    "IMG_20261207_084512.jpg",
]


def _blank_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_history_reads_on_a_phone(browser: Browser, stack: Stack, shots: Path) -> None:
    school = register_school(stack)
    me = teacher(stack, school)
    with me.client as client:
        for name in LONG_NAMES:
            response = client.post("/documents/upload", files={"file": (name, _blank_png(), "image/png")})
            assert response.status_code == 202, response.text

    for label, viewport in [
        ("phone", {"width": 390, "height": 844}),
        ("desktop", {"width": 1280, "height": 860}),
    ]:
        context = browser.new_context(base_url=stack.base_url, viewport=viewport)
        try:
            page = context.new_page()
            _signed_in(page, school, me)
            page.goto(f"{school.app_url}#/history")
            for name in LONG_NAMES:
                expect(page.get_by_text(name, exact=True)).to_be_visible()
            page.screenshot(path=shots / f"history-{label}.png", full_page=True)
            for name in LONG_NAMES:
                # A name wraps between words, or inside a long one where it must: one or two lines.
                lines = page.get_by_text(name, exact=True).evaluate(
                    """el => { const range = document.createRange(); range.selectNodeContents(el);
                    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; }"""
                )
                assert 1 <= lines <= 2, f"{label}: '{name}' takes {lines} lines"
            # No sideways scrolling: neither the page nor any scrolling box in it (the table's).
            widths = page.evaluate(
                """() => [document.documentElement.scrollWidth, window.innerWidth,
                          ...[...document.querySelectorAll('main *')]
                             .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
                             .map(e => e.scrollWidth - e.clientWidth).filter(overflow => overflow > 1)]"""
            )
            assert widths[0] <= widths[1], f"{label}: the page scrolls sideways ({widths[0]} > {widths[1]})"
            assert widths[2:] == [], f"{label}: a box in History scrolls sideways by {widths[2:]} px"
        finally:
            context.close()
