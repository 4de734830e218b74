"""school-audit: the annual safeguarding self-audit, from a DSL's answer to the steering group's chart."""

__version__ = "0.1.0"
