#!/usr/bin/env bash
# Set up a fresh Debian/Ubuntu machine for school-audit: system packages (when run as root or
# with sudo) and a virtual environment in .venv with the app, the collector and the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(
  # Qt offscreen and under Xvfb
  libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core
  xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
  libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0
  # tests: PostgreSQL server, a browser for the dashboard, PDF rendering
  postgresql chromium poppler-utils
  # a real Secret Service keyring for the demo and the keyring integration test
  gnome-keyring dbus
  python3-venv
)

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# npm (for axe-core) only when there is none: a machine may have Node.js from elsewhere, and
# Debian's npm would then conflict with it.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "Installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null; then
    # One package that will not install must not stop the others (nor the run): try each, and
    # say which failed; the tests that need it then fail with their own message.
    for pkg in "${missing[@]}"; do
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$pkg" >/dev/null 2>&1 || \
        echo "warning: could not install the system package $pkg" >&2
    done
  fi
fi

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip 2>/dev/null || true
.venv/bin/python -m pip install -q -e '.[app,collector,dev]'

# axe-core for the dashboard's accessibility checks (a plain npm package, no browser download).
if [ ! -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null; then
  npm install --silent --no-audit --no-fund --no-save axe-core@4 >/dev/null 2>&1 || \
    echo "warning: could not install axe-core from npm; the accessibility tests will fail" >&2
fi
