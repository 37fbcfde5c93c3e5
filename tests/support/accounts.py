"""People on a running stack, signed up and signed in through the API as a user would be: a
teacher who registers a school, invited staff, a platform admin, districts with their schools."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.support.stacks import ROOT, Stack

# A job's states after which it no longer changes by itself.
FINAL = ("completed", "failed", "review")


class Account:
    def __init__(self, stack: Stack, body: dict[str, Any]) -> None:
        self.stack = stack
        self.user = body["user"]
        self.access_token = body["accessToken"]
        self.refresh_token = body["refreshToken"]
        self.client = stack.client(self.access_token)

    def upload(
        self, path: Path, *, name: str | None = None, content_type: str | None = None
    ) -> httpx.Response:
        with path.open("rb") as f:
            files = {"file": (name or path.name, f, content_type or "application/octet-stream")}
            return self.client.post("/documents/upload", files=files)

    def wait_for_job(self, job_id: str, timeout: float = 240) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.client.get(f"/jobs/{job_id}").json()
            if job["status"] in FINAL:
                return job
            time.sleep(0.25)
        raise AssertionError(f"job {job_id} did not finish in {timeout}s: {job}\n{self.stack.log_tail()}")


def register(stack: Stack, *, school: str | None = None, name: str = "Ada Teacher") -> Account:
    email = f"{uuid.uuid4().hex[:10]}@school.test"
    body = {
        "email": email,
        "password": "correct horse battery",
        "name": name,
        "school": school or f"School {email}",
    }
    with stack.client() as client:
        response = client.post("/auth/register", json=body)
    assert response.status_code == 201, response.text
    account = Account(stack, response.json())
    account.email, account.password = email, body["password"]
    return account


def invite(admin: Account, *, role: str = "teacher", name: str = "Invited Teacher") -> Account:
    """The school admin invites a person, who follows the link and joins the school."""
    email = f"{uuid.uuid4().hex[:10]}@school.test"
    made = admin.client.post(
        f"/schools/{admin.user['tenantId']}/invites", json={"email": email, "role": role}
    )
    assert made.status_code == 201, made.text
    token = made.json()["inviteUrl"].rsplit("/", 1)[1]
    body = {"token": token, "name": name, "password": "another long password"}
    with admin.stack.client() as client:
        response = client.post("/auth/accept-invite", json=body)
    assert response.status_code == 201, response.text
    account = Account(admin.stack, response.json())
    account.email, account.password = email, body["password"]
    return account


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
