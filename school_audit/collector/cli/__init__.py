"""The `school-audit-collector` admin command line."""
