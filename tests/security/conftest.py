"""The security suite runs against `timetabler serve` on the embedded defaults (SQLite, in-process
worker), the stack where a crash in a reader would take the worker down with the server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.stack import Stack, running_stack


@pytest.fixture(scope="session")
def sqlite_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack("sqlite", tmp_path_factory.mktemp("security-stack"), {}, worker=False) as running:
        yield running
