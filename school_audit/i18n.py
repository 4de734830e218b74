"""The one translation function for user-facing text.

Today it returns the English text unchanged; a catalogue can be plugged in with `install` without
touching the callers.

Text is translated when it is shown, never when a module is imported (a translator installed at
start-up would come too late for it): module-level tables of words hold the English text marked
with `N_`, in a `LazyMap` or `LazyList` that translates each item as it is read, and `tr` fills
`{name}` placeholders after translating, so a catalogue sees the text with its placeholders, not
the filled-in words. `tests/ui/test_translation.py` proves both with a test locale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar, overload

K = TypeVar("K")

_translate: Callable[[str], str] = lambda text: text  # noqa: E731


def tr(text: str, **values: object) -> str:
    """Translate `text` and fill `{name}` placeholders from `values`."""
    translated = _translate(text)
    return translated.format(**values) if values else translated


def N_(text: str) -> str:  # noqa: N802 - the usual name of the marker
    """Mark `text` for translation where it is written, to be translated by `tr` where it is shown."""
    return text


def install(translate: Callable[[str], str]) -> None:
    global _translate
    _translate = translate


class LazyMap(Mapping[K, str]):
    """A table of words (key → English text) read in the language in use at the time."""

    def __init__(self, items: Mapping[K, str]) -> None:
        self._items = dict(items)

    def __getitem__(self, key: K) -> str:
        return tr(self._items[key])

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


class LazyList(Sequence[str]):
    """A list of words (English text) read in the language in use at the time."""

    def __init__(self, items: Iterable[str]) -> None:
        self._items = tuple(items)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [tr(text) for text in self._items[index]]
        return tr(self._items[index])

    def __len__(self) -> int:
        return len(self._items)
