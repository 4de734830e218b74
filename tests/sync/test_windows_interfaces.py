"""What only a Windows PC can run, checked here through the interfaces the app uses there.

Windows keeps the device's secrets in the Credential Manager (keyring's WinVault backend) and
names its proxy in Internet Settings (read by `urllib.request.getproxies` from the registry). No
Windows machine is available to these tests, so they prove the app's side of each: the backend is
accepted and used, the secrets fit the Credential Manager's size limit, and a proxy from the
system settings reaches every request. What remains for a Windows run is in docs/packaging.md."""

from __future__ import annotations

import secrets

import keyring
import pytest
import requests.utils
from keyring.backend import KeyringBackend

from school_audit.credentials import (
    DEVICE_KEY,
    DEVICE_TOKEN,
    KeyringSecretStore,
    KeyringUnavailable,
)
from school_audit.signing.keys import SigningKey
from school_audit.sync.http import CollectorSession, HttpSettings

# CRED_MAX_CREDENTIAL_BLOB_SIZE (wincred.h): 5 * 512 bytes; keyring's WinVault backend stores the
# password as UTF-16-LE.
WINDOWS_CREDENTIAL_BLOB_BYTES = 5 * 512


class CredentialManagerStandIn(KeyringBackend):
    """A backend that presents itself as keyring's Windows one (module keyring.backends.Windows)."""

    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.vault: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.vault.get((service, username))

    def set_password(self, service, username, password):
        if len(password.encode("utf-16-le")) > WINDOWS_CREDENTIAL_BLOB_BYTES:
            raise OSError(1783, "CredWrite", "The stub received bad data.")  # what Windows says
        self.vault[(service, username)] = password

    def delete_password(self, service, username):
        self.vault.pop((service, username), None)


CredentialManagerStandIn.__module__ = "keyring.backends.Windows"
CredentialManagerStandIn.__name__ = CredentialManagerStandIn.__qualname__ = "WinVaultKeyring"


@pytest.fixture
def windows_keyring(monkeypatch):
    backend = CredentialManagerStandIn()
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    return backend


def test_the_credential_manager_backend_is_accepted_and_holds_the_device_secrets(windows_keyring):
    store = KeyringSecretStore(scope="C:/Users/dsl/AppData/Local/school-audit")
    store.check()
    key = SigningKey.generate()
    token = secrets.token_urlsafe(32)
    store.set(DEVICE_KEY, key.secret())
    store.set(DEVICE_TOKEN, token)
    assert store.get(DEVICE_KEY) == key.secret() and store.get(DEVICE_TOKEN) == token
    for (service, username), value in windows_keyring.vault.items():
        assert service == "school-audit" and username.endswith((DEVICE_KEY, DEVICE_TOKEN))
        assert len(value.encode("utf-16-le")) <= WINDOWS_CREDENTIAL_BLOB_BYTES
    store.delete(DEVICE_TOKEN)
    assert store.get(DEVICE_TOKEN) is None


def test_a_credential_manager_failure_is_the_clear_keyring_message(windows_keyring, monkeypatch):
    def refuse(*args):
        raise OSError(1312, "CredRead", "A specified logon session does not exist.")

    monkeypatch.setattr(windows_keyring, "get_password", refuse)
    with pytest.raises(KeyringUnavailable) as raised:
        KeyringSecretStore().get(DEVICE_KEY)
    assert "secure password store" in str(raised.value) and "OSError" in str(raised.value)


def test_a_proxy_from_windows_internet_settings_reaches_every_request(monkeypatch):
    # On Windows, urllib.request.getproxies() reads Internet Settings from the registry, and
    # proxy_bypass() its ProxyOverride list; requests asks both for each request.
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(requests.utils, "getproxies", lambda: {"https": "http://proxy.school.example:8080"})
    monkeypatch.setattr(requests.utils, "proxy_bypass", lambda host: host == "collector.intranet.example")
    session = CollectorSession(HttpSettings())
    merged = session.merge_environment_settings("https://collector.la.example/api/v1/healthz", {}, None, None, None)
    assert merged["proxies"].get("https") == "http://proxy.school.example:8080"
    # an address on the ProxyOverride list goes direct
    assert "https" not in requests.utils.get_environ_proxies("https://collector.intranet.example/")
