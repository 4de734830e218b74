"""The one translation function for user-facing text.

Today it returns the English text unchanged; a catalogue can be plugged in with `install` without
touching the callers.
"""

from collections.abc import Callable

_translate: Callable[[str], str] = lambda text: text  # noqa: E731


def tr(text: str, **values: object) -> str:
    """Translate `text` and fill `{name}` placeholders from `values`."""
    translated = _translate(text)
    return translated.format(**values) if values else translated


def install(translate: Callable[[str], str]) -> None:
    global _translate
    _translate = translate
