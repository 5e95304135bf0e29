"""Write requirements.lock: the blocks of requirements-dev.lock (pins with their hashes) that
requirements.txt pulls in, found from the installed packages' metadata.

Run with the project's environment after installing requirements-dev.lock:
    .venv/bin/python scripts/runtime_lock.py
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
HEADER = """# Every package the assistant needs to run (requirements.txt and all it pulls in), pinned
# with the sha256 of each file on PyPI. Install with:
#   pip install --no-deps --require-hashes -r requirements.lock
# requirements-dev.lock is this plus the test tools. Regenerate (docs/deploy.md, Supply chain):
#   pip-compile --generate-hashes --allow-unsafe --strip-extras requirements-dev.txt -o requirements-dev.lock
#   then .venv/bin/python scripts/runtime_lock.py
"""


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_names() -> set[str]:
    """requirements.txt and everything it needs, by the installed packages' metadata."""
    lines = [
        line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
    ]
    stack = [(norm(r.name), frozenset(r.extras)) for r in map(Requirement, filter(None, lines))]
    seen: set[tuple[str, frozenset]] = set()
    while stack:
        name, extras = stack.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        for text in metadata.distribution(name).requires or []:
            requirement = Requirement(text)
            wanted = requirement.marker is None or any(
                requirement.marker.evaluate({"extra": e}) for e in extras | {""}
            )
            if wanted:
                stack.append((norm(requirement.name), frozenset(requirement.extras)))
    return {name for name, _ in seen}


def blocks(lock_text: str) -> list[str]:
    """Each pin of a pip-compile lock with its hash lines."""
    return [b.rstrip("\n") for b in re.split(r"\n(?=[A-Za-z])", lock_text) if b[:1].isalpha()]


def main() -> None:
    names = runtime_names()
    dev = blocks((ROOT / "requirements-dev.lock").read_text())
    runtime = [b for b in dev if norm(b.split("==")[0]) in names]
    (ROOT / "requirements.lock").write_text(HEADER + "\n".join(runtime) + "\n")
    print(f"requirements.lock: {len(runtime)} of {len(dev)} packages")


if __name__ == "__main__":
    main()
