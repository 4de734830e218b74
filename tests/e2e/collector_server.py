"""A real collector for end-to-end tests: set up with its own admin CLI, served by uvicorn on a
random loopback port in a background thread, inspected through its database afterwards."""

from __future__ import annotations

import contextlib
import io
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from school_audit.collector.cli.main import main as collector_cli
from school_audit.collector.keys import load_key_file
from school_audit.collector.settings import CollectorSettings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass
class RunningCollector:
    home: Path
    database_url: str
    url: str = ""
    _server: Any = None
    _thread: threading.Thread | None = None
    urns: list[str] = field(default_factory=list)

    # -- the admin CLI, exactly as an LA administrator runs it ---------------------------------

    def cli(self, *args: str) -> str:
        out, err = io.StringIO(), io.StringIO()
        previous = os.environ.get("SCHOOL_AUDIT_COLLECTOR_HOME")
        os.environ["SCHOOL_AUDIT_COLLECTOR_HOME"] = str(self.home)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = collector_cli(["--database-url", self.database_url, *args])
        finally:
            if previous is None:
                os.environ.pop("SCHOOL_AUDIT_COLLECTOR_HOME", None)
            else:
                os.environ["SCHOOL_AUDIT_COLLECTOR_HOME"] = previous
        assert code == 0, f"collector {' '.join(args)} failed: {err.getvalue()}"
        return out.getvalue()

    def add_school(self, urn: str) -> None:
        self.cli("establishment", "add", "--urn", urn, "--name", f"School {urn}",
                 "--setting-type", "school", "--phase", "first", "--la-code", "885",
                 "--district", "Redditch")  # fmt: skip
        self.urns.append(urn)

    def open_cycle(self, cycle: str = "2025-26") -> None:
        """Open `cycle` for the mini template (remote signing is only for an open cycle)."""
        self.cli("cycle", "open", cycle, "--school-template", "mini-school@2025-26.1",
                 "--first-deadline", "2099-01-01", "--final-deadline", "2099-02-01")  # fmt: skip

    def issue_code(self, urn: str) -> str:
        return self.cli("enrol", "issue", "--urn", urn).strip().splitlines()[0]

    @property
    def public_key(self) -> str:
        return load_key_file(self.home / "collector-signing-key").public_key_b64

    # -- serving ---------------------------------------------------------------------------------

    def start(self, tls: tuple[Path, Path] | None = None, port: int = 0) -> None:
        """Serve on a random loopback port (or `port`); `tls` is (certificate, key) for https."""
        import uvicorn

        from school_audit.collector.app import create_app

        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(128)
        port = listener.getsockname()[1]
        # Emailed links start with the configured public address: "localhost" (a passkey
        # needs a host name, not an IP address).
        public_url = f"{'https' if tls else 'http'}://localhost:{port}"
        settings = CollectorSettings(
            home=self.home, database_url=self.database_url, public_url=public_url
        )
        app = create_app(settings)
        ssl = {"ssl_certfile": str(tls[0]), "ssl_keyfile": str(tls[1])} if tls else {}
        config = uvicorn.Config(app, log_level="warning", lifespan="on", backlog=128,
                                timeout_keep_alive=5, **ssl)  # fmt: skip
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [listener]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            assert self._thread.is_alive(), "the collector did not start"
            assert time.monotonic() < deadline, "the collector took too long to start"
            time.sleep(0.02)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"

    def restart(self) -> None:
        """Stop and serve again at the same address (as after `keys rotate`); plain http."""
        port = int(self.url.rsplit(":", 1)[1])
        self.stop()
        self.start(port=port)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
            self._server = None

    # -- what the collector holds ----------------------------------------------------------------

    def submissions(self) -> list[dict[str, Any]]:
        engine = create_engine(self.database_url.replace("postgresql://", "postgresql+psycopg://"))
        try:
            with engine.connect() as connection:
                query = text("SELECT submission_id, envelope, envelope_sha256, status, revision, "
                             "supersedes FROM submissions")  # fmt: skip
                return [dict(row._mapping) for row in connection.execute(query)]
        finally:
            engine.dispose()


def make_collector(
    home: Path, database_url: str, urns: list[str], tls: tuple[Path, Path] | None = None
) -> RunningCollector:
    collector = RunningCollector(home=home, database_url=database_url)
    collector.cli("init")
    for urn in urns:
        collector.add_school(urn)
    collector.cli("template", "publish", str(FIXTURES / "mini_school_template.json"))
    collector.start(tls)
    return collector
