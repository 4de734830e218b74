"""What a new dashboard password must be: long enough, not one of the commonest passwords (nor one
of them with digits or symbols added, or said twice), and not the user name.

Checked wherever a password is chosen: `user add`, `user reset-password` and any web form. A
password already stored is never re-judged (a hash upgrade at log-in keeps it as it is).
"""

from __future__ import annotations

import functools
from importlib import resources

MIN_LENGTH = 12
SHORTEST_NAME_CHECKED = 3  # "ann" inside a password is worth refusing; "al" would refuse too much
_EDGE_CHARACTERS = "0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ "


class WeakPassword(ValueError):
    """The message says what is wrong and what to choose instead."""


@functools.cache
def common_passwords() -> frozenset[str]:
    text = resources.files(__package__).joinpath("common_passwords.txt").read_text("ascii")
    return frozenset(
        line for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _stems(password: str) -> set[str]:
    """The password lower-cased, without the digits and symbols around it, and the word it
    repeats: "Football2024!" and "qwertyqwerty" are as guessable as "football" and "qwerty"."""
    folded = password.casefold()
    stems = {folded, folded.strip(_EDGE_CHARACTERS)}
    for stem in list(stems):
        for size in range(1, len(stem) // 2 + 1):
            if len(stem) % size == 0 and stem[:size] * (len(stem) // size) == stem:
                stems.add(stem[:size])
                break
    return {stem for stem in stems if stem}


def check_new_password(password: str, username: str) -> None:
    """Raise WeakPassword when `password` may not be chosen by `username`."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(
            f"a password needs at least {MIN_LENGTH} characters; three or four unrelated words "
            "make a good one"
        )
    name = username.strip().casefold()
    if len(name) >= SHORTEST_NAME_CHECKED and name in password.casefold():
        raise WeakPassword("a password must not contain the user name: choose another")
    if _stems(password) & common_passwords():
        raise WeakPassword(
            "that password is one of the most common ones (or one of them with numbers or "
            "symbols added), which are tried first: choose another, e.g. three or four "
            "unrelated words"
        )
