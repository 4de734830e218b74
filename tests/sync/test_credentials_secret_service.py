"""The device secrets through a real OS keyring: GNOME Keyring's Secret Service over D-Bus.

Runs in a child process inside its own D-Bus session with a freshly unlocked keyring, so nothing
touches the machine's own keyring. Linux only (the Secret Service is the Linux keyring).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
    reason="needs dbus-run-session and gnome-keyring-daemon (Debian: dbus, gnome-keyring)",
)

SCRIPT = textwrap.dedent(
    """
    import keyring
    from school_audit.credentials import DEVICE_TOKEN, KeyringSecretStore

    backend = keyring.get_keyring()
    assert type(backend).__module__ == "keyring.backends.SecretService", backend
    store = KeyringSecretStore(scope="install-test")
    store.check()
    store.set(DEVICE_TOKEN, "tok-e2e-secret")
    assert store.get(DEVICE_TOKEN) == "tok-e2e-secret"
    assert KeyringSecretStore(scope="other").get(DEVICE_TOKEN) is None
    store.delete(DEVICE_TOKEN)
    assert store.get(DEVICE_TOKEN) is None
    print("secret-service-ok")
    """
)


def test_secrets_round_trip_through_gnome_keyring(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON_KEYRING", "DBUS_"))}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_RUNTIME_DIR=str(tmp_path), PYTHONPATH=str(ROOT))  # fmt: skip
    (tmp_path / "script.py").write_text(SCRIPT)
    shell = (
        "printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && "
        f"'{sys.executable}' '{tmp_path / 'script.py'}'"
    )
    result = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", shell],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "secret-service-ok" in result.stdout, result.stdout + result.stderr
    # The keyring's own files hold the secret encrypted, never as plain text.
    for path in tmp_path.rglob("*.keyring"):
        assert b"tok-e2e-secret" not in path.read_bytes()
