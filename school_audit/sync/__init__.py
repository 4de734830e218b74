"""Talking to the LA's collector: HTTP session, typed API calls, enrolment and the outbox drain."""
