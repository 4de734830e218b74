"""A way out when the database file cannot be opened: restore the last good copy.

The store keeps a copy before every upgrade (and never overwrites a damaged file: it is moved
aside). This offers the newest copy; the work runs on the background lane.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from school_audit.i18n import tr

log = logging.getLogger(__name__)


def recovery_offer(error: BaseException) -> tuple[str, Callable[[], Any]] | None:
    """(button label, work returning the services) when a damaged database has a copy."""
    from school_audit.services.client import ClientServices

    copies = ClientServices.copies_to_restore(error)
    if not copies:
        return None
    return tr("Restore the last good copy"), lambda: restore(copies[0])


def restore(copy) -> tuple[Any, str]:
    """Put `copy` in place (the damaged file is kept aside); the services and a message."""
    from school_audit.services.client import ClientServices

    services, damaged = ClientServices.restore(copy)
    log.warning("Restored the database from a copy; the damaged file was kept")
    message = tr(
        "Restored the copy {copy}. Changes made after it was taken are not in it; the damaged "
        "file is kept as {damaged}.", copy=copy.name, damaged=damaged.name,
    )  # fmt: skip
    return services, message
