"""Building blocks for tenancy tests: a platform admin, districts, schools and their people."""

from __future__ import annotations

import subprocess
import sys
import uuid
from dataclasses import dataclass

from tests.api.conftest import Account, invite
from tests.stack import ROOT, Stack

PASSWORD = "platform admin password"


def login(stack: Stack, email: str, password: str) -> Account:
    with stack.client() as client:
        tokens = client.post("/auth/login", json={"email": email, "password": password})
        assert tokens.status_code == 200, tokens.text
        me = stack.client(tokens.json()["accessToken"]).get("/auth/me").json()
    account = Account(stack, {"user": me, **tokens.json()})
    account.email, account.password = email, password
    return account


def platform_admin(stack: Stack) -> Account:
    email = f"root-{uuid.uuid4().hex[:8]}@platform.test"
    result = subprocess.run(
        [sys.executable, "-m", "core.cli", "create-admin", "--email", email],
        cwd=ROOT,
        env={**stack.env, "TIMETABLER_ADMIN_PASSWORD": PASSWORD},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return login(stack, email, PASSWORD)


@dataclass
class School:
    id: str
    admin: Account
    teacher: Account
    reviewer: Account


@dataclass
class DistrictSetup:
    id: str
    admin: Account
    school: School


def make_district(root: Account, name: str) -> DistrictSetup:
    district = root.client.post("/districts", json={"name": name})
    assert district.status_code == 201, district.text
    district_id = district.json()["id"]
    email = f"da-{uuid.uuid4().hex[:8]}@district.test"
    made = root.client.post(
        f"/districts/{district_id}/admins",
        json={"email": email, "name": f"{name} admin", "password": PASSWORD},
    )
    assert made.status_code == 201, made.text
    district_admin = login(root.stack, email, PASSWORD)
    school = district_admin.client.post("/schools", json={"name": f"{name} High"})
    assert school.status_code == 201, school.text
    school_id = school.json()["id"]
    assert school.json()["districtId"] == district_id
    # The district admin invites the school's first admin, who invites the rest.
    email = f"sa-{uuid.uuid4().hex[:8]}@school.test"
    link = district_admin.client.post(
        f"/schools/{school_id}/invites", json={"email": email, "role": "school_admin"}
    )
    assert link.status_code == 201, link.text
    with root.stack.client() as client:
        joined = client.post(
            "/auth/accept-invite",
            json={"token": link.json()["inviteUrl"].rsplit("/", 1)[1], "name": "Head", "password": PASSWORD},
        )
    assert joined.status_code == 201, joined.text
    school_admin = Account(root.stack, joined.json())
    return DistrictSetup(
        id=district_id,
        admin=district_admin,
        school=School(
            id=school_id,
            admin=school_admin,
            teacher=invite(school_admin),
            reviewer=invite(school_admin, role="reviewer"),
        ),
    )
