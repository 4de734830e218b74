"""The main job in one command: a local collector with a fictional LA, and the desktop app of one of
its schools enrolled against it, so a newcomer sees the whole loop in a minute.

    python -m school_audit.demo_run            # what `bash scripts/run.sh` runs

Everything lives in one folder (default `var/demo`): the collector's database and key, the demo
log-ins, and the desktop app's data. A second run reuses it; `--fresh` starts again.
On a Linux machine without a keyring it starts a private GNOME Keyring for the run, because the
app keeps its device key only in an OS keyring and never in a file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import requests

KEYRING_ENV = "SCHOOL_AUDIT_DEMO_KEYRING_SESSION"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="demo_run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=Path("var/demo"), help="where everything lives")
    parser.add_argument("--port", type=int, default=8765, help="the collector's port on 127.0.0.1")
    parser.add_argument("--fresh", action="store_true", help="delete the folder and start again")
    parser.add_argument("--password", help="one password for the demo log-ins (default: random)")
    parser.add_argument("--send", action="store_true", help="complete, sign and send the school's audit")
    parser.add_argument("--no-app", action="store_true", help="do not open the desktop window")
    parser.add_argument("--no-wait", action="store_true", help="stop the collector at the end")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    from school_audit.credentials import KeyringUnavailable
    from school_audit.store import StoreError

    try:
        return run(argv)
    except (KeyringUnavailable, StoreError, requests.RequestException, subprocess.CalledProcessError) as error:
        print(f"The demo could not start: {error}", file=sys.stderr)
        return 2


def run(argv: Sequence[str] | None) -> int:
    args = parse_args(argv)
    if _needs_keyring_session():
        return _rerun_in_keyring_session(argv)
    folder = args.folder.resolve()
    if args.fresh and folder.exists():
        for item in folder.iterdir():  # keep the keyring folder a running keyring may be using
            if item.name != "keyring":
                shutil.rmtree(item) if item.is_dir() else item.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    collector = Collector(folder / "collector", args.port)
    login = collector.seed(args.password)
    with collector.serving():
        school = prepare_school(folder / "app", collector.url, login)
        if args.send:
            send_school_return(school)
        _print_summary(collector, login, folder / "app", school)
        if not args.no_app:
            _open_app(folder / "app")
        elif not args.no_wait:
            _wait_for_ctrl_c(collector.url)
    return 0


# -- the collector --------------------------------------------------------------------------------


class Collector:
    def __init__(self, home: Path, port: int) -> None:
        self.home = home
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        # The demo LA's name on its reports (the steering pack's cover, letters; a name set in
        # the environment wins) and the public address emailed signing links start with.
        self.env = {"SCHOOL_AUDIT_COLLECTOR_LA_NAME": "Worcestershire (demo)", **os.environ,
                    "SCHOOL_AUDIT_COLLECTOR_HOME": str(home),
                    "SCHOOL_AUDIT_COLLECTOR_PUBLIC_URL": self.url}  # fmt: skip
        self.database_url = f"sqlite:///{home / 'collector.sqlite3'}"
        self.users_file = home / "demo-users.json"

    def _command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "school_audit.collector.cli.main", "--database-url", self.database_url, *args]

    def seed(self, password: str | None) -> dict:
        if not self.users_file.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            print("Setting up a fictional local authority (register, cycles, signed returns)…")
            subprocess.run(self._command("init"), env=self.env, check=True, stdout=subprocess.DEVNULL)
            extra = ["--password", password] if password else []
            subprocess.run(
                self._command("demo", "--users-file", str(self.users_file), *extra),
                env=self.env, check=True, stdout=subprocess.DEVNULL,
            )
        return json.loads(self.users_file.read_text(encoding="utf-8"))

    def serving(self) -> _Server:
        if _port_in_use(self.port):
            raise SystemExit(f"Port {self.port} is busy: choose another with --port.")
        command = self._command("serve", "--host", "127.0.0.1", "--port", str(self.port))
        return _Server(command, self.env, self.url)


class _Server:
    def __init__(self, command: list[str], env: dict[str, str], url: str) -> None:
        self.command, self.env, self.url = command, env, url
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> _Server:
        log = open(Path(self.env["SCHOOL_AUDIT_COLLECTOR_HOME"]) / "serve.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(self.command, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"The collector stopped at start; see {log.name}")
            try:
                if requests.get(f"{self.url}/api/v1/healthz", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.2)
        raise SystemExit("The collector did not start within 30 seconds.")

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            # Ctrl+C lets uvicorn finish its requests; Windows has no SIGINT to send a child.
            if sys.platform == "win32":
                self.process.terminate()
            else:
                self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


# -- the school's desktop app ---------------------------------------------------------------------


def prepare_school(home: Path, url: str, login: dict):  # type: ignore[no-untyped-def]
    """Enrol the demo school's app (once), set its profile and start its audit with some answers."""
    from school_audit import paths
    from school_audit.domain.profile import EstablishmentProfile, Person
    from school_audit.services.audit_service import AuditService
    from school_audit.services.demo_audits import fill
    from school_audit.services.submission_service import SubmissionService
    from school_audit.store import Store

    paths.set_data_dir(home)
    store = Store.open_default()
    submissions = SubmissionService(store)
    if not submissions.enrolment().enrolled:
        submissions.enrol(url, login["enrolment"]["code"], "Demo office PC")
    service = AuditService(store)
    if service.profile() is None:
        found = submissions.enrolment().establishment or {}
        service.save_profile(
            EstablishmentProfile(
                urn=found["urn"], name=found["name"], setting_type=found["setting_type"],
                phase=found["phase"], la_code=found.get("la_code") or "", district=found.get("district") or "",
                flags={"has_eyfs": found["phase"] in ("first", "primary", "infant", "nursery")},
                dsl=Person(name="Sam Example", role="Designated safeguarding lead",
                           trained_on=date.today() - timedelta(days=400)),
                head=Person(name="Alex Sample", role="Head teacher"),
                chair_of_governors=Person(name="Jo Placeholder", role="Chair of governors"),
            )
        )
    if not service.audits():
        audit = service.start_audit(service.available_templates()[-1])
        fill(service, audit, service.template_of(audit), date.today(), 0.6)
    return service, submissions


def send_school_return(school) -> None:  # type: ignore[no-untyped-def]
    """Answer the rest as met, sign as DSL, head and chair, and send: the loop, without a window."""
    from school_audit.domain.audit import AuditState, Rating, Response

    service, submissions = school
    summary = service.audits()[0]
    if summary.state is AuditState.DRAFT:
        audit = service.load(summary.audit_id)
        template = service.template_of(audit)
        for standard in template.applicable(audit.profile.phase, audit.profile.flags):
            if standard.is_rated and audit.response(standard.id).rating is None:
                dates = {d.key: date.today() - timedelta(days=90) for d in standard.dates}
                service.save_response(audit.audit_id, Response(
                    standard_id=standard.id, rating=Rating.MET, dates=dates,
                    evidence="Checked with the safeguarding governor this term; records on file."))
        names = {"dsl": "Sam Example", "head_teacher": "Alex Sample", "chair_of_governors": "Jo Placeholder"}
        roles = submissions.signatories_for(audit.profile).required
        sign_offs = [submissions.sign_off(role, names.get(role.value, "Demo Signatory")) for role in roles]
        submissions.finalise(audit.audit_id, sign_offs)
    report = submissions.send_now()
    print(f"Sent {len(report.sent)} return(s) to the collector; waiting: {len(report.waiting)}.")


# -- around the edges ------------------------------------------------------------------------------


def _print_summary(collector: Collector, login: dict, app_home: Path, school) -> None:  # type: ignore[no-untyped-def]
    service, _ = school
    profile = service.profile()
    print(f"\nThe collector is running: {collector.url}/  (dashboard; API under /api/v1)")
    for user in login["users"]:
        print(f"  log in as {user['username']:<9} ({user['role']:<10}) password {user['password']}")
    print(f"\n{profile.name} (URN {profile.urn}) is enrolled; its app data is in {app_home}")
    print(f"  command line: school-audit --data-dir {app_home} status --offline")


def _open_app(app_home: Path) -> None:
    from school_audit.ui.app import display_problem

    problem = display_problem()
    if problem:
        print("\n" + problem)
        print("To see the whole demo on a virtual display instead: xvfb-run -a bash scripts/run.sh")
        _wait_for_ctrl_c("")
        return
    print("\nOpening the desktop app… close its window to stop the demo.")
    subprocess.run([sys.executable, "-m", "school_audit.cli.main", "--data-dir", str(app_home), "app"], check=False)


def _wait_for_ctrl_c(url: str) -> None:
    print("\nPress Ctrl+C to stop the collector.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("Stopped.")


def _port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _needs_keyring_session() -> bool:
    if os.environ.get(KEYRING_ENV) or not sys.platform.startswith("linux"):
        return False
    from school_audit.credentials import KeyringSecretStore, KeyringUnavailable

    try:
        KeyringSecretStore().check()
    except KeyringUnavailable:
        return bool(shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon"))
    return False


def _rerun_in_keyring_session(argv: Sequence[str] | None) -> int:
    print("No keyring is running here: starting a private GNOME Keyring for this demo.")
    args = parse_args(argv)
    # The demo keyring's file lives in the demo folder, unlocked with a fixed password, so it never
    # touches (or is locked by) a keyring the user already has.
    keyring_home = args.folder.resolve() / "keyring"
    keyring_home.mkdir(parents=True, exist_ok=True)
    rest = " ".join(f"'{a}'" for a in (argv if argv is not None else sys.argv[1:]))
    script = (
        "printf 'school-audit-demo' | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "
        f"exec '{sys.executable}' -m school_audit.demo_run {rest}"
    )
    env = {**os.environ, KEYRING_ENV: "1", "XDG_DATA_HOME": str(keyring_home)}
    return subprocess.run(["dbus-run-session", "--", "sh", "-c", script], env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
