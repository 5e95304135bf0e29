"""Generated blocks inside a hand-written file, between a begin and an end marker line.

Rasa reads one domain file, so what is generated (the need intents, every response in each
language) lives inside domain.yml between marker lines such as

    # >>> needs: generated from services_directory.yml by `python -m bot needs`; do not edit (intents)
    - need_food
    # <<< needs

The name in brackets says which block it is; the lines between the markers are rewritten,
everything else is left as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MarkedSections:
    """The blocks between `begin (name)` and `end` marker lines, at any indentation."""

    begin: str
    end: str
    _pattern: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pattern = re.compile(
            r"^(?P<indent>[ \t]*)"
            + re.escape(self.begin)
            + r" \((?P<name>[^)]+)\)\n(?P<body>.*?)^[ \t]*"
            + re.escape(self.end)
            + r"\n",
            re.S | re.M,
        )
        object.__setattr__(self, "_pattern", pattern)

    def names(self, text: str) -> set[str]:
        """The names of the blocks in `text`."""
        return {m.group("name") for m in self._pattern.finditer(text)}

    def block(self, indent: str, name: str, lines: Iterable[str] = ()) -> str:
        """One whole block: its markers and `lines`, each indented by `indent`."""
        body = "".join(f"{indent}{line}\n" for line in lines)
        return f"{indent}{self.begin} ({name})\n{body}{indent}{self.end}\n"

    def replace(self, text: str, lines: Callable[[str, str], Iterable[str]]) -> str:
        """`text` with each block's body rewritten as `lines(indent, name)` (unindented lines;
        each is written at the block's indentation)."""

        def fill(match: re.Match) -> str:
            indent, name = match.group("indent"), match.group("name")
            return self.block(indent, name, lines(indent, name))

        return self._pattern.sub(fill, text)

    def emptied(self, text: str) -> str:
        """`text` with every block's body left out (what the hand-written part says)."""
        return self.replace(text, lambda _indent, _name: ())
