"""Reviewing returns and the queries behind the officer's lists: returns, settings and their
history, triage flags and notes, a return's verification. The dashboard's pages call these."""
