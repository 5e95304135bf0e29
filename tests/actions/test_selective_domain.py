"""Our actions never read the domain, so Rasa can leave it out of every action call.

Rasa sends the whole domain (every response in every language) with each action call unless
the action endpoint sets `enable_selective_domain`; bot/endpoints.py and endpoints.yml set it.
These tests show that nothing a parent sees depends on it.
"""

from pathlib import Path

import pytest
import yaml
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from bot.endpoints import endpoints
from tests.actions.test_actions import tracker
from tests.asyncio_thread import run as run_async

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_FILE = ROOT / "domain.yml"


class UnreadableDomain(dict):
    """A domain that fails the test if an action reads anything from it."""

    def _read(self, *args, **kwargs):
        raise AssertionError("an action read the domain")

    __getitem__ = get = keys = items = values = __iter__ = __contains__ = __len__ = _read


# One turn for each of our actions, in the situations that reach the most code.
TURNS = [
    ("action_signpost", tracker("need_food", "food in Bradford", need="food", area="bradford")),
    ("action_signpost", tracker("need_housing", "we might lose the flat", need="housing")),
    ("action_signpost", tracker("more_services", need="food", area="bradford", shown=3.0)),
    ("action_signpost", tracker("need_food", "comida en Bradford", language="es", need="food")),
    ("action_talk_to_person", tracker("talk_to_person", area="bradford")),
    ("action_talk_to_person", tracker("talk_to_person")),
    ("action_not_understood", tracker("nlu_fallback", "blah")),
    ("action_referral_note", tracker("referral_yes", needs_shown=["food"])),
]


def executor() -> ActionExecutor:
    actions = ActionExecutor()
    actions.register_package("actions")
    return actions


def call(name, tracker_, **extra) -> dict:
    return {"next_action": name, "sender_id": "test", "tracker": tracker_.current_state(), **extra}


def test_every_action_is_covered():
    declared = set(yaml.safe_load(DOMAIN_FILE.read_text())["actions"])
    assert {name for name, _ in TURNS} == {a for a in declared if a.startswith("action_")}


@pytest.mark.parametrize(("name", "tracker_"), TURNS)
def test_an_action_call_without_the_domain_gives_the_same_reply(name, tracker_):
    full = yaml.safe_load(DOMAIN_FILE.read_text())
    with_domain = run_async(executor().run(call(name, tracker_, domain=full)))
    without = run_async(executor().run(call(name, tracker_)))
    assert with_domain["responses"], "the action says something"
    assert without == with_domain


@pytest.mark.parametrize(("name", "tracker_"), TURNS)
def test_no_action_reads_the_domain(name, tracker_):
    action = executor().actions[name]
    run_async(action(CollectingDispatcher(), tracker_, UnreadableDomain()))


def test_rasa_leaves_the_domain_out_of_our_action_calls():
    domain = Domain.load(str(DOMAIN_FILE))
    settings = endpoints("http://127.0.0.1:5055/webhook")["action_endpoint"]
    action = RemoteAction("action_signpost", EndpointConfig(**settings))
    request = action._action_call_format(DialogueStateTracker("test", domain.slots), domain)
    assert "domain" not in request
    assert request["next_action"] == "action_signpost"


def test_the_checked_in_endpoints_file_leaves_the_domain_out_too():
    settings = yaml.safe_load((ROOT / "endpoints.yml").read_text())["action_endpoint"]
    assert settings["enable_selective_domain"] is True
