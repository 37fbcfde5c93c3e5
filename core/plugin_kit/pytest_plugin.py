"""A pytest plugin for Timetabler plugin authors (entry point ``pytest11``: ``timetabler``).

Fixtures only (none autouse) and nothing heavy imported until a fixture runs, so installing
Timetabler changes no one's test session. The contract suites are plain functions:
``from core.plugin_kit.contracts import assert_ocr_engine_contract``.

Fixtures:
- ``timetabler_samples``: sample timetable documents (PNG, text PDF, DOCX, a broken file) whose
  lessons are ``core.plugin_kit.samples.SAMPLE_LESSONS``.
- ``timetabler_database``: a migrated database (SQLite in a temporary folder unless the session
  already chose one), with ``run(query)`` to await Piccolo queries from a test.
- ``timetabler_broker``: the in-memory Dramatiq broker the embedded stack uses, emptied after the test.
- ``timetabler_plugins``: a plugin manager with the installed plugins plus ``timetabler_extra_plugins``
  (override that fixture to add plugin objects under test without installing them).
- ``timetabler_client``: a Litestar TestClient over the real app on the temporary database, with an
  in-process worker, as ``timetabler serve`` runs on its defaults; ``sign_up`` opens an account.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.plugin_kit.samples import write_samples

# The other imports of ours sit in the fixtures that need them: a test session that uses no fixture
# pays for none of them (msgspec alone is 0.3 s), and the database and the broker read the settings
# when first imported, so they load only after a fixture chose where the data goes.

_DATA_DIR = "TIMETABLER_DATA_DIR"


@pytest.fixture(scope="session")
def timetabler_samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_samples(tmp_path_factory.mktemp("timetabler-samples"))


class Database:
    """The test session's database: where it is, and a way to await Piccolo queries."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    @staticmethod
    def run(awaitable: Any) -> Any:
        import asyncio

        async def wait() -> Any:
            return await awaitable

        return asyncio.run(wait())


@pytest.fixture(scope="session")
def timetabler_database() -> Database:
    # Settings are read once per process: choose a temporary folder before anything reads them,
    # unless the session (or its conftest) already chose where the data goes.
    if not os.environ.get(_DATA_DIR) and not os.environ.get("TIMETABLER_DATABASE_URL"):
        os.environ[_DATA_DIR] = tempfile.mkdtemp(prefix="timetabler-plugin-test-")
    from core.db.engine import migrate  # after the data folder is chosen
    from core.settings import get_settings

    database = Database(get_settings().data_dir)
    database.run(migrate())
    return database


@pytest.fixture
def timetabler_broker() -> Iterator[Any]:
    from dramatiq.brokers.stub import StubBroker

    from core.jobs.broker import broker  # reads TIMETABLER_REDIS_URL when imported

    if not isinstance(broker, StubBroker):
        pytest.fail("timetabler_broker needs the in-memory broker: unset TIMETABLER_REDIS_URL for tests")
    yield broker
    broker.flush_all()


@pytest.fixture
def timetabler_extra_plugins() -> list[object]:
    """Plugin objects to register beside the installed ones; override it in a conftest."""
    return []


@pytest.fixture
def timetabler_plugins(timetabler_extra_plugins: list[object]) -> Any:
    from core.plugins import make_plugin_manager  # numpy and the installed engines

    return make_plugin_manager(extra_plugins=timetabler_extra_plugins)


@pytest.fixture
def timetabler_client(timetabler_database: Database, timetabler_plugins: Any) -> Iterator[Any]:
    from litestar.testing import TestClient

    # The web app and the engines: only for a test that asks for a client.
    from core.app import create_app
    from core.plugins import EngineRegistry
    from core.runtime import Runtime
    from core.settings import get_settings
    from core.storage import make_storage

    settings = get_settings()
    runtime = Runtime(
        settings=settings,
        plugins=timetabler_plugins,
        engines=EngineRegistry.from_plugins(timetabler_plugins),
        storage=make_storage(settings),
    )
    with TestClient(app=create_app(settings, runtime), base_url="http://testserver.local") as client:
        yield client


def sign_up(client: Any, *, school: str, email: str | None = None) -> dict[str, Any]:
    """Register a teacher (a new school name creates the school); returns the API's answer with
    ``headers`` ready for authenticated calls."""
    import uuid

    body = {
        "email": email or f"{uuid.uuid4().hex[:10]}@plugin.test",
        "password": "a long enough password",
        "name": "Plugin Tester",
        "school": school,
    }
    response = client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 201, response.text
    answer = response.json()
    answer["headers"] = {"Authorization": f"Bearer {answer['accessToken']}"}
    return answer


def platform_admin(timetabler_database: Database) -> tuple[str, str]:
    """A new platform admin account, as `timetabler create-admin` makes one: (email, password)."""
    import uuid

    # The accounts' tables: after timetabler_database chose the database.
    from core.schools.roles import PLATFORM_ADMIN
    from core.staff.service import create_staff

    email, password = f"admin-{uuid.uuid4().hex[:8]}@plugin.test", "a long enough password"
    timetabler_database.run(
        create_staff(
            email,
            "Platform admin",
            password,
            role=PLATFORM_ADMIN,
            district_id=None,
        )
    )
    return email, password


def console_sign_in(client: Any, email: str, password: str) -> None:
    """Sign in to the admin console through its form, as a browser does (CSRF token included)."""
    import re

    client.cookies.clear()
    form = client.get("/admin/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token, "the sign-in form has no CSRF field"
    data = {"email": email, "password": password, "csrf_token": token.group(1), "next": "/admin/"}
    answer = client.post("/admin/login", data=data, follow_redirects=False)
    assert answer.status_code in (302, 303), answer.text
