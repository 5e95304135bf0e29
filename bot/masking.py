"""Hide passwords in anything printed or logged: `mask_passwords(text) -> str`.

A database or Redis URL (`postgresql://user:secret@host/db`, `redis://:secret@host`) and
`password=...` settings keep their shape, with the password shown as `***`.
"""

from __future__ import annotations

import re

_URL_PASSWORD = re.compile(r"([a-z][a-z0-9+.\-]*://[^\s:/@'\"]*:)([^\s'\"]*)(@)", re.I)
_SETTING = re.compile(r"\b((?:pass(?:word)?|pwd|secret|token)\s*[=:]\s*['\"]?)([^\s&'\",;]+)", re.I)


def mask_passwords(text: str) -> str:
    """`text` with every password in a URL or a password=... setting replaced by ***."""
    text = _URL_PASSWORD.sub(lambda m: m.group(1) + "***" + m.group(3), text)
    return _SETTING.sub(lambda m: m.group(1) + "***", text)
