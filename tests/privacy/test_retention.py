"""The retention purge runs by itself inside the app (every second here, hourly by default)."""

from __future__ import annotations

import time

from tests.conftest import DOCUMENTS
from tests.privacy.scan import run_sql, storage_keys
from tests.support.accounts import register
from tests.support.stacks import Stack


def test_old_documents_are_purged_periodically_without_a_command(stack: Stack) -> None:
    teacher = register(stack)
    old = teacher.upload(DOCUMENTS / "003_days_cols_pdf_text.pdf").json()
    new = teacher.upload(DOCUMENTS / "003_days_cols_pdf_text.pdf").json()
    for upload in (old, new):
        teacher.wait_for_job(upload["jobId"])
    # The first document is made 400 days old (the default retention keeps 365).
    if stack.postgres is None:
        age = "created_at = '2020' || substr(created_at, 5)"
    else:
        age = "created_at = created_at - interval '400 days'"
    run_sql(stack, f"UPDATE documents SET {age} WHERE id = '{old['documentId']}'")
    deadline = time.monotonic() + 60
    while teacher.client.get(f"/documents/{old['documentId']}").status_code != 404:
        assert time.monotonic() < deadline, "the periodic purge did not remove the old document"
        time.sleep(0.5)
    assert teacher.client.get(f"/documents/{new['documentId']}").status_code == 200
    keys = storage_keys(stack)
    assert not any(old["documentId"] in key and key.endswith(("pdf", "png")) for key in keys)
    assert any(new["documentId"] in key for key in keys)
