"""The held-out sets under tests/heldout/<nn>-<name>/, found by folder, each described by its meta.yml.

A set is a folder holding a `meta.yml` and the lists it names: an NLU file (`nlu.file`) scored
by `python -m bot.tools.nlu_quality`, and/or `danger.txt` + `ordinary.txt`, `conversations.yml`
or `requests.yml` + `not_requests.txt` scored by `pytest tests/nlu`. Adding a set is adding a
folder; tests/heldout/README.md says what goes in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "tests" / "heldout"
STATUSES = ("sealed", "used-while-tuning")


@dataclass(frozen=True)
class HeldOutSet:
    """One folder of held-out lists and what its meta.yml says about them."""

    folder: Path
    status: str
    holds: str
    written: str
    nlu_file: Path | None = None
    nlu_floors: dict = field(default_factory=dict)
    urgent_floors: dict | None = None  # None: the set has no urgent-help lists
    conversation_floors: dict | None = None  # None: the set has no conversations.yml
    request_floors: dict | None = None  # None: the set has no requests.yml

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def sealed(self) -> bool:
        return self.status == "sealed"


def heldout_sets(root: Path = HELDOUT) -> list[HeldOutSet]:
    """Every set under `root`, in folder order; a folder without a valid meta.yml is an error."""
    sets = []
    for meta_path in sorted(root.glob("*/meta.yml")):
        folder = meta_path.parent
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
        if meta.get("status") not in STATUSES:
            raise ValueError(
                f"{meta_path}: 'status' must be one of {', '.join(STATUSES)}, got {meta.get('status')!r}"
            )
        nlu = meta.get("nlu") or {}
        urgent = meta.get("urgent")
        if urgent is not None and not (
            (folder / "danger.txt").is_file() and (folder / "ordinary.txt").is_file()
        ):
            raise ValueError(f"{meta_path}: 'urgent' needs danger.txt and ordinary.txt beside it")
        written_conversations = meta.get("conversations")
        if written_conversations is not None and not (folder / "conversations.yml").is_file():
            raise ValueError(f"{meta_path}: 'conversations' needs conversations.yml beside it")
        requests = meta.get("requests")
        if requests is not None and not (
            (folder / "requests.yml").is_file() and (folder / "not_requests.txt").is_file()
        ):
            raise ValueError(f"{meta_path}: 'requests' needs requests.yml and not_requests.txt")
        if nlu and not (folder / nlu["file"]).is_file():
            raise ValueError(f"{meta_path}: nlu file {nlu['file']!r} is not in {folder}")
        sets.append(
            HeldOutSet(
                folder=folder,
                status=meta["status"],
                holds=str(meta.get("holds", "")),
                written=str(meta.get("written", "")),
                nlu_file=folder / nlu["file"] if nlu else None,
                nlu_floors=nlu.get("floors") or {},
                urgent_floors=(urgent.get("floors") or {}) if urgent is not None else None,
                conversation_floors=(written_conversations.get("floors") or {})
                if written_conversations is not None
                else None,
                request_floors=(requests.get("floors") or {}) if requests is not None else None,
            )
        )
    return sets
