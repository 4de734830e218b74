"""The base of the domain's data classes: standard-library dataclasses, checked by pydantic only
where data comes from outside.

Templates, profiles and audits are `@dataclass(kw_only=True)` classes deriving from `Record`.
Their field annotations (with `Rule` constraints) are the one description of each shape, read by
two engines:

- pydantic, for anything that comes from outside (a template file, the profile form, a stored
  profile from an older version): `Cls.model_validate(data)` names every wrong field by its path.
  pydantic is imported on the first such call, not before.
- `Cls.from_trusted(data)`, for our own stored data, already validated when it was written: it
  only turns JSON values back into dates, enums, UUIDs and records, with no pydantic at all. This
  is what lets the desktop window show the last audit before pydantic is even loaded.

`model_dump`, `model_dump_json` and `model_copy` keep pydantic's names and meaning, so callers
need not care which engine built an object. Constructing a record directly turns enum values
given as text into the enum (as pydantic did) and runs no other check.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import enum
import json
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from typing import Annotated, Any, ClassVar, Literal, Self, Union

Convert = Callable[[Any], Any]


class Rule:
    """Constraints on an annotated type, applied by pydantic when it validates, e.g.
    `Annotated[str, Rule(pattern=r"^\\d+$")]`. The keywords are pydantic-core schema keys of the
    type's schema (`pattern`, `min_length`, `strip_whitespace`, `ge`, `le`, `strict`)."""

    __slots__ = ("rules",)

    def __init__(self, **rules: Any) -> None:
        self.rules = rules

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        schema = handler(source)
        schema.update(self.rules)
        return schema

    def __repr__(self) -> str:
        return f"Rule({', '.join(f'{k}={v!r}' for k, v in self.rules.items())})"


class Record:
    """Mixin for the domain's dataclasses (see the module docstring)."""

    # Read by pydantic for validation; subclasses may add e.g. str_strip_whitespace.
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}

    def __post_init__(self) -> None:
        for name, enum_type in _enum_fields(type(self)):
            value = self.__dict__[name]
            if value is not None and not isinstance(value, enum_type):
                object.__setattr__(self, name, enum_type(value))

    # -- validation (pydantic, imported on first use) ------------------------------------------

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        """A checked record from Python data; raises pydantic's ValidationError."""
        result: Self = _adapter(cls).validate_python(data)
        return result

    @classmethod
    def model_validate_json(cls, text: str | bytes) -> Self:
        result: Self = _adapter(cls).validate_json(text)
        return result

    def model_dump(
        self, *, mode: Literal["python", "json"] = "python", exclude_none: bool = False
    ) -> dict[str, Any]:
        dumped: dict[str, Any] = _adapter(type(self)).dump_python(
            self, mode=mode, exclude_none=exclude_none
        )
        return dumped

    def model_dump_json(self) -> str:
        dumped: bytes = _adapter(type(self)).dump_json(self)
        return dumped.decode()

    # -- without pydantic ----------------------------------------------------------------------

    @classmethod
    def from_trusted(cls, data: Mapping[str, Any]) -> Self:
        """A record from JSON-shaped data this app wrote itself (see the module docstring).
        Missing keys take their defaults; an unknown key raises TypeError."""
        decoders = _decoders(cls)
        values = {}
        for key, value in data.items():
            decode = decoders.get(key)
            values[key] = value if decode is None else decode(value)
        return cls(**values)

    @classmethod
    def from_trusted_json(cls, text: str) -> Self:
        return cls.from_trusted(json.loads(text))

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy, with `update` applied unchecked (as pydantic's model_copy)."""
        copied = copy.deepcopy(self) if deep else self
        changed: Self = dataclasses.replace(copied, **(update or {}))  # type: ignore[type-var]
        return changed


# -- the engines' caches ---------------------------------------------------------------------

_ADAPTERS: dict[type, Any] = {}
_DECODERS: dict[type, dict[str, Convert | None]] = {}
_ENUMS: dict[type, list[tuple[str, type[enum.Enum]]]] = {}
_FIELD_TYPES: dict[type, dict[str, Any]] = {}


def _adapter(cls: type) -> Any:
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        from pydantic import TypeAdapter

        adapter = _ADAPTERS[cls] = TypeAdapter(cls)
    return adapter


def _field_types(cls: type) -> dict[str, Any]:
    """Each field's type; worked out once per class (it evaluates every annotation's text)."""
    found = _FIELD_TYPES.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = _FIELD_TYPES[cls] = {f.name: hints[f.name] for f in dataclasses.fields(cls)}
    return found


def _enum_fields(cls: type) -> list[tuple[str, type[enum.Enum]]]:
    found = _ENUMS.get(cls)
    if found is None:
        found = _ENUMS[cls] = []
        for name, kind in _field_types(cls).items():
            inner = _strip_optional(_strip_annotated(kind))
            if isinstance(inner, type) and issubclass(inner, enum.Enum):
                found.append((name, inner))
    return found


def _decoders(cls: type) -> dict[str, Convert | None]:
    found = _DECODERS.get(cls)
    if found is None:
        found = _DECODERS[cls] = {name: _decoder(kind) for name, kind in _field_types(cls).items()}
    return found


def _strip_annotated(kind: Any) -> Any:
    return typing.get_args(kind)[0] if typing.get_origin(kind) is Annotated else kind


def _strip_optional(kind: Any) -> Any:
    if typing.get_origin(kind) in (Union, types.UnionType):
        others = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        if len(others) == 1:
            return _strip_annotated(others[0])
    return kind


def _decoder(kind: Any) -> Convert | None:
    """How to turn the JSON form of `kind` back into it (None: the JSON value is the value)."""
    kind = _strip_annotated(kind)
    origin = typing.get_origin(kind)
    if origin in (Union, types.UnionType):
        others = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        if len(others) > 1:  # e.g. str | int | bool: JSON's own types
            if any(_decoder(arg) is not None for arg in others):
                raise TypeError(f"no trusted decoder for a union of {others!r}")
            return None
        inner = _decoder(others[0])
        return None if inner is None else (lambda value: None if value is None else inner(value))
    if origin is list:
        item = _decoder(typing.get_args(kind)[0])
        return None if item is None else (lambda values: [item(value) for value in values])
    if origin is dict:
        entry = _decoder(typing.get_args(kind)[1])
        return None if entry is None else (lambda values: {k: entry(v) for k, v in values.items()})
    if origin is Literal or kind in (str, int, bool, float):
        return None
    if kind is dt.datetime:
        return dt.datetime.fromisoformat
    if kind is dt.date:
        return dt.date.fromisoformat
    if kind is uuid.UUID:
        return uuid.UUID
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind
    if isinstance(kind, type) and issubclass(kind, Record):
        return kind.from_trusted
    raise TypeError(f"no trusted decoder for {kind!r}")
