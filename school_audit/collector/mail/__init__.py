"""Mail from the LA to settings: contacts, a queue table, a worker that sends through the LA's
SMTP relay, editable templates, reminders that escalate and review notices (docs/mail.md).

The one unavoidable ambiguity of SMTP (the server accepted, then the worker died before marking the
row sent) is made harmless: each message's Message-ID is fixed when it is queued and its bytes
before the first attempt, so the worst case is the identical message twice, which mail clients
show once.
"""
