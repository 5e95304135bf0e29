"""Requests to leave, delete the chat or start again, in a parent's own words, are understood,
and ordinary messages using the same words never end or clear a conversation.

Every set under tests/heldout/ whose meta.yml has a `requests` section is measured (counts
only, bot/tools/request_counts.py). Targets on each: at least 90% of the requests read as
asked; no ordinary message would leave the chat or clear what was said ("lost"); at most 5%
would ask whether to delete it ("asked": forget me asks first, so nothing is lost). Where a
set showed a target is not met, its meta.yml holds the measured figure as a floor.
"""

import pytest

from bot.tools.heldout_sets import heldout_sets
from bot.tools.request_counts import consequences, recognised, requests_of
from bot.tools.urgent_counts import messages
from tests.nlu import floors

pytestmark = pytest.mark.e2e
SETS = [s for s in heldout_sets() if s.request_floors is not None]
by_author = pytest.mark.parametrize("heldout", SETS, ids=[s.name for s in SETS])


def floor(heldout, name, target):
    return floors.floor(heldout.name, heldout.request_floors, "request", name, target)


@by_author
def test_requests_in_a_parents_own_words_are_understood(understand, heldout):
    requests = requests_of(heldout.folder)
    # Counts only, computed outside the assert (pytest prints the expressions inside one).
    kept, total = sum(recognised(requests, understand).values()), sum(map(len, requests.values()))
    assert total >= 30
    needed = floor(heldout, "recognised", 0.9 * total)
    assert kept >= needed, f"{total - kept} of {total} requests not read as asked"


@by_author
def test_ordinary_messages_never_end_or_clear_the_conversation(understand, heldout):
    ordinary = messages(heldout.folder / "not_requests.txt")
    done = consequences(ordinary, understand)
    lost, asked, total = done["leave"] + done["clear"], done["ask to delete"], len(ordinary)
    assert total >= 30
    assert lost <= floor(heldout, "lost", 0), f"{lost} of {total} would end or clear it"
    assert asked <= floor(heldout, "asked", 0.05 * total), f"{asked} of {total} asked to delete"
