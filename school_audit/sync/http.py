"""The HTTP session every call to the collector goes through.

School networks are hostile: web proxies, TLS inspection by the LA's own certificate authority,
links that drop. So every request has a connect and a read timeout, proxies come from the system
(`HTTPS_PROXY`/`NO_PROXY`, and on Windows the Internet Settings that `urllib.request.getproxies`
reads), and the CA bundle can be set to the LA's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from school_audit import __version__

DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 60.0


@dataclass(frozen=True)
class HttpSettings:
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    ca_bundle: Path | None = None  # None: the system/certifi store
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
        self.headers["User-Agent"] = f"school-audit/{__version__}"
        self.headers["Accept"] = "application/json"

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", self.settings.timeout)
        if self.settings.ca_bundle is not None:
            kwargs.setdefault("verify", str(self.settings.ca_bundle))
        return super().request(method, url, *args, **kwargs)  # type: ignore[arg-type]


def make_session(settings: HttpSettings | None = None) -> CollectorSession:
    settings = settings or HttpSettings()
    if settings.ca_bundle is not None and not Path(settings.ca_bundle).is_file():
        raise FileNotFoundError(f"CA bundle not found: {settings.ca_bundle}")
    return CollectorSession(settings)
