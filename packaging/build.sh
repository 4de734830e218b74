#!/usr/bin/env bash
# Build the desktop app's one-folder bundle on Linux, from a clean virtual environment that holds
# only the app (`.[app]`) and PyInstaller: anything else installed would be swept into the bundle.
#
#   packaging/build.sh [OUTPUT_FOLDER]
#
# OUTPUT_FOLDER (default: $TMPDIR/school-audit-build, outside the source tree) receives:
#   venv/                                  the build environment (made afresh each time)
#   work/                                  PyInstaller's scratch folder
#   dist/school-audit/                     the bundle: run dist/school-audit/school-audit
#   school-audit-VERSION-linux-ARCH.tar.gz the bundle as one archive, with install.sh (per user)
# Set PYTHON to choose the interpreter (default python3; 3.11 or newer).
set -euo pipefail

SOURCE=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mkdir -p "${1:-${TMPDIR:-/tmp}/school-audit-build}" && cd "${1:-${TMPDIR:-/tmp}/school-audit-build}" && pwd)
PYTHON=${PYTHON:-python3}

case "$OUT/" in
  "$SOURCE"/*) echo "Choose an output folder outside the source tree ($SOURCE)." >&2; exit 2 ;;
esac

echo "Making a clean build environment in $OUT/venv"
rm -rf "$OUT/venv" "$OUT/work" "$OUT/dist"
"$PYTHON" -m venv "$OUT/venv"
VENV_PY="$OUT/venv/bin/python"
"$VENV_PY" -m pip install --quiet --upgrade pip
# The app with its dependencies (and nothing else), then PyInstaller.
"$VENV_PY" -m pip install --quiet "$SOURCE[app]" "pyinstaller>=6,<7"

echo "Building the bundle"
"$VENV_PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$OUT/dist" --workpath "$OUT/work" "$SOURCE/packaging/school-audit.spec"

BUNDLE="$OUT/dist/school-audit"
VERSION=$("$BUNDLE/school-audit" --version | awk '{print $2}')
"$BUNDLE/school-audit" template list >/dev/null
# The archive carries what a per-user install needs beside the programs.
cp "$SOURCE/packaging/linux/install.sh" "$SOURCE/packaging/linux/school-audit.desktop" \
  "$SOURCE/resources/school-audit.png" "$BUNDLE/"
ARCHIVE="$OUT/school-audit-$VERSION-linux-$(uname -m).tar.gz"
tar -C "$OUT/dist" -czf "$ARCHIVE" school-audit

echo "Bundle:  $BUNDLE ($(du -sh "$BUNDLE" | cut -f1))"
echo "Archive: $ARCHIVE ($(du -sh "$ARCHIVE" | cut -f1))"
