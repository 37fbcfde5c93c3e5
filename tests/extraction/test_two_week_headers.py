"""Headers of both weeks in one grid ("MON 1" … "FRI 1", "MON 2" … "FRI 2") as a photo's OCR reads
them: a day whose week was lost, or a day misread by a letter, takes its place in its week's run;
anything else beside the days ("Room 4", "Notes") stays no day."""

from __future__ import annotations

from core.extraction.daytime import day_label, header_days, week_of_index


def _read(texts: list[str]) -> list[tuple[str, str | None] | None]:
    return [None if i is None else (day_label(i)[:3], week_of_index(i)) for i in header_days(texts)]


def test_a_day_whose_week_was_lost_takes_the_week_of_its_run() -> None:
    assert _read(["Time", "Mon A", "Tue", "Wed A", "Mon B", "Tue B", "Wed B"]) == [
        None, ("Mon", "A"), ("Tue", "A"), ("Wed", "A"), ("Mon", "B"), ("Tue", "B"), ("Wed", "B"),
    ]  # fmt: skip
    assert _read(["Time", "Mon 1", "Tue 1", "Fri", "Mon 2", "Tue 2", "Fri 2"])[3] == ("Fri", "1")


def test_a_day_misread_by_a_letter_takes_the_day_its_place_gives() -> None:
    texts = ["Tine", "mom 1", "WE", "WEO 1", "THU 1", "FRI", "HON 2", "TUE 2", "WEO 2", "THU 2", "FRI 2"]
    assert _read(texts) == [
        None, ("Mon", "1"), None, ("Wed", "1"), ("Thu", "1"), ("Fri", "1"),
        ("Mon", "2"), ("Tue", "2"), ("Wed", "2"), ("Thu", "2"), ("Fri", "2"),
    ]  # fmt: skip


def test_other_headings_beside_the_days_are_no_days() -> None:
    assert _read(["Time", "Mon A", "Tue A", "Wed A", "Mon B", "Tue B", "Room 4"])[-1] is None
    assert _read(["Time", "Mon A", "Tue A", "Mon B", "Tue B", "Notes"])[-1] is None
