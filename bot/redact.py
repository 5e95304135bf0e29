"""Take personal details out of what a parent typed before it is stored.

The live conversation still sees the full message; only the stored copy is redacted.
"""

from __future__ import annotations

import re

# Order matters: emails before phone numbers (an email can hold digits).
_RULES = [
    ("[email]", re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")),
    ("[postcode]", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)),
    ("[web address]", re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)),
    ("[number]", re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)),  # NI number
    ("[phone]", re.compile(r"(?<!\w)(\+44\s?|0)(\d[\s-]?){9,10}\b")),
    ("[date]", re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")),
    ("[number]", re.compile(r"\b\d(\s?\d){5,}\b")),  # NHS numbers, account numbers, card numbers
]


def redact(text: str) -> str:
    for label, pattern in _RULES:
        text = pattern.sub(label, text)
    return text
