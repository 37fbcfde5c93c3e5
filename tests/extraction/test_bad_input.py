"""Bad input: never a crash, never invented blocks; low confidence, a review route and a reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from core.engines import DocumentUnreadable
from core.extract import extract_file
from tests.extraction import bad, gen


def expected() -> set[tuple[str, str, str, str]]:
    return gen.Spec().expected()


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_turned_page_is_read_upright_and_sent_to_review(pm, registry, tmp_path: Path, degrees: int) -> None:  # noqa: ANN001
    out = extract_file(bad.turned(tmp_path / f"t{degrees}.png", degrees), pm, registry)
    got = {(b["day"], b["startTime"], b["endTime"], b["name"]) for b in out["timeblocks"]}
    assert len(got & expected()) >= 0.9 * len(expected())
    assert not got - expected()  # nothing invented
    assert out["route"] == "review" and out["confidence"] <= 0.5
    assert any(f"turned by {degrees} degrees" in w for w in out["warnings"])


CASES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("tiny.png", bad.tiny, "very small"),
    ("blank.png", bad.blank, "no text was found"),
    ("letter.png", bad.letter, "no timetable was found"),
    ("scribble.png", bad.scribble, "no timetable was found"),
]


@pytest.mark.parametrize(("name", "make", "reason"), CASES, ids=[c[0] for c in CASES])
def test_not_a_readable_timetable(pm, registry, tmp_path: Path, name: str, make, reason: str) -> None:  # noqa: ANN001
    out = extract_file(make(tmp_path / name), pm, registry)
    assert out["timeblocks"] == []
    assert out["confidence"] == 0.0 and out["route"] == "review"
    assert any(reason in w for w in out["warnings"])


def test_huge_photo_is_read_within_bounds(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    out = extract_file(bad.huge(tmp_path / "huge.jpg"), pm, registry)
    got = {(b["day"], b["startTime"], b["endTime"], b["name"]) for b in out["timeblocks"]}
    assert len(got & expected()) >= 0.85 * len(expected())  # a letter or two may be misread
    assert {b[:3] for b in got} <= {b[:3] for b in expected()}  # nothing invented


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".pdf", ".docx"])
def test_corrupt_file_is_a_clear_error(pm, registry, tmp_path: Path, suffix: str) -> None:  # noqa: ANN001
    path = tmp_path / f"broken{suffix}"
    good = {
        ".png": b"\x89PNG\r\n\x1a\n",
        ".jpg": b"\xff\xd8\xff\xe0",
        ".pdf": b"%PDF-1.4\n",
        ".docx": b"PK\x03\x04",
    }
    path.write_bytes(good[suffix] + b"\x00garbage" * 50)
    with pytest.raises(DocumentUnreadable):
        extract_file(path, pm, registry)
