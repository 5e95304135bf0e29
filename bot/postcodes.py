"""Exact postcode -> partnership area, from postcodes.io, for districts shared by two councils.

The conversation already knows most areas from the postcode district alone (bot/places.py);
this lookup is for the shared districts (BD20, SE11, ...), where asking "which area?" is the
fallback. It must never hold a parent up: any failure returns None within the timeout, and
after a failure the service is left alone for a while instead of making every parent wait.
The full postcode goes to postcodes.io, so the lookup is off unless a deployment turns it on
by setting POSTCODES_IO_URL (and says so in its privacy text); it is then sent only when it
is needed, and never logged.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import OrderedDict
from urllib.parse import quote

import requests

from bot.directory import Directory

DEFAULT_URL = "https://api.postcodes.io"
FULL_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$")
_MISSING = object()


class PostcodeLookup:
    def __init__(
        self,
        base_url: str | None = None,
        timeout: float = 2.0,
        cache_size: int = 2048,
        pause_after_failure: float = 60.0,
    ):
        self.base_url = (base_url or os.environ.get("POSTCODES_IO_URL") or DEFAULT_URL).rstrip("/")
        self.timeout = timeout
        self.cache_size = cache_size
        self.pause_after_failure = pause_after_failure
        self._cache: OrderedDict[str, str | None] = (
            OrderedDict()
        )  # postcode -> GSS code (None: not a postcode)
        self._lock = threading.Lock()
        self._quiet_until = 0.0
        self._session = requests.Session()

    @classmethod
    def if_turned_on(cls, **settings) -> PostcodeLookup | None:
        """The lookup when POSTCODES_IO_URL is set, else None: privacy by default."""
        url = os.environ.get("POSTCODES_IO_URL", "").strip()
        return cls(url, **settings) if url else None

    def area_for(self, postcode: str, directory: Directory) -> str | None:
        """The area id whose `gss_code` is the postcode's local authority, else None."""
        gss = self.local_authority(postcode)
        return next((a.id for a in directory.areas.values() if gss and a.gss_code == gss), None)

    def local_authority(self, postcode: str) -> str | None:
        key = re.sub(r"\s+", "", postcode or "").upper()
        if not FULL_POSTCODE.match(key):
            return None  # a district or a typo: nothing worth sending
        with self._lock:
            cached = self._cache.get(key, _MISSING)
            if isinstance(cached, str) or cached is None:
                self._cache.move_to_end(key)
                return cached
            if time.monotonic() < self._quiet_until:
                return None
        gss, definite = self._ask(key)
        with self._lock:
            if definite:  # a found or unknown postcode stays so; an outage is not remembered
                self._cache[key] = gss
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
            else:
                self._quiet_until = time.monotonic() + self.pause_after_failure
        return gss

    def _ask(self, key: str) -> tuple[str | None, bool]:
        try:
            response = self._session.get(
                f"{self.base_url}/postcodes/{quote(key)}", timeout=self.timeout
            )
        except requests.RequestException:
            return None, False
        if response.status_code == 404:
            return None, True
        if response.status_code != 200:
            return None, False
        try:
            gss = response.json()["result"]["codes"]["admin_district"]
        except (ValueError, KeyError, TypeError):
            return None, False
        return (gss if isinstance(gss, str) else None), True
