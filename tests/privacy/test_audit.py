"""The audit log: a district admin reads their district's schools' entries; deletions and exports
are recorded without naming the erased."""

from __future__ import annotations

from tests.support.accounts import make_district, platform_admin
from tests.support.stacks import Stack


def test_district_admin_reads_the_districts_audit(stack: Stack) -> None:
    root = platform_admin(stack)
    north, south = make_district(root, "Audit North"), make_district(root, "Audit South")
    school = north.school
    assert (
        school.admin.client.put(
            f"/schools/{school.id}/users/{school.teacher.user['id']}/role", json={"role": "reviewer"}
        ).status_code
        == 200
    )
    assert school.teacher.client.get("/me/export").status_code == 200
    log = north.admin.client.get(f"/districts/{north.id}/audit")
    assert log.status_code == 200, log.text
    actions = {(e["action"], e["actorEmail"]) for e in log.json()}
    assert ("set_role", school.admin.user["email"]) in actions
    assert ("export_data", school.teacher.user["email"]) in actions
    assert ("invite", north.admin.user["email"]) in actions
    # Nothing of the other district, which is not even known to exist.
    assert not any(e["actorEmail"] == south.admin.user["email"] for e in log.json())
    assert north.admin.client.get(f"/districts/{south.id}/audit").status_code == 404
    assert school.admin.client.get(f"/districts/{north.id}/audit").status_code == 403
