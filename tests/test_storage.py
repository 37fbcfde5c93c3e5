"""Storage behind one interface: a local folder and S3 (against a local S3 server)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings
from core.storage import LocalStorage, S3Storage, Storage, make_storage
from tests.support.shared import SharedServers


@pytest.fixture(params=["local", "s3"])
def storage(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared: SharedServers
) -> Iterator[Storage]:
    if request.param == "local":
        yield LocalStorage(tmp_path / "files")
        return
    s3 = shared.s3
    s3.apply_env(monkeypatch)  # S3Storage builds its client the way production does: from the environment
    bucket = s3.create_bucket(shared.bucket_name("uploads"))  # a new, empty bucket for each test
    yield S3Storage(bucket, endpoint_url=s3.endpoint_url, region=s3.region)


def test_put_read_and_delete(storage: Storage) -> None:
    key = "tenants/t1/documents/d1/original.pdf"
    payload = b"%PDF-1.7 " + bytes(range(256)) * 5000  # over a megabyte: more than one chunk
    assert not storage.exists(key)
    storage.put(key, io.BytesIO(payload))
    assert storage.exists(key)
    with storage.local_path(key) as path:
        assert path.read_bytes() == payload
        assert path.suffix == ".pdf"  # readers that look at the extension still work
    storage.delete(key)
    assert not storage.exists(key)
    storage.delete(key)  # deleting twice is harmless


def test_a_missing_object_is_an_error_not_an_empty_file(storage: Storage) -> None:
    with pytest.raises(Exception), storage.local_path("tenants/t1/nothing.png"):  # noqa: B017
        pass


def test_local_keys_cannot_escape_the_storage_folder(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "files")
    with pytest.raises(ValueError, match="escapes"):
        storage.put("../../etc/passwd", io.BytesIO(b"x"))
    assert not (tmp_path / "etc").exists()


def test_an_interrupted_local_write_leaves_no_file(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "files")

    class Failing(io.RawIOBase):
        def readinto(self, buffer: bytearray) -> int:
            raise OSError("connection reset")

    with pytest.raises(OSError):
        storage.put("a/b.png", Failing())
    assert not storage.exists("a/b.png")


def test_settings_pick_the_storage(tmp_path: Path) -> None:
    assert isinstance(make_storage(Settings(data_dir=tmp_path)), LocalStorage)
    s3 = make_storage(Settings(data_dir=tmp_path, s3_bucket="b", s3_endpoint_url="http://127.0.0.1:9"))
    assert isinstance(s3, S3Storage) and s3.bucket == "b"
