"""Passwords are stored as argon2id hashes with RFC 9106's low-memory parameters unless a test
suite asks for argon2-cffi's cheapest profile (tests/conftest.py does); a hash made under either
profile is checked by its own stored parameters, so changing the profile locks nobody out."""

from __future__ import annotations

import pytest

from core.auth import password_hasher, verify_password
from core.settings import load_settings

PASSWORD = "correct horse battery"


def test_a_deployment_hashes_with_rfc_9106_low_memory_parameters() -> None:
    profile = load_settings({}).password_hash_profile
    stored = password_hasher(profile).hash(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(stored, PASSWORD) and not verify_password(stored, PASSWORD + "!")


def test_a_hash_of_the_other_profile_is_still_checked() -> None:
    cheap = password_hasher("cheapest").hash(PASSWORD)
    strong = password_hasher("rfc_9106_low_memory").hash(PASSWORD)
    assert cheap.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    for stored in (cheap, strong):
        assert verify_password(stored, PASSWORD) and not verify_password(stored, "wrong password here")


def test_an_unknown_profile_is_refused_at_start() -> None:
    with pytest.raises(SystemExit, match="password_hash_profile"):
        load_settings({"TIMETABLER_PASSWORD_HASH_PROFILE": "fast"})
