"""Letters typed in more than one way, made one, so words are compared as letters.

An Arabic or Urdu keyboard may add vowel marks and the stretching stroke ("يتنفّس", "مـوت"),
and a Latin accent may come as a separate mark; the same Arabic or Urdu letter has several
forms ("ي" and "ی", "ة" and "ه"). The urgent phrases, the clear requests and the place names
all read a message through these.
"""

from __future__ import annotations

import re

# Arabic and Urdu letters (and their presentation forms).
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
# Latin combining accents, Arabic vowel marks and the stretching stroke (tatweel).
MARKS = re.compile("[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
SAME_LETTER = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ی", "ي": "ی", "ة": "ه", "ہ": "ه", "ھ": "ه", "ك": "ک"}
)


def without_marks(text: str) -> str:
    """The text with accents typed as separate marks, vowel marks and tatweel dropped."""
    return MARKS.sub("", text)


def one_form(text: str) -> str:
    """Marks dropped and each Arabic or Urdu letter written in one form."""
    return without_marks(text).translate(SAME_LETTER)
