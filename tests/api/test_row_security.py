"""PostgreSQL's row-level security, the backstop behind the code's own scoping: the app's role sees
no row of a school unless its session names that school."""

from __future__ import annotations

import pytest

from tests.conftest import DOCUMENTS
from tests.support.accounts import DistrictSetup
from tests.support.stacks import Stack

TABLES = (
    "users",
    "refresh_tokens",
    "invites",
    "audit_log",
    "usage_events",
    "documents",
    "jobs",
    "stage_results",
    "timetables",
    "timeblocks",
)


def as_app(stack: Stack, sql: str, tenant: str | None = None) -> str:
    """Run SQL in one session as the app's own role, optionally naming a school first."""
    prefix = f"SELECT set_config('app.tenant_id', '{tenant}', false);" if tenant else ""
    return stack.postgres.execute(f"SET ROLE timetabler_app; {prefix} {sql}").strip().splitlines()[-1]


# Row-level security is PostgreSQL's; these run on the production stack only.
pytestmark = pytest.mark.parametrize("stack", ["postgres"], indirect=True)


@pytest.fixture
def postgres_stack(stack: Stack) -> Stack:
    return stack


def test_every_tenant_table_forces_row_security(postgres_stack: Stack) -> None:
    # Every table that carries a tenant_id, including ones added after this test was written.
    tenant_tables = postgres_stack.postgres.execute(
        "SELECT table_name FROM information_schema.columns "
        "WHERE column_name = 'tenant_id' AND table_schema = 'public' ORDER BY table_name"
    ).split()
    forced = postgres_stack.postgres.execute(
        "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity ORDER BY relname"
    ).split()
    assert set(TABLES) <= set(tenant_tables)
    assert sorted(set(tenant_tables) - set(forced)) == []
    owner = postgres_stack.postgres.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'documents'")
    assert owner.strip() != "timetabler_app"  # the app owns nothing, so the policies bind it


def test_the_app_role_sees_only_the_named_school(
    postgres_stack: Stack, districts: tuple[DistrictSetup, DistrictSetup]
) -> None:
    north, south = districts
    for setup in districts:
        teacher = setup.school.teacher
        teacher.wait_for_job(teacher.upload(DOCUMENTS / "017_days_cols_pdf_text.pdf").json()["jobId"])
    total = int(postgres_stack.postgres.execute("SELECT count(*) FROM documents"))  # the owner sees all
    assert total >= 2
    assert as_app(postgres_stack, "SELECT count(*) FROM documents") == "0"  # no school named: nothing
    north_count = int(as_app(postgres_stack, "SELECT count(*) FROM documents", north.school.id))
    south_count = int(as_app(postgres_stack, "SELECT count(*) FROM documents", south.school.id))
    assert north_count >= 1 and south_count >= 1 and north_count + south_count <= total
    leaked = as_app(
        postgres_stack,
        f"SELECT count(*) FROM timeblocks WHERE tenant_id <> '{north.school.id}'",
        north.school.id,
    )
    assert leaked == "0"


def test_the_app_role_cannot_write_into_another_school(
    postgres_stack: Stack, districts: tuple[DistrictSetup, DistrictSetup]
) -> None:
    north, south = districts
    sql = (
        "INSERT INTO timetables (id, tenant_id, user_id, name, created_at, updated_at) "
        f"VALUES (gen_random_uuid(), '{south.school.id}', '{south.school.teacher.user['id']}', 'x', "
        "now(), now())"
    )
    with pytest.raises(RuntimeError, match="row-level security"):
        as_app(postgres_stack, sql, north.school.id)
