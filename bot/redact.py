"""Take personal details out of a parent's message: `redact(text) -> str`.

Used where a message's words must be kept at all (the partnership's safety review, off by
default; components/private_conversations.py). It replaces, with a label in brackets:
emails, web addresses, UK phone numbers in every common form, NHS and other long numbers,
National Insurance numbers, full postcodes, street addresses, dates (numeric and written)
and names that follow the ways people introduce them ("my name is", "I'm Sarah", "my son
Jack", "called Lily", a signed-off "thanks, Sarah"). It errs towards hiding too much:
a lost word is better than a kept name. A postcode district alone ("BD7") and the
helplines' short numbers (999, 111, 116 123) are kept: they identify nobody.
"""

from __future__ import annotations

import re

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_STREET = (
    r"(?:street|st|road|rd|avenue|ave|lane|ln|close|cl|drive|dr|way|crescent|cres|court|ct|"
    r"place|pl|gardens|gdns|grove|gr|terrace|terr|tce|hill|walk|mews|row|square|sq|park|view|"
    r"rise|green|parade|vale|fold|gate|wharf|estate|croft|mount|bank|side|meadows?|fields?|"
    r"boulevard|approach|chase|brow|grange)"
)
_CAP = r"[A-Z][a-zA-Z'’-]+"
# Words that can follow "I'm" or "my son" with a capital letter but are not names.
_NOT_NAMES = {
    "i",
    "im",
    "a",
    "an",
    "the",
    "not",
    "so",
    "very",
    "really",
    "just",
    "also",
    "still",
    "and",
    "but",
    "or",
    "in",
    "on",
    "at",
    "from",
    "with",
    "living",
    "staying",
    "pregnant",
    "tired",
    "scared",
    "worried",
    "struggling",
    "ok",
    "okay",
    "fine",
    "sorry",
    "here",
    "there",
    "is",
    "was",
    "has",
    "had",
    "who",
    "he",
    "she",
    "they",
    "it",
    "english",
    "british",
    "polish",
    "muslim",
    "christian",
    "single",
    "new",
    "due",
    "going",
    "trying",
    "feeling",
    "mum",
    "mam",
    "dad",
    "mother",
    "father",
    "nan",
    "gran",
    "bradford",
    "lambeth",
    "nottingham",
    "southend",
    "blackpool",
    "london",
    "leeds",
    "yes",
    "no",
    "please",
    "thanks",
    "thank",
    "hi",
    "hello",
    "x",
    "xx",
    "xxx",
}
_RELATIONS = (
    r"(?:son|daughter|baby|babies|boy|girl|twins?|child|kid|little one|lo|partner|husband|wife|boyfriend|"
    r"girlfriend|fianc[eé]e?|ex|ex-partner|mum|mam|mother|dad|father|sister|brother|nan|gran|grandma|"
    r"friend|neighbour|health visitor|hv|midwife|social worker|gp|doctor|key worker|support worker)"
)

# Order matters: emails and web addresses before numbers; addresses before names.
_RULES: list[tuple[str, re.Pattern]] = [
    (
        "[email]",
        re.compile(r"[\w.+-]+\s?(?:@|\(at\)|\[at\])\s?[\w-]+(?:\s?(?:\.|\(dot\))\s?[\w-]+)+", re.I),
    ),
    ("[web address]", re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.I)),
    ("[number]", re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.I)),  # NI number
    ("[postcode]", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)),
    # Phones: +44 / 0044 / (0) / 0, then 9-10 more digits with spaces, dots, dashes or brackets.
    (
        "[phone]",
        re.compile(
            r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)\(?\d(?:[\s.\-()]{0,2}\d){8,9}(?!\d)"
        ),
    ),
    ("[date]", re.compile(r"\b\d{1,2}\s?[/.\-]\s?\d{1,2}\s?[/.\-]\s?(?:\d{4}|\d{2})\b")),
    (
        "[date]",
        re.compile(rf"\b(?:the\s+)?{_DAY}\s*(?:of\s+)?{_MONTHS}\b\.?(?:,?\s*{_YEAR})?", re.I),
    ),
    ("[date]", re.compile(rf"\b{_MONTHS}\.?\s+(?:the\s+)?{_DAY}\b(?:,?\s*{_YEAR})?", re.I)),
    ("[date]", re.compile(rf"\b{_MONTHS}\.?,?\s+{_YEAR}\b", re.I)),
    (
        "[date]",
        re.compile(rf"\b(?:born|dob|d\.o\.b\.?|birthday|due)\b[^.\n]{{0,12}}?\b{_YEAR}\b", re.I),
    ),
    # Long numbers: NHS numbers (3-3-4), account, card and reference numbers (not 116 123).
    ("[number]", re.compile(r"(?<!\w)\d(?:[\s\-]?\d){6,}(?!\w)")),
    # Street addresses: "12 Acacia Avenue", "Flat 3, 12a Acacia Ave", "on Acacia Avenue".
    (
        "[address]",
        re.compile(
            rf"\b(?:(?:flat|apartment|apt|unit|house)\s*\d+[a-z]?,?\s*)?\d+[a-z]?,?\s+(?:{_CAP}\s+){{0,3}}{_STREET}\b\.?",
            re.I,
        ),
    ),
    ("[address]", re.compile(r"\b(?:flat|apartment|apt)\s*\d+[a-z]?\b", re.I)),
    ("[address]", re.compile(rf"\b(?:{_CAP}\s+){{1,3}}(?i:{_STREET})\b(?=[\s,.!?]|$)")),
]

_NAME_AFTER = [
    # "my name is sarah jones", "name's Sarah", "I'm called Jo": any words, even lower case.
    re.compile(
        r"\b(?:my|her|his|their|the baby'?s|baby'?s|our)\s+(?:full\s+|first\s+|last\s+|sur)?names?\s*(?:is|are|was|:|-)\s*",
        re.I,
    ),
    re.compile(r"\bname'?s\s+", re.I),
    re.compile(r"\b(?:i'?m|i am|she'?s|he'?s|they'?re|we'?re)\s+called\s+", re.I),
    re.compile(r"\b(?:call(?:ed)? me|named|called)\s+(?:(?:him|her|them|it|the baby)\s+)?", re.I),
]
_NAME_WORDS = re.compile(r"([A-Za-z][A-Za-z'’-]*)(\s+[A-Za-z][A-Za-z'’-]*){0,2}")
_CAPITALISED_AFTER = [
    re.compile(r"\b(?:i'?m|i am|it'?s|this is)\s+", re.I),
    re.compile(rf"\b(?:my|our|her|his)\s+(?:\w+\s+)?{_RELATIONS}\s*,?\s*", re.I),
    re.compile(r"\b(?:thanks|thank you|cheers|love|regards|from|many thanks)\s*,?\s*", re.I),
]
_SIGNED = re.compile(rf"(?:^|[.!?\n]\s*|\s[-–—]\s*)({_CAP})(\s+{_CAP})?\s*(?:x+|xx+)?\s*$")


def redact(text: str) -> str:
    """The message with personal details replaced by labels such as [name] or [phone]."""
    for label, pattern in _RULES:
        text = pattern.sub(label, text)
    for trigger in _NAME_AFTER:
        text = _replace_after(trigger, text, capitalised_only=False)
    for trigger in _CAPITALISED_AFTER:
        text = _replace_after(trigger, text, capitalised_only=True)
    match = _SIGNED.search(text)
    if match and match.group(1).lower() not in _NOT_NAMES and not _is_label(text, match.start(1)):
        text = text[: match.start(1)] + "[name]" + text[match.end(2 if match.group(2) else 1) :]
    return text


def _replace_after(trigger: re.Pattern, text: str, capitalised_only: bool) -> str:
    out, position = [], 0
    for match in trigger.finditer(text):
        if match.start() < position:
            continue
        end = _name_end(text, match.end(), capitalised_only)
        if end is None:
            continue
        out.append(text[position : match.end()] + "[name]")
        position = end
    return "".join(out) + text[position:]


def _name_end(text: str, start: int, capitalised_only: bool) -> int | None:
    """Where a name starting at `start` ends, or None if no name is there."""
    words = re.compile(r"[A-Za-z][A-Za-z'’-]*").finditer(text, start)
    end = None
    for count, word in enumerate(words):
        gap = text[(end if end is not None else start) : word.start()]
        if count >= 3 or (count and gap.strip()) or (not count and gap.strip()):
            break
        value = word.group()
        if value.lower() in _NOT_NAMES or (capitalised_only and not value[0].isupper()):
            break
        if count and value[0].isupper() != text[start:].lstrip()[0].isupper():
            break  # a name's words share their case: "sarah jones", "Sarah Jones"
        end = word.end()
    return end


def _is_label(text: str, index: int) -> bool:
    return index > 0 and text[index - 1] == "["
