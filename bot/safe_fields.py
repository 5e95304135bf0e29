"""What may go in a directory entry's web address, email and text: one check for both
`python -m bot validate` (bot/directory.py) and the ORUK importer (bot/oruk_import.py).

Text shown to parents, and passed on by `export-hsds` to other sites, must carry no script:
only http(s) web addresses with a host, plain email addresses, and text without markup.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+"
)
_UNSAFE_IN_URL = re.compile(r"[\s<>\"'`\\]")
# A tag (<b>, </p>, <!-- -->, <?php), an HTML entity (&lt; &#60;), or a script URL.
_MARKUP = re.compile(
    r"<\s*[/!?]?\s*[a-z]|&#?[a-z0-9]+;|\b(?:javascript|vbscript)\s*:|\bdata\s*:\s*[a-z]+/[a-z0-9.+-]+\s*[;,]",
    re.I,
)


def is_web_address(value: str) -> bool:
    """True for an http:// or https:// address with a host, and nothing that could break out of an attribute."""
    if not isinstance(value, str) or _UNSAFE_IN_URL.search(value):
        return False
    parts = urlsplit(value)
    host = parts.hostname or ""
    return parts.scheme.lower() in ("http", "https") and "." in host


def is_email(value: str) -> bool:
    """True for a plain email address (name@domain.tld)."""
    return isinstance(value, str) and _EMAIL.fullmatch(value) is not None


def has_markup(value: str) -> bool:
    """True when text carries HTML tags, entities or a script URL."""
    return isinstance(value, str) and _MARKUP.search(value) is not None
