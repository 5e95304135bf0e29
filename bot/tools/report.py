"""Unmet-needs report for a partnership: what parents asked for, by area, and where we had
no local service to show. Read from Rasa's SQL tracker store (table `events`).

Counts only: no message text leaves this module. Counts under 5 are shown as "<5", and where
one small count could be worked out from a total, a second count is hidden too ("*").
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
import yaml

from bot.directory import DEFAULT_PATH, DirectoryError, load_directory

REPLIES = Path(__file__).resolve().parents[1] / "words" / "replies.yml"
# Replies that mean "no local service was shown" (bot/words/replies.yml).
NO_LOCAL_REPLIES = ("no_local", "outside_areas", "nothing_found")
SMALL = 5
NO_AREA = "(no area given)"
HIDDEN, RELATED = "<5", "*"


def no_local_patterns(path: Path = REPLIES) -> list[re.Pattern]:
    """The replies as patterns, their {placeholders} matching anything, so wording lives in one place."""
    replies = yaml.safe_load(path.read_text(encoding="utf-8"))
    patterns = []
    for key in NO_LOCAL_REPLIES:
        parts = re.split(r"\{[^}]*\}", replies[key])
        patterns.append(re.compile(".*?".join(re.escape(p) for p in parts), re.DOTALL))
    return patterns


@dataclass
class Counts:
    asked: Counter  # (need, area) -> conversations
    no_local: Counter  # (need, area) -> conversations shown no local service

    def by_need(self) -> tuple[Counter, Counter]:
        asked: Counter = Counter()
        no_local: Counter = Counter()
        for (need, _), n in self.asked.items():
            asked[need] += n
        for (need, _), n in self.no_local.items():
            no_local[need] += n
        return asked, no_local


def count(engine: sa.engine.Engine, patterns: list[re.Pattern] | None = None) -> Counts:
    """Per conversation: each need asked about, the area it was for, and whether no local service was shown."""
    patterns = patterns if patterns is not None else no_local_patterns()
    asked: Counter = Counter()
    no_local: Counter = Counter()
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("events"):
            return Counts(asked, no_local)
        rows = connection.execute(
            sa.text(
                "SELECT sender_id, type_name, data FROM events WHERE type_name IN "
                "('slot', 'bot', 'user', 'action', 'session_started', 'restart') ORDER BY sender_id, timestamp, id"
            )
        )
        state = _Conversation()
        for sender, kind, data in rows:
            if sender != state.sender:
                state.add_to(asked, no_local)
                state = _Conversation(sender)
            state.see(kind, _json(data) if kind in ("slot", "bot") else {}, patterns)
        state.add_to(asked, no_local)
    return Counts(asked, no_local)


class _Conversation:
    """Follows one conversation's `need` and `area` slots and its "no local service" replies."""

    def __init__(self, sender: str | None = None):
        self.sender = sender
        self.needs: dict[str, str | None] = {}  # need -> area it was asked for
        self.unmet: set[str] = set()
        self.need = self.area = None
        self.pending = False

    def see(self, kind: str, event: dict, patterns: list[re.Pattern]) -> None:
        if kind in ("action", "user", "session_started", "restart"):
            self._settle()
        if kind in ("session_started", "restart"):
            self.need = self.area = None  # slots start again; needs already asked still count
        elif kind == "slot" and event.get("name") in ("need", "area"):
            value = event.get("value") if isinstance(event.get("value"), str) else None
            setattr(self, event["name"], value)
            if self.need:
                self.needs[self.need] = self.area or self.needs.get(self.need)
        elif kind == "bot" and any(p.search(str(event.get("text") or "")) for p in patterns):
            # Rasa stores an action's messages before the slots it sets, so the need this
            # reply was about is known only when the action has finished.
            self.pending = True

    def _settle(self) -> None:
        if self.pending and self.need:
            self.unmet.add(self.need)
        self.pending = False

    def add_to(self, asked: Counter, no_local: Counter) -> None:
        self._settle()
        for need, area in self.needs.items():
            asked[(need, area or NO_AREA)] += 1
            if need in self.unmet:
                no_local[(need, area or NO_AREA)] += 1


def _json(data: str | None) -> dict:
    try:
        value = json.loads(data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def shown(n: int) -> str:
    return HIDDEN if n < SMALL else str(n)


def _hide(cells: dict, total: int) -> dict:
    """Cell -> text, hiding small counts, and one more when the total would give a small one away."""
    out = {key: shown(n) for key, n in cells.items()}
    small = [key for key, n in cells.items() if n < SMALL]
    if total >= SMALL and len(small) == 1 and len(cells) > 1:
        other = min((key for key in cells if key not in small), key=lambda key: cells[key])
        out[other] = RELATED
    return out


def markdown(counts: Counts, need_names: dict[str, str], area_names: dict[str, str]) -> str:
    asked_total, unmet_total = counts.by_need()
    needs = sorted(
        asked_total,
        key=lambda n: (list(need_names).index(n) if n in need_names else len(need_names), n),
    )
    lines = [
        "# Unmet needs",
        "",
        "Conversations in which a parent asked for help with a need, and how many of them were shown",
        "no local service. A conversation counts once per need.",
        "",
        f'Counts under {SMALL} are shown as "{HIDDEN}"; "{RELATED}" hides a count that would let a small one be worked out.',
        "",
        "## By need",
        "",
        "| Need | Conversations | No local match |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| {need_names.get(n, n)} | {shown(asked_total[n])} | {shown(unmet_total[n])} |"
        for n in needs
    ]
    lines += [
        "",
        "## By need and area",
        "",
        "| Need | Area | Conversations | No local match |",
        "|---|---|---:|---:|",
    ]
    for need in needs:
        areas = sorted(
            (a for (n, a) in counts.asked if n == need),
            key=lambda a: (a == NO_AREA, area_names.get(a, a)),
        )
        asked = _hide({a: counts.asked[(need, a)] for a in areas}, asked_total[need])
        unmet = _hide({a: counts.no_local[(need, a)] for a in areas}, unmet_total[need])
        lines += [
            f"| {need_names.get(need, need)} | {area_names.get(a, a)} | {asked[a]} | {unmet[a]} |"
            for a in areas
        ]
    if not needs:
        lines += ["", "No conversations with a need yet."]
    return "\n".join(lines) + "\n"


def chart(counts: Counts, need_names: dict[str, str], path: Path) -> None:
    """Bars by need; counts under 5 are not drawn, only marked."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    asked, unmet = counts.by_need()
    needs = sorted(asked, key=lambda n: -asked[n])
    labels = [need_names.get(n, n) for n in needs]
    figure, axes = plt.subplots(figsize=(9, 1.5 + 0.5 * max(len(needs), 1)))
    rows = range(len(needs))
    for offset, series, label, colour in (
        (-0.2, asked, "Conversations", "#4a7ab5"),
        (0.2, unmet, "No local match", "#d9822b"),
    ):
        values = [series[n] if series[n] >= SMALL else 0 for n in needs]
        axes.barh([r + offset for r in rows], values, height=0.4, label=label, color=colour)
        for r, n in zip(rows, needs, strict=True):
            if series[n] < SMALL:
                axes.text(0, r + offset, f" {HIDDEN}", va="center", fontsize=8)
    axes.set_yticks(list(rows))
    axes.set_yticklabels(labels)
    axes.invert_yaxis()
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("Conversations")
    axes.set_title("Unmet needs by need")
    axes.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def names(directory_path: Path | str = DEFAULT_PATH) -> tuple[dict[str, str], dict[str, str]]:
    """Short need labels and area names a partnership reads; ids if the directory can't be read."""
    try:
        directory = load_directory(directory_path)
    except DirectoryError:
        return {}, {}
    return {n.id: n.short_label for n in directory.needs.values()}, {
        a.id: a.name for a in directory.areas.values()
    }


def report(engine: sa.engine.Engine, output_dir: Path | str | None, say=print) -> int:
    need_names, area_names = names()
    counts = count(engine)
    text = markdown(counts, need_names, area_names)
    say(text)
    if output_dir:
        folder = Path(output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "unmet-needs.md").write_text(text, encoding="utf-8")
        chart(counts, need_names, folder / "unmet-needs.png")
        say(f"Wrote {folder / 'unmet-needs.md'} and {folder / 'unmet-needs.png'}")
    return 0
