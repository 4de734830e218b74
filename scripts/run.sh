#!/usr/bin/env bash
# Set up and run the main job: a local collector seeded with demo data, and the desktop app
# enrolled against it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m school_audit.demo_run "$@"
