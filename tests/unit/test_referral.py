"""The tell-it-once note: only with a yes, only categories, every line removable."""

import json

from bot.referral import Context, decode, encode, next_messages

CONTEXT = Context(needs=("Food", "Baby things and nappies"), services=("Bradford Test Pantry",))


def state_of(payload: str) -> dict:
    return decode(json.loads("{" + payload.split("{", 1)[1])["note"])


def click(reply, title):
    return state_of(dict(reply.buttons)[title])


def test_nothing_is_made_without_a_yes():
    [question] = next_messages({}, CONTEXT)
    assert "Would you like one?" in question.text
    [declined] = next_messages(click(question, "Not now"), CONTEXT)
    assert "No note has been made" in declined.text


def test_each_step_can_be_skipped_and_the_note_lists_only_choices():
    state = click(next_messages({}, CONTEXT)[0], "Yes, make a note")
    answers = {
        "How is it safe": "A text message",
        "When is a good time": "Skip",
        "Which language": "Urdu, with an interpreter please",
        "anything that would make it easier": "Step-free access",
    }
    for _ in range(4):
        [question] = next_messages(state, CONTEXT)
        title = next(v for k, v in answers.items() if k.lower() in question.text.lower())
        state = click(question, title)
    intro, note = next_messages(state, CONTEXT)
    assert note.text.splitlines() == [
        "Note for the next service",
        "I'd like help with: Food; Baby things and nappies.",
        "Services I looked at: Bradford Test Pantry.",
        "Safe ways to contact me: a text message.",
        "Language: Urdu, with an interpreter please.",
        "It would help to have: step-free access.",
        "Please use this note so I don't have to explain again.",
    ]
    assert "Nothing is sent anywhere" in intro.text


def test_any_line_can_be_removed():
    state = {
        "consent": "yes",
        "how": "phone",
        "when": "evenings",
        "language": "en",
        "access": "skip",
    }
    note = next_messages(state, CONTEXT)[1]
    trimmed = next_messages(click(note, "Remove services line"), CONTEXT)[1]
    assert "Services I looked at" not in trimmed.text
    again = next_messages(click(trimmed, "Remove times line"), CONTEXT)[1]
    assert "Good times" not in again.text and "Services I looked at" not in again.text


def test_state_round_trips():
    state = {"consent": "yes", "how": "text", "drop": "services,needs"}
    assert decode(encode(state)) == state


def _finished_note(lang):
    """Yes, a text message, skip the rest: the note in `lang`."""
    state = {"consent": "yes", "how": "text", "when": "skip", "language": "pl", "access": "skip"}
    context = Context(
        needs=("Jedzenie",), services=("Bradford Test Pantry",), english_needs=("Food",)
    )
    return next_messages(state, context, lang)[-1]


def test_a_note_in_another_language_carries_an_english_copy_for_the_service():
    note = _finished_note("pl")
    polish, english = note.text.split("\n\n")
    assert polish.splitlines()[0] == "Notatka dla kolejnego miejsca"
    assert "Jedzenie" in polish
    assert english.splitlines() == [
        "Note for the next service",
        "I'd like help with: Food.",
        "Services I looked at: Bradford Test Pantry.",
        "Safe ways to contact me: a text message.",
        "Language: Polish, with an interpreter please.",
        "Please use this note so I don't have to explain again.",
    ]


def test_a_removed_line_goes_from_both_copies():
    note = _finished_note("ur")
    remove = next(p for _, p in note.buttons if p != "/thanks" and state_of(p).get("drop") == "how")
    again = next_messages(state_of(remove), CONTEXT, "ur")[-1]
    assert "text message" not in again.text
    assert again.text.count("\n\n") == 1


def test_an_english_note_has_no_second_copy():
    note = _finished_note(None)
    assert "\n\n" not in note.text
    assert note.text.count("Note for the next service") == 1
