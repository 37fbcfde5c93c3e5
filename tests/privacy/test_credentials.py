"""A school's own engine keys: stored encrypted, shown only as set/last four, never logged, and
re-encrypted under the newest key by the periodic maintenance run (key rotation)."""

from __future__ import annotations

import time
import uuid

from cryptography.fernet import Fernet, InvalidToken

from tests.privacy.conftest import NEW_KEY, OLD_KEY
from tests.privacy.scan import database_dump, logs, run_sql
from tests.support.accounts import invite, register
from tests.support.stacks import Stack


def test_keys_are_encrypted_shown_only_as_last_four_and_never_logged(stack: Stack) -> None:
    head = register(stack)
    school = head.user["tenantId"]
    secret = "sk-ant-" + uuid.uuid4().hex
    saved = head.client.put(f"/schools/{school}/credentials", json={"anthropicApiKey": secret})
    assert saved.status_code == 200, saved.text
    shown = saved.json()["anthropicApiKey"]
    assert shown["set"] is True and shown["last4"] == secret[-4:]
    assert saved.json()["gcvApiKey"]["set"] is False
    listed = head.client.get(f"/schools/{school}/credentials")
    audit = head.client.get(f"/schools/{school}/audit")
    settings = head.client.get(f"/schools/{school}/settings")
    for response in (saved, listed, audit, settings):
        assert secret not in response.text
    assert any(e["action"] == "school_credentials" for e in audit.json())
    # Not in the database in plaintext, and the stored value opens with the current key.
    dump = "\n".join(database_dump(stack))
    assert secret not in dump and secret[-12:] not in dump
    stored = run_sql(stack, f"SELECT ciphertext FROM school_credentials WHERE tenant_id = '{school}'")
    assert Fernet(NEW_KEY.encode()).decrypt(stored.strip().encode()).decode() == secret
    assert secret not in logs(stack)
    # Only the school's admins see it; a teacher of the school is refused by role.
    teacher = invite(head)
    assert teacher.client.get(f"/schools/{school}/credentials").status_code == 403
    # Removing it.
    removed = head.client.put(f"/schools/{school}/credentials", json={"anthropicApiKey": None})
    assert removed.json()["anthropicApiKey"]["set"] is False


def test_bad_credentials_are_refused_with_what_to_send(stack: Stack) -> None:
    head = register(stack)
    school = head.user["tenantId"]
    for body in ({"openaiKey": "abcdefghijk"}, {"gcvApiKey": 12345678}, {"gcvApiKey": "short"}, []):
        response = head.client.put(f"/schools/{school}/credentials", json=body)
        assert response.status_code == 400 and response.json()["code"] == "invalid_credentials", body


def test_rotation_reencrypts_old_keys_under_the_newest(stack: Stack) -> None:
    head = register(stack)
    school = head.user["tenantId"]
    secret = "AIza" + uuid.uuid4().hex
    # A key stored before the rotation, under the key that is now second in the list.
    old = Fernet(OLD_KEY.encode()).encrypt(secret.encode()).decode()
    run_sql(
        stack,
        "INSERT INTO school_credentials (id, tenant_id, name, ciphertext, last4, updated_at) "
        f"VALUES ('{uuid.uuid4()}', '{school}', 'gcvApiKey', '{old}', '{secret[-4:]}', "
        "'2026-01-01 00:00:00')",
    )
    newest = Fernet(NEW_KEY.encode())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        stored = run_sql(stack, f"SELECT ciphertext FROM school_credentials WHERE tenant_id = '{school}'")
        try:
            assert newest.decrypt(stored.strip().encode()).decode() == secret
            break
        except InvalidToken:
            time.sleep(0.5)
    else:
        raise AssertionError("the maintenance run did not re-encrypt the key under the newest key")
    assert head.client.get(f"/schools/{school}/credentials").json()["gcvApiKey"]["last4"] == secret[-4:]
