"""The desktop app (PySide6): thin views over `school_audit.services`.

Nothing outside this package imports Qt. Widgets render state and emit intents; the session
(`session.py`) turns intents into service calls and tells the views what changed.
"""
