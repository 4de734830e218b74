"""Secrets (the device's private key and bearer token) in the OS keyring, and nowhere else.

The only module that imports `keyring`. Callers see a small `SecretStore` protocol; tests swap in
`MemorySecretStore` or an in-memory keyring backend. When the OS offers no usable keyring the
caller gets `KeyringUnavailable` with a message saying what to do: we never fall back to a
plain-text file.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

log = logging.getLogger(__name__)

SERVICE = "school-audit"
DEVICE_KEY = "device-private-key"
DEVICE_TOKEN = "device-token"

_HELP = (
    "This computer has no secure password store (keyring) available for school-audit, so the "
    "device key cannot be kept safely. On Windows and macOS the system store is used "
    "automatically; on Linux, install and unlock a Secret Service provider such as GNOME Keyring "
    "or KWallet, then try again. Ask your IT support if you are unsure."
)


class KeyringUnavailable(RuntimeError):
    """No usable OS keyring: the message explains what the user can do."""

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        super().__init__(f"{_HELP} ({detail})" if detail else _HELP)


class SecretStore(Protocol):
    def get(self, name: str) -> str | None: ...
    def set(self, name: str, value: str) -> None: ...
    def delete(self, name: str) -> None: ...


class MemorySecretStore:
    """Secrets in a dict: for tests and for tools that must not touch the OS keyring."""

    def __init__(self) -> None:
        self.items: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self.items.get(name)

    def set(self, name: str, value: str) -> None:
        self.items[name] = value

    def delete(self, name: str) -> None:
        self.items.pop(name, None)


class KeyringSecretStore:
    """Secrets in the OS keyring under service `school-audit`.

    `scope` keeps installations with different data folders apart (one per enrolled device).
    """

    def __init__(self, scope: str = "default", service: str = SERVICE) -> None:
        self.scope = scope
        self.service = service

    def _username(self, name: str) -> str:
        return f"{self.scope}:{name}"

    def check(self) -> None:
        """Raise KeyringUnavailable unless a real (non plain-text) keyring backend is in use."""
        _backend()

    def get(self, name: str) -> str | None:
        backend = _backend()
        try:
            value = backend.get_password(self.service, self._username(name))
        except Exception as error:  # backends raise many types (D-Bus, Win32, locked store)
            raise _unavailable(error) from None
        return None if value is None else str(value)

    def set(self, name: str, value: str) -> None:
        backend = _backend()
        try:
            backend.set_password(self.service, self._username(name), value)
        except Exception as error:
            raise _unavailable(error) from None

    def delete(self, name: str) -> None:
        import keyring.errors

        backend = _backend()
        try:
            backend.delete_password(self.service, self._username(name))
        except keyring.errors.PasswordDeleteError:
            pass  # already gone: deleting is idempotent
        except Exception as error:
            raise _unavailable(error) from None


def _unavailable(error: Exception) -> KeyringUnavailable:
    # The error's class is enough to diagnose; its text could in theory echo what was stored.
    log.warning("keyring operation failed: %s", type(error).__name__)
    return KeyringUnavailable(type(error).__name__)


def _backend() -> Any:
    try:
        import keyring
        from keyring.backends import chainer, fail, null
    except ImportError:
        raise KeyringUnavailable("the keyring package is not installed") from None
    backend = keyring.get_keyring()
    members = backend.backends if isinstance(backend, chainer.ChainerBackend) else [backend]
    if not members or any(isinstance(b, (fail.Keyring, null.Keyring)) for b in members):
        raise KeyringUnavailable(f"no keyring backend ({type(backend).__name__})")
    if any(type(b).__module__.startswith("keyrings.alt") for b in members):
        raise KeyringUnavailable("the only keyring available stores secrets in a plain file")
    return backend
