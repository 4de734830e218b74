"""The last active admin survives two changes at once: each of two admins disables the other."""

from __future__ import annotations

import threading

from school_audit.collector import users
from school_audit.collector.db import init_database
from school_audit.collector.db.tables import User

PASSWORD = "kettle harbour violet"


def test_two_admins_disabling_each_other_leave_one(db_url):
    database = init_database(db_url)
    for name in ("ada", "bea"):
        users.add_user(database, name, "admin", PASSWORD, actor="test")
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def disable(target: str, actor: str) -> None:
        start.wait()
        try:
            users.set_active(database, target, False, actor)
            outcomes[target] = "disabled"
        except users.UserError:
            outcomes[target] = "refused"

    threads = [
        threading.Thread(target=disable, args=("ada", "bea")),
        threading.Thread(target=disable, args=("bea", "ada")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["disabled", "refused"]
    with database.read() as session:
        active = [u.username for u in session.query(User) if u.active and u.role == "admin"]
    assert len(active) == 1
    database.dispose()
