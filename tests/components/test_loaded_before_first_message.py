"""One-off work is done when Rasa loads the model, never on a parent's first message.

Compiling every language's urgent phrases takes most of a second; the components that use
them compile them in `create`, so a worker's first reply is as quick as its second.
"""

from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.urgent import urgent_phrases
from components.urgent_help import IdiomCheck, UrgentHelpDetector


def _create(component):
    # The model storage, resource and execution context are not read by these components.
    return component.create(component.get_default_config(), None, None, None)


def test_urgent_help_detector_compiles_the_phrases_when_created():
    urgent_phrases.cache_clear()
    detector = _create(UrgentHelpDetector)
    assert urgent_phrases.cache_info().currsize == 1, "compiled at create"
    misses = urgent_phrases.cache_info().misses
    message = Message(data={TEXT: "he has a knife and is hitting me"})
    message.set(INTENT, {"name": "greet", "confidence": 0.9})
    detector.process([message])
    assert message.get(INTENT)["name"] == "urgent_danger"
    assert urgent_phrases.cache_info().misses == misses, "the first message compiled nothing"


def test_idiom_check_compiles_the_phrases_when_created():
    urgent_phrases.cache_clear()
    IdiomCheck.create({}, None, None, None)
    assert urgent_phrases.cache_info().currsize == 1
