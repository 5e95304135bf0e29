"""The domain agrees with the directory and the code, and `rasa data validate` is clean."""

import re
import subprocess
import sys
from pathlib import Path

import yaml

from bot.directory import load_directory
from bot.urgent import URGENT_INTENTS

ROOT = Path(__file__).resolve().parent.parent.parent
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())


def payloads(response):
    """As the parent's browser receives them: Rasa turns {{ }} into { }."""
    return [
        b["payload"].replace("{{", "{").replace("}}", "}")
        for b in DOMAIN["responses"][response][0]["buttons"]
    ]


def test_need_buttons_offer_every_need_in_the_directory():
    offered = {
        p.removeprefix("/need_") for p in payloads("utter_ask_need") if p.startswith("/need_")
    }
    assert offered == set(load_directory().needs)


def test_area_buttons_offer_every_area_in_the_directory():
    offered = set(re.findall(r'"area": "(\w+)"', " ".join(payloads("utter_ask_area"))))
    assert offered == set(load_directory().areas)


def test_every_need_intent_fills_the_need_slot_with_its_id():
    mappings = {m["intent"]: m["value"] for m in DOMAIN["slots"]["need"]["mappings"]}
    assert mappings == {f"need_{need}": need for need in load_directory().needs}


def test_urgent_replies_lead_with_999():
    for name in ("utter_urgent_danger", "utter_urgent_medical", "utter_urgent_self_harm"):
        text = DOMAIN["responses"][name][0]["text"]
        assert "999" in text.split("\n")[0] or "999" in text.split("\n")[1]
    for number in ("116 123", "111", "SHOUT", "PANDAS"):
        assert number in DOMAIN["responses"]["utter_urgent_self_harm"][0]["text"]


def urgent_text(name):
    return DOMAIN["responses"][name][0]["text"]


def test_each_urgent_intent_has_its_own_reply_by_a_rule():
    rules = yaml.safe_load((ROOT / "data" / "rules" / "safety.yml").read_text())["rules"]
    pairs = {(r["steps"][0].get("intent"), r["steps"][1].get("action")) for r in rules}
    for intent in URGENT_INTENTS:
        assert intent in DOMAIN["intents"]
        assert (intent, f"utter_{intent}") in pairs  # a domain response: works with actions down


def test_danger_from_a_person_explains_the_silent_solution_and_both_helplines():
    text = urgent_text("utter_urgent_danger")
    assert "999 from a mobile, then press 55" in text and "landline, stay on the line" in text
    assert "0808 2000 247" in text and "Men's Advice Line, 0808 801 0327" in text
    assert "0800 999 5428" not in text  # Galop: marked verify in helplines.md, so hidden


def test_a_childs_medical_emergency_gets_999_and_the_address_and_nothing_else():
    text = urgent_text("utter_urgent_medical")
    assert text.startswith("Call 999") and "address" in text
    for not_for_this in ("55", "0808", "Helpline", "call history", "Samaritans"):
        assert not_for_this not in text
    assert "buttons" not in DOMAIN["responses"]["utter_urgent_medical"][0]


def test_a_parent_afraid_of_hurting_the_baby_is_told_to_step_away_first():
    text = urgent_text("utter_urgent_self_harm")
    assert "put them down safely in the cot and step away. Then call." in text
    assert text.index("step away") < text.index("NHS 111") < text.index("116 123")


def test_rasa_data_validate_is_clean():
    """The only warnings allowed: responses that actions send, which no rule names."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "data", "validate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    warnings = re.findall(r"UserWarning: (.*)", output)
    sent_by_code = "\n".join(
        p.read_text() for p in [*ROOT.glob("actions/*.py"), *ROOT.glob("bot/*.py")]
    )
    for warning in warnings:
        unused = re.match(r"The utterance '(\w+)' is not used in any story or rule\.", warning)
        assert unused, f"unexpected warning: {warning}"
        name = unused.group(1)
        assert name == "utter_default" or f'"{name}"' in sent_by_code, f"{name} is never said"


def test_start_again_claims_to_delete_nothing_it_does_not_delete():
    # Start again only resets the conversation (action_restart); the stored record stays
    # until "forget me" or the retention period, so the words must not say it is cleared.
    text = urgent_text("utter_start_again")
    assert "cleared" not in text and "I've deleted" not in text and 'type "forget me"' in text


def test_forget_me_and_quick_exit_tell_the_page_to_clear_itself():
    assert DOMAIN["responses"]["utter_forgotten"][0]["custom"] == {"page": "clear"}
    assert DOMAIN["responses"]["utter_quick_exit"][0]["custom"] == {"page": "leave"}


def test_the_greeting_says_no_story_is_needed_and_any_question_can_be_skipped():
    text = urgent_text("utter_greet")
    assert "You don't need to tell me your story. You can skip any question." in text
