"""The domain agrees with the directory and the code, and `rasa data validate` is clean."""

import re
import subprocess
import sys
from pathlib import Path

import yaml

from bot.directory import load_directory

ROOT = Path(__file__).resolve().parent.parent.parent
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())


def payloads(response):
    """As the parent's browser receives them: Rasa turns {{ }} into { }."""
    return [b["payload"].replace("{{", "{").replace("}}", "}") for b in DOMAIN["responses"][response][0]["buttons"]]


def test_need_buttons_offer_every_need_in_the_directory():
    offered = {p.removeprefix("/need_") for p in payloads("utter_ask_need") if p.startswith("/need_")}
    assert offered == set(load_directory().needs)


def test_area_buttons_offer_every_area_in_the_directory():
    offered = set(re.findall(r'"area": "(\w+)"', " ".join(payloads("utter_ask_area"))))
    assert offered == set(load_directory().areas)


def test_every_need_intent_fills_the_need_slot_with_its_id():
    mappings = {m["intent"]: m["value"] for m in DOMAIN["slots"]["need"]["mappings"]}
    assert mappings == {f"need_{need}": need for need in load_directory().needs}


def test_urgent_replies_lead_with_999():
    for name in ("utter_urgent_danger", "utter_urgent_self_harm"):
        text = DOMAIN["responses"][name][0]["text"]
        assert "999" in text.split("\n")[0] or "999" in text.split("\n")[1]
    assert "55" in DOMAIN["responses"]["utter_urgent_danger"][0]["text"]
    for number in ("116 123", "111", "SHOUT", "PANDAS"):
        assert number in DOMAIN["responses"]["utter_urgent_self_harm"][0]["text"]


def test_rasa_data_validate_is_clean():
    """The only warnings allowed: responses that actions send, which no rule names."""
    result = subprocess.run([str(Path(sys.executable).parent / "rasa"), "data", "validate"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    warnings = re.findall(r"UserWarning: (.*)", output)
    sent_by_code = "\n".join(p.read_text() for p in [*ROOT.glob("actions/*.py"), *ROOT.glob("bot/*.py")])
    for warning in warnings:
        unused = re.match(r"The utterance '(\w+)' is not used in any story or rule\.", warning)
        assert unused, f"unexpected warning: {warning}"
        name = unused.group(1)
        assert name == "utter_default" or f'"{name}"' in sent_by_code, f"{name} is never said"
