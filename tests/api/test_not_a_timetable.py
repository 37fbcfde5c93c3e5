"""A letter or a holiday photo is not a timetable: the job ends saying so in plain words, the file is
kept, and no timetable (empty or not) and no review are made for it."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from tests.extraction import bad
from tests.support.accounts import Account
from tests.support.stacks import Stack

START = "This does not look like a timetable: "
END = ". Try a photo or file of the timetable itself."


def holiday_photo(path: Path) -> Path:
    """A beach: sky, sea, sand and a sun, no writing."""
    image = Image.new("RGB", (900, 600), (135, 190, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 330, 900, 460], fill=(30, 110, 170))
    draw.rectangle([0, 460, 900, 600], fill=(235, 210, 160))
    draw.ellipse([680, 60, 800, 180], fill=(250, 220, 80))
    image.save(path)
    return path


def test_a_letter_ends_as_not_a_timetable_and_is_kept_without_a_timetable(
    stack: Stack, teacher: Account, tmp_path: Path
) -> None:
    letter = bad.letter_pdf(tmp_path / "letter to parents.pdf")
    ids = teacher.upload(letter, content_type="application/pdf").json()
    job = teacher.wait_for_job(ids["jobId"])

    assert job["status"] == "failed" and job["errorCode"] == "not_a_timetable", job
    assert job["error"] == (f"{START}we found writing on it, but no days of the week with lesson times{END}")
    assert job["timetableId"] is None
    assert teacher.client.get("/timetables").json()["total"] == 0  # no empty timetable
    assert teacher.client.get("/reviews").json() == []  # and nobody is asked to check it
    # The file stays: its document, its bytes, and its row in the history with the outcome.
    document = teacher.client.get(f"/documents/{ids['documentId']}").json()
    assert document["status"] == "failed" and document["timetableId"] is None
    assert teacher.client.get(f"/documents/{ids['documentId']}/file").content == letter.read_bytes()
    listed = next(d for d in teacher.client.get("/documents").json()["items"] if d["id"] == ids["documentId"])
    assert (listed["jobStatus"], listed["jobErrorCode"], listed["jobError"]) == (
        "failed",
        "not_a_timetable",
        job["error"],
    )
    status = teacher.client.get(f"/documents/{ids['documentId']}/status").json()
    assert status["errorCode"] == "not_a_timetable"
    # Reading it again would say the same: the answer says what to do instead.
    retry = teacher.client.post(f"/jobs/{ids['jobId']}/retry")
    assert retry.status_code == 409 and retry.json()["code"] == "not_a_timetable"
    assert "Upload a photo or file of the timetable itself" in retry.json()["message"]


def test_a_holiday_photo_ends_as_not_a_timetable(stack: Stack, teacher: Account, tmp_path: Path) -> None:
    photo = holiday_photo(tmp_path / "beach.png")
    ids = teacher.upload(photo, content_type="image/png").json()
    job = teacher.wait_for_job(ids["jobId"])

    assert job["status"] == "failed" and job["errorCode"] == "not_a_timetable", job
    assert job["error"].startswith(START) and job["error"].endswith(END)
    assert teacher.client.get("/timetables").json()["total"] == 0
    assert teacher.client.get("/reviews").json() == []
