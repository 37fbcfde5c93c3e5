"""A page that plainly holds a table but gave no lessons is not called "not a timetable": it goes to
the person who checks (by default its uploader) with the empty draft, and the check says in plain
words what was read, offering the days and times to start from. A letter still ends as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.api.test_teacher_review import INTERNAL_WORDS
from tests.extraction import bad
from tests.support.accounts import Account
from tests.support.stacks import Stack
from tests.unplaced_documents import days_without_times_png, times_without_days_pdf


def the_check(teacher: Account, path: Path, content_type: str) -> tuple[dict[str, Any], dict[str, Any]]:
    ids = teacher.upload(path, content_type=content_type).json()
    job = teacher.wait_for_job(ids["jobId"])
    assert (job["status"], job["errorCode"]) == ("review", None), job
    queue = teacher.client.get("/reviews").json()
    assert [r["jobId"] for r in queue] == [job["id"]]  # the uploader's own check, by default
    return job, teacher.client.get(f"/reviews/{queue[0]['id']}").json()


def test_a_table_of_days_with_no_times_waits_for_its_uploader_with_what_was_read(
    stack: Stack, teacher: Account, tmp_path: Path
) -> None:
    job, review = the_check(teacher, days_without_times_png(tmp_path / "our week.png"), "image/png")

    assert review["reason"] == (
        "We could read a table with 6 rows and 6 columns and the days Monday–Friday, but could not "
        "place the lessons. Add them from your original below."
    )
    assert not any(word.lower() in review["reason"].lower() for word in INTERNAL_WORDS)
    assert review["timeblocks"] == [] and review["timetableId"] == job["timetableId"]
    assert review["found"] == {
        "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
        "periods": [],
    }
    assert review["previewUrl"]  # the original is shown beside the empty draft
    # The person adds the lessons from the original and confirms: the timetable is theirs.
    lessons = [
        {"name": "Maths", "day": "Monday", "startTime": "08:30", "endTime": "09:20"},
        {"name": "English", "day": "Tuesday", "startTime": "08:30", "endTime": "09:20"},
    ]
    done = teacher.client.post(f"/reviews/{review['id']}", json={"timeblocks": lessons})
    assert done.status_code == 200, done.text
    assert teacher.client.get(f"/jobs/{job['id']}").json()["status"] == "completed"
    timetable = teacher.client.get(f"/timetables/{job['timetableId']}").json()
    assert sorted(b["name"] for b in timetable["timeblocks"]) == ["English", "Maths"]


def test_a_text_pdf_of_period_times_with_no_days_offers_the_times_to_fill(
    stack: Stack, teacher: Account, tmp_path: Path
) -> None:
    job, review = the_check(teacher, times_without_days_pdf(tmp_path / "periods.pdf"), "application/pdf")

    assert review["reason"] == (
        "We could read a table with 7 rows and 4 columns and 6 times, but could not place the "
        "lessons. Add them from your original below."
    )
    assert review["found"]["days"] == []
    assert review["found"]["periods"] == [
        {"startTime": f"{8 + p:02d}:00", "endTime": f"{8 + p:02d}:50"} for p in range(6)
    ]
    # Why it went to a check and not "not a timetable" is on the job's record for the school.
    assert "a table with 7 rows and 4 columns" in job["decisions"][-1]["reason"]


def test_a_letter_is_still_not_a_timetable(stack: Stack, teacher: Account, tmp_path: Path) -> None:
    ids = teacher.upload(bad.letter_pdf(tmp_path / "letter.pdf"), content_type="application/pdf").json()
    job = teacher.wait_for_job(ids["jobId"])
    assert (job["status"], job["errorCode"]) == ("failed", "not_a_timetable"), job
    assert teacher.client.get("/reviews").json() == []
