"""PDF reports (ReportLab): a school's return for its governors; the steering group's pack.

Import lazily from the desktop app: ReportLab costs a fifth of a second to import.
"""
