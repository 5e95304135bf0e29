"""The sentence reader's two halves around the classifier: sentences join the batch, then leave
it as `sentence_intents` on their message (COMMON.md's contract), and a sure sentence settles
an unsure message. Stand-in intents play the classifier here; the trained pipeline's figures
are in bench/results-nlu.md."""

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.sentence_reader import SENTENCE_INTENTS, SentenceReader, SentenceSplit

LONG = (
    "Sorry this is long. My week has been hard. The cupboards are empty and we have nothing to eat."
)


def split_then_classify(text, read_as, whole, attach=True):
    """Split, let `read_as(sentence text)` play the classifier, then read the batch back."""
    message = Message(data={TEXT: text})
    batch = SentenceSplit.create({}, None, None, None).process([message])
    for part in batch:
        ranking = whole if part is message else read_as(part.get(TEXT))
        part.set(INTENT, ranking[0])
        part.set(INTENT_RANKING_KEY, ranking)
    reader = SentenceReader.create({"attach_sentence_intents": attach}, None, None, None)
    out = reader.process(batch)
    return batch, out


def food_when_fed(text):
    if "nothing to eat" in text:
        return [{"name": "need_food", "confidence": 0.95}, {"name": "greet", "confidence": 0.05}]
    return [{"name": "greet", "confidence": 0.6}, {"name": "urgent_self_harm", "confidence": 0.3}]


def test_each_sentence_is_read_in_the_same_batch_and_taken_out_again():
    batch, out = split_then_classify(
        LONG, food_when_fed, [{"name": "need_parenting", "confidence": 0.5}]
    )
    assert len(batch) == 4  # the message and its three sentences, in one call
    assert len(out) == 1 and out[0].get(TEXT) == LONG
    sentences = out[0].get(SENTENCE_INTENTS)
    assert [s["text"] for s in sentences] == [
        "Sorry this is long.",
        "My week has been hard.",
        "The cupboards are empty and we have nothing to eat.",
    ]
    assert sentences[0]["urgent_probability"] == 0.3
    assert sentences[2]["intent"] == "need_food" and sentences[2]["confidence"] == 0.95
    assert "sentence_intents" in out[0].as_dict(only_output_properties=True)


def test_a_sure_sentence_settles_a_message_the_classifier_was_unsure_of():
    _, out = split_then_classify(
        LONG, food_when_fed, [{"name": "need_parenting", "confidence": 0.5}]
    )
    assert out[0].get(INTENT)["name"] == "need_food"
    assert out[0].get(INTENT_RANKING_KEY)[1]["name"] == "need_parenting"


def test_with_sentence_intents_off_a_sure_sentence_still_settles_the_need():
    _, out = split_then_classify(
        LONG, food_when_fed, [{"name": "need_parenting", "confidence": 0.5}], attach=False
    )
    assert out[0].get(SENTENCE_INTENTS) is None
    assert out[0].get(INTENT)["name"] == "need_food"


def test_a_sure_whole_message_is_left_as_it_was():
    whole = [{"name": "need_parenting", "confidence": 0.9}]
    _, out = split_then_classify(LONG, food_when_fed, whole)
    assert out[0].get(INTENT)["name"] == "need_parenting"


def test_urgent_help_is_never_talked_down_by_a_calmer_sentence():
    whole = [
        {"name": "urgent_danger", "confidence": 0.55},
        {"name": "need_food", "confidence": 0.4},
    ]
    _, out = split_then_classify(LONG, food_when_fed, whole)
    assert out[0].get(INTENT)["name"] == "urgent_danger"


def test_a_one_sentence_message_and_a_button_are_not_split():
    for text in ("we have nothing to eat", "/need_food"):
        message = Message(data={TEXT: text})
        assert SentenceSplit.create({}, None, None, None).process([message]) == [message]


def test_training_data_passes_through_untouched():
    data = TrainingData(training_examples=[Message(data={TEXT: LONG, INTENT: "need_food"})])
    assert SentenceSplit.create({}, None, None, None).process_training_data(data) is data
    assert len(data.training_examples) == 1
