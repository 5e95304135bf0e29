"""Passwords never appear in an error a maintainer sees (issue 17, row 11)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.masking import mask_passwords

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "hunter2-Secret"


@pytest.mark.parametrize(
    "text",
    [
        f"postgresql://rasa:{PASSWORD}@db.example:5432/rasa",
        f"Could not parse SQLAlchemy URL from string 'postgresql://rasa:{PASSWORD}@db:port/x'",
        f"redis://:{PASSWORD}@localhost:6379/0",
        f"password={PASSWORD} host=db",
        f"connection failed: PASSWORD: '{PASSWORD}'",
    ],
)
def test_passwords_are_masked(text):
    masked = mask_passwords(text)
    assert PASSWORD not in masked and "***" in masked


def test_text_without_passwords_is_unchanged():
    text = "postgresql://db.example:5432/rasa and http://127.0.0.1:5005/webhook"
    assert mask_passwords(text) == text


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://rasa:{PASSWORD}@db:notaport/rasa",
        f"postgresql://rasa:{PASSWORD}/with-slash@db:5432/rasa",
        f"postgresql://rasa:{PASSWORD}@db:5432/",
        f"mysql://rasa:{PASSWORD}@db/rasa",
    ],
)
def test_a_malformed_database_url_is_refused_without_its_password(url):
    result = run(
        "-m",
        "bot.endpoints",
        "--actions-url",
        "http://127.0.0.1:5055/webhook",
        env={"DATABASE_URL": url},
    )
    assert result.returncode != 0 and "DATABASE_URL" in result.stderr
    assert PASSWORD not in result.stderr and "Secret" not in result.stderr


@pytest.mark.parametrize(
    "url", [f"postgresql://rasa:{PASSWORD}@db:notaport/rasa", f"nosuchdb://rasa:{PASSWORD}@db/x"]
)
def test_purge_and_report_never_print_the_password(url):
    for tool in ("purge", "report"):
        extra = ["--output-dir", "/tmp/never-written"] if tool == "report" else []
        result = run("-m", "bot", tool, "--database-url", url, *extra)
        assert result.returncode != 0, result.stdout
        assert PASSWORD not in result.stderr + result.stdout, result.stderr
