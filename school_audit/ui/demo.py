"""Open the desktop app on demo data: a first school part-way through this year's audit,
started from last year's (see `school_audit.services.demo_audits`).

    python -m school_audit.ui.demo [--data-dir FOLDER]   # fills an empty data folder, opens the app
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    from school_audit import paths

    parser = argparse.ArgumentParser(description="Open the desktop app with demo data.")
    parser.add_argument("--data-dir", help="folder for the demo database")
    args = parser.parse_args(argv)
    paths.set_data_dir(args.data_dir)
    from school_audit.ui.app import display_problem, open_default_service, run

    if display_problem():
        print(display_problem(), file=sys.stderr)
        return 2
    if not paths.database_path().exists():
        from school_audit.services.demo_audits import seed_demo

        seed_demo(open_default_service().audits)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
