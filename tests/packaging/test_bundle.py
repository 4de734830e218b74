"""The one-folder desktop bundle that PyInstaller builds from packaging/school-audit.spec.

One build (a minute or two on two cores) into a temporary folder, shared by every test here. The
bundled program is then run as a user would: commands, a database created through the shipped
migrations, a PDF with the shipped fonts, and the window started on the offscreen platform.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "school-audit.spec"
IS_WINDOWS = sys.platform == "win32"
# On Windows the window program has no console; the commands are run through the console twin.
CLI_PROGRAM = "school-audit-cli.exe" if IS_WINDOWS else "school-audit"
GUI_PROGRAM = "school-audit.exe" if IS_WINDOWS else "school-audit"
BUILD_TIMEOUT_S = 900
RUN_TIMEOUT_S = 60
LEFT_OUT_PACKAGES = (
    "fastapi",
    "uvicorn",
    "starlette",
    "psycopg",
    "argon2",
    "jinja2",
    "pytest",
    "playwright",
)
# Qt's TLS and network-information plugins are left out with QtNetwork's hook (the app's HTTPS
# is Python's own ssl, through requests).
LEFT_OUT_LIBRARIES = re.compile(
    r"Qt6(Quick|Qml|Pdf|VirtualKeyboard)|libgtk-3|libgdk-3"
    r"|qopensslbackend|qcertonlybackend|qnetworkmanager|qconnman|libqglib"
)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build = tmp_path_factory.mktemp("bundle-build")
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(build / "dist"),
        "--workpath",
        str(build / "work"),
        str(SPEC),
    ]
    result = subprocess.run(
        command, cwd=build, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S
    )
    assert result.returncode == 0, f"PyInstaller failed:\n{result.stderr[-4000:]}"
    return build / "dist" / "school-audit"


def bundle_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, SCHOOL_AUDIT_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)  # the bundle must stand on its own
    return env


def run_bundled(bundle: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bundle / CLI_PROGRAM), *args],
        env=bundle_env(home),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )


def test_version_and_help(bundle: Path, tmp_path: Path) -> None:
    from school_audit import __version__

    version = run_bundled(bundle, tmp_path, "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"school-audit {__version__}"
    help_text = run_bundled(bundle, tmp_path, "--help")
    assert help_text.returncode == 0, help_text.stderr
    assert "template" in help_text.stdout and "report" in help_text.stdout


def test_lists_the_builtin_templates_shipped_as_data(bundle: Path, tmp_path: Path) -> None:
    from school_audit.content import builtin_templates

    listing = run_bundled(bundle, tmp_path, "template", "list")
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    for template in builtin_templates():
        assert any(template.id in line and template.version in line for line in lines), (
            f"{template.id} {template.version} missing from:\n{listing.stdout}"
        )


def test_creates_its_database_through_the_shipped_migrations(bundle: Path, tmp_path: Path) -> None:
    from school_audit.store.migrate import HEAD_REVISION

    status = run_bundled(bundle, tmp_path, "status")
    assert status.returncode == 0, status.stderr
    with sqlite3.connect(tmp_path / "audit.sqlite3") as connection:
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert revision == HEAD_REVISION


def test_prints_the_governors_pdf_with_the_shipped_fonts(
    bundle: Path, tmp_path: Path, school_profile
) -> None:
    from pypdf import PdfReader

    from school_audit.content import builtin_template
    from school_audit.services.audit_service import AuditService
    from school_audit.store import Store

    store = Store.open(tmp_path / "audit.sqlite3")
    try:
        service = AuditService(store)
        service.save_profile(school_profile)
        audit = service.start_audit(builtin_template("school-s175"))
    finally:
        store.close()
    pdf = tmp_path / "governors.pdf"
    result = run_bundled(
        bundle, tmp_path, "report", "governors", str(audit.audit_id), "-o", str(pdf)
    )
    assert result.returncode == 0, result.stderr
    reader = PdfReader(pdf)
    assert school_profile.name in reader.pages[0].extract_text()
    page_fonts = reader.pages[0]["/Resources"]["/Font"].values()
    fonts = {str(font.get_object()["/BaseFont"]) for font in page_fonts}
    assert any("DejaVuSans" in name for name in fonts), fonts


def test_window_starts_offscreen_opens_the_store_and_a_second_start_hands_over(
    bundle: Path, tmp_path: Path
) -> None:
    # The app has no start-and-quit switch: it is started, watched through its own log file
    # until the window is up and the database is open, then stopped.
    log_file = tmp_path / "logs" / "school-audit.log"
    process = subprocess.Popen(
        [str(bundle / GUI_PROGRAM)],
        env=bundle_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        started = wait_until(
            lambda: (
                "Desktop app started" in read_text(log_file)
                and (tmp_path / "audit.sqlite3").exists()
            ),
            process,
        )
        assert process.poll() is None, f"the app quit: {process.communicate()[1][-2000:]}"
        assert started, f"no start within {RUN_TIMEOUT_S} s; log:\n{read_text(log_file)}"
        # A second start (QtNetwork's local socket, shipped for this) brings the window forward.
        assert wait_until(lambda: "Listening for a second start" in read_text(log_file), process)
        second = run_bundled(bundle, tmp_path)
        assert second.returncode == 0 and "already open" in second.stderr, second.stderr
        assert wait_until(lambda: "Brought to the front" in read_text(log_file), process)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=RUN_TIMEOUT_S)
    assert "Traceback" not in stderr and "Traceback" not in read_text(log_file)


def test_leaves_out_the_collector_stack_and_unused_qt(bundle: Path) -> None:
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(bundle / GUI_PROGRAM))
    modules = set(archive.open_embedded_archive("PYZ.pyz").toc)
    top_level = {name.split(".")[0] for name in modules}
    assert "school_audit.ui.app" in modules and "school_audit.store.migrate" in modules
    assert not top_level & set(LEFT_OUT_PACKAGES), top_level & set(LEFT_OUT_PACKAGES)
    assert not [name for name in modules if name.startswith("school_audit.collector")]
    files = [path.name for path in bundle.rglob("*") if path.is_file()]
    assert not [name for name in files if LEFT_OUT_LIBRARIES.search(name)]
    assert not (bundle / "_internal" / "school_audit" / "collector").exists()


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def wait_until(condition, process: subprocess.Popen[str]) -> bool:
    """Poll `condition` every 0.1 s until it holds, the process ends, or the time is up."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        if condition():
            return True
        time.sleep(0.1)
    return condition()
