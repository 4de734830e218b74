"""The device secrets live in the keyring; without a usable one we say so and store nothing."""

from __future__ import annotations

import logging

import keyring
import pytest
from keyring.backends import fail, null

from school_audit.credentials import (
    DEVICE_TOKEN,
    KeyringSecretStore,
    KeyringUnavailable,
    MemorySecretStore,
)


def test_round_trip_through_the_keyring(memory_keyring):
    store = KeyringSecretStore(scope="install-1")
    store.set(DEVICE_TOKEN, "tok-secret")
    assert store.get(DEVICE_TOKEN) == "tok-secret"
    assert memory_keyring.items == {("school-audit", f"install-1:{DEVICE_TOKEN}"): "tok-secret"}
    store.delete(DEVICE_TOKEN)
    store.delete(DEVICE_TOKEN)  # idempotent
    assert store.get(DEVICE_TOKEN) is None


def test_scopes_keep_installations_apart():
    first, second = KeyringSecretStore(scope="a"), KeyringSecretStore(scope="b")
    first.set(DEVICE_TOKEN, "one")
    assert second.get(DEVICE_TOKEN) is None


@pytest.mark.parametrize("backend_class", [fail.Keyring, null.Keyring])
def test_missing_backend_gives_a_helpful_error(backend_class, caplog):
    keyring.set_keyring(backend_class())
    store = KeyringSecretStore()
    with pytest.raises(KeyringUnavailable) as raised:
        store.set(DEVICE_TOKEN, "tok-secret")
    message = str(raised.value)
    assert "keyring" in message and "GNOME Keyring" in message
    with pytest.raises(KeyringUnavailable):
        store.get(DEVICE_TOKEN)
    with pytest.raises(KeyringUnavailable):
        store.check()
    assert "tok-secret" not in caplog.text


class BrokenKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service, username):
        raise keyring.errors.KeyringError("locked: tok-secret")

    def set_password(self, service, username, password):
        raise keyring.errors.PasswordSetError(f"D-Bus said no to {password}")

    def delete_password(self, service, username):
        raise keyring.errors.KeyringError("locked")


def test_failing_backend_is_reported_without_echoing_the_secret(caplog):
    keyring.set_keyring(BrokenKeyring())
    caplog.set_level(logging.DEBUG)
    store = KeyringSecretStore()
    with pytest.raises(KeyringUnavailable) as raised:
        store.set(DEVICE_TOKEN, "tok-secret")
    assert "PasswordSetError" in str(raised.value)
    assert "tok-secret" not in str(raised.value) and "tok-secret" not in caplog.text
    with pytest.raises(KeyringUnavailable):
        store.get(DEVICE_TOKEN)


class PlainTextLookalike(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]
    get_password = set_password = delete_password = None  # never reached


def test_plain_text_backend_is_refused(monkeypatch):
    monkeypatch.setattr(PlainTextLookalike, "__module__", "keyrings.alt.file")
    keyring.set_keyring(PlainTextLookalike())
    with pytest.raises(KeyringUnavailable, match="plain file"):
        KeyringSecretStore().set(DEVICE_TOKEN, "x")


def test_memory_store_behaves_like_the_protocol():
    store = MemorySecretStore()
    store.set("a", "1")
    assert store.get("a") == "1"
    store.delete("a")
    store.delete("a")
    assert store.get("a") is None
