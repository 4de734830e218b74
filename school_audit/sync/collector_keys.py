"""The collector keys this device trusts: the one pinned at enrolment, and every key that the
collector's key history chains to it (docs/signed-returns.md, section 12).

When a receipt, an acceptance record or an attestation names a key id the device does not know,
the history is fetched once (`GET /api/v1/collector-keys`, on the network lane), checked with
`signing.key_history.chain_problems`, and the run of keys that holds the pinned key is kept in
the local store (the `collector_key_history` setting; public keys only). A history that does not
chain from the pinned key vouches for nothing: the signature is refused, with the reason.

The device's own public keys are remembered the same way (`device_public_keys`), one per
enrolment, so the school's archive can check returns signed before the device enrolled again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from school_audit.signing import SignatureInvalid, key_id_for
from school_audit.signing.key_history import chain_problems

log = logging.getLogger(__name__)

ACCEPTED_KEYS = "collector_key_history"  # {"keys": [entries]}: the run that holds the pinned key
DEVICE_PUBLIC_KEYS = "device_public_keys"  # {key id: public key}: every key this store signed with
FIELDS = ("key_id", "public_key", "valid_from", "endorsement")


class SettingsStore(Protocol):
    def get_setting(self, key: str, default: str | None = None) -> str | None: ...
    def set_setting(self, key: str, value: str | None) -> None: ...


class CollectorKeyRefused(SignatureInvalid):
    """Signed by a collector key that nothing this device trusts vouches for."""


def accepted_entries(store: SettingsStore | None) -> list[dict[str, Any]]:
    """The collector key history entries this device accepted, oldest first ([] before any)."""
    text = store.get_setting(ACCEPTED_KEYS) if store is not None else None
    if not text:
        return []
    try:
        entries = json.loads(text)["keys"]
    except (ValueError, KeyError, TypeError):
        log.warning("The stored collector key history is unreadable; it is ignored")
        return []
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def archive_entries(store: SettingsStore, pinned: str, since: str) -> list[dict[str, Any]]:
    """What the school's archive carries as `keys/collector.json`: the accepted history when it
    holds the pinned key, else the pinned key alone (valid from enrolment)."""
    entries = accepted_entries(store)
    if any(e.get("key_id") == key_id_for(pinned) for e in entries):
        return entries
    return [{"key_id": key_id_for(pinned), "public_key": pinned, "valid_from": since}]


class CollectorKeys:
    """Public keys by id, starting from `pinned`; `fetch` (None: offline) returns the
    collector's key history and may raise the sync errors of a network call."""

    def __init__(
        self,
        pinned: str,
        store: SettingsStore | None = None,
        fetch: Callable[[], Sequence[Any]] | None = None,
    ) -> None:
        self.pinned = pinned
        try:
            self.pinned_id = key_id_for(pinned)
        except SignatureInvalid:  # a damaged setting: every signature will fail to verify
            self.pinned_id = ""
        self._store = store
        self._fetch = fetch
        self._fetched = False
        self._why: dict[str, str] = {}  # key id -> why the fetched history does not vouch for it
        self._refusal = ""  # why the fetched history as a whole was refused

    def known(self) -> dict[str, str]:
        keys = {str(e.get("key_id")): str(e.get("public_key")) for e in accepted_entries(self._store)}
        keys[self.pinned_id] = self.pinned
        return keys

    def public_key(self, key_id: Any) -> str:
        """The public key of `key_id` (the pinned one for None), fetching the history once if
        it is new here; CollectorKeyRefused, with the reason, if nothing trusted vouches for it."""
        if key_id is None or key_id == self.pinned_id:
            return self.pinned
        if not isinstance(key_id, str):
            raise CollectorKeyRefused("the collector key id is not text")
        found = self.known().get(key_id)
        if found is None and self._fetch is not None and not self._fetched:
            self._fetched = True  # once per check: a run of receipts asks the collector once
            self.follow(self._fetch())
            found = self.known().get(key_id)
        if found is not None:
            return found
        if self._fetch is None:
            raise CollectorKeyRefused(f"signed by collector key {key_id}, which this device does "
                                      "not know (its key history was not fetched)")  # fmt: skip
        why = self._refusal or self._why.get(key_id) or "it is not in the collector's key history"
        raise CollectorKeyRefused(
            f"signed by collector key {key_id}, which the key pinned at enrolment "
            f"({self.pinned_id}) does not vouch for: {why}"
        )

    def follow(self, history: Sequence[Any]) -> list[str]:
        """Keep the keys of `history` that chain to the pinned key; returns their ids ([] and
        nothing kept if the history is refused: the reasons are given by `public_key`)."""
        self._why, self._refusal = {}, ""
        if not isinstance(history, Sequence) or isinstance(history, (str, bytes)):
            self._refusal = "the collector's key history is not a list"
            return []
        runs, problems = chain_problems(history)
        for position, detail in problems.items():
            entry = history[position]
            key_id = entry.get("key_id") if isinstance(entry, Mapping) else None
            if isinstance(key_id, str):
                self._why.setdefault(key_id, f"key {position + 1} of the history: {detail}")
        run = next((r for r in runs if self.pinned_id in r), None)
        if run is None:
            self._refusal = "the collector's key history does not hold the pinned key"
            log.warning("Collector key history refused: %s", self._refusal)
            return []
        kept = self._entries_of(history, run)
        if any(e.get("public_key") != self.pinned for e in kept if e["key_id"] == self.pinned_id):
            self._refusal = "the history gives the pinned key id another public key"
            return []
        lost = [e["key_id"] for e in accepted_entries(self._store) if e.get("key_id") not in run]
        if lost:
            self._refusal = (
                "the history no longer lists collector key(s) this device accepted before: "
                + ", ".join(str(key) for key in lost)
            )
            log.warning("Collector key history refused: %s", self._refusal)
            return []
        if self._store is not None:
            self._store.set_setting(ACCEPTED_KEYS, json.dumps({"keys": kept}, sort_keys=True))
        log.info("Following the collector's key history: %d key(s) chained from %s",
                 len(kept), self.pinned_id)  # fmt: skip
        return [e["key_id"] for e in kept]

    @staticmethod
    def _entries_of(history: Sequence[Any], run: list[str]) -> list[dict[str, Any]]:
        wanted, kept = set(run), []
        for entry in history:
            key_id = entry.get("key_id") if isinstance(entry, Mapping) else None
            if isinstance(key_id, str) and key_id in wanted:
                wanted.discard(key_id)
                kept.append({name: entry[name] for name in FIELDS if name in entry})
        return kept


# -- the device's own keys ------------------------------------------------------------------------


def remember_device_key(store: SettingsStore, key_id: str, public_key: str) -> None:
    """Add a device public key this store signs with (kept when the device enrols again)."""
    keys = device_public_keys(store)
    keys[key_id] = public_key
    store.set_setting(DEVICE_PUBLIC_KEYS, json.dumps(keys, sort_keys=True))


def device_public_keys(store: SettingsStore) -> dict[str, str]:
    """{key id: public key} of every device key this store has signed with (as remembered)."""
    try:
        value = json.loads(store.get_setting(DEVICE_PUBLIC_KEYS) or "{}")
    except ValueError:
        log.warning("The stored device public keys are unreadable; they are ignored")
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}
