"""Work out which partnership area a parent means from what they type.

Area names, place names (wards, districts, estates, villages) and postcode districts all come
from the directory's area data, and how names are read from its `place_names` section, so a
partnership can add a neighbourhood without touching code.

A name is matched in lower case or any case, with or without the town, and with a small typo
("maningham", "keighly"). A name found in two areas, or in one area and outside all five
("Clifton", "Eastwood", "St Annes"), gives `choices` to ask about; it is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bot.directory import Directory
from bot.letters import one_form

OTHER_LANGUAGES_PATH = Path(__file__).resolve().parent / "words" / "place_names_languages.yml"
# A word in Latin letters, hyphens kept ("Southend-ul"), and the shortest stem an ending may leave.
_LATIN_WORD = re.compile(r"[^\W\d_][\w-]*")
MIN_STEM = 4
# Letters Arabic joins to the next word: and/so, then in/to/for, then the.
_CLITICS = "(?:[وف])?(?:ب|ل|لل|ک)?(?:ال)?"

# Outward code (district) and optional inward code: "BD1 1HY", "bd11hy", "SW2", "SE1 7PB".
POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})?\b", re.IGNORECASE)
ELSEWHERE = "-"  # in an entry's areas: the name is also a place outside the five areas
MAX_WORDS = 5  # the longest name, in words, that is looked for
FUZZY_MIN = 7  # letters a name needs before a one-letter typo is forgiven ("martin" is not Marton)
RESIDENCE = {
    "live",
    "living",
    "lives",
    "based",
    "moved",
    "staying",
    "stay",
    "were",
    "im",
    "we",
    "i",
}
FUZZY_TWO = 10  # letters a name needs before a two-letter typo is forgiven


@dataclass(frozen=True)
class AreaAnswer:
    """`area` when sure; `choices` when a name or postcode district could be more than one area."""

    area: str | None = None
    choices: tuple[str, ...] = field(default=())
    postcode: str | None = None  # a full postcode, normalised, if one was given
    outside: bool = False  # a postcode or place we recognise as outside all five areas
    place: str | None = None  # the place name the choices are about, as the directory writes it
    shared_district: bool = (
        False  # the choices are about a postcode district shared with a neighbour
    )

    @property
    def needs_choice(self) -> bool:
        return self.area is None and bool(self.choices)


@dataclass(frozen=True)
class _Entry:
    name: str  # as the directory writes it
    areas: frozenset[str]  # area ids, and ELSEWHERE when it is also a place outside the five
    ordinary: bool  # also an everyday word or first name: needs a cue


@dataclass(frozen=True)
class _Mention:
    entry: _Entry
    start: int
    end: int
    typo: bool


def normalise(text: str) -> str:
    """Lower case words separated by single spaces: "St. Ann's" -> "st anns", "&" -> "and"."""
    text = (text or "").lower().replace("&", " and ")
    text = re.sub(r"['’`]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"\bsaint\b", "st", text)


def normalise_keep_case(text: str) -> str:
    """`normalise` without lower-casing, so a capital can be checked word by word."""
    text = (text or "").replace("&", " and ")
    text = re.sub(r"['’`]", "", text)
    text = re.sub(r"[^A-Za-z0-9]+", " ", text).strip()
    return re.sub(r"\b[Ss]aint\b", "st", text)


def _deletes(word: str, depth: int) -> set[str]:
    """Every string made by deleting up to `depth` letters (a SymSpell-style typo index)."""
    out = level = {word}
    for _ in range(depth):
        level = {w[:i] + w[i + 1 :] for w in level for i in range(len(w))}
        out = out | level
    return out


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two letters counts one), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class Places:
    """Names and districts of every area, indexed once at load.

    `postcodes` maps full postcodes to an area id or "-" (outside every area): see
    bot/postcode_table.py. Without it, a full postcode is judged by its district.
    """

    def __init__(
        self,
        directory: Directory,
        postcodes: dict[str, str] | None = None,
        other_languages: dict | None = None,
    ):
        self._postcodes = postcodes or {}
        self._districts: dict[str, str] = {}
        self._shared: dict[str, list[str]] = {}
        self._written: dict[str, str] = {}  # names as the directory writes them -> area id
        rules = directory.place_names
        ordinary = {key for word in rules.ordinary_words for key in self._keys(word)}
        self._cues_before = {normalise(w) for w in rules.cues_before}
        self._cues_after = {normalise(w) for w in rules.cues_after}
        ours: dict[
            str, set[str]
        ] = {}  # normalised name -> ids of the areas that have a place so named
        written: dict[str, str] = {}
        for area in directory.areas.values():
            for name in (area.id, area.name, *area.places):
                for key in self._keys(name):
                    ours.setdefault(key, set()).add(area.id)
                    written.setdefault(key, name)
                self._written[name] = area.id
            for district in area.postcode_districts:
                self._districts[district.upper()] = area.id
            for district in area.shared_postcode_districts:
                self._shared.setdefault(district.upper(), []).append(area.id)
        self._index: dict[str, _Entry] = {}
        self._typos: dict[str, set[str]] = {}
        self._near_cache: dict[str, list[str]] = {}
        # A typo is looked for across words only after a name's first word ("streatham hil").
        self._first_words = {key.split()[0] for key in ours if " " in key}
        for key, ids in ours.items():
            self._add(key, written[key], ids, key in ordinary)
        for name in rules.elsewhere:
            for key in self._keys(name):
                # Outside, and also whatever of ours it is (Clifton) or looks like (St Annes).
                like = ours.get(key) or next(
                    (ours[k] for k in self._near(key, in_words=False) if k in ours), set()
                )
                entry = self._index.get(key)
                self._index[key] = _Entry(
                    entry.name if entry else name, frozenset({*like, ELSEWHERE}), key in ordinary
                )
                for variant in _deletes(key, self._depth(key)):
                    self._typos.setdefault(variant, set()).add(key)

        spelled = other_languages if other_languages is not None else _other_languages()
        self._endings = sorted(
            {
                (ending.lower(), str(instead or "").lower())
                for endings in (spelled.get("endings") or {}).values()
                for ending, instead in (endings or {}).items()
                if ending
            },
            key=lambda pair: -len(pair[0]),
        )
        scripts = {
            _script_key(written): name
            for name, spellings in (spelled.get("scripts") or {}).items()
            for written in spellings or ()
        }
        self._script_names = scripts
        self._scripts = (
            re.compile(
                rf"(?<!\w){_CLITICS}("
                + "|".join(re.escape(k) for k in sorted(scripts, key=len, reverse=True))
                + r")(?!\w)"
            )
            if scripts
            else None
        )

    def in_our_spelling(self, text: str) -> str:
        """`text` with place names as other languages write them made ours: Arabic and Urdu
        spellings ("في برادفورد" -> "في Bradford") and case endings ("w Bradfordzie" ->
        "w Bradford"), from bot/words/place_names_languages.yml."""
        if not text:
            return text
        if self._scripts is not None and re.search("[\u0600-\u06ff]", text):
            text = self._scripts.sub(
                lambda m: f" {self._script_names[m.group(1)]} ", _script_key(text)
            )
        return _LATIN_WORD.sub(lambda m: self._without_ending(m.group(0)), text)

    def _without_ending(self, word: str) -> str:
        if self._is_ours(word) or not self._endings:
            return word
        lower = word.lower()
        for ending, instead in self._endings:
            if lower.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                candidate = word[: len(word) - len(ending)] + instead
                if self._is_ours(candidate):
                    return candidate
        return word

    def _is_ours(self, word: str) -> bool:
        entry = self._index.get(normalise(word))
        return entry is not None and not entry.ordinary

    @staticmethod
    def _keys(name: str) -> set[str]:
        key = normalise(name)
        keys = {key}
        if key.startswith("the "):
            keys.add(key[4:])
        if " " in key:
            keys.add(key.replace(" ", ""))  # "leighonsea", "thorpebay"
        return {k for k in keys if k}

    @staticmethod
    def _depth(key: str) -> int:
        letters = len(key.replace(" ", ""))
        return 0 if letters < FUZZY_MIN else 1 if letters < FUZZY_TWO else 2

    def _add(self, key: str, name: str, ids: set[str], ordinary: bool) -> None:
        self._index[key] = _Entry(name, frozenset(ids), ordinary)
        if not ordinary:
            for variant in _deletes(key, self._depth(key)):
                self._typos.setdefault(variant, set()).add(key)

    def _near_once(self, text: str) -> list[str]:
        """`_near`, remembered: the same words come up again and again."""
        if text not in self._near_cache:
            if len(self._near_cache) > 50_000:
                self._near_cache.clear()
            self._near_cache[text] = self._near(text)
        return self._near_cache[text]

    def _near(self, text: str, in_words: bool = True) -> list[str]:
        """Names within a small typo of `text`, nearest first (none for short words)."""
        depth = self._depth(text + "x")  # the typo may have dropped a letter
        if not depth:
            return []
        found = set()
        for variant in _deletes(text, depth):
            found |= self._typos.get(variant, set())
        scored = []
        for key in found:
            limit = min(depth, self._depth(max(text, key, key=len)))
            distance = _distance(text, key, limit)
            if (
                0 < distance <= limit
                and text[0] == key[0]
                and (not in_words or self._typo_in_long_word(text, key))
            ):
                scored.append((distance, key))
        return [key for _, key in sorted(scored)]

    @staticmethod
    def _typo_in_long_word(text: str, key: str) -> bool:
        """ "low mood" is not "Low Moor": a typo counts only in a word of five letters or more."""
        typed, named = text.split(), key.split()
        if len(typed) != len(named):
            return text.replace(" ", "") == key.replace(" ", "")  # only a space dropped or added
        return all(a == b or min(len(a), len(b)) >= 5 for a, b in zip(typed, named, strict=True))

    def mentions(self, text: str) -> list[_Mention]:
        """Every place named in `text`, longest name first at each word, left to right."""
        words = normalise(text).split()
        written = normalise_keep_case(text).split()
        found: list[_Mention] = []
        i = 0
        while i < len(words):
            match = None
            for size in range(min(MAX_WORDS, len(words) - i), 0, -1):
                key = " ".join(words[i : i + size])
                if key in self._index:
                    match = _Mention(self._index[key], i, i + size, typo=False)
                    break
            if match is None:
                for size in range(min(3, len(words) - i), 0, -1):
                    if size > 1 and words[i] not in self._first_words:
                        continue
                    near = self._near_once(" ".join(words[i : i + size]))
                    if near and not self._index[near[0]].ordinary:
                        match = _Mention(self._index[near[0]], i, i + size, typo=True)
                        break
            if match is None:
                i += 1
                continue
            if not match.entry.ordinary or self._cued(words, written, match):
                found.append(match)
            i = match.end
        return found

    def _cued(self, words: list[str], written: list[str], mention: _Mention) -> bool:
        """An everyday word is a place when it is the whole reply, comes before "estate" or
        "ward", or comes after "in"/"from" written with a capital or after "live in"."""
        before = words[mention.start - 1] if mention.start else ""
        after = words[mention.end] if mention.end < len(words) else ""
        if len(words) - (mention.end - mention.start) <= 2 and (
            not before or before in self._cues_before
        ):
            return True
        if after in self._cues_after:
            return True
        if before not in self._cues_before:
            return False
        capital = len(written) == len(words) and written[mention.start][:1].isupper()
        return capital or (mention.start >= 2 and words[mention.start - 2] in RESIDENCE)

    def resolve(self, text: str) -> AreaAnswer:
        """Postcode first (it is the most exact), then place and area names."""
        text = self.in_our_spelling(text)
        outside = False
        for match in POSTCODE.finditer(text or ""):
            district = match.group(1).upper()
            full = f"{district} {match.group(2).upper()}" if match.group(2) else None
            exact = self._postcodes.get(full) if full else None
            if exact:
                return (
                    AreaAnswer(area=exact, postcode=full)
                    if exact != "-"
                    else AreaAnswer(postcode=full, outside=True)
                )
            if district in self._districts:
                return AreaAnswer(area=self._districts[district], postcode=full)
            if district in self._shared:
                return AreaAnswer(
                    choices=tuple(self._shared[district]), postcode=full, shared_district=True
                )
            outside = outside or full is not None
        answer = self.from_names(text)
        return (
            answer
            if (answer.area or answer.choices or answer.outside)
            else AreaAnswer(outside=outside)
        )

    def from_names(self, text: str) -> AreaAnswer:
        """The area the named places agree on; choices when they don't; outside when all are."""
        mentions = self.mentions(text)
        sure = {
            next(iter(m.entry.areas))
            for m in mentions
            if len(m.entry.areas) == 1 and ELSEWHERE not in m.entry.areas
        }
        unsure = [m for m in mentions if len(m.entry.areas) > 1 or ELSEWHERE in m.entry.areas]
        if len(sure) == 1:
            area = next(iter(sure))
            # "Clifton, Nottingham": the town settles the name. A name that can't be in that
            # area ("Brixton ... Bulwell") is a real disagreement, so ask.
            if all(area in m.entry.areas or ELSEWHERE in m.entry.areas for m in unsure):
                return AreaAnswer(area=area)
            others = {a for m in unsure for a in m.entry.areas if a != ELSEWHERE}
            return AreaAnswer(choices=tuple(sorted({area, *others})), place=unsure[0].entry.name)
        if len(sure) > 1:
            return AreaAnswer(choices=tuple(sorted(sure)))
        if unsure:
            # Names that narrow each other down ("Eastwood, Notts") are read together.
            common = frozenset.intersection(*(m.entry.areas for m in unsure))
            if len(common) == 1 and ELSEWHERE not in common:
                return AreaAnswer(area=next(iter(common)))
            pool = (
                common if len(common) > 1 else frozenset().union(*(m.entry.areas for m in unsure))
            )
            choices = sorted(a for a in pool if a != ELSEWHERE)
            if not choices or common == {ELSEWHERE}:
                return AreaAnswer(outside=True)
            return AreaAnswer(choices=tuple(choices), place=unsure[0].entry.name)
        return AreaAnswer()

    def place_names(self) -> dict[str, str]:
        """Names of our places that can't be mistaken, mapped to their area id (for NLU lookups).

        Names that are also everyday words, or that are in two areas or elsewhere too, are
        left to `resolve`, which asks about them instead of guessing.
        """
        names = {}
        for name, area_id in self._written.items():
            entry = self._index.get(normalise(name))
            if entry and entry.areas == frozenset({area_id}) and not entry.ordinary:
                names[name] = area_id
        return names


def _script_key(text: str) -> str:
    """Arabic or Urdu letters as names are compared: marks dropped, variant letters made one."""
    return one_form(text)


@lru_cache(maxsize=1)
def _other_languages() -> dict:
    return yaml.safe_load(OTHER_LANGUAGES_PATH.read_text(encoding="utf-8")) or {}
