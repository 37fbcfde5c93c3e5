"""Rotating timetables in the app: a two-week timetable shows one week at a time with a switcher
that opens on this week, lessons are added to the week shown; a cycle timetable's columns are its
cycle days and the app says which cycle day today is, by the school's calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import WEEK, Account, School, register_school, sign_in
from tests.support.stacks import Stack


def set_calendar(school: School, today: dt.date) -> None:
    """A term around today with Week A and Day 1 starting today, so the test holds on any date."""
    settings = {
        "termStart": (today - dt.timedelta(days=30)).isoformat(),
        "termEnd": (today + dt.timedelta(days=60)).isoformat(),
        "holidays": [],
        "rotationStart": today.isoformat(),
    }
    with school.admin.client as client:
        response = client.put(f"/schools/{school.id}/settings", json=settings)
    assert response.status_code == 200, response.text


def make(account: Account, body: dict[str, Any]) -> dict[str, Any]:
    with account.client as client:
        response = client.post("/timetables", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_two_week_timetable_shows_this_week_and_switches_to_the_other(
    page: Page, stack: Stack, shots: Path
) -> None:
    school = register_school(stack)
    set_calendar(school, dt.date.today())
    week_a = [{**lesson, "week": "A"} for lesson in WEEK]
    week_b = [{"name": "Drama", "day": "Monday", "startTime": "08:30", "endTime": "10:10", "week": "B"}]
    make(school.admin, {"name": "Fortnight", "rotation": "two_week", "timeblocks": week_a + week_b})

    sign_in(page, school, school.admin)
    expect(page.get_by_role("heading", name="Fortnight", level=1)).to_be_visible()
    expect(page.locator(".rotation-today")).to_have_text("Today is in Week A.")
    weeks = page.get_by_role("group", name="Week to show")
    expect(weeks.get_by_role("button", name="Week A")).to_have_attribute("aria-pressed", "true")
    expect(
        page.get_by_role("button", name="Maths, Monday 08:30 to 09:20, Room 7. Edit lesson")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Drama, Monday 08:30 to 10:10. Edit lesson")).to_have_count(0)
    page.screenshot(path=str(shots / "two-week-week-a.png"), full_page=True)

    weeks.get_by_role("button", name="Week B").click()
    expect(page.get_by_role("button", name="Drama, Monday 08:30 to 10:10. Edit lesson")).to_be_visible()
    expect(
        page.get_by_role("button", name="Maths, Monday 08:30 to 09:20, Room 7. Edit lesson")
    ).to_have_count(0)

    # A lesson added while Week B shows goes into Week B.
    page.get_by_role("button", name="Add lesson").click()
    dialog = page.get_by_role("dialog", name="Add a lesson")
    expect(dialog.get_by_label("Week")).to_have_value("B")
    dialog.get_by_label("Lesson").fill("Music")
    dialog.get_by_label("Day").select_option("Wednesday")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("button", name="Music, Wednesday 09:00 to 10:00. Edit lesson")).to_be_visible()
    expect(weeks.get_by_role("button", name="Week B")).to_have_attribute("aria-pressed", "true")
    page.screenshot(path=str(shots / "two-week-week-b.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("group", name="Week to show")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots / "phone-two-week.png"), full_page=True)


def test_a_cycle_timetable_has_a_column_per_cycle_day_and_says_where_today_is(
    page: Page, stack: Stack, shots: Path
) -> None:
    school = register_school(stack)
    today = dt.date.today()
    set_calendar(school, today)
    lessons = [
        {"name": f"Lesson {n}", "day": f"Day {n}", "startTime": "09:00", "endTime": "10:00"}
        for n in range(1, 7)
    ]
    make(
        school.admin,
        {"name": "Six-day cycle", "rotation": "cycle", "cycleDays": list("123456"), "timeblocks": lessons},
    )

    sign_in(page, school, school.admin)
    expect(page.get_by_role("heading", name="Six-day cycle", level=1)).to_be_visible()
    expect(page.get_by_role("group", name="Week to show")).to_have_count(0)  # no weeks to switch
    assert "null" not in page.locator("main").inner_text()
    headings = page.locator(".day-name").all_inner_texts()
    assert headings == [f"Day {n}" for n in range(1, 7)]
    # Day 1 starts today, so today is Day 1 on a school day (Monday to Friday) and no school day else.
    said = "Today is Day 1 of the cycle." if today.weekday() < 5 else "Today is not a school day."
    expect(page.locator(".rotation-today")).to_have_text(said)
    page.get_by_role("button", name="Lesson 4, Day 4 09:00 to 10:00. Edit lesson").click()
    dialog = page.get_by_role("dialog", name="Edit Lesson 4")
    options = dialog.get_by_label("Day").locator("option").all_inner_texts()
    assert options == [f"Day {n}" for n in range(1, 7)]
    dialog.get_by_label("Day").select_option("Day 5")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("button", name="Lesson 4, Day 5 09:00 to 10:00. Edit lesson")).to_be_visible()
    page.screenshot(path=str(shots / "cycle-days.png"), full_page=True)
