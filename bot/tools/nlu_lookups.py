"""Write the NLU lookup tables and synonyms for areas and needs from the directory.

Rasa reads `data/nlu/lookups.yml`; it is generated (`make` rebuilds it when the directory
changes) so a place a partnership adds to the directory is understood after the next train.
Entity values are mapped to ids by synonyms, so slot `area` holds an area id and never
what the parent typed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from bot.directory import load_directory
from bot.places import Places

HEADER = (
    "# Generated from services_directory.yml and bot/words/languages.yml by\n"
    "# `python -m bot.tools.nlu_lookups`; do not edit.\n"
)


def lookups(directory) -> dict:
    place_names = Places(directory).place_names()
    by_area: dict[str, list[str]] = {}
    for name, area_id in place_names.items():
        by_area.setdefault(area_id, []).append(name)
    by_need = {need.id: list(need.keywords) for need in directory.needs.values()}
    nlu: list[dict] = [
        {"lookup": "area", "examples": _block(sorted(place_names))},
        {
            "lookup": "need",
            "examples": _block(sorted({k for words in by_need.values() for k in words})),
        },
        # Outward code, optionally with the inward code: BD7, bd7 1hy, SW2 1RW.
        {
            "regex": "postcode",
            "examples": _block([r"\b[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?(?:[0-9][A-Za-z]{2})?\b"]),
        },
    ]
    # One table per need: RegexFeaturizer turns each into a feature ("names a food word"),
    # which helps the classifier far more than a few dozen examples can.
    for need_id, words in by_need.items():
        nlu.append({"lookup": f"{need_id}_words", "examples": _block(sorted(set(words)))})
    for area_id, names in sorted(by_area.items()):
        others = sorted(n for n in names if n != area_id)
        if others:
            nlu.append({"synonym": area_id, "examples": _block(others)})
    for need_id, words in sorted(by_need.items()):
        nlu.append({"synonym": need_id, "examples": _block(sorted(set(words)))})
    # RegexEntityExtractor only uses lookups for entities seen annotated in training data,
    # so two needs in one message are taught here from the directory's own words.
    pairs = list(by_need.values())
    examples = [
        f"I need [{pairs[i][0]}](need) and [{pairs[j][0]}](need)"
        for i in range(len(pairs))
        for j in range(i + 1, len(pairs))
        if pairs[i] and pairs[j]
    ]
    nlu.append({"intent": "find_support", "examples": _block(examples[:24])})
    nlu.extend(language_choice())
    return {"version": "3.1", "nlu": nlu}


# How a parent asks for a language in English; each language's name fills the gap.
LANGUAGE_ASKS = (
    "[{name}](language)",
    "[{name}](language) please",
    "can we talk in [{name}](language)",
    "can you speak [{name}](language)",
    "I speak [{name}](language)",
    "in [{name}](language) please",
)


def language_choice() -> list[dict]:
    """Asking for a language by name (English or its own): the `language` entity holds its
    code (synonyms), as a language button's payload does. Names from bot/words/languages.yml."""
    from bot.translations import Translations

    languages = list(Translations().languages.values())
    names = {lang.code: sorted({lang.name, lang.native}) for lang in languages}
    examples = [
        ask.format(name=name)
        for position, (code, both) in enumerate(names.items())
        for name, ask in zip(both, LANGUAGE_ASKS[position % 3 :: 3] * 2, strict=False)
    ]
    return [
        {"lookup": "language", "examples": _block([n for both in names.values() for n in both])},
        *({"synonym": code, "examples": _block(both)} for code, both in names.items()),
        {"intent": "choose_language", "examples": _block(examples)},
    ]


def _block(lines: list[str]) -> str:
    return "".join(f"- {line}\n" for line in lines)


class _Dumper(yaml.SafeDumper):
    """Writes example lists as `examples: |` blocks, the way Rasa's own files look."""


_Dumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None
    ),
)


def main(output: str = "data/nlu/lookups.yml") -> None:
    text = HEADER + yaml.dump(
        lookups(load_directory()), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000
    )
    Path(output).write_text(text, encoding="utf-8")
    print(f"wrote {output}")


if __name__ == "__main__":
    main(*sys.argv[1:])
