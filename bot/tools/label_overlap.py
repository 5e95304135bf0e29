"""List training examples that use one need's words but are labelled as another need.

    python -m bot overlap              the training data under data/nlu/
    python -m bot overlap --need ID    only examples that use need ID's words (a new need)
    python -m bot overlap --heldout    also the held-out sets: counts only for a sealed set

A need's words are its `keywords` in the directory. An example labelled need_money that says
"nursery places" is listed once a `childcare` need has "nursery" among its words: it may now
belong to the new need. Many listed examples are right as they are (a message can name two
things); the list is for a person to read, so this never fails a build.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass

from bot.directory import Directory, load_directory
from bot.tools.needs import Project, examples_in_files, need_intent, training_examples

_ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")


@dataclass(frozen=True)
class Overlap:
    """One example whose words belong to another need than its label."""

    text: str
    label: str
    other_need: str
    words: tuple[str, ...]


def plain(text: str) -> str:
    """An example without Rasa's entity annotations, lower case: "[Leeds](area)" -> "leeds"."""
    return _ANNOTATION.sub(lambda m: m.group(1) or m.group(2), text).lower()


def _patterns(directory: Directory) -> dict[str, list[tuple[str, re.Pattern]]]:
    return {
        need.id: [(word, re.compile(rf"\b{re.escape(word)}\b")) for word in need.keywords]
        for need in directory.needs.values()
    }


def overlaps(
    examples: dict[str, list[str]], directory: Directory, need: str | None = None
) -> list[Overlap]:
    """Examples labelled as one need that contain another need's words (and none of their own
    need's words that are also the other's); with `need`, only those that use that need's words."""
    patterns = _patterns(directory)
    if need is not None:
        patterns = {need: patterns[need]}
    by_intent = {need_intent(need_id): need_id for need_id in directory.needs}
    found = []
    for intent, texts in examples.items():
        own = by_intent.get(intent)
        if own is None:
            continue
        own_words = set(directory.needs[own].keywords)
        for text in texts:
            words = plain(text)
            for other, pats in patterns.items():
                if other == own:
                    continue
                hits = tuple(
                    word
                    for word, pattern in pats
                    if word not in own_words and pattern.search(words)
                )
                if hits:
                    found.append(Overlap(text, intent, other, hits))
    return found


def main(argv: list[str] | None = None, project: Project | None = None) -> int:
    """`python -m bot overlap [--need ID] [--heldout]`: print the overlaps; exits 0 unless the
    need id is not in the directory."""
    parser = argparse.ArgumentParser(prog="python -m bot overlap")
    parser.add_argument("--need", help="only examples that use this need's words")
    parser.add_argument(
        "--heldout",
        action="store_true",
        help="also the held-out sets (counts only for sealed ones)",
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    project = project or Project()
    directory = load_directory(project.directory_path)
    need = args.need
    if need is not None and need not in directory.needs:
        print(
            f"No need with id {need!r} in the directory. Need ids: {', '.join(directory.needs)}",
            file=sys.stderr,
        )
        return 1
    found = overlaps(training_examples(project.nlu_dir), directory, need)
    for item in found:
        print(
            f"{item.label} -> {need_intent(item.other_need)}? ({', '.join(item.words)}): {item.text}"
        )
    words = f"need {need}'s words" if need else "another need's words"
    print(f"{len(found)} training example(s) use {words}")
    if args.heldout:
        from bot.tools.heldout_sets import heldout_sets

        for heldout in heldout_sets():
            if heldout.nlu_file is None:
                continue
            found = overlaps(examples_in_files([heldout.nlu_file]), directory, need)
            print(f"{heldout.name} ({heldout.status}): {len(found)} line(s) use {words}")
            if not heldout.sealed:
                for item in found:
                    print(
                        f"  {item.label} -> {need_intent(item.other_need)}? ({', '.join(item.words)}): {item.text}"
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
