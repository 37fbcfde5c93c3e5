"""The console in-process: a TestClient over the real app and a small world of districts, schools,
people and recorded jobs, made directly in the tables. And the console on the production parts
(pg_stack), one stack for the folder's PostgreSQL modules."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from core.app import create_app
from core.auth import hash_password
from core.db.engine import migrate
from core.db.tables import District, Document, Job, Tenant, User
from tests.support.shared import SharedServers
from tests.support.stacks import Stack, postgres_env, running_stack

PASSWORD = "a long enough password"
_HASH: dict[str, str] = {}


def run(awaitable: Any) -> Any:
    """Await a coroutine or a Piccolo query from a synchronous test."""

    async def wait() -> Any:
        return await awaitable

    return asyncio.run(wait())


def password_hash() -> str:
    # argon2 is slow on purpose; one hash serves every test account
    if not _HASH:
        _HASH["h"] = hash_password(PASSWORD)
    return _HASH["h"]


def tag() -> str:
    return uuid.uuid4().hex[:8]


async def make_district(name: str) -> District:
    district = District(name=name, slug=f"{name.lower().replace(' ', '-')}-{tag()}")
    await district.save()
    return district


async def make_school(name: str, district: District | None = None, settings: dict | None = None) -> Tenant:
    school = Tenant(
        name=name,
        slug=f"{name.lower().replace(' ', '-')}-{tag()}",
        district_id=district.id if district else None,
        settings=settings or {},
    )
    await school.save()
    return school


async def make_user(role: str, school: Tenant | None = None, district: District | None = None) -> User:
    user = User(
        email=f"{role}-{tag()}@school.test",
        name=role.replace("_", " ").title(),
        password_hash=password_hash(),
        role=role,
        tenant_id=school.id if school else None,
        district_id=district.id if district else None,
    )
    await user.save()
    return user


async def record_jobs(
    school: Tenant, owner: User, confidences: list[float], *, pages: int = 1, status: str = "completed"
) -> None:
    """Finished jobs as the pipeline leaves them: a document, a confidence and a route."""
    for i, confidence in enumerate(confidences):
        document = Document(
            tenant_id=school.id,
            user_id=owner.id,
            filename=f"t{i}.pdf",
            content_type="application/pdf",
            content_hash=uuid.uuid4().hex,
            size=100,
            storage_key=f"k/{uuid.uuid4().hex}",
            pages=pages,
            status="processed",
        )
        await document.save()
        await Job(
            tenant_id=school.id,
            document_id=document.id,
            user_id=owner.id,
            status=status,
            stage="notify",
            confidence=confidence,
            route="accept",
            created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=i),
        ).save()


@dataclass
class World:
    district_a: District
    district_b: District
    oak: Tenant  # district A
    elm: Tenant  # district A
    pine: Tenant  # district B
    platform_admin: User
    district_admin_a: User
    district_admin_b: User
    oak_admin: User
    oak_teacher: User
    extra: dict[str, Any] = field(default_factory=dict)


async def build_world() -> World:
    district_a, district_b = await make_district("Maple District"), await make_district("Birch District")
    oak = await make_school("Oak", district_a)
    elm = await make_school("Elm", district_a)
    pine = await make_school("Pine", district_b)
    return World(
        district_a=district_a,
        district_b=district_b,
        oak=oak,
        elm=elm,
        pine=pine,
        platform_admin=await make_user("platform_admin"),
        district_admin_a=await make_user("district_admin", district=district_a),
        district_admin_b=await make_user("district_admin", district=district_b),
        oak_admin=await make_user("school_admin", school=oak),
        oak_teacher=await make_user("teacher", school=oak),
    )


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    run(migrate())
    with TestClient(app=create_app(), base_url="http://testserver.local") as test_client:
        yield test_client


@pytest.fixture
def world(client: TestClient) -> World:
    return run(build_world())


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page: httpx.Response) -> str:
    match = _CSRF.search(page.text)
    assert match, f"no CSRF field on the page:\n{page.text[:2000]}"
    return match.group(1)


def sign_in(client: TestClient, user: User | str, *, path: str = "/admin/login") -> httpx.Response:
    """Sign in through the form, as a browser would: a fresh cookie jar, the form's CSRF token."""
    client.cookies.clear()
    form = client.get(path)
    email = user if isinstance(user, str) else user.email
    return client.post(
        path,
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(form), "next": "/admin/"},
        follow_redirects=False,
    )


def post_form(client: TestClient, page_path: str, data: dict[str, str], *, action: str | None = None):
    """Open a page, then submit one of its forms with the page's CSRF token (no redirects followed)."""
    page = client.get(page_path)
    assert page.status_code == 200, page.text
    return client.post(
        action or page_path, data={**data, "csrf_token": csrf_of(page)}, follow_redirects=False
    )


def text(fragment: str) -> str:
    """Visible text: tags dropped, entities decoded, spaces squeezed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def row(page: str, attribute: str) -> str:
    """The visible text of the table row carrying ``attribute`` (e.g. data-route="llm")."""
    match = re.search(rf"<tr[^>]*{re.escape(attribute)}[^>]*>(.*?)</tr>", page, re.S)
    assert match, f"no row with {attribute}"
    return text(match.group(1))


def rows(page: str, attribute: str) -> list[str]:
    """The visible text of every table row carrying ``attribute``, in page order."""
    return [text(m) for m in re.findall(rf"<tr[^>]*{re.escape(attribute)}[^>]*>(.*?)</tr>", page, re.S)]


@pytest.fixture(scope="package")
def pg_stack(tmp_path_factory: pytest.TempPathFactory, shared: SharedServers) -> Iterator[Stack]:
    """`timetabler serve` and a worker on PostgreSQL with row-level security (the app's role owns no
    table) and Redis. Shared by the folder's PostgreSQL modules (each makes districts and schools of
    its own); stopped when the folder's last test is done."""
    pg = shared.database()
    env = postgres_env(pg, shared.redis_url())
    with running_stack(
        "postgres", tmp_path_factory.mktemp("admin-pg"), env, worker=True, migrated=True
    ) as stack:
        yield stack
