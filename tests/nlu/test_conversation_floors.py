"""Written conversations (tests/heldout/*/conversations.yml) keep their floors.

Issue 13's targets on each set: the need and the area right in at least 95% of
conversations, and the area never asked for after it was given. Where a sealed set showed a
target is not met, its meta.yml holds the measured figures as floors, and the test warns.
Counts only: the conversations are never printed.
"""

import pytest

from bot.tools.conversation_counts import conversations, conversations_runner
from bot.tools.heldout_sets import heldout_sets
from bot.tools.urgent_counts import set_language
from tests.asyncio_thread import LoopThread
from tests.nlu import floors

pytestmark = pytest.mark.e2e
SETS = [s for s in heldout_sets() if s.conversation_floors is not None]


@pytest.fixture(scope="module")
def outcomes():
    with conversations_runner(LoopThread()) as run:
        yield {
            s.name: [run(c) for c in conversations(s.folder / "conversations.yml")] for s in SETS
        }


def floor(heldout, name, target):
    return floors.floor(heldout.name, heldout.conversation_floors, "conversation", name, target)


@pytest.mark.parametrize("heldout", SETS, ids=[s.name for s in SETS])
def test_need_and_area_right(outcomes, heldout):
    done = outcomes[heldout.name]
    right = sum(o.need_right and o.area_right for o in done)
    # English sets hold at least 60 conversations; a set in another language 30 (issue 14).
    assert len(done) >= (30 if set_language(heldout.folder) else 60)
    assert right >= floor(heldout, "need_and_area", 0.95 * len(done)), (
        f"{right} of {len(done)} right"
    )


@pytest.mark.parametrize("heldout", SETS, ids=[s.name for s in SETS])
def test_the_area_is_not_asked_for_again(outcomes, heldout):
    asked = sum(o.asked_again for o in outcomes[heldout.name])
    assert asked <= floor(heldout, "asked_again", 0), f"asked again in {asked} conversation(s)"
