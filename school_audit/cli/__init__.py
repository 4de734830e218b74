"""The `school-audit` command line: the desktop app's flows without a window."""
