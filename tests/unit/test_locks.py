"""The supply chain (issue 17, row 14): every pin has hashes; runtime and dev lists are apart."""

import re
from pathlib import Path

from scripts.runtime_lock import blocks, norm

ROOT = Path(__file__).resolve().parents[2]


def pins(lock: str) -> dict[str, str]:
    out = {}
    for block in blocks((ROOT / lock).read_text()):
        name, _, version = block.split()[0].partition("==")
        assert version, f"{lock}: {name} is not pinned to one version"
        assert "--hash=sha256:" in block, f"{lock}: {name} has no hash"
        out[norm(name)] = version
    return out


def listed(requirements: str) -> set[str]:
    lines = [line.split("#")[0].strip() for line in (ROOT / requirements).read_text().splitlines()]
    return {
        norm(re.split(r"[\[=<>!~ ]", line)[0])
        for line in lines
        if line and not line.startswith("-r")
    }


def test_every_pin_has_a_hash_and_the_runtime_lock_is_part_of_the_dev_lock():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert runtime and all(dev.get(name) == version for name, version in runtime.items())
    assert listed("requirements.txt") <= set(runtime)
    assert listed("requirements-dev.txt") <= set(dev)


def test_test_tools_are_not_in_the_runtime_list():
    for tool in ("pytest", "hypothesis", "ruff", "playwright"):
        assert tool not in listed("requirements.txt") and tool not in pins("requirements.lock")
        assert tool in listed("requirements-dev.txt")


def test_setuptools_is_pinned():
    assert pins("requirements.lock")["setuptools"] == pins("requirements-dev.lock")["setuptools"]
    assert "setuptools==" in (ROOT / "requirements.txt").read_text()


def test_make_installs_with_require_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements-dev.lock" in makefile
    assert "--require-hashes -r requirements-web.lock" in makefile
    assert " -c requirements.lock" not in makefile
