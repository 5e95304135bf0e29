"""Place names from a different public list than the directory's: the House of Commons
Library's neighbourhood (MSOA) names for the five areas (tests/heldout/30-place-names).

Each name is tried as a parent might write it: lower case alone, inside a sentence, and with
the town. A name is right when it gives its area, or asks "which area?" with its area as a
button; it is wrong when it gives another area. Run with -s to see the counts.
"""

from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.directory import load_directory
from bot.places import Places, normalise

NAMES = Path(__file__).resolve().parents[1] / "heldout" / "30-place-names" / "msoa_names.yml"
FORMS = {
    "alone": "{name}",
    "in a sentence": "we live in {name} and need nappies",
    "with the town": "{name}, {town}",
}
# Floors measured on the final data (170 names): alone 146 right or asked, in a sentence
# 149, with the town 170; none ever gives a wrong area.
FLOORS = {"alone": 146, "in a sentence": 149, "with the town": 170}


@pytest.fixture(scope="module")
def counted():
    directory = load_directory()
    places = Places(directory, postcodes={})
    items = yaml.safe_load(NAMES.read_text(encoding="utf-8"))["names"]
    results = {}
    for form, template in FORMS.items():
        counts = Counter()
        for item in items:
            answer = places.resolve(
                template.format(name=item["name"].lower(), town=directory.areas[item["area"]].name)
            )
            if answer.area == item["area"]:
                counts["right"] += 1
            elif item["area"] in answer.choices:
                counts["asked"] += 1
            elif answer.area or answer.choices:
                counts["wrong"] += 1
            else:
                counts["not found"] += 1
        print(f"{form}: {dict(counts)} of {len(items)}")
        results[form] = counts
    # Names the directory doesn't write word for word: found only by parts, "&", typos.
    written = {normalise(n) for area in directory.areas.values() for n in (area.name, *area.places)}
    unseen = [i for i in items if normalise(i["name"]) not in written]
    found = sum(
        1
        for i in unseen
        if places.resolve(i["name"].lower()).area == i["area"]
        or i["area"] in places.resolve(i["name"].lower()).choices
    )
    print(f"alone, names not written in the directory: {found} of {len(unseen)} right or asked")
    return len(items), results


def test_the_heldout_list_has_at_least_100_names(counted):
    assert counted[0] >= 100


@pytest.mark.parametrize("form", FORMS)
def test_heldout_place_names_find_their_area(counted, form):
    counts = counted[1][form]
    assert counts["wrong"] == 0
    assert counts["right"] + counts["asked"] >= FLOORS[form]
