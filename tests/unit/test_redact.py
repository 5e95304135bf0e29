"""bot/redact.py on a table of realistic lines (tests/unit/fixtures/redaction_lines.yml)."""

from pathlib import Path

import pytest
import yaml

from bot.redact import redact

TABLE = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "redaction_lines.yml").read_text(encoding="utf-8")
)


def test_the_table_has_at_least_100_lines():
    assert len(TABLE["hide"]) + len(TABLE["keep"]) >= 100


@pytest.mark.parametrize("row", TABLE["hide"], ids=lambda row: row["text"][:40])
def test_personal_details_are_hidden(row):
    redacted = redact(row["text"])
    for secret in row["hide"]:
        assert secret.lower() not in redacted.lower(), redacted
    assert redacted != row["text"] or not row["hide"]


@pytest.mark.parametrize("text", TABLE["keep"])
def test_lines_without_personal_details_are_unchanged(text):
    assert redact(text) == text
