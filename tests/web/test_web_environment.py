"""The public web server runs on current code and imports nothing from Rasa (issue 17, row 5)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB_PYTHON = ROOT / ".venv-web" / "bin" / "python"
RASA_WORLD = ("rasa", "rasa_sdk", "sanic", "tensorflow", "spacy", "sqlalchemy")
PROBE = (
    "import sys; import bot.web.server as s; s.create_app(); "
    "print(sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[1:])))"
)


def test_the_web_server_imports_nothing_from_rasa():
    # Run where Rasa IS installed: only the absence of any import proves it.
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *RASA_WORLD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_its_own_environment_has_a_current_aiohttp_and_no_rasa():
    assert WEB_PYTHON.exists(), "make setup creates .venv-web from requirements-web.lock"
    check = (
        "import aiohttp, importlib.util as u; "
        "v = tuple(int(p) for p in aiohttp.__version__.split('.')[:2]); "
        "assert v >= (3, 12), aiohttp.__version__; "
        "assert u.find_spec('rasa') is None and u.find_spec('sanic') is None; print(aiohttp.__version__)"
    )
    out = subprocess.run(
        [str(WEB_PYTHON), "-c", check], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    out = subprocess.run(
        [str(WEB_PYTHON), "-c", PROBE, *RASA_WORLD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr


def test_the_web_lock_pins_every_package_with_a_hash():
    blocks: dict[str, list[str]] = {}
    for line in (ROOT / "requirements-web.lock").read_text().splitlines():
        if line and line[0].isalpha():
            current = line.split()[0]
            blocks[current] = []
        elif "--hash=sha256:" in line:
            blocks[current].append(line)
    assert any(name.startswith("aiohttp==") for name in blocks)
    for name, hashes in blocks.items():
        assert "==" in name and hashes, name
