"""The audit as plain data and rules: templates, profiles, answers, readiness and the envelope.

Imports only the standard library (and pydantic, on first use, to check data from outside: see
`records.py`), so every rule can be tested without Qt, a database or a network.
"""
