"""Large uploads straight to S3 (moto on loopback): a presigned PUT or multipart parts from the
client, then `complete` checks the object like a streamed upload before the job is queued."""

from __future__ import annotations

import concurrent.futures
import io
import random
import struct
import time
import zipfile
import zlib
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import DOCUMENTS
from tests.support.accounts import Account, register
from tests.support.stacks import Stack, running_stack, s3_client

SYNTHETIC = DOCUMENTS
TEXT_PDF = SYNTHETIC / "003_days_cols_pdf_text.pdf"
DOCX = SYNTHETIC / "012_days_cols_docx.docx"


def stored_keys(stack: Stack, prefix: str) -> list[str]:
    listing = s3_client(stack.s3_endpoint_url).list_objects_v2(Bucket=stack.s3_bucket, Prefix=prefix)
    return [item["Key"] for item in listing.get("Contents", [])]


def ask(account: Account, name: str, size: int) -> httpx.Response:
    return account.client.post(
        "/documents/direct-uploads", json={"filename": name, "size": size, "contentType": "application/pdf"}
    )


def put(url: str, content: bytes) -> httpx.Response:
    return httpx.put(url, content=content, timeout=60)


def complete(account: Account, upload: dict[str, Any], parts: list[dict] | None = None) -> httpx.Response:
    body = {"parts": parts} if parts is not None else None
    return account.client.post(f"/documents/direct-uploads/{upload['id']}/complete", json=body)


def huge_png_header() -> bytes:
    """A tiny PNG whose header claims 60,000 x 60,000 pixels: a decompression bomb's calling card."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def big_docx() -> bytes:
    """The corpus's Word timetable with 6 MB of stored (incompressible) media: a real, large .docx."""
    out = io.BytesIO()
    with zipfile.ZipFile(DOCX) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        padding = random.Random(7).randbytes(6 * 1024 * 1024)
        target.writestr(zipfile.ZipInfo("word/media/photo.bin"), padding, compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def test_a_file_put_to_its_url_becomes_a_timetable(s3_stack: Stack) -> None:
    teacher = register(s3_stack)
    content = TEXT_PDF.read_bytes()
    upload = ask(teacher, "week.pdf", len(content))
    assert upload.status_code == 201, upload.text
    upload = upload.json()
    tenant = teacher.user["tenantId"]
    assert upload["url"] and upload["parts"] is None and f"tenants/{tenant}/direct-uploads/" in upload["url"]
    assert put(upload["url"], content).status_code == 200
    done = complete(teacher, upload)
    assert done.status_code == 202, done.text
    job = teacher.wait_for_job(done.json()["jobId"])
    assert job["status"] in ("completed", "review"), job
    document = teacher.client.get(f"/documents/{done.json()['documentId']}").json()
    assert (document["filename"], document["size"], document["kind"]) == (
        "week.pdf",
        len(content),
        "pdf_text",
    )
    assert stored_keys(s3_stack, f"tenants/{tenant}/direct-uploads/") == []  # the pending copy is gone
    assert len(stored_keys(s3_stack, f"tenants/{tenant}/documents/{document['id']}/")) == 1
    again = complete(teacher, upload)  # a retried completion answers with the same job
    assert again.status_code == 202 and again.json() == done.json()


def test_racing_completions_make_one_document(s3_stack: Stack) -> None:
    teacher = register(s3_stack)
    content = TEXT_PDF.read_bytes()
    upload = ask(teacher, "week.pdf", len(content)).json()
    assert put(upload["url"], content).status_code == 200
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        answers = list(pool.map(lambda _: complete(teacher, upload), range(3)))
    accepted = [a.json() for a in answers if a.status_code == 202]
    busy = [a.json()["code"] for a in answers if a.status_code != 202]
    assert accepted and all(a == accepted[0] for a in accepted)
    assert set(busy) <= {"upload_in_progress"}
    assert teacher.client.get("/documents/").json()["total"] == 1


def test_a_hostile_object_is_refused_and_deleted(s3_stack: Stack) -> None:
    teacher = register(s3_stack)
    bomb = huge_png_header()
    upload = ask(teacher, "timetable.png", len(bomb)).json()
    assert put(upload["url"], bomb).status_code == 200
    refused = complete(teacher, upload)
    assert refused.status_code == 413, refused.text
    assert refused.json()["code"] == "document_too_large" and "megapixels" in refused.json()["message"]
    assert stored_keys(s3_stack, f"tenants/{teacher.user['tenantId']}/") == []
    assert complete(teacher, upload).status_code == 404  # nothing is left to complete
    assert teacher.client.get("/documents/").json()["total"] == 0


def test_an_object_of_another_size_than_announced_is_refused(s3_stack: Stack) -> None:
    teacher = register(s3_stack)
    content = TEXT_PDF.read_bytes()
    upload = ask(teacher, "week.pdf", len(content) + 10).json()
    assert put(upload["url"], content).status_code == 200
    refused = complete(teacher, upload)
    assert refused.status_code == 400 and refused.json()["code"] == "size_mismatch", refused.text
    assert stored_keys(s3_stack, f"tenants/{teacher.user['tenantId']}/") == []
    too_big = ask(teacher, "huge.pdf", 11 * 1024 * 1024)  # the stack allows 10 MB
    assert too_big.status_code == 413 and too_big.json()["code"] == "file_too_large"


def test_completing_before_the_upload_says_what_to_do(s3_stack: Stack) -> None:
    teacher = register(s3_stack)
    upload = ask(teacher, "week.pdf", 1234).json()
    early = complete(teacher, upload)
    assert early.status_code == 409 and early.json()["code"] == "upload_not_found"
    assert "PUT it to the upload URL" in early.json()["message"]


def test_another_school_cannot_complete_your_upload(s3_stack: Stack) -> None:
    teacher, stranger = register(s3_stack), register(s3_stack)
    content = TEXT_PDF.read_bytes()
    upload = ask(teacher, "week.pdf", len(content)).json()
    assert put(upload["url"], content).status_code == 200
    theirs = complete(stranger, upload)
    assert theirs.status_code == 404 and theirs.json()["code"] == "not_found"
    assert complete(teacher, upload).status_code == 202  # still the owner's to finish


def test_a_big_file_goes_up_in_parts(s3_stack: Stack) -> None:
    teacher = register(s3_stack)
    content = big_docx()
    upload = ask(teacher, "big week.docx", len(content)).json()
    assert upload["url"] is None and upload["partSize"] == 5 * 1024 * 1024
    assert [p["partNumber"] for p in upload["parts"]] == [1, 2]
    size = upload["partSize"]
    etags = []
    for part in upload["parts"]:
        start = (part["partNumber"] - 1) * size
        answer = put(part["url"], content[start : start + size])
        assert answer.status_code == 200, answer.text
        etags.append({"partNumber": part["partNumber"], "etag": answer.headers["ETag"]})
    missing = complete(teacher, upload)
    assert missing.status_code == 400 and missing.json()["code"] == "missing_parts"
    done = complete(teacher, upload, etags)
    assert done.status_code == 202, done.text
    job = teacher.wait_for_job(done.json()["jobId"])
    assert job["status"] in ("completed", "review"), job
    document = teacher.client.get(f"/documents/{done.json()['documentId']}").json()
    assert (document["kind"], document["size"]) == ("docx", len(content))


def test_an_upload_never_completed_expires_with_its_bytes(s3_stack: Stack) -> None:
    teacher = register(s3_stack)
    content = TEXT_PDF.read_bytes()
    abandoned = ask(teacher, "week.pdf", len(content)).json()
    assert put(abandoned["url"], content).status_code == 200
    tenant = teacher.user["tenantId"]
    assert len(stored_keys(s3_stack, f"tenants/{tenant}/direct-uploads/{abandoned['id']}/")) == 1
    time.sleep(4)  # the stack lets a pending upload live 3.6 s (a day by default)
    assert ask(teacher, "next.pdf", len(content)).status_code == 201  # the school's next request sweeps
    assert stored_keys(s3_stack, f"tenants/{tenant}/direct-uploads/{abandoned['id']}/") == []
    assert complete(teacher, abandoned).status_code == 404


@pytest.fixture(scope="module")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with running_stack("sqlite", tmp_path_factory.mktemp("direct-local"), {}, worker=False) as stack:
        yield stack


def test_with_local_files_the_streamed_upload_is_the_way(local_stack: Stack, tmp_path: Path) -> None:
    teacher = register(local_stack)
    answer = ask(teacher, "week.pdf", 1000)
    assert answer.status_code == 409
    assert answer.json() == {
        "code": "direct_upload_unavailable",
        "message": "use POST /api/v1/documents/upload",
    }
