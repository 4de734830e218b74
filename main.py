"""Run the desktop app from a checkout: `python main.py` (same as `school-audit`)."""

import sys

from school_audit.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
