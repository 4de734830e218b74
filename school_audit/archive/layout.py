"""The portable archive file: one zip that anyone can check offline (docs/signed-returns.md §10).

Written by the collector (`school-audit-collector export archive`) and by the school's app
(`school-audit archive export`); read by `school-audit verify-archive`. Layout:

    index.json                          what is in the archive, and the SHA-256 of every file
    keys/collector.json                 {"keys": [...]}: every collector key ever used, oldest first
    keys/devices.json                   {"keys": [{key_id, public_key}]}: the devices that signed
    returns/<submission_id>/envelope.json          the signed envelope, byte for byte (RFC 8785)
    returns/<submission_id>/device-signature.txt   the device's Ed25519 signature (base64url)
    returns/<submission_id>/receipt.json           the collector's signed receipt, if it has one
    returns/<submission_id>/acceptance.json        the signed acceptance record, if it has one
    returns/<submission_id>/governors-report.pdf   the governors' copy, if one was made

Attestations (how each person signed) travel inside the envelope (`sign_off[].attestation`), as
the collector received them. Nothing here is secret: no private key, token or code.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "school-audit/archive/v1"
INDEX = "index.json"
COLLECTOR_KEYS = "keys/collector.json"
DEVICE_KEYS = "keys/devices.json"
# Per return: what each file is called in the index (`files`) and in the zip.
RETURN_FILES = {
    "envelope": "envelope.json",
    "device_signature": "device-signature.txt",
    "receipt": "receipt.json",
    "acceptance": "acceptance.json",
    "governors_report": "governors-report.pdf",
}
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one envelope or PDF; more is not an archive of ours
MAX_MEMBERS = 200_000


class ArchiveUnreadable(Exception):
    """The file is not an archive this program can read (the message says why)."""


@dataclass(frozen=True)
class ArchivedReturn:
    """One signed return and everything that backs it."""

    submission_id: str
    envelope: bytes  # exactly the bytes the device signed
    device_signature: str
    receipt: Mapping[str, Any] | None = None
    acceptance: Mapping[str, Any] | None = None
    governors_report: bytes | None = None
    review_status: str | None = None  # the LA's review when the archive was made (not signed)


@dataclass
class Archive:
    """An archive as read: the index, and the bytes of each file it names."""

    index: dict[str, Any]
    members: dict[str, bytes] = field(default_factory=dict)

    def member(self, name: str) -> bytes | None:
        return self.members.get(name)


def return_folder(submission_id: str) -> str:
    return f"returns/{submission_id}"


def write_archive(
    path: Path,
    *,
    made_by: str,
    scope: Mapping[str, Any],
    created_at: str,
    returns: Iterable[ArchivedReturn],
    device_keys: Mapping[str, str],
    collector_keys: Sequence[Mapping[str, Any]],
) -> int:
    """Write the archive to `path` (replacing it only once complete); returns how many returns.

    `device_keys`: {key id: public key}; `collector_keys`: the collector's key history entries.
    """
    members: dict[str, bytes] = {
        COLLECTOR_KEYS: _json_bytes({"keys": list(collector_keys)}),
        DEVICE_KEYS: _json_bytes(
            {"keys": [{"key_id": k, "public_key": v} for k, v in sorted(device_keys.items())]}
        ),
    }
    listed = []
    for item in returns:
        folder = return_folder(item.submission_id)
        parts: dict[str, bytes | None] = {
            "envelope": item.envelope,
            "device_signature": item.device_signature.encode("ascii") + b"\n",
            "receipt": None if item.receipt is None else _json_bytes(item.receipt),
            "acceptance": None if item.acceptance is None else _json_bytes(item.acceptance),
            "governors_report": item.governors_report,
        }
        files = {}
        for part, data in parts.items():
            if data is not None:
                name = f"{folder}/{RETURN_FILES[part]}"
                members[name] = data
                files[part] = name
        listed.append(_index_entry(item, files))
    index = {
        "format": FORMAT,
        "made_by": made_by,
        "created_at": created_at,
        "scope": dict(scope),
        "collector_keys": COLLECTOR_KEYS,
        "device_keys": DEVICE_KEYS,
        "returns": listed,
        "sha256": {
            name: hashlib.sha256(data).hexdigest() for name, data in sorted(members.items())
        },
    }
    temporary = path.with_name(path.name + ".partial")
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(INDEX, _json_bytes(index))
        for name, data in sorted(members.items()):
            archive.writestr(name, data)
    os.replace(temporary, path)
    return len(listed)


def _index_entry(item: ArchivedReturn, files: dict[str, str]) -> dict[str, Any]:
    """What a reader sees without opening the envelope (copied from it, so unsigned here)."""
    try:
        envelope = json.loads(item.envelope)
        establishment = envelope.get("establishment") or {}
        facts = {
            "urn": establishment.get("urn"),
            "cycle": envelope.get("cycle"),
            "revision": envelope.get("revision"),
        }
    except (ValueError, AttributeError):
        facts = {}
    entry: dict[str, Any] = {"submission_id": item.submission_id, **facts, "files": files}
    if item.review_status is not None:
        entry["review_status"] = item.review_status
    return entry


def read_archive(path: Path) -> Archive:
    """The index and every file it lists; ArchiveUnreadable if this is not such an archive."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS:
                raise ArchiveUnreadable(f"it holds {len(infos)} files, more than an archive has")
            sizes = {info.filename: info.file_size for info in infos}
            if INDEX not in sizes:
                raise ArchiveUnreadable("it has no index.json")
            index = _parse_index(_read(archive, INDEX, sizes))
            members = {
                name: _read(archive, name, sizes) for name in _named_files(index) if name in sizes
            }
    except zipfile.BadZipFile as error:
        raise ArchiveUnreadable(f"it is not a zip file ({error})") from None
    except FileNotFoundError:
        raise
    except OSError as error:
        raise ArchiveUnreadable(error.strerror or str(error)) from None
    return Archive(index, members)


def _read(archive: zipfile.ZipFile, name: str, sizes: Mapping[str, int]) -> bytes:
    if sizes[name] > MAX_MEMBER_BYTES:
        raise ArchiveUnreadable(f"{name} is larger than {MAX_MEMBER_BYTES} bytes")
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, ValueError) as error:  # a damaged member (CRC, bad compression)
        raise ArchiveUnreadable(f"{name} cannot be read from the zip ({error})") from None


def _parse_index(data: bytes) -> dict[str, Any]:
    try:
        index = json.loads(data)
    except ValueError as error:
        raise ArchiveUnreadable(f"index.json is not JSON ({error})") from None
    if not isinstance(index, dict) or index.get("format") != FORMAT:
        raise ArchiveUnreadable(f"index.json does not say format {FORMAT!r}")
    if not isinstance(index.get("returns"), list) or not isinstance(index.get("sha256"), dict):
        raise ArchiveUnreadable("index.json has no list of returns or of file hashes")
    return index


def _named_files(index: Mapping[str, Any]) -> set[str]:
    names = {str(name) for name in index["sha256"]}
    names |= {COLLECTOR_KEYS, DEVICE_KEYS}
    for entry in index["returns"]:
        files = entry.get("files") if isinstance(entry, dict) else None
        if isinstance(files, dict):
            names |= {str(name) for name in files.values()}
    return names


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
