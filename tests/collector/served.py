"""The collector as an LA runs it: `school-audit-collector serve` in its own process, on a free
loopback port, its log (uvicorn's and ours) written to a file the test can read."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from school_audit.collector.settings import ENV_PREFIX
from tests.collector_web.live_server import free_port


@dataclass
class Served:
    url: str
    port: int
    log: Path
    process: subprocess.Popen[bytes]

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def serve(home: Path, database_url: str, *options: str) -> Served:
    """Start `serve [options]` on a migrated database with a key in `home`; wait until /healthz
    answers."""
    port = free_port()
    log = home / "serve.log"
    env = dict(os.environ, **{ENV_PREFIX + "HOME": str(home)})
    command = [sys.executable, "-m", "school_audit.collector.cli.main",
               "--database-url", database_url, "serve", "--port", str(port), *options]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    served = Served(f"http://127.0.0.1:{port}", port, log, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the collector exited: " + served.log_text()[-2000:])
        try:
            with urllib.request.urlopen(served.url + "/api/v1/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return served
        except OSError:
            time.sleep(0.1)
    served.stop()
    raise RuntimeError("the collector did not start within 60 seconds")
