"""Work out which partnership area a parent means from what they type.

Area names, place names and postcode districts all come from the directory's area data, so a
partnership can add a neighbourhood without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.directory import Directory

# Outward code (district) and optional inward code: "BD1 1HY", "bd11hy", "SW2", "SE1 7PB".
POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})?\b", re.IGNORECASE)


@dataclass(frozen=True)
class AreaAnswer:
    """`area` when sure; `choices` when a postcode district is shared ("which area?")."""

    area: str | None = None
    choices: tuple[str, ...] = field(default=())
    postcode: str | None = None  # a full postcode, normalised, if one was given
    outside: bool = False  # a postcode we recognise as outside all five areas

    @property
    def needs_choice(self) -> bool:
        return self.area is None and bool(self.choices)


def _words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", text.lower()).strip() + " "


class Places:
    """Names and districts of every area, indexed once at load.

    `postcodes` maps full postcodes to an area id or "-" (outside every area): see
    bot/postcode_table.py. Without it, a full postcode is judged by its district.
    """

    def __init__(self, directory: Directory, postcodes: dict[str, str] | None = None):
        self._postcodes = postcodes or {}
        self._names: list[tuple[str, str]] = []  # (normalised name, area id), longest first
        self._written: dict[str, str] = {}  # names as the directory writes them
        self._districts: dict[str, str] = {}
        self._shared: dict[str, list[str]] = {}
        for area in directory.areas.values():
            for name in (area.id, area.name, *area.places):
                self._names.append((_words(name).strip(), area.id))
                self._written[name] = area.id
            for district in area.postcode_districts:
                self._districts[district.upper()] = area.id
            for district in area.shared_postcode_districts:
                self._shared.setdefault(district.upper(), []).append(area.id)
        self._names.sort(key=lambda pair: -len(pair[0]))

    def resolve(self, text: str) -> AreaAnswer:
        """Postcode first (it is the most exact), then a place or area name."""
        outside = False
        for match in POSTCODE.finditer(text or ""):
            district = match.group(1).upper()
            full = f"{district} {match.group(2).upper()}" if match.group(2) else None
            exact = self._postcodes.get(full) if full else None
            if exact:
                return AreaAnswer(area=exact, postcode=full) if exact != "-" else AreaAnswer(postcode=full, outside=True)
            if district in self._districts:
                return AreaAnswer(area=self._districts[district], postcode=full)
            if district in self._shared:
                return AreaAnswer(choices=tuple(self._shared[district]), postcode=full)
            outside = outside or full is not None
        padded = _words(text or "")
        for name, area_id in self._names:
            if f" {name} " in padded:
                return AreaAnswer(area=area_id)
        return AreaAnswer(outside=outside)

    def place_names(self) -> dict[str, str]:
        """Every name a parent might type, mapped to its area id (for NLU lookup tables)."""
        names = {name: area_id for name, area_id in self._names}
        names.update(self._written)
        return names
