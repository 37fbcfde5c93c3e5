"""Reads are answered quickly (the embedded database keeps answers until it changes), but never
stale: signing out, a new password, a changed role and every edit are felt by the very next
request, made with the same token, right after earlier reads of the same timetable, whoever
wrote: this server, or another process writing to the same database."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Iterator

import asyncpg

from tests.support.accounts import Account, invite, login, register
from tests.support.stacks import Stack

BLOCKS = [{"name": "Mathematics", "day": "Monday", "startTime": "08:30", "endTime": "09:20"}]


def make_timetable(account: Account, name: str = "Week A") -> dict:
    response = account.client.post("/timetables", json={"name": name, "timeblocks": BLOCKS})
    assert response.status_code == 201, response.text
    return response.json()


def read(account: Account, timetable_id: str) -> dict:
    response = account.client.get(f"/timetables/{timetable_id}")
    assert response.status_code == 200, response.text
    return response.json()


def test_reading_again_gives_the_same_answer(stack: Stack, teacher: Account) -> None:
    made = make_timetable(teacher)
    first = read(teacher, made["id"])
    assert read(teacher, made["id"]) == first
    assert first == {**made, "isCurrent": True}


def test_signing_out_ends_the_access_token_at_once(stack: Stack, teacher: Account) -> None:
    made = make_timetable(teacher)
    read(teacher, made["id"]), read(teacher, made["id"])
    assert (
        teacher.client.post("/auth/logout", json={"refreshToken": teacher.refresh_token}).status_code == 204
    )
    after = teacher.client.get(f"/timetables/{made['id']}")
    assert after.status_code == 401 and "signed out" in after.json()["message"]


def test_a_new_password_signs_the_other_sessions_out_at_once(stack: Stack, teacher: Account) -> None:
    made = make_timetable(teacher)
    phone = login(stack, teacher.email, teacher.password)
    read(phone, made["id"]), read(teacher, made["id"])
    changed = teacher.client.post(
        "/auth/password", json={"currentPassword": teacher.password, "newPassword": "a brand new passphrase"}
    )
    assert changed.status_code == 204, changed.text
    assert phone.client.get(f"/timetables/{made['id']}").status_code == 401
    assert read(teacher, made["id"])["name"] == "Week A"  # the session that changed it stays in


def test_a_role_taken_away_is_felt_by_the_next_request(stack: Stack) -> None:
    admin = register(stack)
    reviewer = invite(admin, role="reviewer")
    made = make_timetable(admin)
    read(reviewer, made["id"]), read(reviewer, made["id"])  # a reviewer sees the school's timetables
    changed = admin.client.put(
        f"/schools/{admin.user['tenantId']}/users/{reviewer.user['id']}/role", json={"role": "teacher"}
    )
    assert changed.status_code == 200, changed.text
    assert reviewer.client.get(f"/timetables/{made['id']}").status_code == 404  # a teacher sees their own
    assert reviewer.client.get("/auth/me").json()["role"] == "teacher"


def test_every_change_is_seen_by_the_next_read(stack: Stack, teacher: Account) -> None:
    made = make_timetable(teacher)
    block = read(teacher, made["id"])["timeblocks"][0]
    moved = teacher.client.put(f"/timeblocks/{block['id']}", json={"day": "Thursday"})
    assert moved.status_code == 200, moved.text
    assert [b["day"] for b in read(teacher, made["id"])["timeblocks"]] == ["Thursday"]
    assert teacher.client.patch(f"/timetables/{made['id']}", json={"name": "Week B"}).status_code == 200
    assert read(teacher, made["id"])["name"] == "Week B"
    newer = make_timetable(teacher, "Summer")  # made by hand, so it is now the current one
    assert read(teacher, made["id"])["isCurrent"] is False and read(teacher, newer["id"])["isCurrent"]
    assert teacher.client.delete(f"/timetables/{made['id']}").status_code == 204
    assert teacher.client.get(f"/timetables/{made['id']}").status_code == 404
    assert teacher.client.post(f"/timetables/{made['id']}/restore").status_code == 200
    assert read(teacher, made["id"])["name"] == "Week B"


def test_a_timetable_read_by_its_owner_stays_hidden_from_another_school(
    stack: Stack, teacher: Account
) -> None:
    made = make_timetable(teacher)
    read(teacher, made["id"]), read(teacher, made["id"])
    stranger = register(stack)
    assert stranger.client.get(f"/timetables/{made['id']}").status_code == 404


class OtherProcess:
    """Writes to the stack's database as another process would (a second web server, a worker,
    the console): straight to the database, past the server that answers the reads."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack

    def execute(self, sql: str) -> None:
        with self.open_transaction(sql):
            pass  # committed on leaving

    @contextlib.contextmanager
    def open_transaction(self, sql: str) -> Iterator[None]:
        """``sql`` written in a transaction left open inside the block, committed after it."""
        if self.stack.postgres is None:
            connection = sqlite3.connect(self.stack.data_dir / "timetabler.sqlite3", isolation_level=None)
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute(sql)
                yield
                connection.execute("COMMIT")
            finally:
                connection.close()
            return
        loop = asyncio.new_event_loop()
        connection = loop.run_until_complete(asyncpg.connect(self.stack.postgres.url))
        try:
            transaction = connection.transaction()
            loop.run_until_complete(transaction.start())
            loop.run_until_complete(connection.execute(sql))
            yield
            loop.run_until_complete(transaction.commit())
        finally:
            loop.run_until_complete(connection.close())
            loop.close()


def test_a_write_by_another_process_is_seen_by_the_next_read(stack: Stack, teacher: Account) -> None:
    made = make_timetable(teacher)
    read(teacher, made["id"]), read(teacher, made["id"])  # kept by the server
    OtherProcess(stack).execute(f"UPDATE timetables SET name = 'Renamed elsewhere' WHERE id = '{made['id']}'")
    assert read(teacher, made["id"])["name"] == "Renamed elsewhere"
    OtherProcess(stack).execute(f"DELETE FROM timeblocks WHERE timetable_id = '{made['id']}'")
    assert read(teacher, made["id"])["timeblocks"] == []


def test_an_account_disabled_by_another_process_is_out_at_the_next_request(
    stack: Stack, teacher: Account
) -> None:
    made = make_timetable(teacher)
    read(teacher, made["id"]), read(teacher, made["id"])
    OtherProcess(stack).execute(f"UPDATE users SET is_active = (1 = 0) WHERE id = '{teacher.user['id']}'")
    refused = teacher.client.get(f"/timetables/{made['id']}")
    assert refused.status_code == 401 and "disabled" in refused.json()["message"]


def test_a_write_still_under_way_elsewhere_is_seen_once_it_is_committed(
    stack: Stack, teacher: Account
) -> None:
    """An answer read while another process's write is not yet committed must not be kept past
    the commit."""
    made = make_timetable(teacher)
    rename = f"UPDATE timetables SET name = 'Committed later' WHERE id = '{made['id']}'"
    with OtherProcess(stack).open_transaction(rename):
        assert read(teacher, made["id"])["name"] == "Week A"  # not committed: not seen
        assert read(teacher, made["id"])["name"] == "Week A"
    assert read(teacher, made["id"])["name"] == "Committed later"
