"""At least 50 hostile files, each uploaded through the API: none gets a 5xx, each is refused with a
clear ``{code, message}`` or becomes a job that ends cleanly, and the worker still reads a good
document afterwards. The bombs and entity attacks are also fed straight to the pipeline's readers,
which must refuse them on their own (a file stored before these checks existed reaches them)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from core.engines import DocumentUnreadable
from core.extraction import images
from core.extraction.limits import LimitExceeded, UnsafeContent
from plugins.reader_docx.plugin import DocxReader
from plugins.reader_pdf_text.plugin import PdfTextReader
from tests.conftest import DOCUMENTS
from tests.security import hostile
from tests.support.accounts import register
from tests.support.stacks import Stack

GOOD = DOCUMENTS / "003_days_cols_pdf_text.pdf"


def test_every_hostile_upload_is_refused_clearly_or_ends_cleanly(sqlite_stack: Stack, tmp_path: Path) -> None:
    corpus = hostile.build(tmp_path)
    assert len(corpus) >= 50
    teacher = register(sqlite_stack)
    accepted: list[tuple[hostile.Hostile, dict]] = []
    for item in corpus:
        response = teacher.upload(item.path, name=item.name, content_type=item.content_type)
        where = f"{item.name[:60]}: {response.status_code} {response.text[:300]}"
        assert response.status_code in item.statuses, where
        if response.status_code == hostile.JOB:
            accepted.append((item, response.json()))
            continue
        body = response.json()
        assert set(body) >= {"code", "message"} and len(body["message"]) > 20, where
        if item.code:
            assert body["code"] == item.code, where
    for item, ids in accepted:
        job = teacher.wait_for_job(ids["jobId"])
        assert job["status"] in ("completed", "failed", "review"), item.name
        if job["status"] == "failed":  # a readable reason, not a stack trace
            assert job["error"] and "Traceback" not in job["error"], (item.name, job["error"])
    # Only the accepted files were kept, each under a random key with the suffix of its real type.
    documents = teacher.client.get("/documents", params={"limit": 200}).json()["items"]
    assert len(documents) == len(accepted)
    stored = sorted((sqlite_stack.data_dir / "files").rglob("*"))
    for path in (p for p in stored if p.is_file()):
        assert path.name.startswith("original.") and path.suffix in (".png", ".pdf", ".docx"), path
    assert not any("passwd" in p.name or "evil" in p.name for p in stored)
    # The worker survived all of it: a good document still becomes a timetable.
    good = teacher.upload(GOOD)
    assert good.status_code == 202, good.text
    assert teacher.wait_for_job(good.json()["jobId"])["status"] in ("completed", "review")


def test_a_download_is_an_attachment_of_the_type_its_bytes_are(sqlite_stack: Stack, tmp_path: Path) -> None:
    teacher = register(sqlite_stack)
    path = tmp_path / "image.bin"
    path.write_bytes(hostile.png_bytes())
    # The attacker names it like a web page and claims it is HTML.
    upload = teacher.upload(path, name="<script>x</script>.html.png", content_type="text/html")
    assert upload.status_code == 202, upload.text
    document = teacher.client.get(f"/documents/{upload.json()['documentId']}").json()
    assert document["contentType"] == "image/png"
    served = teacher.client.get(f"/documents/{document['id']}/file")
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/png"
    assert served.headers["content-disposition"].startswith("attachment;")
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.content == path.read_bytes()
    teacher.wait_for_job(upload.json()["jobId"])


READER_ATTACKS = {
    "bomb.png": ("image", LimitExceeded),
    "huge.jpg": ("image", LimitExceeded),
    "bomb.tif": ("image", LimitExceeded),
    "huge.webp": ("image", LimitExceeded),
    "pages-10000.pdf": ("pdf_scan", LimitExceeded),
    "huge-box.pdf": ("pdf_scan", LimitExceeded),
    "objects.pdf": ("pdf_text", LimitExceeded),
    "loop.pdf": ("pdf_text", DocumentUnreadable),
    "ratio-bomb.docx": ("docx", LimitExceeded),
    "entries.docx": ("docx", LimitExceeded),
    "lying-zip.docx": ("docx", DocumentUnreadable),
    "laughs.docx": ("docx", UnsafeContent),
    "xxe.docx": ("docx", UnsafeContent),
    "external-dtd.docx": ("docx", UnsafeContent),
    "param-entity.docx": ("docx", UnsafeContent),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, hostile.Hostile]:
    return {item.name: item for item in hostile.build(tmp_path_factory.mktemp("hostile"))}


@pytest.mark.parametrize("name", sorted(READER_ATTACKS))
def test_the_pipeline_readers_refuse_attacks_on_their_own(corpus: dict, name: str) -> None:
    kind, refusal = READER_ATTACKS[name]
    path = corpus[name].path
    with pytest.raises(refusal) as raised:
        if kind == "docx":
            DocxReader().read(path)
        elif kind == "pdf_text":
            PdfTextReader().read(path)
        else:
            list(images.page_images(path, kind))
    assert len(str(raised.value)) > 20


def test_python_docx_alone_never_resolves_an_external_entity(corpus: dict, tmp_path: Path) -> None:
    """Even past our check, python-docx's lxml parser leaves entities unresolved: /etc/passwd stays out."""
    path = tmp_path / "xxe.docx"
    path.write_bytes(corpus["xxe.docx"].path.read_bytes())
    text = "".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "root:" not in text
