"""A school always keeps a school admin: neither the last one nor anyone above them can erase them
until someone else is school admin."""

from __future__ import annotations

import httpx

from tests.support.accounts import invite, platform_admin, register
from tests.support.stacks import Stack


def _refused_as_last_admin(response: httpx.Response) -> None:
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "last_admin"
    assert "make someone else school admin first" in response.json()["message"]


def test_the_last_school_admin_cannot_be_erased_until_there_is_another(sqlite_stack: Stack) -> None:
    head = register(sqlite_stack)
    teacher = invite(head)
    _refused_as_last_admin(head.client.delete("/me"))
    root = platform_admin(sqlite_stack)
    _refused_as_last_admin(root.client.delete(f"/users/{head.user['id']}"))
    assert head.client.get("/auth/me").status_code == 200  # nothing was erased

    deputy = invite(head, role="school_admin", name="Deputy Head")
    assert head.client.delete("/me").status_code == 204
    assert head.client.get("/auth/me").status_code == 401
    _refused_as_last_admin(deputy.client.delete("/me"))  # now the deputy is the last one
    assert deputy.client.delete(f"/users/{teacher.user['id']}").status_code == 204  # others still go


def test_a_teacher_promoted_to_school_admin_makes_the_head_free_to_leave(sqlite_stack: Stack) -> None:
    head = register(sqlite_stack)
    teacher = invite(head)
    _refused_as_last_admin(head.client.delete("/me"))
    promoted = head.client.put(
        f"/schools/{head.user['tenantId']}/users/{teacher.user['id']}/role", json={"role": "school_admin"}
    )
    assert promoted.status_code == 200, promoted.text
    assert teacher.client.delete(f"/users/{head.user['id']}").status_code == 204
