"""The urgent-help NLU components, in the order config.yml runs them after the classifier
(IdiomCheck, the FallbackClassifier with config.yml's settings, UrgentHelpDetector): phrases
win over the classifier; an idiom alone doesn't raise an alarm; a long message can't
quick-exit by accident."""

from pathlib import Path

import pytest
import yaml
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.urgent_help import IdiomCheck, UrgentHelpDetector

CONFIG = Path(__file__).resolve().parents[2] / "config.yml"


def classified(text, *ranking):
    """A message as the classifier left it: ranking is (intent, confidence) pairs, best first."""
    message = Message(data={TEXT: text})
    ranked = [{"name": name, "confidence": conf} for name, conf in ranking]
    message.set(INTENT, ranked[0])
    message.set(INTENT_RANKING_KEY, ranked)
    return message


class AfterTheClassifier:
    """The pipeline's last three steps, as config.yml orders and configures them."""

    def __init__(self):
        pipeline = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["pipeline"]
        names = [step["name"].rsplit(".", 1)[-1] for step in pipeline]
        assert names[-3:] == ["IdiomCheck", "FallbackClassifier", "UrgentHelpDetector"]
        settings = {k: v for k, v in pipeline[-2].items() if k != "name"}
        bands = {k: v for k, v in pipeline[-1].items() if k != "name"}
        self.steps = [
            IdiomCheck(),
            FallbackClassifier({**FallbackClassifier.get_default_config(), **settings}),
        ]
        self.detector = UrgentHelpDetector({**UrgentHelpDetector.get_default_config(), **bands})

    def process(self, messages, tracker=None):
        for step in self.steps:
            messages = step.process(messages)
        return self.detector.process(messages, tracker)


@pytest.fixture
def detector():
    return AfterTheClassifier()


def intent_after(detector, message):
    return detector.process([message])[0].get(INTENT)["name"]


def test_a_danger_phrase_wins_whatever_the_classifier_thought(detector):
    message = classified(
        "he's got a knife and he's coming for me", ("need_housing", 0.9), ("urgent_danger", 0.05)
    )
    assert intent_after(detector, message) == "urgent_danger"


def test_an_idiom_alone_does_not_keep_the_classifiers_alarm(detector):
    message = classified(
        "my toddler is going to be the death of me",
        ("urgent_self_harm", 0.6),
        ("need_parenting", 0.3),
    )
    assert intent_after(detector, message) == "need_parenting"


def test_an_idiom_with_an_unsure_alternative_gets_the_gentle_fallback(detector):
    message = classified(
        "dying to get these stitches out", ("urgent_self_harm", 0.5), ("out_of_scope", 0.1)
    )
    assert intent_after(detector, message) == "nlu_fallback"


def test_without_an_idiom_the_classifiers_alarm_stands(detector):
    message = classified(
        "i don't know how much longer i can keep going",
        ("urgent_self_harm", 0.5),
        ("need_parenting", 0.4),
    )
    assert intent_after(detector, message) == "urgent_self_harm"


def test_real_danger_next_to_an_idiom_still_reaches_help(detector):
    message = classified(
        "i'm dying for a cup of tea but he's hitting me", ("need_food", 0.6), ("urgent_danger", 0.3)
    )
    assert intent_after(detector, message) == "urgent_danger"


def test_a_long_message_never_quick_exits_by_accident(detector):
    message = classified("x" * 20_000, ("quick_exit", 0.7), ("greet", 0.1))
    assert intent_after(detector, message) == "nlu_fallback"


# ---- the three bands (bot/safety.py), with the conversation so far read from the tracker


def conversation(*parsed):
    """A tracker holding the parent's earlier messages, each as this pipeline left it."""
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [
        UserUttered(m.get(TEXT), m.get(INTENT), [], m.as_dict(only_output_properties=True))
        for m in parsed
    ]
    return DialogueStateTracker.from_events("parent", events)


def banded(detector, message, tracker=None):
    done = detector.process([message], tracker)[0]
    return done.get(INTENT)["name"], done.get("safety")


def near_miss_score(detector):
    limits = detector.detector.thresholds
    return (limits.near_miss + limits.check_in) / 2


def test_an_unsure_message_gets_the_check_in_and_keeps_what_it_said(detector):
    score = detector.detector.thresholds.check_in + 0.05
    intent, safety = banded(
        detector,
        classified(
            "need nappies and he's in a mood again",
            ("need_baby_essentials", 0.7),
            ("urgent_danger", score),
            ("need_food", 0.1),
        ),
    )
    assert intent == "safety_check_in"
    assert safety["band"] == "check_in" and safety["held_intent"] == "need_baby_essentials"


def test_a_single_message_full_of_alarm_words_is_not_moved_up(detector):
    near = near_miss_score(detector)
    message = classified(
        "this teething is killing me, I could scream",
        ("need_parenting", 0.8),
        ("urgent_self_harm", near),
    )
    intent, safety = banded(detector, message, conversation())
    assert intent == "need_parenting" and safety["band"] == "ordinary" and safety["near_miss"]


def test_two_near_misses_in_a_row_get_the_check_in(detector):
    near = near_miss_score(detector)
    first = detector.process(
        [classified("he's been so angry", ("need_parenting", 0.8), ("urgent_danger", near))]
    )[0]
    second = classified(
        "i keep thinking about it",
        ("need_perinatal_mental_health", 0.8),
        ("urgent_self_harm", near),
    )
    assert banded(detector, second, conversation(first))[0] == "safety_check_in"


def test_a_near_miss_after_saying_they_cant_cope_gets_the_check_in(detector):
    near = near_miss_score(detector)
    said = detector.process(
        [classified("I can't cope anymore with the crying", ("need_perinatal_mental_health", 0.9))]
    )[0]
    between = detector.process([classified("bradford", ("inform_area", 0.9))])[0]
    later = classified(
        "everything is too much today",
        ("need_perinatal_mental_health", 0.8),
        ("urgent_self_harm", near),
    )
    assert banded(detector, later, conversation(said, between))[0] == "safety_check_in"


def test_the_check_in_is_asked_only_once(detector):
    score = detector.detector.thresholds.check_in + 0.05
    first = detector.process(
        [
            classified(
                "not sure about him tonight", ("need_domestic_abuse", 0.6), ("urgent_danger", score)
            )
        ]
    )[0]
    assert first.get(INTENT)["name"] == "safety_check_in"
    again = classified("he's moody again", ("need_domestic_abuse", 0.6), ("urgent_danger", score))
    intent, safety = banded(
        detector, again, conversation(first, classified("/safe_now", ("safe_now", 1.0)))
    )
    assert intent == "need_domestic_abuse" and "already asked" in safety["why"]


def test_a_danger_sentence_inside_a_long_ordinary_message_gets_urgent_help(detector):
    text = "do you know where i can get nappies in bradford. took the whole packet. also formula if anyone has it"
    message = classified(text, ("need_baby_essentials", 0.95), ("urgent_self_harm", 0.01))
    assert banded(detector, message)[0] == "urgent_self_harm"


def test_the_strongest_sentence_sets_the_score(detector):
    message = classified(
        "we need a food bank. i don't know anymore", ("need_food", 0.9), ("urgent_self_harm", 0.02)
    )
    strong = detector.detector.thresholds.check_in + 0.1
    message.set(
        "sentence_intents",
        [
            {
                "text": "we need a food bank",
                "intent": "need_food",
                "confidence": 0.9,
                "urgent_probability": 0.01,
            },
            {
                "text": "i don't know anymore",
                "intent": "need_perinatal_mental_health",
                "confidence": 0.5,
                "urgent_probability": strong,
            },
        ],
    )
    intent, safety = banded(detector, message)
    assert intent == "safety_check_in" and safety["score"] == pytest.approx(strong)


def test_quick_exit_is_never_held_for_a_check_in(detector):
    message = classified("get me out of here", ("quick_exit", 0.6), ("urgent_danger", 0.35))
    assert banded(detector, message)[0] == "quick_exit"


# ---- weaker evidence: the check-in, not urgent help; and which urgent reply fits


def urgent_kind_of(message):
    return [e["value"] for e in message.get("entities") or [] if e["entity"] == "urgent_kind"]


def test_the_classifiers_unsure_urgent_choice_gets_the_check_in(detector):
    bar = detector.detector.thresholds.classifier_urgent
    message = classified(
        "the smoke alarm battery is dying and keeps waking the baby",
        ("urgent_self_harm", bar - 0.05),
        ("need_parenting", bar - 0.1),
    )
    assert banded(detector, message)[0] == "safety_check_in"


def test_a_phrase_in_a_softened_message_gets_the_check_in(detector):
    message = classified(
        "my brother died by suicide last year and it's hard with a new baby, any bereavement groups?",
        ("urgent_self_harm", 0.65),
        ("need_perinatal_mental_health", 0.3),
    )
    intent, safety = banded(detector, message)
    assert intent == "safety_check_in" and "softened phrase" in safety["why"]


def test_once_asked_an_unsure_urgent_choice_gets_the_gentle_fallback_not_urgent_help(detector):
    bar = detector.detector.thresholds.classifier_urgent
    first = detector.process(
        [classified("not sure about tonight", ("urgent_self_harm", bar - 0.05), ("greet", 0.1))]
    )[0]
    assert first.get(INTENT)["name"] == "safety_check_in"
    again = classified(
        "what plants are poison to toddlers",
        ("urgent_self_harm", bar - 0.1),
        ("need_parenting", 0.3),
    )
    answered = classified("/safe_now", ("safe_now", 1.0))
    intent, safety = banded(detector, again, conversation(first, answered))
    assert intent == "nlu_fallback" and safety["band"] == "ordinary"


def test_a_near_miss_names_the_urgent_reply_that_fits(detector):
    check_in = detector.detector.thresholds.check_in + 0.05
    self_harm = detector.process(
        [
            classified(
                "i keep thinking they'd be better off",
                ("need_perinatal_mental_health", 0.5),
                ("urgent_self_harm", check_in),
                ("urgent_danger", 0.01),
            )
        ]
    )[0]
    assert self_harm.get(INTENT)["name"] == "safety_check_in"
    assert urgent_kind_of(self_harm) == ["urgent_self_harm"]
    medical = detector.process(
        [
            classified(
                "any groups for a 6 week old? she's breathing fast tonight",
                ("need_parenting", 0.8),
                ("urgent_medical", detector.detector.thresholds.near_miss + 0.01),
            )
        ]
    )[0]
    assert medical.get(INTENT)["name"] == "need_parenting"  # a near miss: carries on
    assert urgent_kind_of(medical) == ["urgent_medical"]
    phrase = detector.process([classified("my baby has stopped breathing", ("greet", 0.9))])[0]
    assert urgent_kind_of(phrase) == ["urgent_medical"]
    calm = detector.process(
        [classified("nappies in bradford please", ("need_baby_essentials", 0.95))]
    )[0]
    assert urgent_kind_of(calm) == []


def test_i_need_help_now_typed_is_never_held_for_a_check_in(detector):
    message = classified("i need help now", ("help_now", 0.6), ("urgent_danger", 0.35))
    assert banded(detector, message)[0] == "help_now"
