"""A parsed copy of a big directory file, so a restart doesn't wait for YAML again.

Parsing YAML is the slow part of loading a large directory (100,000 services: about 100 MB
and over a minute, even with libyaml); JSON of the same data loads in well under a second.
The copy is keyed by the SHA-256 of the file's bytes, so any edit makes a new one, and it
holds only what the file holds (never a conversation). Every check still runs on the data,
so a cached load reports exactly the problems a fresh one would. Small files (the real
directory is about 100 KB) aren't cached: parsing them takes milliseconds.

Where: DIRECTORY_CACHE_DIR, else build/directory-cache; any failure to read or write the
copy just means the YAML is parsed, never that the directory fails to load.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

MIN_BYTES = 1_000_000
KEEP = 3  # copies kept: the current file and a couple of recent versions
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "build" / "directory-cache"


def cache_dir() -> Path:
    return Path(os.environ.get("DIRECTORY_CACHE_DIR") or DEFAULT_DIR)


def copy_for(data: bytes) -> Path | None:
    """Where the parsed copy of these bytes lives (hashed once per load), or None for a small file."""
    if len(data) < MIN_BYTES:
        return None
    return cache_dir() / f"{hashlib.sha256(data).hexdigest()}.json"


def read(copy: Path | None) -> Any | None:
    """The parsed copy, or None when there isn't one (or it is unreadable)."""
    if copy is None:
        return None
    try:
        return json.loads(copy.read_bytes())
    except (OSError, ValueError):
        return None


def write(copy: Path | None, raw: Any) -> None:
    """Keep a parsed copy for next time; quietly does nothing if it can't."""
    if copy is None:
        return
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        out = tempfile.NamedTemporaryFile("w", dir=copy.parent, suffix=".tmp", delete=False, encoding="utf-8")
    except OSError:
        return
    try:
        with out:
            json.dump(raw, out, default=_plain, separators=(",", ":"))
        os.replace(out.name, copy)  # atomic: a reader sees the old copy or the whole new one
        _forget_old(copy.parent)
    except (OSError, TypeError, ValueError):
        Path(out.name).unlink(missing_ok=True)


def _plain(value: Any) -> str:
    # YAML reads an unquoted 2026-11-01 as a date; the checks accept the ISO text as well.
    # A date with a time isn't cached (its text wouldn't be read back as the same thing).
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"can't keep {type(value).__name__} in the directory cache")


def _forget_old(folder: Path) -> None:
    copies = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in copies[KEEP:]:
        old.unlink(missing_ok=True)
