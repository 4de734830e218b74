"""`serve --workers N`: the shared listening socket names TCP, so each connection gets TCP_NODELAY."""

from __future__ import annotations

import asyncio
import socket

from school_audit.collector.cli.serving import APP, _Config


def _nodelay_of_accepted_connection(listener: socket.socket) -> int:
    """Accept one connection the way a worker does (asyncio) and read its TCP_NODELAY."""

    async def run() -> int:
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        async def on_connect(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            accepted.set_result(
                writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            )
            writer.close()

        server = await asyncio.start_server(on_connect, sock=listener)
        async with server:
            port = listener.getsockname()[1]
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            value = await asyncio.wait_for(accepted, timeout=10)
            writer.close()
            return value

    return asyncio.run(run())


def test_the_workers_socket_gives_connections_tcp_nodelay() -> None:
    # log_config=None: serve's logging set-up (the collector's loggers on uvicorn's handler, not
    # propagated) would otherwise stay in force for every later test in this process.
    config = _Config(APP, factory=True, host="127.0.0.1", port=0, workers=2, log_config=None)
    listener = config.bind_socket()
    assert listener.proto == socket.IPPROTO_TCP
    assert _nodelay_of_accepted_connection(listener) != 0


def test_a_socket_without_the_protocol_named_would_not() -> None:
    """What the override is for: asyncio leaves TCP_NODELAY off on such a listener's connections."""
    listener = socket.socket(socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    assert _nodelay_of_accepted_connection(listener) == 0


def test_supervisor_is_told_what_workers_run_where_uvicorn_expects_it(monkeypatch):
    """Older uvicorn versions (allowed by our dependency) take the workers' function too."""
    import uvicorn

    from school_audit.collector.cli import serving

    made = []

    class OlderMultiprocess:
        def __init__(self, config, target, sockets):
            made.append((config, target, sockets))

    config = uvicorn.Config("school_audit.collector.app:create_app", factory=True, workers=2)
    server = uvicorn.Server(config)
    monkeypatch.setattr(serving, "Multiprocess", OlderMultiprocess)
    serving._supervisor(config, server, ["socket"])
    assert made == [(config, server.run, ["socket"])]
