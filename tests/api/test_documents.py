"""An upload travels from the API to a saved timetable; bad uploads are refused and leave nothing."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import DOCUMENTS
from tests.support.accounts import Account, register
from tests.support.stacks import Stack, s3_client

SYNTHETIC = DOCUMENTS


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


def found_share(blocks: list[dict], truth: list[dict]) -> float:
    """The share of true blocks found with the same day, times and name (as the benchmark counts)."""
    keyed = [
        (b["day"], b["startTime"], b["endTime"], _norm(b["name"] + " " + (b["notes"] or ""))) for b in blocks
    ]
    hits = 0
    for t in truth:
        words = set(_norm(t["name"]).split())
        if any(
            (d, s, e) == (t["day"], t["startTime"], t["endTime"]) and words <= set(n.split())
            for d, s, e, n in keyed
        ):
            hits += 1
    return hits / len(truth)


def stored_files(stack: Stack, tenant_id: str) -> list[str]:
    if stack.s3_bucket:
        listing = s3_client(stack.s3_endpoint_url).list_objects_v2(
            Bucket=stack.s3_bucket, Prefix=f"tenants/{tenant_id}/"
        )
        return [obj["Key"] for obj in listing.get("Contents", [])]
    root = stack.data_dir / "files" / "tenants" / tenant_id
    return [str(p) for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    "name", ["003_days_cols_pdf_text.pdf", "000_days_cols_png.png", "012_days_cols_docx.docx"]
)
def test_an_upload_becomes_a_timetable_with_its_blocks(stack: Stack, teacher: Account, name: str) -> None:
    path = SYNTHETIC / name
    truth = json.loads(path.with_name(path.stem + ".truth.json").read_text())
    upload = teacher.upload(path)
    assert upload.status_code == 202, upload.text
    ids = upload.json()
    job = teacher.wait_for_job(ids["jobId"])
    # Accepted, or (below the school's bar with no escalation engine set up) waiting for a person.
    assert job["status"] in ("completed", "review"), job
    assert job["documentId"] == ids["documentId"]
    assert job["error"] is None
    assert 0.0 <= job["confidence"] <= 1.0
    assert job["attempts"] == 1  # the last stage ran once
    assert job["decisions"][0]["step"] == "route" and job["route"] in job["decisions"][0]["reason"]
    if job["status"] == "review":  # every skipped step says why
        assert all(d["reason"] for d in job["decisions"][1:]) and len(job["decisions"]) >= 2
    timetable = teacher.client.get(f"/timetables/{job['timetableId']}").json()
    assert timetable["documentId"] == ids["documentId"]
    other = teacher.client.post("/timetables", json={"name": "Typed by hand"})
    assert other.status_code == 201  # another timetable of this teacher's, from no upload
    of_upload = teacher.client.get("/timetables", params={"documentId": ids["documentId"]}).json()
    assert [t["id"] for t in of_upload["items"]] == [job["timetableId"]]
    assert found_share(timetable["timeblocks"], truth["timeblocks"]) >= 0.9
    for block in timetable["timeblocks"]:
        assert block["duration"] > 0
    document = teacher.client.get(f"/documents/{ids['documentId']}").json()
    expected = "processed" if job["status"] == "completed" else "review"
    assert document["status"] == expected
    assert document["timetableId"] == job["timetableId"]
    status = teacher.client.get(f"/documents/{ids['documentId']}/status").json()
    assert status == {
        "documentId": ids["documentId"],
        "status": expected,
        "jobId": ids["jobId"],
        "jobStatus": job["status"],
        "stage": "done",
        "error": None,
        "errorCode": None,
    }


def test_deleting_a_document_removes_its_stored_file(stack: Stack, teacher: Account) -> None:
    upload = teacher.upload(SYNTHETIC / "003_days_cols_pdf_text.pdf").json()
    teacher.wait_for_job(upload["jobId"])
    tenant = teacher.user["tenantId"]
    assert len(stored_files(stack, tenant)) == 1
    assert teacher.client.delete(f"/documents/{upload['documentId']}").status_code == 204
    assert teacher.client.get(f"/documents/{upload['documentId']}").status_code == 404
    assert teacher.client.get(f"/jobs/{upload['jobId']}").status_code == 404
    assert stored_files(stack, tenant) == []


def _corrupt_docx(tmp: Path) -> Path:
    path = tmp / "broken.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return path


def _png_bytes() -> bytes:
    image = Image.effect_noise((400, 300), 60).convert("RGB")  # noise: does not compress below 3 kB
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


BAD_UPLOADS = {
    "text file": ("notes.txt", b"Monday 9:00 Maths\n", 415, "unsupported_type"),
    "empty file": ("empty.pdf", b"", 400, "empty_file"),
    "corrupt pdf": ("broken.pdf", b"%PDF-1.7\n1 0 obj <<>> garbage without xref", 422, "unreadable_document"),
    "truncated png": (
        "cut.png",
        (SYNTHETIC / "000_days_cols_png.png").read_bytes()[:3000],
        422,
        "unreadable_document",
    ),
    "too large": ("huge.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (3 * 1024 * 1024), 413, "file_too_large"),
}


@pytest.mark.parametrize("case", sorted(BAD_UPLOADS))
def test_a_bad_upload_is_refused_with_a_clear_error_and_nothing_is_saved(
    stack: Stack, teacher: Account, tmp_path: Path, case: str
) -> None:
    filename, content, status, code = BAD_UPLOADS[case]
    response = teacher.client.post("/documents/upload", files={"file": (filename, content)})
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code
    assert len(body["message"]) > 20  # says what is wrong and what to do
    assert teacher.client.get("/documents").json()["total"] == 0
    assert stored_files(stack, teacher.user["tenantId"]) == []


def test_a_corrupt_docx_and_a_missing_file_field_are_refused(
    stack: Stack, teacher: Account, tmp_path: Path
) -> None:
    response = teacher.upload(_corrupt_docx(tmp_path))
    assert response.status_code == 422 and response.json()["code"] == "unreadable_document"
    missing = teacher.client.post("/documents/upload", files={"other": ("a.pdf", b"%PDF")})
    assert missing.status_code == 400 and missing.json()["code"] == "missing_file"
    assert teacher.client.get("/documents").json()["total"] == 0


def test_uploads_need_a_signed_in_user(stack: Stack) -> None:
    with stack.client() as anonymous:
        response = anonymous.post("/documents/upload", files={"file": ("a.pdf", b"%PDF-1.7")})
    assert response.status_code == 401


def test_documents_are_listed_newest_first_with_paging(stack: Stack) -> None:
    account = register(stack)
    ids = []
    for name in ("003_days_cols_pdf_text.pdf", "017_days_cols_pdf_text.pdf"):
        ids.append(account.upload(SYNTHETIC / name).json())
    page = account.client.get("/documents", params={"limit": 1}).json()
    assert page["total"] == 2 and page["limit"] == 1 and len(page["items"]) == 1
    assert page["items"][0]["id"] == ids[1]["documentId"]
    by_name = account.client.get("/documents", params={"sort": "filename"}).json()["items"]
    assert [d["filename"] for d in by_name] == ["003_days_cols_pdf_text.pdf", "017_days_cols_pdf_text.pdf"]
    for ids_ in ids:
        account.wait_for_job(ids_["jobId"])
    assert account.client.get("/documents", params={"sort": "nonsense"}).status_code == 400
