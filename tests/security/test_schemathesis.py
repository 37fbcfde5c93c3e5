"""Fuzzing: schemathesis generates requests from the app's own OpenAPI document, valid and invalid,
and sends them to `timetabler serve` signed in as each role. No answer may be a 5xx, and every
answer the schema describes must match it. Bounded: a few examples per operation and mode."""

from __future__ import annotations

import contextlib
import copy
import os
import random
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.support.accounts import Account, DistrictSetup, make_district, platform_admin
from tests.support.stacks import Stack

# Per operation, per mode, per role: small by default; FUZZ_EXAMPLES=50 for a longer hunt.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
ROLES = ("teacher", "reviewer", "school_admin", "district_admin", "platform_admin")
# Signing the fuzzer out, deleting its own account or its school would leave every later request
# unauthenticated (the fuzzer found each of them doing just that); their own suites test them.
SKIP = {"logout", "deleteMyAccount", "deleteSchool"}
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
REQUESTS: list[int] = []


@pytest.fixture(scope="module")
def world(sqlite_stack: Stack) -> tuple[dict[str, Account], DistrictSetup]:
    root = platform_admin(sqlite_stack)
    district = make_district(root, "Fuzz")
    accounts = {
        "teacher": district.school.teacher,
        "reviewer": district.school.reviewer,
        "school_admin": district.school.admin,
        "district_admin": district.admin,
        "platform_admin": root,
    }
    return accounts, district


@pytest.fixture(scope="module")
def api_schema(sqlite_stack: Stack) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(sqlite_stack.base_url + "/schema/openapi.json")


@pytest.fixture(scope="module", autouse=True)
def report_requests() -> Iterator[None]:
    yield
    print(f"\nschemathesis: {sum(REQUESTS)} requests fuzzed")


def _real_ids(district: DistrictSetup) -> dict[str, str]:
    """Path parameters that name this school and district, so fuzzed bodies reach real handlers."""
    return {"school": district.school.id, "district": district.id}


def _draw(operation: Any, mode: GenerationMode) -> list[schemathesis.Case]:
    """An operation's requests in one mode, as hypothesis draws them (derandomized: the same each run)."""
    drawn: list[schemathesis.Case] = []

    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def draw(case: schemathesis.Case) -> None:
        drawn.append(case)

    with contextlib.suppress(
        hypothesis.errors.Unsatisfiable
    ):  # an operation without inputs has no invalid request
        draw()
    return drawn


def _fresh(drawn: schemathesis.Case) -> schemathesis.Case:
    """A new case with the values a drawn one was generated with (its operation shared)."""
    return schemathesis.Case(
        drawn.operation,
        drawn.method,
        drawn.path,
        path_parameters=copy.deepcopy(drawn.path_parameters),
        headers=copy.deepcopy(drawn.headers),
        cookies=copy.deepcopy(drawn.cookies),
        query=copy.deepcopy(drawn.query),
        body=copy.deepcopy(drawn.body),
        media_type=drawn.media_type,
        multipart_content_types=copy.deepcopy(drawn.multipart_content_types),
        meta=copy.deepcopy(drawn._meta),
    )


@pytest.fixture(scope="module")
def cases(api_schema: schemathesis.BaseSchema) -> list[tuple[str, list[schemathesis.Case]]]:
    """Every operation's requests, valid and invalid, drawn once and sent as each role (drawing took
    more of the fuzzer's time than sending; derandomized, a draw gives the same requests each time)."""
    out = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if operation.definition.raw.get("operationId") in SKIP:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            out.append(
                (f"{operation.method.upper()} {operation.path} ({mode.value})", _draw(operation, mode))
            )
    return out


@pytest.mark.parametrize("role", ROLES)
def test_no_server_errors_and_answers_match_the_schema(
    sqlite_stack: Stack,
    cases: list[tuple[str, list[schemathesis.Case]]],
    world: tuple,
    role: str,
) -> None:
    accounts, district = world
    headers = {"Authorization": f"Bearer {accounts[role].access_token}"}
    real = _real_ids(district)
    seeded = random.Random(role)
    failures: list[str] = []
    sent = 0
    for label, drawn in cases:
        for original in drawn:
            case = _fresh(original)  # each role fills in its own ids
            for name in case.path_parameters or {}:
                for word, value in real.items():
                    if word in name.lower() and seeded.random() < 0.5:
                        case.path_parameters[name] = value
            sent += 1
            try:
                case.call_and_validate(base_url=sqlite_stack.base_url, headers=headers, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:  # every operation's failures, reported together
                failures.append(f"{label}: {exc}"[:1500])
                break  # the operation's first failure in this mode, as the fuzzer stops there
    REQUESTS.append(sent)
    assert sent > 100
    assert not failures, f"{len(failures)} failing operations as {role}:\n\n" + "\n\n".join(failures)
    # The fuzzer's own session survived it: the account still works.
    assert sqlite_stack.client(accounts[role].access_token).get("/auth/me").status_code == 200
