"""Running uvicorn for `serve`, one process or several.

With more than one worker uvicorn binds the listening socket itself, without naming TCP as its
protocol; asyncio then does not set TCP_NODELAY on the connections it accepts, and every response
written in two pieces waits for the client's delayed acknowledgement (about 40 ms a request, even
for the health check). The socket is handed over with its protocol named, so each worker's
connections get TCP_NODELAY as a single process's do.

Each connection speaks uvicorn's HTTP/1.1 with a deadline for request headers (header_timeout.py),
and the collector's own log lines (INFO and up, e.g. an upload the client gave up on) go to the
same place as uvicorn's.
"""

from __future__ import annotations

import copy
import inspect
import socket
from contextlib import suppress
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG
from uvicorn.supervisors import Multiprocess

from school_audit.collector.cli.header_timeout import HEADER_TIMEOUT, HeaderTimeoutProtocol
from school_audit.collector.settings import CollectorSettings

APP = "school_audit.collector.app:create_app"


def log_config() -> dict[str, Any]:
    """uvicorn's own logging, plus the collector's loggers at INFO on the same handler."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["sign_links"] = {
        "()": "school_audit.collector.cli.log_redaction.RedactSignLinks"
    }
    config["handlers"]["access"]["filters"] = ["sign_links"]
    config["loggers"]["school_audit"] = {
        "handlers": ["default"],
        "level": "INFO",
        "propagate": False,
    }
    return config


class _Config(uvicorn.Config):
    def __init__(self, *args: Any, header_timeout: float = HEADER_TIMEOUT, **kwargs: Any) -> None:
        kwargs.setdefault("http", HeaderTimeoutProtocol)
        kwargs.setdefault("log_config", log_config())
        super().__init__(*args, **kwargs)
        self.header_timeout = header_timeout  # read by HeaderTimeoutProtocol

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return sock
        tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        tcp.set_inheritable(True)
        return tcp


def proxy_options(trusted_proxies: str) -> dict[str, Any]:
    """uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise, so anything on the
    machine could pick its own address for the rate limits: believe only the LA's own proxies."""
    trusted = trusted_proxies.strip()
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or None}


def serve(host: str, port: int, workers: int, header_timeout: float = HEADER_TIMEOUT) -> None:
    proxies = proxy_options(CollectorSettings.from_env().trusted_proxies)
    config = _Config(APP, factory=True, host=host, port=port, workers=workers,
                     header_timeout=header_timeout, **proxies)  # fmt: skip
    server = uvicorn.Server(config)
    if workers == 1:
        server.run()
        return
    with suppress(KeyboardInterrupt):  # Ctrl+C: the workers stop with the supervisor
        _supervisor(config, server, [config.bind_socket()]).run()


def _supervisor(
    config: uvicorn.Config, server: uvicorn.Server, sockets: list[socket.socket]
) -> Multiprocess:
    """uvicorn's supervisor of worker processes. Versions before the current one were also told
    what each worker runs (our dependency allows them)."""
    arguments: dict[str, Any] = {"sockets": sockets}
    if "target" in inspect.signature(Multiprocess).parameters:
        arguments["target"] = server.run
    return Multiprocess(config, **arguments)
