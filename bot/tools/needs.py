"""Write what Rasa needs to know about each need from the directory, and check it all agrees.

The directory (services_directory.yml) is the one list of needs. From it this writes:
- in domain.yml, between `# >>> needs` and `# <<< needs` marker lines: the need intents, the
  `need` slot's mappings and the `utter_ask_need` buttons (the rest of domain.yml is written
  by hand; Rasa reads one domain file, so the generated parts live inside it);
- data/rules/needs.yml: the rule that sends every need intent to the signposting action.

    python -m bot needs            write them
    python -m bot needs --check    exit 1 if they are out of date, or if the directory, the
                                   domain, the rules and the training data disagree

Training examples for a new need are written by hand (docs/adding-a-need.md).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.directory import DEFAULT_PATH, Directory, DirectoryError, load_directory
from bot.tools.marked_sections import MarkedSections

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "domain.yml"
RULES = ROOT / "data" / "rules" / "needs.yml"
RULES_DIR = ROOT / "data" / "rules"
NLU_DIR = ROOT / "data" / "nlu"
SIGNPOST_ACTION = "action_signpost"
COMMAND = "python -m bot needs"
BEGIN = f"# >>> needs: generated from services_directory.yml by `{COMMAND}`; do not edit"
END = "# <<< needs"
MARKED = MarkedSections(BEGIN, END)
BUILT_IN_INTENTS = {"nlu_fallback"}  # Rasa's own, set by FallbackClassifier
SECTIONS = ("intents", "slot need", "utter_ask_need buttons")


def _load_yaml(text: str):
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def need_intent(need_id: str) -> str:
    """The intent a parent's message about a need is classified as: need_<id>."""
    return f"need_{need_id}"


def _flow(mapping: dict) -> str:
    """One YAML flow mapping on one line, quoted the way domain.yml writes them."""
    text = yaml.safe_dump(
        mapping, default_flow_style=True, sort_keys=False, allow_unicode=True, width=1000
    )
    return text.strip()


def section_lines(directory: Directory) -> dict[str, list[str]]:
    """The generated lines of each domain.yml section, without indentation."""
    needs = list(directory.needs.values())
    return {
        "intents": [f"- {need_intent(n.id)}" for n in needs],
        "slot need": [
            f"- {_flow({'type': 'from_intent', 'intent': need_intent(n.id), 'value': n.id})}"
            for n in needs
        ],
        "utter_ask_need buttons": [
            f"- {_flow({'title': n.short_label, 'payload': '/' + need_intent(n.id)})}"
            for n in needs
        ],
    }


def write_domain_sections(text: str, directory: Directory) -> str:
    """domain.yml's text with every generated section rewritten from the directory."""
    wanted = section_lines(directory)
    found = MARKED.names(text)
    missing = [name for name in SECTIONS if name not in found]
    if missing:
        raise ValueError(
            f"domain.yml has no generated section for {', '.join(missing)}: add the lines\n"
            f"  {BEGIN} (<name>)\n  {END}\nwhere the need entries go (names: {', '.join(SECTIONS)})"
        )
    return MARKED.replace(text, lambda _indent, name: wanted[name])


def rules_text(directory: Directory) -> str:
    """The whole of data/rules/needs.yml."""
    rules = {
        "version": "3.1",
        "rules": [
            {
                "rule": "A need goes to the signposting action",
                "steps": [
                    {"or": [{"intent": need_intent(n.id)} for n in directory.needs.values()]},
                    {"action": SIGNPOST_ACTION},
                ],
            }
        ],
    }
    return (
        f"# Generated from services_directory.yml by `{COMMAND}`; do not edit.\n"
        + yaml.safe_dump(rules, sort_keys=False, allow_unicode=True, width=1000)
    )


@dataclass
class Project:
    """The files that have to agree about the needs; paths can point at a copy (tests do)."""

    directory_path: Path = DEFAULT_PATH
    domain_path: Path = DOMAIN
    rules_path: Path = RULES
    rules_dir: Path = RULES_DIR
    nlu_dir: Path = NLU_DIR


def generate(project: Project) -> list[str]:
    """Write the generated files; return the paths that changed."""
    directory = load_directory(project.directory_path)
    changed = []
    for path, text in _wanted(project, directory).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(str(path))
    return changed


def _wanted(project: Project, directory: Directory) -> dict[Path, str]:
    return {
        project.domain_path: write_domain_sections(
            project.domain_path.read_text(encoding="utf-8"), directory
        ),
        project.rules_path: rules_text(directory),
    }


def stale(project: Project) -> list[str]:
    """The generated files that differ from what the directory says."""
    directory = load_directory(project.directory_path)
    return [
        str(path)
        for path, text in _wanted(project, directory).items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def training_examples(nlu_dir: Path) -> dict[str, list[str]]:
    """intent -> its example texts, from every Rasa NLU file under `nlu_dir`."""
    return examples_in_files(sorted(nlu_dir.rglob("*.yml")))


def examples_in_files(paths: list[Path]) -> dict[str, list[str]]:
    """intent -> its example texts, from the given Rasa NLU files."""
    examples: dict[str, list[str]] = {}
    for path in paths:
        for block in (_load_yaml(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" in block:
                lines = [
                    line[2:].strip()
                    for line in str(block.get("examples", "")).splitlines()
                    if line.startswith("- ")
                ]
                examples.setdefault(block["intent"], []).extend(lines)
    return examples


def _intents_in_rules(rules_dir: Path) -> set[str]:
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("intent"), str):
                found.add(node["intent"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(rules_dir.glob("*.yml")):
        walk((_load_yaml(path.read_text(encoding="utf-8")) or {}).get("rules"))
    return found


def disagreements(project: Project) -> list[str]:
    """Every way the directory, domain, rules and training data disagree about intents and needs."""
    directory = load_directory(project.directory_path)
    domain = _load_yaml(project.domain_path.read_text(encoding="utf-8")) or {}
    intents = [i if isinstance(i, str) else next(iter(i)) for i in domain.get("intents") or []]
    mappings = {
        (m.get("intent"), m.get("value"))
        for m in (domain.get("slots", {}).get("need") or {}).get("mappings") or []
    }
    ask = (domain.get("responses", {}).get("utter_ask_need") or [{}])[0]
    buttons = {b.get("payload") for b in ask.get("buttons") or []}
    in_rules = _intents_in_rules(project.rules_dir)
    examples = training_examples(project.nlu_dir)
    problems = []
    for need in directory.needs.values():
        intent = need_intent(need.id)
        if intent not in intents:
            problems.append(f"need '{need.id}': no intent {intent} in {project.domain_path.name}")
        if (intent, need.id) not in mappings:
            problems.append(f"need '{need.id}': slot 'need' has no mapping from {intent}")
        if f"/{intent}" not in buttons:
            problems.append(f"need '{need.id}': utter_ask_need has no button for /{intent}")
        if not examples.get(intent):
            problems.append(
                f"need '{need.id}': no training examples for {intent} under {project.nlu_dir.parent.name}/{project.nlu_dir.name}/ "
                "(docs/adding-a-need.md)"
            )
    for intent in intents:
        if intent.startswith("need_") and intent[len("need_") :] not in directory.needs:
            problems.append(f"intent {intent}: no need '{intent[len('need_') :]}' in the directory")
        if intent not in in_rules:
            problems.append(
                f"intent {intent}: no rule uses it, so the assistant would not answer it"
            )
        if (
            intent not in examples and intent[len("need_") :] not in directory.needs
        ):  # a need's is reported above
            problems.append(f"intent {intent}: no training examples")
    for intent in sorted(set(examples) - set(intents)):
        problems.append(
            f"training examples are labelled {intent}, which is not an intent in {project.domain_path.name}"
        )
    for intent in sorted(in_rules - set(intents) - BUILT_IN_INTENTS):
        problems.append(f"a rule uses intent {intent}, which is not in {project.domain_path.name}")
    return problems


def main(argv: list[str] | None = None, project: Project | None = None) -> int:
    """`python -m bot needs [--check]`."""
    argv = sys.argv[1:] if argv is None else argv
    project = project or Project()
    try:
        if "--check" not in argv:
            for path in generate(project):
                print(f"wrote {path}")
        out_of_date = stale(project)
        problems = disagreements(project)
    except (DirectoryError, ValueError) as error:
        print(error, file=sys.stderr)
        return 1
    for path in out_of_date:
        print(f"{path} is out of date with the directory: run `{COMMAND}`", file=sys.stderr)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not out_of_date and not problems:
        print(
            f"needs: directory, domain, rules and training data agree ({len(load_directory(project.directory_path).needs)} needs)"
        )
    return 1 if out_of_date or problems else 0


if __name__ == "__main__":
    sys.exit(main())
