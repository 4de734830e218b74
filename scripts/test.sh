#!/usr/bin/env bash
# Set up (see setup.sh) and run the whole test suite: lint, import contracts, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check school_audit tests bench
.venv/bin/lint-imports
.venv/bin/python -m pytest "$@"
