"""The bundle's entry point: the same as the `school-audit` console script."""

import sys

from school_audit.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
