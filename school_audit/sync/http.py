"""The HTTP session every call to the collector goes through.

School networks are hostile: web proxies, TLS inspection by the LA's own certificate authority,
links that drop. So every request has a connect and a read timeout, proxies come from the system
(`HTTPS_PROXY`/`NO_PROXY`, and on Windows the Internet Settings that `urllib.request.getproxies`
reads), and certificates are checked against the operating system's own trust store (through
`truststore`), where school IT installs the certificate of a filter that inspects HTTPS; an LA's
own CA bundle can be set instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from school_audit import __version__

DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 60.0


@dataclass(frozen=True)
class HttpSettings:
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    ca_bundle: Path | None = None  # None: the operating system's trust store
    proxies: dict[str, str] | None = None  # None: from the environment and system settings

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)


class CollectorSession(requests.Session):
    """A Session with a default timeout on every request and the configured CA bundle.

    requests has no session-wide timeout, and with `trust_env` a `REQUESTS_CA_BUNDLE` in the
    environment would beat `Session.verify`: both are set per request here so neither can be lost.
    """

    def __init__(self, settings: HttpSettings) -> None:
        super().__init__()
        self.settings = settings
        self.trust_env = True  # proxies from the environment / Windows Internet Settings
        if settings.proxies is not None:
            self.proxies.update(settings.proxies)
        if settings.ca_bundle is None:
            self.mount("https://", SystemTrustAdapter())
        self.headers["User-Agent"] = f"school-audit/{__version__}"
        self.headers["Accept"] = "application/json"

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", self.settings.timeout)
        if self.settings.ca_bundle is not None:
            kwargs.setdefault("verify", str(self.settings.ca_bundle))
        return super().request(method, url, *args, **kwargs)  # type: ignore[arg-type]


class SystemTrustAdapter(HTTPAdapter):
    """HTTPS verified by the OS trust store (Windows certificate store, macOS keychain, the Linux
    system bundle), so a school's TLS-inspecting filter works once IT has installed its CA, as
    it has for the browsers. Also used through a proxy (CONNECT tunnels)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("ssl_context", _system_context())
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        proxy_kwargs.setdefault("ssl_context", _system_context())
        return super().proxy_manager_for(proxy, **proxy_kwargs)


def _system_context() -> Any:
    import ssl

    import truststore

    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def make_session(settings: HttpSettings | None = None) -> CollectorSession:
    settings = settings or HttpSettings()
    if settings.ca_bundle is not None and not Path(settings.ca_bundle).is_file():
        raise FileNotFoundError(f"CA bundle not found: {settings.ca_bundle}")
    return CollectorSession(settings)
