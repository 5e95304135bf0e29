"""The safety review: a person reads the messages the assistant was unsure about.

Kept only when the partnership turns it on (`SAFETY_REVIEW=on`): a safety check-in, a
fallback ("say it another way"), or an urgent decision close to a threshold, each with what
the assistant did. The text is redacted (`bot.redact.redact`) before it is stored, kept no
longer than the conversations (`purge_old`), and deleted with the conversation on "forget
me" and quick exit (`forget`). No sender id is ever shown; it is kept only so those
deletions can find the rows.

A safeguarding lead lists them (`python -m bot review`), marks each one `urgent`, a need id or
`ordinary`, and applies the file (`python -m bot review --apply FILE`): the marked lines go to
the dev lists in tests/dev/ (never to a sealed held-out set), so the next change to the
phrases, the model or the thresholds is measured on them. See docs/safety-review.md.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter
from pathlib import Path

import sqlalchemy as sa
import yaml

from bot.redact import redact

SETTING = "SAFETY_REVIEW"
TABLE = "safety_review"
DEV_DIR = Path(__file__).resolve().parent.parent / "tests" / "dev"
URGENT_MARK, ORDINARY_MARK = "urgent", "ordinary"
# An urgent decision by the classifier alone (no phrase) with a score below this is a close call.
CLOSE_CALL = 0.7

CHECKED_IN = "asked the safety check-in"
FALLBACK = "asked to say it another way"
CLOSE_URGENT = "urgent help, close to the threshold"
CLOSE_ORDINARY = "carried on, close to the check-in threshold"

_metadata = sa.MetaData()
_table = sa.Table(
    TABLE,
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), index=True),
    sa.Column("timestamp", sa.Float, index=True),
    sa.Column("text", sa.Text),
    sa.Column("what_it_did", sa.String(100)),
    sa.Column("score", sa.Float),
)


def review_on() -> bool:
    """True when the partnership turned the safety review on (SAFETY_REVIEW=on)."""
    return os.environ.get(SETTING, "").strip().lower() in ("on", "1", "yes", "true")


def unsure_about(parse_data: dict) -> str | None:
    """What the assistant did, when it was unsure about this parsed message; otherwise None."""
    safety = parse_data.get("safety") or {}
    intent = (parse_data.get("intent") or {}).get("name")
    band, score = safety.get("band"), float(safety.get("score") or 0.0)
    if band == "check_in":
        return CHECKED_IN
    if intent == "nlu_fallback":
        return FALLBACK
    if band == "urgent" and "phrase" not in (safety.get("why") or []) and score < CLOSE_CALL:
        return CLOSE_URGENT
    if band == "ordinary" and safety.get("near_miss"):
        return CLOSE_ORDINARY
    return None


def keep(
    engine: sa.engine.Engine,
    sender_id: str,
    text: str,
    what_it_did: str,
    score: float,
    timestamp: float | None = None,
) -> None:
    """Store one message for review, redacted. Call only when `review_on()`."""
    _metadata.create_all(engine, tables=[_table], checkfirst=True)
    with engine.begin() as connection:
        connection.execute(
            _table.insert().values(
                sender_id=sender_id,
                timestamp=timestamp or time.time(),
                text=redact(text),
                what_it_did=what_it_did,
                score=round(float(score), 4),
            )
        )


def forget(engine: sa.engine.Engine, sender_id: str) -> None:
    """Delete everything kept for review from this conversation ("forget me", quick exit)."""
    with engine.begin() as connection:
        if sa.inspect(connection).has_table(TABLE):
            connection.execute(_table.delete().where(_table.c.sender_id == sender_id))


def purge_old(engine: sa.engine.Engine, days: int, now: float | None = None) -> int:
    """Delete review messages older than `days` (the retention window); return how many."""
    cutoff = (now or time.time()) - days * 86400
    with engine.begin() as connection:
        if not sa.inspect(connection).has_table(TABLE):
            return 0
        return connection.execute(_table.delete().where(_table.c.timestamp < cutoff)).rowcount or 0


def waiting(engine: sa.engine.Engine) -> list[dict]:
    """The messages waiting for review, oldest first: id, date, text, what it did, score. No sender ids."""
    with engine.begin() as connection:
        if not sa.inspect(connection).has_table(TABLE):
            return []
        rows = connection.execute(
            sa.select(
                _table.c.id, _table.c.timestamp, _table.c.text, _table.c.what_it_did, _table.c.score
            ).order_by(_table.c.timestamp)
        ).all()
    return [
        {
            "id": r.id,
            "date": dt.datetime.fromtimestamp(r.timestamp, dt.timezone.utc).date().isoformat(),
            "text": r.text,
            "what_it_did": r.what_it_did,
            "score": r.score,
            "mark": "",
        }
        for r in rows
    ]


def remove(engine: sa.engine.Engine, ids: list[int]) -> int:
    """Delete reviewed messages by id; return how many."""
    if not ids:
        return 0
    with engine.begin() as connection:
        if not sa.inspect(connection).has_table(TABLE):
            return 0
        return connection.execute(_table.delete().where(_table.c.id.in_(ids))).rowcount or 0


def summary(items: list[dict]) -> str:
    """Counts only: how many of each kind."""
    counts = Counter(item["what_it_did"] for item in items)
    lines = [f"{len(items)} message(s) to review"]
    lines += [f"  {what}: {n}" for what, n in sorted(counts.items())]
    return "\n".join(lines)


HEADER = """\
# Safety review: messages the assistant was unsure about (redacted; no sender ids).
# For each item set `mark:` to one of: urgent | ordinary | a need id ({needs}).
# Leave `mark:` empty to skip an item. Then: python -m bot review --apply THIS_FILE
"""


def listing(items: list[dict], needs: list[str]) -> str:
    """The YAML file a safeguarding lead marks."""
    return HEADER.format(needs=", ".join(needs)) + yaml.safe_dump(
        {"items": items}, allow_unicode=True, sort_keys=False
    )


class ReviewError(Exception):
    pass


def apply(marked: dict, needs: set[str], dev_dir: Path = DEV_DIR) -> tuple[Counter, list[int]]:
    """Add the marked lines to the dev lists in `dev_dir`; return counts per mark and the ids applied.

    `urgent` -> review_urgent.txt, `ordinary` -> review_ordinary.txt, a need id ->
    review_needs.yml. A line already in a list is not added twice. Refuses a held-out set.
    """
    dev_dir = Path(dev_dir)
    if any("heldout" in part for part in dev_dir.resolve().parts):
        raise ReviewError(f"{dev_dir} is a held-out set: reviewed lines go to dev lists only")
    items = (marked or {}).get("items") or []
    problems = [
        f"item {item.get('id')}: unknown mark {item.get('mark')!r}"
        for item in items
        if item.get("mark")
        and str(item["mark"]).strip() not in {URGENT_MARK, ORDINARY_MARK, *needs}
    ]
    if problems:
        raise ReviewError(
            "; ".join(problems)
            + f". Marks: urgent, ordinary, or a need id ({', '.join(sorted(needs))})"
        )
    counts: Counter = Counter()
    applied: list[int] = []
    dev_dir.mkdir(parents=True, exist_ok=True)
    by_need_path = dev_dir / "review_needs.yml"
    by_need = (
        yaml.safe_load(by_need_path.read_text(encoding="utf-8")) if by_need_path.exists() else None
    )
    by_need = by_need or {}
    for item in items:
        mark, text = (
            str(item.get("mark") or "").strip(),
            " ".join(str(item.get("text") or "").split()),
        )
        if not mark or not text:
            continue
        if mark in (URGENT_MARK, ORDINARY_MARK):
            _add_line(dev_dir / f"review_{mark}.txt", text)
        else:
            lines = by_need.setdefault(mark, [])
            if text not in lines:
                lines.append(text)
        counts[mark] += 1
        if item.get("id") is not None:
            applied.append(int(item["id"]))
    if by_need:
        by_need_path.write_text(
            "# Reviewed messages marked with a need id (python -m bot review --apply).\n"
            + yaml.safe_dump(by_need, allow_unicode=True, sort_keys=True),
            encoding="utf-8",
        )
    return counts, applied


def _add_line(path: Path, text: str) -> None:
    existing = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    if text not in existing:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")
