"""A checked copy of a big directory file, so a restart waits for neither YAML nor checks.

Parsing YAML is the slow part of loading a large directory (100,000 services: about 100 MB).
After a big file has been read and checked once, what came out is kept in a compact binary
copy (msgpack): either the checked services, one row each, or the list of problems the
checks found. The copy is keyed by the SHA-256 of the file's bytes and of the code that
checks it, so any edit to either makes a new one; a cached load therefore gives exactly the
directory, or exactly the problems, that a fresh one would. It holds only what the file holds
(never a conversation). Small files (the real directory is about 150 KB) aren't cached:
reading them takes milliseconds.

Where: DIRECTORY_CACHE_DIR, else build/directory-cache; any failure to read or write the
copy just means the YAML is read again, never that the directory fails to load.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import msgpack

MIN_BYTES = 1_000_000
KEEP = 3  # copies kept: the current file and a couple of recent versions
SUFFIX = ".msgpack"
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "build" / "directory-cache"
_CHECKING_CODE = ("directory.py", "directory_cache.py", "big_directory.py")


def cache_dir() -> Path:
    return Path(os.environ.get("DIRECTORY_CACHE_DIR") or DEFAULT_DIR)


@lru_cache(maxsize=1)
def _code_fingerprint() -> bytes:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in _CHECKING_CODE:
        digest.update((here / name).read_bytes())
    return digest.digest()


def copy_for(data: bytes) -> Path | None:
    """Where the checked copy of these bytes lives, or None for a small file."""
    if len(data) < MIN_BYTES:
        return None
    digest = hashlib.sha256(data)
    digest.update(_code_fingerprint())
    return cache_dir() / f"{digest.hexdigest()}{SUFFIX}"


def read(copy: Path | None) -> dict[str, Any] | None:
    """The kept copy ({"problems": [...]} or {"needs", "areas", "rows"}), or None."""
    if copy is None:
        return None
    try:
        kept = msgpack.unpackb(copy.read_bytes(), use_list=False, strict_map_key=False)
    except (OSError, ValueError, msgpack.UnpackException):
        return None
    return kept if isinstance(kept, dict) and ("problems" in kept or "rows" in kept) else None


def write(copy: Path | None, kept: dict[str, Any]) -> None:
    """Keep a checked copy for next time; quietly does nothing if it can't."""
    if copy is None:
        return
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        out = tempfile.NamedTemporaryFile("wb", dir=copy.parent, suffix=".tmp", delete=False)
    except OSError:
        return
    try:
        with out:
            out.write(msgpack.packb(kept))
        os.replace(out.name, copy)  # atomic: a reader sees the old copy or the whole new one
        _forget_old(copy.parent)
    except (OSError, TypeError, ValueError):
        Path(out.name).unlink(missing_ok=True)


def _forget_old(folder: Path) -> None:
    copies = sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in copies[KEEP:]:
        old.unlink(missing_ok=True)
